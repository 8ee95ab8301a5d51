"""Excel number formats shown as a person reads them."""

from __future__ import annotations

from gateway.content.formats.excelfmt import display_number, is_date_format


def test_dates_times_percentages_and_padded_codes() -> None:
    assert display_number(27455, "dd/mm/yyyy", date1904=False) == "1975-03-02"
    assert display_number(27455.5, "dd/mm/yyyy hh:mm", date1904=False) == "1975-03-02 12:00:00"
    assert display_number(0.75, "h:mm", date1904=False) == "18:00:00"
    assert display_number(0, "yyyy-mm-dd", date1904=True) == "1904-01-01"
    assert display_number(0.125, "0.0%", date1904=False) == "12.5%"
    assert display_number(7700900123, "00000000000", date1904=False) == "07700900123"
    assert display_number(9434765919, "000 000 0000", date1904=False) == "943 476 5919"
    assert display_number(1234.5, "#,##0.00", date1904=False) == "1234.5"
    assert display_number(3.0, None, date1904=False) == "3"


def test_what_counts_as_a_date_format() -> None:
    assert is_date_format("d-mmm-yy")
    assert is_date_format("[$-809]dd mmmm yyyy")
    assert not is_date_format("General")
    assert not is_date_format('"Ref "0000')
    assert not is_date_format("0.00")
