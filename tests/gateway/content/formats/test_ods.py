"""ODS: hidden tables, rows and columns, annotations, headers and metadata read; columns removed cleanly."""

from __future__ import annotations

import io
import zipfile

import pytest
from odf import dc, meta
from odf.office import Annotation
from odf.opendocument import OpenDocumentSpreadsheet, load
from odf.style import Footer, Header, MasterPage, PageLayout, Style, TableProperties
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
from odf.text import P

from gateway import content
from gateway.content import PartRedaction, RedactionPlan


def cell(value: object, **kw: object) -> TableCell:
    if isinstance(value, int | float):
        c = TableCell(valuetype="float", value=value, **kw)
    else:
        c = TableCell(valuetype="string", **kw)
    c.addElement(P(text=str(value)))
    return c


def row(values: list[object], **kw: object) -> TableRow:
    tr = TableRow(**kw)
    for v in values:
        tr.addElement(cell(v))
    return tr


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rezip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.fixture(scope="module")
def workbook() -> bytes:
    doc = OpenDocumentSpreadsheet()
    hidden_style = Style(name="HiddenTable", family="table")
    hidden_style.addElement(TableProperties(display="false"))
    doc.automaticstyles.addElement(hidden_style)
    layout = PageLayout(name="pm1")
    doc.automaticstyles.addElement(layout)
    page = MasterPage(name="Default", pagelayoutname=layout)
    header = Header()
    header.addElement(P(text="OFFICIAL-SENSITIVE"))
    footer = Footer()
    footer.addElement(P(text="Compiled by PS Joe Hart"))
    page.addElement(header)
    page.addElement(footer)
    doc.masterstyles.addElement(page)
    doc.meta.addElement(dc.Creator(text="DC Lucy Grey"))
    doc.meta.addElement(meta.UserDefined(name="Reviewer", text="Insp Ann Cole"))

    counts = Table(name="Counts")
    counts.addElement(row(["Station", "Officers"]))
    counts.addElement(row(["Leeds", 12]))
    doc.spreadsheet.addElement(counts)

    staff = Table(name="Staff", stylename="HiddenTable")
    staff.addElement(TableColumn(numbercolumnsrepeated=2))
    staff.addElement(TableColumn(visibility="collapse"))
    staff.addElement(TableColumn(numbercolumnsrepeated=2))
    staff.addElement(row(["Staff list (restricted)"]))
    staff.addElement(row(["Surname", "Forename", "NI Number", "Rank", "Station"]))
    first = row(["Smith", "John", "AB123456C", "PC", "Leeds"])
    note = Annotation()
    note.addElement(P(text="Also known under NI AB123456C"))
    first.childNodes[0].addElement(note)
    staff.addElement(first)
    staff.addElement(row(["Jones", "Ann", "CE654321A", "PS", "York"], visibility="collapse"))
    merged = TableRow()
    merged.addElement(cell("Taylor"))
    merged.addElement(cell("Dev", numbercolumnsspanned=2))
    merged.addElement(CoveredTableCell())
    merged.addElement(cell("Insp"))
    merged.addElement(cell("Halifax"))
    staff.addElement(merged)
    repeated = TableRow(numberrowsrepeated=2)
    repeated.addElement(cell("Brown"))
    repeated.addElement(cell("Finn"))
    repeated.addElement(cell("HJ111222B"))
    repeated.addElement(cell("PC", numbercolumnsrepeated=2))
    staff.addElement(repeated)
    staff.addElement(TableRow(numberrowsrepeated=1048000))
    doc.spreadsheet.addElement(staff)
    buf = io.BytesIO()
    doc.save(buf)
    files = members(buf.getvalue())
    files["Thumbnails/thumbnail.png"] = b"\x89PNG\r\n\x1a\npicture of the first sheet"
    files["META-INF/manifest.xml"] = files["META-INF/manifest.xml"].replace(
        b"</manifest:manifest>",
        b'<manifest:file-entry manifest:full-path="Thumbnails/thumbnail.png" manifest:media-type="image/png"/>'
        b"</manifest:manifest>",
    )
    return rezip(files)


