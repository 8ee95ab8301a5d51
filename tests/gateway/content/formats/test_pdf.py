"""PDF: page text, properties, XMP, annotations, attachments; encryption and damage."""

from __future__ import annotations

import io

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

from gateway import content
from gateway.content import Limits

XMP = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:creator><rdf:Seq><rdf:li>DC Hidden Author</rdf:li></rdf:Seq></dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"""

BAD_XREF = "malformed PDF: the cross-reference table or trailer is damaged"


def _fpdf(pages: list[str], annotation: str | None = None, image_page: bool = False) -> bytes:
    pdf = FPDF()
    pdf.set_author("Sgt Jane Doe")
    pdf.set_title("Custody summary")
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=11)
        pdf.multi_cell(w=0, text=text)
    if annotation:
        pdf.text_annotation(10, 10, annotation)
    if image_page:
        pdf.add_page()
        pdf.rect(10, 10, 50, 50, style="F")
    return bytes(pdf.output())


def _rewrite(data: bytes, edit) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    edit(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    return _fpdf(
        ["Suspect John Smith, NI AB123456C.", "Second page: phone 07700 900123."],
        annotation="Reviewer: check CD654321A",
        image_page=True,
    )


def _where(part: content.Part, prefix: str) -> str:
    return "\n".join(s.text for s in part.segments if s.where.startswith(prefix))


def test_page_text_properties_and_annotations(plain_pdf: bytes) -> None:
    part = content.read(plain_pdf, "summary.pdf")
    assert part.kind == "pdf"
    assert part.uninspectable is None
    assert "AB123456C" in _where(part, "page 1")
    assert "07700 900123" in _where(part, "page 2")
    assert "Sgt Jane Doe" in _where(part, "property:author")
    assert "Custody summary" in _where(part, "property:title")
    assert "CD654321A" in _where(part, "annotation")
    assert part.meta["pages"] == 3
    assert part.meta["pages_without_text"] == [3]


def test_xmp_form_fields_and_attachments(plain_pdf: bytes) -> None:
    def edit(writer: PdfWriter) -> None:
        writer.add_attachment("staff.csv", b"name,nino\nJohn,AB123456C\nAnn,CD654321A\n")
        writer.xmp_metadata = XMP
        field = DictionaryObject(
            {
                NameObject("/FT"): NameObject("/Tx"),
                NameObject("/T"): TextStringObject("Officer"),
                NameObject("/V"): TextStringObject("PC 4471 Form Value"),
            }
        )
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject([writer._add_object(field)])}
        )

    part = content.read(_rewrite(plain_pdf, edit), "summary.pdf")
    assert part.uninspectable is None
    assert "DC Hidden Author" in _where(part, "property:xmp")
    assert "Officer: PC 4471 Form Value" in _where(part, "form-field")
    [attachment] = part.children
    assert attachment.name == "summary.pdf/staff.csv"
    assert attachment.kind == "csv"
    assert attachment.tables[0].column(1) == ["AB123456C", "CD654321A"]


def test_password_protected_pdf_is_uninspectable(plain_pdf: bytes) -> None:
    data = _rewrite(plain_pdf, lambda w: w.encrypt(user_password="secret", owner_password="o", algorithm="AES-256"))
    part = content.read(data, "locked.pdf")
    assert part.uninspectable == "PDF is encrypted (password-protected)"


def test_owner_password_only_pdf_is_inspected(plain_pdf: bytes) -> None:
    data = _rewrite(plain_pdf, lambda w: w.encrypt(user_password="", owner_password="owner", algorithm="AES-128"))
    part = content.read(data, "restricted.pdf")
    assert part.uninspectable is None
    assert "AB123456C" in _where(part, "page 1")


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda d: d[: len(d) // 2], "truncated PDF (no end-of-file marker)"),
        (lambda d: d[:20] + b"\x00" * 200 + b"%%EOF\n", BAD_XREF),
        (lambda d: b"%PDF-1.7\n%%EOF\n", BAD_XREF),
    ],
    ids=["truncated", "garbage-body", "header-only"],
)
def test_damaged_pdf_is_uninspectable(plain_pdf: bytes, mangle, reason: str) -> None:
    part = content.read(mangle(plain_pdf), "bad.pdf")
    assert part.kind == "pdf"
    assert part.uninspectable == reason


def test_pdf_is_never_rewritten(plain_pdf: bytes, span_plan) -> None:
    part = content.read(plain_pdf, "summary.pdf")
    with pytest.raises(content.NotRedactable, match="PDF cannot be redacted safely"):
        content.write(part, span_plan("summary.pdf", {0: [content.Span(0, 7, "PERSON")]}))
    assert content.write(part, content.RedactionPlan()) is plain_pdf


def test_pdf_recognised_by_bytes_whatever_the_name(plain_pdf: bytes) -> None:
    assert content.read(plain_pdf, "staff.csv").kind == "pdf"


def test_decompression_bomb_stream_is_refused(plain_pdf: bytes) -> None:
    def edit(writer: PdfWriter) -> None:
        bomb = DecodedStreamObject()
        bomb.set_data(b"BT /F1 12 Tf (x) Tj ET\n" + b" " * 3_000_000)
        writer.pages[0][NameObject("/Contents")] = writer._add_object(bomb.flate_encode())

    data = _rewrite(plain_pdf, edit)
    assert len(data) < 100_000
    part = content.read(data, "bomb.pdf", Limits(max_part_bytes=1_000_000))
    assert part.uninspectable == "PDF stream expands beyond the safe limit (possible decompression bomb)"
