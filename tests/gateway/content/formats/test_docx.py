"""DOCX: all stories read (hidden ones too), spans redacted across runs, table columns dropped."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from lxml import etree
from msoffcrypto.format.ooxml import OOXMLFile

from gateway import content
from gateway.content import NotRedactable, PartRedaction, RedactionPlan, Span

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'

TEXT_BOX = f"""<w:r xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
  xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
  xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
  xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
  xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>
<mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="5" name="Text Box 5" descr="Photo of PC Ann Cole"/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>
<w:txbxContent><w:p><w:r><w:t>Informant: Carl Reed</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>
</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Informant: Carl Reed</w:t></w:r></w:p>
</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def save(document: docx.document.Document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return out.getvalue()


def add_footnotes(data: bytes, text: str) -> bytes:
    """Add a footnotes part (with Word's separator notes) holding one real note."""
    files = members(data)
    files["word/footnotes.xml"] = (
        f'{HEAD}<w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        f'</w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:footnote></w:footnotes>'
    ).encode()
    files["word/_rels/document.xml.rels"] = files["word/_rels/document.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdFn" Type="{R}/footnotes" Target="footnotes.xml"/></Relationships>'.encode(),
    )
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'wordprocessingml.footnotes+xml"/></Types>',
    )
    return rezip(files)


def tracked(paragraph: docx.text.paragraph.Paragraph, deleted: str, inserted: str) -> None:
    for tag, text_tag, text, rid in (("w:del", "w:delText", deleted, "90"), ("w:ins", "w:t", inserted, "91")):
        change = etree.SubElement(paragraph._p, qn(tag))
        change.set(qn("w:id"), rid)
        change.set(qn("w:author"), "DS Mark Brown")
        run = etree.SubElement(change, qn("w:r"))
        etree.SubElement(run, qn(text_tag)).text = text


@pytest.fixture(scope="module")
def report() -> bytes:
    """An intelligence report with content in every place Word keeps text."""
    d = docx.Document()
    d.core_properties.author = "DC Sarah Jones"
    d.core_properties.subject = "Op Falcon"
    section = d.sections[0]
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = "OFFICIAL-SENSITIVE"
    section.first_page_header.paragraphs[0].text = "OFFICIAL-SENSITIVE: PERSONAL"
    section.footer.paragraphs[0].text = "Prepared by DC Sarah Jones"
    p = d.add_paragraph("Subject John ")
    p.add_run("Smi").bold = True
    p.add_run("th, NI AB12")
    p.add_run("3456C, seen at 12 High Street.").italic = True
    table = d.add_table(rows=3, cols=3)
    for i, row in enumerate(
        [["Name", "NI Number", "Station"], ["Carl Reed", "CE654321A", "Leeds"], ["Ann Cole", "HJ111222B", "York"]]
    ):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    tracked(d.add_paragraph("Address changed. "), "Old NI JK998877D", "Now verified")
    hidden = d.add_paragraph().add_run("Source handler: DS Mark Brown")
    hidden.font.hidden = True
    d.add_paragraph()._p.append(etree.fromstring(TEXT_BOX))
    d.add_comment([p.runs[0]], text="Confirm NI AB123456C with DWP", author="Insp Ann Cole", initials="AC")
    second = d.add_section()
    second.header.is_linked_to_previous = False
    second.header.paragraphs[0].text = "Annex: restricted handling"
    return add_footnotes(save(d), "Source: CHIS 4471")


def test_every_story_of_the_document_is_read(report: bytes) -> None:
    part = content.read(report, "IR_1.docx")
    assert part.kind == "docx" and part.uninspectable is None
    found = {(s.where, s.text) for s in part.segments}

    body = next(s.text for s in part.segments if s.where == "body")
    assert "Subject John Smith, NI AB123456C, seen at 12 High Street." in body
    assert "Carl Reed\nCE654321A\nLeeds" in body
    assert ("header", "OFFICIAL-SENSITIVE") in found
    assert ("header", "OFFICIAL-SENSITIVE: PERSONAL") in found
    assert ("header", "Annex: restricted handling") in found
    assert ("footer", "Prepared by DC Sarah Jones") in found
    assert ("footnote", "Source: CHIS 4471") in found
    assert ("comment", "Confirm NI AB123456C with DWP") in found
    assert ("tracked-change", "Old NI JK998877D\nNow verified") in found
    assert ("hidden-text", "Source handler: DS Mark Brown") in found
    assert ("text-box", "Informant: Carl Reed") in found
    assert ("alt-text", "Photo of PC Ann Cole") in found
    assert ("property:creator", "DC Sarah Jones") in found
    assert sum(1 for s in part.segments if "Informant" in s.text) == 1  # the VML fallback copy is not read twice
    [table] = part.tables
    assert table.name == "table 1"
    assert table.header == ["Name", "NI Number", "Station"]
    assert table.rows == [["Carl Reed", "CE654321A", "Leeds"], ["Ann Cole", "HJ111222B", "York"]]


