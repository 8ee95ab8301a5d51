"""CRO number: standard and SF forms."""

from __future__ import annotations

from detectors.uk.cro import UkCroDetector


def test_leading_zero_forms_are_equivalent() -> None:
    r = UkCroDetector()
    assert r.analyze("065656/91H", ["UK_CRO"])[0].score == 0.95
    assert r.analyze("65656/91H", ["UK_CRO"])[0].score == 0.95


def test_two_digit_serial_needs_context() -> None:
    r = UkCroDetector()
    # 12/34X would also be a short PNC shape; check letter is right for CRO 12/34.
    from detectors.checks import cro_check_letter

    text = f"12/34{cro_check_letter('12', '34')}"
    assert r.analyze(text, ["UK_CRO"])[0].score < 0.5
    assert r.analyze(f"CRO {text}", ["UK_CRO"])[0].score == 1.0
