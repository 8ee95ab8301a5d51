"""Postcode kinds and scores."""

from __future__ import annotations

from detectors.uk.postcode import UkPostcodeDetector


def test_kinds_in_metadata() -> None:
    r = UkPostcodeDetector()
    kinds = {r2.recognition_metadata["postcode_kind"] for r2 in r.analyze("SW1A 1AA, BFPO 57, ZZ99 3VZ", None)}
    assert kinds == {"postcode", "bfpo", "pseudo"}


def test_scores() -> None:
    r = UkPostcodeDetector()
    assert r.analyze("SW1A 1AA", None)[0].score == 0.6
    assert r.analyze("SW1A1AA", None)[0].score < 0.5
    assert r.analyze("Postcode: SW1A1AA", None)[0].score == 0.85
