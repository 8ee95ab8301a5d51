"""Collar numbers: rank prefixes, labels and IT veto."""

from __future__ import annotations

from detectors.uk.collar_number import PoliceCollarNumberDetector


def test_surname_after_counts_as_context() -> None:
    (r,) = PoliceCollarNumberDetector().analyze("Thanks, PC 1234 Smith", None)
    assert r.score == 0.75


def test_label_reports_just_the_number() -> None:
    text = "Collar number: 4521"
    (r,) = PoliceCollarNumberDetector().analyze(text, None)
    assert text[r.start : r.end] == "4521" and r.score == 0.85


def test_it_context_vetoes_even_with_policing_words() -> None:
    assert PoliceCollarNumberDetector().analyze("police IT asset PC 1234 laptop", None) == []
