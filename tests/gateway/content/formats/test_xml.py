"""XML: records as tables, text/attributes/comments as content, safe parsing, redaction."""

from __future__ import annotations

import pytest
from lxml import etree

from gateway import content

STAFF_XML = """<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by HR: contact Sgt Jane Doe -->
<export created="2024-01-01" owner="Jane Doe">
  <title>Staff list</title>
  <staff>
    <person id="1">
      <name>John Smith</name>
      <nino>AB123456C</nino>
      <rank>PC</rank>
    </person>
    <person id="2">
      <name>Zoë Brontë</name>
      <nino>CD654321A</nino>
      <rank>DS</rank>
    </person>
  </staff>
  <note>Call <b>John</b> on 07700 900123</note>
</export>
"""


def test_repeated_records_are_a_table_and_the_rest_is_text() -> None:
    part = content.read(STAFF_XML.encode(), "export.xml")
    assert part.kind == "xml"
    assert part.uninspectable is None
    [table] = part.tables
    assert table.name == "staff"
    assert table.header == ["@id", "name", "nino", "rank"]
    assert table.rows == [["1", "John Smith", "AB123456C", "PC"], ["2", "Zoë Brontë", "CD654321A", "DS"]]
    by_where = {s.where: s.text for s in part.segments}
    assert "title: Staff list" in by_where["body"]
    assert "07700 900123" in by_where["body"]
    assert "exported by HR: contact Sgt Jane Doe" in by_where["comment"]
    assert "export@owner: Jane Doe" in by_where["attribute"]
    assert "AB123456C" not in by_where["body"]


def test_dropping_a_column_removes_the_fields_from_every_record(drop_plan) -> None:
    part = content.read(STAFF_XML.encode(), "export.xml")
    out = content.write(part, drop_plan("export.xml", {2}))
    assert b"AB123456C" not in out
    assert b"CD654321A" not in out
    assert b"<nino>" not in out
    assert out.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    again = content.read(out, "export.xml")
    assert again.tables[0].header == ["@id", "name", "rank"]
    assert "Zoë Brontë" in again.tables[0].column(1)
    assert b'\n    <person id="1">\n      <name>John Smith</name>\n      <rank>PC</rank>\n' in out


def test_dropping_an_attribute_column(drop_plan) -> None:
    part = content.read(STAFF_XML.encode(), "export.xml")
    out = content.write(part, drop_plan("export.xml", {0}))
    assert b'id="1"' not in out
    assert content.read(out, "export.xml").tables[0].header == ["name", "nino", "rank"]


def test_spans_in_text_attributes_and_comments(span_plan) -> None:
    part = content.read(STAFF_XML.encode(), "export.xml")
    spans: dict[int, list[content.Span]] = {}
    for index, segment in enumerate(part.segments):
        for value, label in (("07700 900123", "PHONE_NUMBER"), ("Jane Doe", "PERSON")):
            start = segment.text.find(value)
            if start >= 0:
                spans.setdefault(index, []).append(content.Span(start, start + len(value), label))
    out = content.write(part, span_plan("export.xml", spans))
    assert b"07700 900123" not in out
    assert b"Jane Doe" not in out
    assert out.count(b"[REDACTED:PERSON]") == 2
    assert b"[REDACTED:PHONE_NUMBER]" in out
    etree.fromstring(out)


def test_billion_laughs_is_refused_without_expanding() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + ("" if i == 1 else str(i - 1)) + ";") * 10}">' for i in range(1, 10)
    )
    data = f'<?xml version="1.0"?><!DOCTYPE r [{entities}]><r>&lol9;</r>'.encode()
    part = content.read(data, "bomb.xml")
    assert part.uninspectable == "XML entity expansion over the safe limit (possible entity-expansion bomb)"


def test_external_entities_are_never_fetched_or_read(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">'
        '<!ENTITY net SYSTEM "http://127.0.0.1:9/x">]><r>&xxe;&net;<a>text</a></r>'
    ).encode()
    part = content.read(data, "xxe.xml")
    assert part.uninspectable is None
    assert all("TOP SECRET" not in s.text for s in part.segments)


def test_internal_entity_text_is_content() -> None:
    data = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY who "John Smith">]><r>Suspect: &who;</r>'
    part = content.read(data, "e.xml")
    assert any("John Smith" in s.text and s.where == "dtd" for s in part.segments)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (STAFF_XML.encode()[:300], "truncated XML document"),
        (b"<rec><f>text</rec>", "malformed XML: tag name mismatch at line 1"),
        (b"<rec>x</rec><rec>y</rec>", "malformed XML: document end at line 1"),
        (b"<rec>" + b"text " * 40 + b"\x01</rec>\n", "malformed XML: invalid char at line 1"),
    ],
    ids=["truncated", "mismatch", "two-roots", "control-char"],
)
def test_malformed_xml_is_uninspectable(data: bytes, reason: str) -> None:
    part = content.read(data, "bad.xml")
    assert part.kind == "xml"
    assert part.uninspectable == reason


def test_legacy_encoding_without_declaration_is_decoded_and_kept(span_plan) -> None:
    text = "<notes>\n  <n>Café owner Zoë said AB123456C</n>\n</notes>\n"
    data = text.encode("cp1252")
    part = content.read(data, "n.xml")
    assert part.uninspectable is None
    segment = part.segments[0].text
    start = segment.index("AB123456C")
    out = content.write(part, span_plan("n.xml", {0: [content.Span(start, start + 9, "UK_NINO")]}))
    assert out == text.replace("AB123456C", "[REDACTED:UK_NINO]").encode("cp1252")


def test_declared_latin1_is_written_back_in_latin1(drop_plan) -> None:
    text = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<r><p><a>Zoë</a><b>1</b></p><p><a>Bé</a><b>2</b></p></r>\n'
    data = text.encode("latin-1")
    part = content.read(data, "l.xml")
    out = content.write(part, drop_plan("l.xml", {1}))
    assert "Zoë".encode("latin-1") in out
    assert b"<b>" not in out


def test_xml_is_recognised_from_bytes_not_name() -> None:
    assert content.read(STAFF_XML.encode(), "upload.txt").kind == "xml"
    assert content.read(b"<John Smith> wrote:\nsee you then", "mail.txt").kind == "text"


def test_namespaced_records() -> None:
    data = (
        b'<h:list xmlns:h="urn:hr"><h:p><h:name>A</h:name><h:nino>AB123456C</h:nino></h:p>'
        b"<h:p><h:name>B</h:name><h:nino>CD654321A</h:nino></h:p></h:list>"
    )
    part = content.read(data, "ns.xml")
    assert part.tables[0].header == ["name", "nino"]
