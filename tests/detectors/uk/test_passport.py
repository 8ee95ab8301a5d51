"""Passport numbers: context requirement and machine-readable zone."""

from __future__ import annotations

from detectors.uk.passport import UkPassportDetector

MRZ = "P<GBRSMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n9250764733GBR8501017M3101015<<<<<<<<<<<<<<04"


def test_mrz_reports_only_the_number_once() -> None:
    results = UkPassportDetector().analyze(MRZ, None)
    assert [(MRZ[r.start : r.end], r.score) for r in results] == [("925076473", 0.95)]


def test_nothing_without_context() -> None:
    assert UkPassportDetector().analyze("925076473", None) == []
    assert UkPassportDetector().analyze_value("925076473", "order_number") == []
