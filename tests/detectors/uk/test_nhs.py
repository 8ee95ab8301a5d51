"""NHS number scoring: context, layout and phone context."""

from __future__ import annotations

from detectors.uk.nhs import UkNhsDetector


def test_score_ladder() -> None:
    r = UkNhsDetector()
    assert r.analyze("NHS number 9434765919", None)[0].score == 1.0
    assert r.analyze("943 476 5919", None)[0].score == 0.7
    assert r.analyze("9434765919", None)[0].score == 0.4


def test_phone_context_wins_unless_nhs_context() -> None:
    r = UkNhsDetector()
    assert not r.analyze("tel 2079460005", None)
    assert r.analyze("NHS no 2079460005 (not the phone)", None)[0].score == 1.0


def test_header_context() -> None:
    assert UkNhsDetector().analyze_value("9434765919", "nhs_no")[0].score == 1.0
