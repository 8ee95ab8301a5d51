"""JSON and JSON Lines: record arrays as tables, other strings as text, valid JSON after redaction."""

from __future__ import annotations

import json

import pytest

from gateway import content

STAFF = [
    {"name": "John Smith", "nino": "AB123456C", "rank": "PC", "address": {"line1": "1 High St", "town": "Leeds"}},
    {"name": "Zoë Brontë", "nino": "CD654321A", "rank": "DS"},
    {"name": "Ann Lee", "rank": "Insp", "nino": "JK112233B", "phones": ["07700 900123"]},
]
DOC = {"title": "Staff list", "meta": {"author": "Sgt Jane Doe", "count": 3}, "staff": STAFF}


def test_root_array_of_objects_is_a_table() -> None:
    part = content.read(json.dumps(STAFF).encode(), "staff.json")
    assert part.kind == "json"
    [table] = part.tables
    assert table.name == "records"
    assert table.header == ["name", "nino", "rank", "address", "phones"]
    assert table.column(1) == ["AB123456C", "CD654321A", "JK112233B"]
    assert json.loads(table.rows[0][3]) == {"line1": "1 High St", "town": "Leeds"}
    assert table.rows[1][3] == ""


def test_nested_record_array_is_a_table_and_other_strings_are_labelled_text() -> None:
    part = content.read(json.dumps(DOC, indent=2).encode(), "export.json")
    [table] = part.tables
    assert table.name == "staff"
    text = "\n".join(s.text for s in part.segments)
    assert "title: Staff list" in text
    assert "author: Sgt Jane Doe" in text
    assert "count: 3" in text
    assert "AB123456C" not in text  # table cells are not duplicated as text


def test_dropping_a_column_removes_the_key_everywhere_and_keeps_the_layout(drop_plan) -> None:
    data = json.dumps(DOC, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    part = content.read(data, "export.json")
    out = content.write(part, drop_plan("export.json", {1, 3}))
    for value in (b"AB123456C", b"CD654321A", b"JK112233B", b"nino", b"1 High St"):
        assert value not in out
    expected = json.loads(data)
    for record in expected["staff"]:
        record.pop("nino")
        record.pop("address", None)
    assert json.loads(out) == expected
    assert out == json.dumps(expected, indent=2, ensure_ascii=False).encode() + b"\n"
    assert content.read(out, "export.json").tables[0].header == ["name", "rank", "phones"]


def test_compact_ascii_json_stays_compact_and_escaped(drop_plan) -> None:
    data = json.dumps(STAFF, separators=(",", ":")).encode()
    part = content.read(data, "s.json")
    out = content.write(part, drop_plan("s.json", {1}))
    expected = [{k: v for k, v in r.items() if k != "nino"} for r in STAFF]
    assert out == json.dumps(expected, separators=(",", ":")).encode()


def test_spans_replace_text_inside_strings_and_numbers(span_plan) -> None:
    doc = {"note": "Suspect John Smith, NI AB123456C", "nhs": 9434765919, "ok": True}
    part = content.read(json.dumps(doc).encode(), "n.json")
    [segment] = part.segments
    text = segment.text
    spans = []
    for value, label in (("AB123456C", "UK_NINO"), ("9434765919", "UK_NHS"), ("John Smith", "PERSON")):
        start = text.index(value)
        spans.append(content.Span(start, start + len(value), label))
    out = content.write(part, span_plan("n.json", {0: spans}))
    assert json.loads(out) == {
        "note": "Suspect [REDACTED:PERSON], NI [REDACTED:UK_NINO]",
        "nhs": "[REDACTED:UK_NHS]",
        "ok": True,
    }


def test_a_key_that_names_a_person_is_text_and_can_be_redacted(span_plan) -> None:
    doc = {"AB123456C": {"name": "John"}}
    part = content.read(json.dumps(doc).encode(), "k.json")
    text = part.segments[0].text
    start = text.index("AB123456C")
    out = content.write(part, span_plan("k.json", {0: [content.Span(start, start + 9, "UK_NINO")]}))
    assert json.loads(out) == {"[REDACTED:UK_NINO]": {"name": "John"}}


def test_json_lines_is_a_table_and_is_written_back_as_lines(drop_plan) -> None:
    data = b"".join(json.dumps(r).encode() + b"\n" for r in STAFF)
    part = content.read(data, "staff.jsonl")
    assert part.meta["jsonl"] is True
    assert part.tables[0].column(0) == ["John Smith", "Zo\u00eb Bront\u00eb", "Ann Lee"]
    out = content.write(part, drop_plan("staff.jsonl", {1}))
    lines = out.decode().splitlines()
    assert len(lines) == 3
    assert all("nino" not in json.loads(line) for line in lines)
    assert b"AB123456C" not in out


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"staff": [{"name": "John", "nino": "AB12', "truncated JSON document"),
        (
            b'[{"name": "John"},\n {"name": "Ann",, "x": 1}]',
            "malformed JSON: expecting property name enclosed in double quotes (line 2, column 17)",
        ),
        (b'{"name": "John", "name": "Hidden Value"}', "malformed JSON: an object repeats a key"),
        (b"[" * 100_000 + b"]" * 100_000, "malformed JSON: nested too deeply"),
    ],
    ids=["truncated", "syntax", "duplicate-key", "deep"],
)
def test_malformed_json_is_uninspectable_with_a_reason(data: bytes, reason: str) -> None:
    part = content.read(data, "bad.json")
    assert part.kind == "json"
    assert part.uninspectable == reason
    assert "John" not in part.uninspectable


def test_json_is_recognised_without_a_name() -> None:
    assert content.read(json.dumps(STAFF).encode(), "upload").kind == "json"
    assert content.read(b"[1] See the note below.\nIt explains.", "upload").kind == "text"
    assert content.read(b"[Section]\nkey=value\n", "settings").kind == "text"


def test_scalar_document_and_utf16_json(span_plan) -> None:
    part = content.read('"AB123456C"'.encode("utf-16"), "s.json")
    assert part.segments[0].text == "AB123456C"
    out = content.write(part, span_plan("s.json", {0: [content.Span(0, 9, "UK_NINO")]}))
    assert json.loads(out.decode("utf-16")) == "[REDACTED:UK_NINO]"


def test_large_json_segments_stay_bounded() -> None:
    doc = {"notes": [f"note number {i} about something" for i in range(20_000)]}
    part = content.read(json.dumps(doc).encode(), "big.json")
    assert len(part.segments) > 10
    assert all(len(s.text) < 10_000 for s in part.segments)


def test_truncated_json_lines() -> None:
    data = b"".join(json.dumps(r).encode() + b"\n" for r in STAFF)
    part = content.read(data[:-20], "staff.jsonl")
    assert part.uninspectable == "truncated JSON Lines document"