def test_spans_across_runs_and_columns_are_removed_everywhere(report: bytes) -> None:
    part = content.read(report, "IR_1.docx")
    body_index = next(i for i, s in enumerate(part.segments) if s.where == "body")
    body = part.segments[body_index].text
    spans = [
        Span(body.index("John Smith"), body.index("John Smith") + 10, "PERSON"),
        Span(body.index("AB123456C"), body.index("AB123456C") + 9, "UK_NINO"),
    ]
    deleted = next(i for i, s in enumerate(part.segments) if s.where == "tracked-change")
    old = part.segments[deleted].text
    spans_deleted = [Span(old.index("JK998877D"), old.index("JK998877D") + 9, "UK_NINO")]
    plan = RedactionPlan(
        {part.name: PartRedaction(drop_columns={0: {1}}, spans={body_index: spans, deleted: spans_deleted})}
    )

    out = content.write(part, plan)

    again = content.read(out, "IR_1.docx")
    new_body = next(s.text for s in again.segments if s.where == "body")
    assert new_body.startswith("Subject [REDACTED:PERSON], NI [REDACTED:UK_NINO], seen at 12 High Street.")
    assert again.tables[0].header == ["Name", "Station"]
    assert again.tables[0].rows == [["Carl Reed", "Leeds"], ["Ann Cole", "York"]]
    found = {(s.where, s.text) for s in again.segments}
    assert ("comment", "Confirm NI [REDACTED:UK_NINO] with DWP") in found
    assert ("tracked-change", "Old NI [REDACTED:UK_NINO]\nNow verified") in found
    files = members(out)
    for value in (b"AB12", b"3456C", b"AB123456C", b"CE654321A", b"HJ111222B", b"JK998877D", b"John"):
        assert not any(value in body for body in files.values()), value
    assert b"Informant: Carl Reed" in files["word/document.xml"]
    assert b"mc:Fallback" not in files["word/document.xml"]  # no unredacted duplicate for old readers
    document = docx.Document(io.BytesIO(out))
    runs = [r for r in document.paragraphs[0].runs if r.text or r.bold]
    # The label sits in the run where the span started; covered runs are emptied and keep their formatting.
    assert [r.text for r in runs] == [
        "Subject [REDACTED:PERSON]",
        "",
        ", NI [REDACTED:UK_NINO]",
        ", seen at 12 High Street.",
    ]
    assert runs[1].bold and runs[3].italic
    assert len(document.tables[0].columns) == 2


def test_table_with_merged_cells_loses_only_the_dropped_grid_columns() -> None:
    d = docx.Document()
    table = d.add_table(rows=3, cols=4)
    values = [
        ["Name", "DOB", "Notes", "Station"],
        ["Carl Reed", "02/03/1975", "x", "Leeds"],
        ["Ann Cole", "05/01/1980", "y", "York"],
    ]
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    merged = table.cell(2, 2).merge(table.cell(2, 3))  # one cell spanning Notes and Station
    merged.text = "transferred"
    part = content.read(save(d), "t.docx")
    assert part.tables[0].rows[1] == ["Ann Cole", "05/01/1980", "transferred", ""]

    out = content.write(part, RedactionPlan({"t.docx": PartRedaction(drop_columns={0: {1, 2}})}))

    again = content.read(out, "t.docx")
    assert again.tables[0].header == ["Name", "Station"]
    # The merged cell survives (it spans the kept Station column) but its text was read
    # as the dropped Notes column's value, so it does not.
    assert again.tables[0].rows == [["Carl Reed", "Leeds"], ["Ann Cole", "[REDACTED]"]]
    xml = members(out)["word/document.xml"]
    assert b"02/03/1975" not in xml and b"05/01/1980" not in xml
    root = etree.fromstring(xml)
    assert len(root.findall(f".//{{{W}}}gridCol")) == 2
    assert root.find(f".//{{{W}}}gridSpan") is None  # the merged cell now spans its one remaining column
    assert len(docx.Document(io.BytesIO(out)).tables[0].columns) == 2


def test_embedded_workbook_is_a_child_part_and_its_removed_values_leave_the_chart_cache_too() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Surname", "NI Number"])
    wb.active.append(["Reed", "CE654321A"])
    book = io.BytesIO()
    wb.save(book)
    d = docx.Document()
    d.add_paragraph("See the attached list.")
    files = members(save(d))
    files["word/embeddings/Microsoft_Excel_Worksheet.xlsx"] = book.getvalue()
    files["word/charts/chart1.xml"] = (
        f'{HEAD}<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart>'
        '<c:ser><c:cat><c:strRef><c:f>Sheet!$B$2</c:f><c:strCache><c:pt idx="0"><c:v>CE654321A</c:v></c:pt>'
        "</c:strCache></c:strRef></c:cat></c:ser></c:chart></c:chartSpace>"
    ).encode()
    part = content.read(rezip(files), "memo.docx")
    [child] = part.children
    assert child.kind == "xlsx" and child.name == "memo.docx/word/embeddings/Microsoft_Excel_Worksheet.xlsx"
    assert ("chart", "CE654321A") in {(s.where, s.text) for s in part.segments}

    out = content.write(part, RedactionPlan({child.name: PartRedaction(drop_columns={0: {1}})}))

    again = content.read(out, "memo.docx")
    assert again.children[0].tables[0].header == ["Surname"]
    assert ("chart", "[REDACTED]") in {(s.where, s.text) for s in again.segments}


def test_encrypted_truncated_and_malformed_documents_are_uninspectable(report: bytes) -> None:
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(report)).encrypt("secret", encrypted)
    files = members(report)
    files["word/document.xml"] = b"<w:document><w:body><w:p>"

    assert content.read(encrypted.getvalue(), "a.docx").uninspectable == "document is encrypted (password-protected)"
    cut = content.read(report[: len(report) // 2], "a.docx")
    assert cut.kind == "docx"
    assert cut.uninspectable == "document is truncated or damaged: its zip structure cannot be read"
    assert content.read(rezip(files), "a.docx").uninspectable == (
        "document is damaged: part word/document.xml is not well-formed XML"
    )


def test_uninspectable_document_is_not_redactable(report: bytes) -> None:
    cut = content.read(report[: len(report) // 2], "a.docx")
    with pytest.raises(NotRedactable):
        content.write(cut, RedactionPlan({"a.docx": PartRedaction(spans={0: [Span(0, 1, "PERSON")]})}))
