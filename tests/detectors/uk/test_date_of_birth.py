"""Dates of birth versus other dates."""

from __future__ import annotations

import datetime as dt

from detectors.uk.date_of_birth import _DATE, DateOfBirthDetector, parse_date, plausible_birth_date


def _found(text: str, header: str | None = None) -> list[str]:
    results = DateOfBirthDetector().analyze_value(text, header)
    return [text[r.start : r.end] for r in results]


def test_only_the_birth_date_of_a_sentence() -> None:
    assert _found("SMITH, John (DOB 01/02/1980) was arrested on 03/04/2024 and charged 04/04/2024") == ["01/02/1980"]
    assert _found("DOB: 01/02/1980, arrested 03/04/2024") == ["01/02/1980"]


def test_header_makes_every_plausible_date_a_birth_date() -> None:
    assert _found("01/02/1980", "dob") == ["01/02/1980"]
    assert _found("01/02/2099", "dob") == []
    assert _found("01/02/1980", "arrest_date") == []


def test_two_digit_years_are_never_in_the_future() -> None:
    today = dt.date(2026, 1, 1)
    m = _DATE.search("1/2/80")
    assert m is not None and parse_date(m, today) == dt.date(1980, 2, 1)
    m = _DATE.search("1/2/25")
    assert m is not None and parse_date(m, today) == dt.date(2025, 2, 1)


def test_plausibility() -> None:
    today = dt.date(2026, 6, 1)
    assert plausible_birth_date(dt.date(1950, 1, 1), today)
    assert not plausible_birth_date(dt.date(1900, 1, 1), today)
    assert not plausible_birth_date(dt.date(2026, 6, 2), today)
    (result,) = DateOfBirthDetector().analyze("DOB 7 Mar 1985", None)
    assert result.recognition_metadata["birth_date"] == "1985-03-07"
