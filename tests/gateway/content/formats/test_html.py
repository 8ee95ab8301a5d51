"""HTML: visible and hidden text, data tables, redaction of text, attributes and columns."""

from __future__ import annotations

import lxml.html

from gateway import content

PAGE = """<!DOCTYPE html>
<html>
<head>
  <title>Custody record for John Smith</title>
  <meta name="author" content="PC 1234 Jane Doe">
  <meta charset="utf-8">
</head>
<body>
  <!-- reviewer note: suspect NI AB123456C -->
  <h1>Summary</h1>
  <p>Date of birth: <b>01/02/1980</b>. Phone <a href="mailto:john@example.com">john@example.com</a></p>
  <form><input type="hidden" name="ref" value="CUST-0042-SECRET"></form>
  <table>
    <tr><th>Name</th><th>NI Number</th><th>Rank</th></tr>
    <tr><td>John Smith</td><td>AB123456C</td><td>PC</td></tr>
    <tr><td>Zoë Brontë</td><td>CD654321A</td><td>DS</td></tr>
  </table>
  <script>var staff = {"nino": "JK112233B"};</script>
</body>
</html>
"""


def _text(part: content.Part, where: str) -> str:
    return "\n".join(s.text for s in part.segments if s.where == where)


def test_visible_hidden_and_metadata_text_is_content() -> None:
    part = content.read(PAGE.encode(), "page.html")
    assert part.kind == "html"
    assert "Custody record for John Smith" in _text(part, "title")
    assert "author: PC 1234 Jane Doe" in _text(part, "meta")
    assert "suspect NI AB123456C" in _text(part, "comment")
    assert "Date of birth: 01/02/1980. Phone john@example.com" in _text(part, "body")
    assert "mailto:john@example.com" in _text(part, "attribute")
    assert "CUST-0042-SECRET" in _text(part, "attribute")
    assert "JK112233B" in _text(part, "script")


def test_data_table_is_a_table_and_not_duplicated_as_text() -> None:
    part = content.read(PAGE.encode(), "page.html")
    [table] = part.tables
    assert table.header == ["Name", "NI Number", "Rank"]
    assert table.rows == [["John Smith", "AB123456C", "PC"], ["Zoë Brontë", "CD654321A", "DS"]]
    assert "CD654321A" not in _text(part, "body")


def test_layout_tables_are_read_as_text() -> None:
    data = b"<html><body><table><tr><td><p>Hello John, your NI is AB123456C.</p></td></tr></table></body></html>"
    part = content.read(data, "mail.html")
    assert part.tables == []
    assert "AB123456C" in _text(part, "body")


def test_dropping_a_table_column(drop_plan) -> None:
    part = content.read(PAGE.encode(), "page.html")
    out = content.write(part, drop_plan("page.html", {1}))
    assert b"CD654321A" not in out
    assert b"NI Number" not in out
    again = content.read(out, "page.html")
    assert again.tables[0].header == ["Name", "Rank"]
    assert out.startswith(b"<!DOCTYPE html>")
    assert "Custody record for John Smith" in _text(again, "title")


def test_spans_across_body_comment_attribute_and_meta(span_plan) -> None:
    part = content.read(PAGE.encode(), "page.html")
    targets = {
        "AB123456C": "UK_NINO",
        "01/02/1980": "DATE_OF_BIRTH",
        "john@example.com": "EMAIL_ADDRESS",
        "Jane Doe": "PERSON",
        "CUST-0042-SECRET": "CUSTODY_REFERENCE",
        "JK112233B": "UK_NINO",
    }
    spans: dict[int, list[content.Span]] = {}
    for index, segment in enumerate(part.segments):
        for value, label in targets.items():
            start = segment.text.find(value)
            while start >= 0:
                spans.setdefault(index, []).append(content.Span(start, start + len(value), label))
                start = segment.text.find(value, start + 1)
    out = content.write(part, span_plan("page.html", spans))
    for value in targets:
        if value == "AB123456C":
            continue  # it is also a table cell; columns are removed, not cells
        assert value.encode() not in out, value
    assert b"suspect NI [REDACTED:UK_NINO]" in out
    lxml.html.document_fromstring(out)


def test_merged_cells_cannot_lose_a_column(drop_plan) -> None:
    data = (
        b"<html><body><table><tr><th>Name</th><th>NINO</th></tr>"
        b"<tr><td colspan='2'>John AB123456C</td></tr><tr><td>Ann</td><td>CD654321A</td></tr>"
        b"<tr><td>Bo</td><td>JK112233B</td></tr><tr><td>Cy</td><td>JK112234B</td></tr>"
        b"<tr><td>Di</td><td>JK112235B</td></tr><tr><td>Ed</td><td>JK112236B</td></tr></table></body></html>"
    )
    part = content.read(data, "m.html")
    try:
        content.write(part, drop_plan("m.html", {1}))
    except content.NotRedactable as exc:
        assert "merged cells" in str(exc)
    else:
        raise AssertionError("expected NotRedactable")


def test_fragment_is_written_back_as_a_fragment(span_plan) -> None:
    data = "<p>Hello <b>John Smith</b>, NI AB123456C</p>\n<p>Bye</p>".encode("cp1252")
    part = content.read(data, "body.html")
    text = part.segments[0].text
    start = text.index("AB123456C")
    out = content.write(part, span_plan("body.html", {0: [content.Span(start, start + 9, "UK_NINO")]}))
    assert out == b"<p>Hello <b>John Smith</b>, NI [REDACTED:UK_NINO]</p>\n<p>Bye</p>"


def test_html_recognised_from_bytes() -> None:
    assert content.read(PAGE.encode(), "upload.bin").kind == "html"
    assert content.read(b"<!-- c -->\n<html><body>x</body></html>", "x").kind == "html"
    assert content.read(b"<p>fragment<br></p>", "note.txt").kind == "html"
    assert content.read(b"<record><a>1</a></record>", "note.txt").kind == "xml"
    assert content.read(b"Hello <b>there</b>", "note.htm").kind == "html"
    assert content.read(b"Hello <b>there</b>", "note.txt").kind == "text"


def test_truncated_html_is_still_read_because_browsers_render_it() -> None:
    part = content.read(PAGE.encode()[:400], "cut.html")
    assert part.uninspectable is None
    assert "01/02/1980" in _text(part, "body")


def test_a_page_that_is_only_a_comment_is_read(span_plan) -> None:
    part = content.read(b"<!-- note: John Smith -->", "note.html")
    assert (part.kind, part.uninspectable) == ("html", None)
    assert [(s.where, s.text) for s in part.segments] == [("comment", " note: John Smith ")]
    out = content.write(part, span_plan("note.html", {0: [content.Span(7, 17, "PERSON")]}))
    assert out == b"<!-- note: [REDACTED:PERSON] -->"


def test_a_page_without_elements_has_no_content() -> None:
    part = content.read(b"<!DOCTYPE html>   ", "blank.html")
    assert part.kind == "html"
    assert part.segments == []
