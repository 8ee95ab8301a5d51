"""Arrest Summons Number, reported as CUSTODY_REFERENCE."""

from __future__ import annotations

from detectors.uk.asn import UkAsnDetector


def test_reported_as_custody_reference_with_asn_metadata() -> None:
    (result,) = UkAsnDetector().analyze("ASN 1101ZD0100000410847G", None)
    assert result.entity_type == "CUSTODY_REFERENCE"
    assert result.recognition_metadata["reference"] == "ASN"
    assert result.score == 1.0


def test_display_and_compact_forms_agree() -> None:
    r = UkAsnDetector()
    assert r.analyze("97/0000/00/123456K", None) and r.analyze("9700000000000123456K", None)
    assert not r.analyze("9700000000000123456L", None)
