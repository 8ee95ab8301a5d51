"""Delimited tables: sniffing, reading, and column removal that keeps the file's shape."""

from __future__ import annotations

import codecs
import csv
import io

import pytest

from gateway import content

ROWS = [
    ["Name", "NI Number", "Rank", "Notes"],
    ["John Smith", "AB123456C", "PC", "Lives at 1 High St, Leeds"],
    ["Zoë Brontë", "CD654321A", "DS", 'Said "no comment"'],
    ["Ann Lee", "JK112233B", "Insp", "multi\nline note"],
]


def _csv(rows: list[list[str]], delimiter: str = ",", line: str = "\r\n", quoting: int = csv.QUOTE_MINIMAL) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator=line, quoting=quoting).writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(("delimiter", "kind"), [(",", "csv"), ("\t", "tsv"), (";", "csv"), ("|", "csv")])
def test_delimiter_is_found_from_the_bytes(delimiter: str, kind: str) -> None:
    data = _csv(ROWS, delimiter).encode()
    part = content.read(data, "upload.bin")
    assert part.kind == kind
    assert part.meta["delimiter"] == delimiter
    [table] = part.tables
    assert table.header == ROWS[0]
    assert table.rows == ROWS[1:]
    assert table.column(1) == ["AB123456C", "CD654321A", "JK112233B"]


@pytest.mark.parametrize(
    ("codec", "delimiter", "line", "quoting"),
    [
        ("utf-8", ",", "\r\n", csv.QUOTE_MINIMAL),
        ("utf-8-sig", ",", "\n", csv.QUOTE_MINIMAL),
        ("cp1252", ";", "\r\n", csv.QUOTE_ALL),
        ("utf-16", "\t", "\r\n", csv.QUOTE_MINIMAL),
        ("utf-8", "|", "\n", csv.QUOTE_ALL),
    ],
)
def test_dropping_a_column_keeps_encoding_delimiter_quoting_and_line_endings(
    codec: str, delimiter: str, line: str, quoting: int, drop_plan
) -> None:
    data = _csv(ROWS, delimiter, line, quoting).encode(codec)
    part = content.read(data, "staff.csv")
    out = content.write(part, drop_plan("staff.csv", {1}))
    expected = _csv([[r[0], r[2], r[3]] for r in ROWS], delimiter, line, quoting).encode(codec)
    assert out == expected
    for value in ("AB123456C", "CD654321A", "JK112233B", "NI Number"):
        assert value.encode(codec.replace("-sig", "").replace("utf-16", "utf-16-le")) not in out
        assert value not in out.decode(codec)
    again = content.read(out, "staff.csv")
    assert again.kind == part.kind
    assert again.tables[0].header == ["Name", "Rank", "Notes"]


def test_dropping_several_columns_and_ragged_rows(drop_plan) -> None:
    data = b"a,b,c,d\n1,2,3,4\n5,6\n7,8,9,10,11\n"
    part = content.read(data, "r.csv")
    out = content.write(part, drop_plan("r.csv", {1, 3}))
    assert out == b"a,c\n1,3\n5\n7,9,11\n"


def test_blank_lines_and_missing_final_newline_are_kept(drop_plan) -> None:
    data = b"name,nino,rank\n\nJohn,AB123456C,PC\nAnn,JK112233B,DS"
    part = content.read(data, "s.csv")
    assert part.tables[0].rows == [["John", "AB123456C", "PC"], ["Ann", "JK112233B", "DS"]]
    out = content.write(part, drop_plan("s.csv", {1}))
    assert out == b"name,rank\n\nJohn,PC\nAnn,DS"


def test_unterminated_quote_is_uninspectable() -> None:
    data = _csv(ROWS).encode() + b'Bob Jones,"EF123456D,PC,truncated here'
    part = content.read(data, "staff.csv")
    assert part.uninspectable == "malformed CSV: a quoted field is never closed (truncated file?)"


