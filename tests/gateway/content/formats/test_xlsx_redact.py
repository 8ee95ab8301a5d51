"""Moving references when columns are deleted from a sheet (the rest is tested through the XLSX handler)."""

from __future__ import annotations

from gateway.content.formats.xlsx_redact import _shift_bounds, _shift_range, _shift_sqref


def test_ranges_shrink_and_shift_left_past_deleted_columns() -> None:
    dropped = [2, 4]  # B and D
    assert _shift_range("A1:E10", dropped) == "A1:C10"
    assert _shift_range("$E$3:$F$9", dropped) == "C3:D9"
    assert _shift_range("B2:B9", dropped) is None
    assert _shift_range("C:C", dropped) == "B:B"
    assert _shift_range("3:5", dropped) == "3:5"
    assert _shift_sqref("B1 C1:D4 F6", dropped) == "B1:B4 D6"
    assert _shift_bounds(1, 16384, dropped) == (1, 16382)
