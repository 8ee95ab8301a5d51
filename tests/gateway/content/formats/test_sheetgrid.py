"""Header-row detection and the table layout shared by every spreadsheet format."""

from __future__ import annotations

from gateway.content.formats.sheetgrid import build_table, col_letter, format_number, header_index


def test_title_lines_above_a_wide_header_are_skipped() -> None:
    rows = [
        (1, {1: "Wessex Police staff list"}),
        (2, {1: "Run on 01/03/2013"}),
        (4, {1: "Surname", 2: "Rank", 3: "Station"}),
        *[(5 + i, {1: f"Name{i}", 2: "PC", 3: "Leeds"}) for i in range(5)],
    ]
    assert header_index(rows) == 2


def test_a_narrow_sheet_and_a_numeric_first_row() -> None:
    assert header_index([(1, {1: "Station", 2: "Count"}), (2, {1: "Leeds", 2: "4"})]) == 0
    assert header_index([(1, {1: "1", 2: "2"}), (2, {1: "3", 2: "4"})]) == 0


def test_only_used_columns_are_kept_and_mapped_back_to_the_sheet() -> None:
    rows = [(1, {2: "Surname", 5: "NI Number"}), (2, {2: "Smith", 5: "AB123456C"}), (3, {2: "Jones", 7: "stray"})]
    laid = build_table("S", rows, hidden=False, column_hidden={5}.__contains__, hidden_rows={3})
    assert laid is not None
    assert laid.columns == [2, 5, 7]
    assert laid.table.header == ["Surname", "NI Number", "column G"]
    assert laid.table.rows == [["Smith", "AB123456C", ""], ["Jones", "", "stray"]]
    assert laid.table.hidden_columns == {1}
    assert laid.table.hidden_rows == {1}


def test_numbers_and_column_letters() -> None:
    assert format_number(42.0) == "42"
    assert format_number(0.1 + 0.2) == "0.3"
    assert col_letter(1) == "A" and col_letter(28) == "AB"
