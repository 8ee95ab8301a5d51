"""PPTX: slides (hidden too), notes, comments, tables and properties read; spans and columns redacted."""

from __future__ import annotations

import io
import zipfile

import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from gateway import content
from gateway.content import PartRedaction, RedactionPlan, Span

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return out.getvalue()


def add_comment(data: bytes, slide: str, author: str, text: str) -> bytes:
    """A legacy PowerPoint comment on `slide`, with its author list (python-pptx cannot write comments)."""
    files = members(data)
    folder, base = slide.rsplit("/", 1)
    files["ppt/comments/comment1.xml"] = (
        f'{HEAD}<p:cmLst xmlns:p="{P_NS}"><p:cm authorId="0" dt="2024-01-01T10:00:00.000" idx="1">'
        f'<p:pos x="10" y="10"/><p:text>{text}</p:text></p:cm></p:cmLst>'
    ).encode()
    files["ppt/commentAuthors.xml"] = (
        f'{HEAD}<p:cmAuthorLst xmlns:p="{P_NS}"><p:cmAuthor id="0" name="{author}" initials="XX" lastIdx="1" '
        'clrIdx="0"/></p:cmAuthorLst>'
    ).encode()
    rels = f"{folder}/_rels/{base}.rels"
    files[rels] = files[rels].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdC1" Type="{R_NS}/comments" Target="../comments/comment1.xml"/></Relationships>'.encode(),
    )
    files["ppt/_rels/presentation.xml.rels"] = files["ppt/_rels/presentation.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdCA" Type="{R_NS}/commentAuthors" Target="commentAuthors.xml"/></Relationships>'.encode(),
    )
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/ppt/comments/comment1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'presentationml.comments+xml"/><Override PartName="/ppt/commentAuthors.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.presentationml.commentAuthors+xml"/></Types>',
    )
    return rezip(files)


@pytest.fixture(scope="module")
def briefing() -> bytes:
    prs = Presentation()
    prs.core_properties.author = "DS Mark Brown"
    first = prs.slides.add_slide(prs.slide_layouts[1])
    first.shapes.title.text = "Operation Falcon"
    frame = first.placeholders[1].text_frame
    frame.text = "Suspect "
    run = frame.paragraphs[0].add_run()
    run.text = "John Sm"
    run.font.bold = True
    frame.paragraphs[0].add_run().text = "ith, NI AB123456C"
    first.notes_slide.notes_text_frame.text = "Speaker note: home address 12 High Street"
    image = io.BytesIO()
    Image.new("RGB", (4, 4)).save(image, "PNG")
    image.seek(0)
    picture = first.shapes.add_picture(image, Inches(5), Inches(5))
    picture._element.nvPicPr.cNvPr.set("descr", "Custody photo of Carl Reed")
    second = prs.slides.add_slide(prs.slide_layouts[5])
    second.shapes.title.text = "Nominals"
    table = second.shapes.add_table(3, 3, Inches(1), Inches(1.5), Inches(6), Inches(2)).table
    for i, row in enumerate(
        [["Name", "PNC ID", "Station"], ["Carl Reed", "98/123456X", "Leeds"], ["Ann Cole", "01/765432Y", "York"]]
    ):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    second._element.set("show", "0")
    buf = io.BytesIO()
    prs.save(buf)
    return add_comment(buf.getvalue(), "ppt/slides/slide1.xml", "Insp Ann Cole", "Check AB123456C before release")


def test_slides_notes_comments_tables_and_properties_are_read(briefing: bytes) -> None:
    part = content.read(briefing, "brief.pptx")
    assert part.kind == "pptx" and part.uninspectable is None
    found = {(s.where, s.text) for s in part.segments}

    assert ("body", "Operation Falcon") in found
    assert ("body", "Suspect John Smith, NI AB123456C") in found
    assert ("notes", "Speaker note: home address 12 High Street") in found
    assert ("comment", "Check AB123456C before release") in found
    assert ("comment-author", "Insp Ann Cole") in found
    assert ("alt-text", "Custody photo of Carl Reed") in found
    assert ("hidden-slide", "Nominals") in found
    assert ("property:creator", "DS Mark Brown") in found
    [table] = part.tables
    assert table.name == "slide 2 table 1" and table.hidden
    assert table.header == ["Name", "PNC ID", "Station"]
    assert table.rows == [["Carl Reed", "98/123456X", "Leeds"], ["Ann Cole", "01/765432Y", "York"]]


def test_spans_and_table_columns_are_redacted(briefing: bytes) -> None:
    part = content.read(briefing, "brief.pptx")
    index = next(i for i, s in enumerate(part.segments) if s.text.startswith("Suspect"))
    text = part.segments[index].text
    spans = [
        Span(text.index("John"), text.index("John") + 10, "PERSON"),
        Span(text.index("AB1"), text.index("AB1") + 9, "UK_NINO"),
    ]
    plan = RedactionPlan({part.name: PartRedaction(drop_columns={0: {1}}, spans={index: spans})})

    out = content.write(part, plan)

    again = content.read(out, "brief.pptx")
    found = {(s.where, s.text) for s in again.segments}
    assert ("body", "Suspect [REDACTED:PERSON], NI [REDACTED:UK_NINO]") in found
    assert ("comment", "Check [REDACTED:UK_NINO] before release") in found
    assert again.tables[0].header == ["Name", "Station"]
    assert again.tables[0].rows == [["Carl Reed", "Leeds"], ["Ann Cole", "York"]]
    files = members(out)
    assert not any(n.startswith("docProps/thumbnail") for n in files)
    for value in (b"AB123456C", b"98/123456X", b"01/765432Y", b"John Sm"):
        assert not any(value in body for body in files.values()), value
    reopened = Presentation(io.BytesIO(out))
    graphic = next(s for s in reopened.slides[1].shapes if s.has_table)
    assert len(graphic.table.columns) == 2
    assert graphic.width == Inches(4)  # the frame shrank with its columns


def test_encrypted_and_truncated_presentations_are_uninspectable(briefing: bytes) -> None:
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(briefing)).encrypt("secret", encrypted)

    assert content.read(encrypted.getvalue(), "b.pptx").uninspectable == "document is encrypted (password-protected)"
    cut = content.read(briefing[: len(briefing) // 2], "b.pptx")
    assert cut.kind == "pptx"
    assert cut.uninspectable == "presentation is truncated or damaged: its zip structure cannot be read"
