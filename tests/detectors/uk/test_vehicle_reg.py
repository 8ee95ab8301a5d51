"""Vehicle registration age identifiers."""

from __future__ import annotations

import datetime as dt

import pytest

from detectors.uk.vehicle_reg import age_identifier_issued


@pytest.mark.parametrize(
    "age,today,issued",
    [
        (25, dt.date(2025, 3, 1), True),
        (25, dt.date(2025, 2, 28), False),
        (75, dt.date(2025, 9, 1), True),
        (75, dt.date(2025, 8, 31), False),
        (1, dt.date(2025, 9, 1), False),
        (50, dt.date(2025, 9, 1), False),  # never issued
        (2, dt.date(2002, 3, 1), True),
        (51, dt.date(2001, 9, 1), True),
        (90, dt.date(2026, 9, 1), False),
    ],
)
def test_age_identifier(age: int, today: dt.date, issued: bool) -> None:
    assert age_identifier_issued(age, today) is issued