def test_hidden_table_rows_columns_annotations_and_metadata_are_read(workbook: bytes) -> None:
    part = content.read(workbook, "staff.ods")
    assert part.kind == "ods" and part.uninspectable is None

    counts, staff = part.tables
    assert not counts.hidden and counts.rows == [["Leeds", "12"]]
    assert staff.hidden
    assert staff.header == ["Surname", "Forename", "NI Number", "Rank", "Station"]
    assert staff.rows == [
        ["Smith", "John", "AB123456C", "PC", "Leeds"],
        ["Jones", "Ann", "CE654321A", "PS", "York"],
        ["Taylor", "Dev", "", "Insp", "Halifax"],
        ["Brown", "Finn", "HJ111222B", "PC", "PC"],
        ["Brown", "Finn", "HJ111222B", "PC", "PC"],
    ]
    assert staff.hidden_columns == {2}
    assert staff.hidden_rows == {1}
    found = {(s.where, s.text) for s in part.segments}
    assert ("hidden-sheet", "Staff list (restricted)") in found
    assert ("comment", "Also known under NI AB123456C") in found
    assert ("header", "OFFICIAL-SENSITIVE") in found
    assert ("footer", "Compiled by PS Joe Hart") in found
    assert ("property:creator", "DC Lucy Grey") in found
    assert ("property:Reviewer", "Insp Ann Cole") in found


def test_dropping_columns_splits_repeats_and_spans_and_leaves_no_copy(workbook: bytes) -> None:
    part = content.read(workbook, "staff.ods")

    out = content.write(part, RedactionPlan({"staff.ods": PartRedaction(drop_columns={1: {1, 2}})}))

    again = content.read(out, "staff.ods")
    staff = again.tables[1]
    assert staff.hidden
    assert staff.header == ["Surname", "Rank", "Station"]
    assert staff.rows == [
        ["Smith", "PC", "Leeds"],
        ["Jones", "PS", "York"],
        ["Taylor", "Insp", "Halifax"],
        ["Brown", "PC", "PC"],
        ["Brown", "PC", "PC"],
    ]
    assert staff.hidden_rows == {1} and staff.hidden_columns == set()
    assert again.tables[0].rows == [["Leeds", "12"]]
    assert ("comment", "Also known under NI [REDACTED]") in {(s.where, s.text) for s in again.segments}
    files = members(out)
    assert next(iter(files)) == "mimetype"
    assert "Thumbnails/thumbnail.png" not in files
    assert b"Thumbnails" not in files["META-INF/manifest.xml"]
    for value in (b"AB123456C", b"CE654321A", b"HJ111222B", b">John<", b"Forename", b"NI Number"):
        assert not any(value in body for body in files.values()), value
    load(io.BytesIO(out))  # still a valid ODF package


def test_encrypted_truncated_and_malformed_spreadsheets_are_uninspectable(workbook: bytes) -> None:
    files = members(workbook)
    encrypted = dict(files)
    encrypted["META-INF/manifest.xml"] = files["META-INF/manifest.xml"].replace(
        b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        b'manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data '
        b'manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"/></manifest:file-entry>',
    )
    broken = dict(files)
    broken["content.xml"] = b"<office:document-content><office:body>"

    assert content.read(rezip(encrypted), "s.ods").uninspectable == "document is encrypted (password-protected)"
    cut = content.read(workbook[: len(workbook) // 2], "s.ods")
    assert cut.kind == "ods"
    assert cut.uninspectable == "spreadsheet is truncated or damaged: its zip structure cannot be read"
    assert content.read(rezip(broken), "s.ods").uninspectable == (
        "spreadsheet is damaged: part content.xml is not well-formed XML"
    )
