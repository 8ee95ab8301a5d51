"""Phone numbers: drama ranges, allow-list, layouts."""

from __future__ import annotations

import pytest

from detectors.allowlist import Allowlist
from detectors.generic.phone import PhoneNumberDetector, in_drama_range


@pytest.mark.parametrize(
    "national,drama",
    [("7700900123", True), ("1632960999", True), ("2079460005", True), ("7700901123", False), ("770090012", False)],
)
def test_drama_ranges(national: str, drama: bool) -> None:
    assert in_drama_range(national) is drama


def test_switchboard_is_allow_listed() -> None:
    r = PhoneNumberDetector(allowlist=Allowlist({"PHONE_NUMBER": ["01632 960000"]}))
    text = "Switchboard +44 1632 960000, my mobile 07700 900123"
    assert [text[x.start : x.end] for x in r.analyze(text, None)] == ["07700 900123"]


def test_international_numbers_are_personal_too() -> None:
    text = "French mobile +33 6 12 34 56 78"
    (r,) = PhoneNumberDetector().analyze(text, None)
    assert r.recognition_metadata["region"] == "FR"


def test_context_raises_score() -> None:
    r = PhoneNumberDetector()
    assert r.analyze("07700 900123", None)[0].score == 0.75
    assert r.analyze("mobile: 07700 900123", None)[0].score == 0.95
