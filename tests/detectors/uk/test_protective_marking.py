"""Protective markings: normalisation, caveats, positions."""

from __future__ import annotations

import pytest

from detectors.uk.protective_marking import (
    MARKINGS,
    ProtectiveMarkingDetector,
    marking_caveat,
    normalise_marking,
)


@pytest.mark.parametrize(
    "text,normalised",
    [
        ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"),
        ("OFFICIAL – SENSITIVE", "OFFICIAL-SENSITIVE"),
        ("OFFICIAL SENSITIVE", "OFFICIAL-SENSITIVE"),
        ("Official-Sensitive", "OFFICIAL-SENSITIVE"),
        ("OFFICIAL: SENSITIVE", "OFFICIAL-SENSITIVE"),
        ("[OFFICIAL-SENSITIVE]", "OFFICIAL-SENSITIVE"),
        ("OFFICIAL-SENSITIVE: PERSONAL", "OFFICIAL-SENSITIVE"),
        ("OFFICIAL – No restrictions", "OFFICIAL"),
        ("UK OFFICIAL", "OFFICIAL"),
        ("SECRET UK EYES ONLY", "SECRET"),
        ("TOP  SECRET", "TOP SECRET"),
        ("UNCLASSIFIED", "NOT PROTECTIVELY MARKED"),
        ("RESTRICTED (when complete)", "RESTRICTED"),
        ("PROTECT – PERSONAL", "PROTECT"),
        ("CONFIDENTIAL", "CONFIDENTIAL"),
    ],
)
def test_normalise(text: str, normalised: str) -> None:
    assert normalise_marking(text) == normalised
    assert normalised in MARKINGS


def test_normalise_rejects_non_markings() -> None:
    with pytest.raises(ValueError, match="not a protective marking"):
        normalise_marking("Hello")


def test_caveats() -> None:
    assert marking_caveat("OFFICIAL-SENSITIVE [PERSONAL]") == "PERSONAL"
    assert marking_caveat(" UK EYES ONLY") == "UK EYES ONLY"
    assert marking_caveat("nothing here") is None


def test_metadata_carries_marking_and_caveat() -> None:
    (r,) = ProtectiveMarkingDetector().analyze("OFFICIAL-SENSITIVE: PERSONAL\nbody", None)
    assert r.recognition_metadata["marking"] == "OFFICIAL-SENSITIVE"
    assert r.recognition_metadata["caveat"] == "PERSONAL"


def test_header_and_footer_of_the_same_marking_both_count() -> None:
    text = "SECRET\nOperation details\nSECRET"
    assert len(ProtectiveMarkingDetector().analyze(text, None)) == 2


def test_adjacent_identical_markings_are_not_a_list() -> None:
    assert len(ProtectiveMarkingDetector().analyze("SECRET\nSECRET", None)) == 2
