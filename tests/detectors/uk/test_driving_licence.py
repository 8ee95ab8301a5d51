"""DVLA driver number structure."""

from __future__ import annotations

import pytest

from detectors.uk.driving_licence import UkDrivingLicenceDetector, structure_valid


@pytest.mark.parametrize(
    "surname,month,day,ok",
    [
        ("MORGA", "57", "05", True),
        ("LI999", "51", "09", True),
        ("MCDON", "06", "30", True),
        ("JO9ES", "01", "01", False),  # 9 inside the surname
        ("MORGA", "13", "05", False),
        ("MORGA", "50", "05", False),
        ("MORGA", "63", "05", False),
        ("MORGA", "05", "00", False),
        ("MORGA", "05", "32", False),
    ],
)
def test_structure(surname: str, month: str, day: str, ok: bool) -> None:
    assert structure_valid(surname, month, day) is ok


def test_without_context_below_threshold() -> None:
    (result,) = UkDrivingLicenceDetector().analyze("MORGA657054SM9IJ", None)
    assert result.score < 0.5