def test_text_after_a_closing_quote_is_uninspectable() -> None:
    data = b'name,nino\n"John" Smith,AB123456C\nAnn,JK112233B\n'
    part = content.read(data, "staff.csv")
    assert part.uninspectable == "malformed CSV: stray text after a quoted field on line 2"


def test_prose_with_commas_is_text_not_a_table() -> None:
    data = (
        b"Dear Sir, I write about the incident.\n"
        b"On Monday, at noon, the suspect, who was known to us, left.\n"
        b"Yours, A Officer\n"
    )
    part = content.read(data, "letter.txt")
    assert part.kind == "text"


def test_name_breaks_the_tie_for_a_two_line_table() -> None:
    data = b"name,nino\nJohn,AB123456C\n"
    assert content.read(data, "staff.csv").kind == "csv"
    assert content.read(data, "notes").kind == "text"


def test_tsv_with_commas_inside_cells_is_tab_separated() -> None:
    data = b"name\taddress\tnino\nJohn\t1 High St, Leeds\tAB123456C\nAnn\t2 Low Rd, York\tJK112233B\n"
    part = content.read(data, "people.txt")
    assert part.kind == "tsv"
    assert part.tables[0].header == ["name", "address", "nino"]


def test_long_cells_are_read() -> None:
    note = "x" * 300_000
    data = f"name,note\nJohn,{note}\nAnn,short\n".encode()
    part = content.read(data, "notes.csv")
    assert part.tables[0].rows[0][1] == note


def test_large_file_reads_every_row() -> None:
    lines = ["id,name,nino"] + [f"{i},Person {i},AB{i:06d}C" for i in range(100_000)]
    data = ("\n".join(lines) + "\n").encode()
    part = content.read(data, "big.csv")
    assert len(part.tables[0].rows) == 100_000
    assert part.tables[0].rows[-1] == ["99999", "Person 99999", "AB099999C"]


def test_spans_cannot_be_applied_to_a_table(span_plan) -> None:
    part = content.read(b"a,b\n1,2\n3,4\n", "t.csv")
    with pytest.raises(content.NotRedactable):
        content.write(part, span_plan("t.csv", {0: [content.Span(0, 1, "X")]}))


def test_bom_is_not_part_of_the_header() -> None:
    data = codecs.BOM_UTF8 + b"name,nino\nJohn,AB123456C\nAnn,JK112233B\n"
    part = content.read(data, "staff.csv")
    assert part.tables[0].header == ["name", "nino"]


def test_excel_sep_line_names_the_delimiter_and_is_kept(drop_plan) -> None:
    data = b"sep=;\r\nName;NI Number;Rank\r\nJohn;AB123456C;PC\r\n"
    part = content.read(data, "export.csv")
    assert part.meta["delimiter"] == ";"
    assert part.tables[0].header == ["Name", "NI Number", "Rank"]
    out = content.write(part, drop_plan("export.csv", {1}))
    assert out == b"sep=;\r\nName;Rank\r\nJohn;PC\r\n"


def test_title_lines_above_the_header_are_text_and_kept_by_redaction(drop_plan) -> None:
    data = (
        b'"Staff by grade, 31 March 2026"\r\n\r\n'
        b"Surname,NI Number,Grade\r\nSmith,AB123456C,SO1\r\nJones,CE654321A,SO2\r\n"
    )
    part = content.read(data, "export.csv")
    assert part.kind == "csv"
    [table] = part.tables
    assert table.header == ["Surname", "NI Number", "Grade"]
    assert table.rows == [["Smith", "AB123456C", "SO1"], ["Jones", "CE654321A", "SO2"]]
    assert [(s.text, s.where) for s in part.segments] == [("Staff by grade, 31 March 2026", "title")]
    out = content.write(part, drop_plan("export.csv", {0, 1}))
    assert out == b'"Staff by grade, 31 March 2026"\r\n\r\nGrade\r\nSO1\r\nSO2\r\n'
