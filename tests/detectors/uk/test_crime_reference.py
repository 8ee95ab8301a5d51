"""Crime references: shapes that carry their own prefix need no keyword."""

from __future__ import annotations

from detectors.uk.crime_reference import CrimeReferenceDetector


def test_prefixed_shapes_without_keyword() -> None:
    (r,) = CrimeReferenceDetector().analyze("NFRC240112345", None)
    assert r.score == 0.7 and r.recognition_metadata["reference"] == "action-fraud"


def test_keyword_after_the_number() -> None:
    assert CrimeReferenceDetector().analyze("1234567/24 (crime ref)", None)
