"""XLSX: hidden content is read, values read as displayed, and redaction leaves no removed value behind.

Workbooks are generated with openpyxl; pivot caches (which openpyxl cannot
create) are added to the package by hand, the way Excel stores them. Proof
that removed values are gone is taken from the raw bytes of every member of
the output zip, not from the reader under test.
"""

from __future__ import annotations

import io
import random
import zipfile
from datetime import date
from xml.sax.saxutils import quoteattr

import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableStyleInfo

from gateway import content
from gateway.content import NotRedactable, PartRedaction, RedactionPlan, Span

S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

HEADER = [
    "Surname",
    "Forename",
    "Job Title",
    "Rank",
    "Work Location",
    "Pay Grade",
    "NI Number",
    "Home Address",
    "Postcode",
    "Date of Birth",
    "Sickness Days",
]
ALLOWED = ["Surname", "Forename", "Job Title", "Rank", "Work Location", "Pay Grade"]
REMOVED = [h for h in HEADER if h not in ALLOWED]


def save(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def replace_members(data: bytes, changes: dict[str, bytes]) -> bytes:
    files = members(data) | changes
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return out.getvalue()


def add_pivot(
    data: bytes, source_sheet: str, source_ref: str, host: str, header: list[str], rows: list[list[str]]
) -> bytes:
    """Add a pivot cache (definition + records) and a pivot table on `host`, as Excel stores them."""
    files = members(data)
    shared = [sorted({r[i] for r in rows}) for i in range(len(header))]
    fields = "".join(
        f'<cacheField name={quoteattr(h)} numFmtId="0"><sharedItems count="{len(v)}">'
        + "".join(f"<s v={quoteattr(x)}/>" for x in v)
        + "</sharedItems></cacheField>"
        for h, v in zip(header, shared, strict=True)
    )
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    files["xl/pivotCache/pivotCacheDefinition1.xml"] = (
        f'{head}<pivotCacheDefinition xmlns="{S_NS}" xmlns:r="{R_NS}" r:id="rId1" recordCount="{len(rows)}">'
        f'<cacheSource type="worksheet"><worksheetSource ref="{source_ref}" sheet={quoteattr(source_sheet)}/>'
        f'</cacheSource><cacheFields count="{len(header)}">{fields}</cacheFields></pivotCacheDefinition>'
    ).encode()
    records = "".join("<r>" + "".join(f'<x v="{shared[i].index(v)}"/>' for i, v in enumerate(r)) + "</r>" for r in rows)
    files["xl/pivotCache/pivotCacheRecords1.xml"] = (
        f'{head}<pivotCacheRecords xmlns="{S_NS}" xmlns:r="{R_NS}" count="{len(rows)}">{records}</pivotCacheRecords>'
    ).encode()
    files["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = (
        f'{head}<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" Type="{R_NS}/pivotCacheRecords" '
        'Target="pivotCacheRecords1.xml"/></Relationships>'
    ).encode()
    items = "".join(f'<item x="{i}"/>' for i in range(len(shared[0]))) + '<item t="default"/>'
    pivot_fields = (
        f'<pivotField axis="axisRow" showAll="0"><items count="{len(shared[0]) + 1}">{items}</items></pivotField>'
        + '<pivotField showAll="0"/>' * (len(header) - 1)
    )
    files["xl/pivotTables/pivotTable1.xml"] = (
        f'{head}<pivotTableDefinition xmlns="{S_NS}" name="PivotTable1" cacheId="1" dataCaption="Values" '
        'updatedVersion="6" minRefreshableVersion="3" createdVersion="6" outline="1" outlineData="1">'
        f'<location ref="H1:H{len(shared[0]) + 2}" firstHeaderRow="1" firstDataRow="1" firstDataCol="0"/>'
        f'<pivotFields count="{len(header)}">{pivot_fields}</pivotFields><rowFields count="1"><field x="0"/>'
        '</rowFields><rowItems count="1"><i><x/></i></rowItems><colItems count="1"><i/></colItems>'
        "</pivotTableDefinition>"
    ).encode()
    files["xl/pivotTables/_rels/pivotTable1.xml.rels"] = (
        f'{head}<Relationships xmlns="{PKG_NS}"><Relationship Id="rId1" Type="{R_NS}/pivotCacheDefinition" '
        'Target="../pivotCache/pivotCacheDefinition1.xml"/></Relationships>'
    ).encode()
    folder, base = host.rsplit("/", 1)
    rels_name = f"{folder}/_rels/{base}.rels"
    rel = f'<Relationship Id="rIdPT1" Type="{R_NS}/pivotTable" Target="../pivotTables/pivotTable1.xml"/>'
    if rels_name in files:
        files[rels_name] = files[rels_name].replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    else:
        files[rels_name] = f'{head}<Relationships xmlns="{PKG_NS}">{rel}</Relationships>'.encode()
    workbook = files["xl/workbook.xml"].decode()
    caches = f'<pivotCaches><pivotCache xmlns:r="{R_NS}" cacheId="1" r:id="rIdPC1"/></pivotCaches>'
    at = workbook.index("/>", workbook.index("<calcPr")) + 2
    files["xl/workbook.xml"] = (workbook[:at] + caches + workbook[at:]).encode()
    files["xl/_rels/workbook.xml.rels"] = files["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdPC1" Type="{R_NS}/pivotCacheDefinition" '
        f'Target="pivotCache/pivotCacheDefinition1.xml"/></Relationships>'.encode(),
    )
    overrides = "".join(
        f'<Override PartName="/{p}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.{t}+xml"/>'
        for p, t in [
            ("xl/pivotCache/pivotCacheDefinition1.xml", "pivotCacheDefinition"),
            ("xl/pivotCache/pivotCacheRecords1.xml", "pivotCacheRecords"),
            ("xl/pivotTables/pivotTable1.xml", "pivotTable"),
        ]
    )
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(b"</Types>", overrides.encode() + b"</Types>")
    return _zip(files)


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return out.getvalue()


def staff_rows(n: int, seed: int = 7) -> list[list[object]]:
    """Synthetic staff records with distinctive identifiers (all fictitious)."""
    rng = random.Random(seed)
    surnames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright"]
    forenames = ["Amy", "Ben", "Cara", "Dev", "Ella", "Finn", "Gita", "Hal", "Iris", "Jon"]
    titles = ["Analyst", "Response Officer", "Detective", "Call Handler", "Custody Officer"]
    ranks = ["PC", "PS", "Insp", "Staff"]
    places = ["Leeds Central", "Bradford North", "Halifax", "Wakefield", "Huddersfield"]
    grades = ["SO1", "SO2", "PO3", "Scale 6"]
    streets = ["Acacia Avenue", "Mill Lane", "Church Road", "Station Street", "Park View"]
    prefixes = ["AB", "CE", "HJ", "JK", "LM", "NP", "RS", "TW", "WX", "YZ"]
    rows: list[list[object]] = []
    for i in range(n):
        rows.append(
            [
                rng.choice(surnames),
                rng.choice(forenames),
                rng.choice(titles),
                rng.choice(ranks),
                rng.choice(places),
                rng.choice(grades),
                f"{prefixes[i % 10]}{100000 + i * 7:06d}{'ABCD'[i % 4]}",
                f"{i + 1} {rng.choice(streets)} Wessexshire",
                f"WX{i % 9 + 1} {i % 10}{'ABDEFGHJLNPQRSTUWXYZ'[i % 20]}{'ABDEFGHJLNPQRSTUWXYZ'[(i * 7) % 20]}",
                date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                rng.randint(0, 30),
            ]
        )
    return rows


def read(data: bytes, name: str = "staff.xlsx") -> content.Part:
    part = content.read(data, name)
    assert part.kind == "xlsx"
    return part


# ---------------------------------------------------------------- reading


def test_very_hidden_sheet_listing_staff_is_read_with_its_hidden_rows_and_columns() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Headcount"
    ws.append(["Station", "Officers"])
    ws.append(["Leeds Central", 41])
    ws.append(["Halifax", 17])
    hidden = wb.create_sheet("raw_HR_dump")
    hidden.sheet_state = "veryHidden"
    hidden.append(["Surname", "Forename", "NI Number"])
    hidden.append(["Smith", "Amy", "AB123456C"])
    hidden.append(["Jones", "Ben", "CE654321A"])
    hidden.row_dimensions[3].hidden = True
    hidden.column_dimensions["C"].hidden = True

    part = read(save(wb))

    assert part.uninspectable is None
    visible, staff = part.tables
    assert not visible.hidden
    assert staff.name == "raw_HR_dump" and staff.hidden
    assert staff.header == ["Surname", "Forename", "NI Number"]
    assert staff.rows == [["Smith", "Amy", "AB123456C"], ["Jones", "Ben", "CE654321A"]]
    assert staff.hidden_rows == {1}
    assert staff.hidden_columns == {2}
    assert part.table_part_name(1) == "staff.xlsx/raw_HR_dump"


def test_cells_read_as_displayed() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Name", "Joined", "Days", "Rate", "Mobile", "NHS", "Flag", "Ratio"])
    ws.append(["Amy", date(2012, 9, 1), 12.0, 0.25, 7700900123, 9434765919, True, 2.5])
    ws["B2"].number_format = "dd/mm/yyyy"
    ws["D2"].number_format = "0%"
    ws["E2"].number_format = "00000000000"
    ws["F2"].number_format = "000 000 0000"

    [table] = read(save(wb)).tables

    assert table.rows == [["Amy", "2012-09-01", "12", "25%", "07700900123", "943 476 5919", "TRUE", "2.5"]]


def test_title_rows_above_the_header_are_text_not_the_header() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Wessex Police - establishment list, March 2013"])
    ws.append([])
    ws.append(["Surname", "Rank", "Station"])
    ws.append(["Smith", "PC", "Leeds"])
    ws.append(["Jones", "PS", "York"])

    part = read(save(wb))

    [table] = part.tables
    assert table.header == ["Surname", "Rank", "Station"]
    assert len(table.rows) == 2
    assert part.segments[0].text == "Wessex Police - establishment list, March 2013"
    assert part.segments[0].where == "body"


def test_comments_headers_properties_and_name_constants_are_inspected() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Surname", "Rank"])
    ws.append(["Smith", "PC"])
    ws["A2"].comment = Comment("Moved to covert unit, NI AB123456C", "Sgt Dave Patel")
    ws.oddHeader.center.text = "OFFICIAL-SENSITIVE: PERSONAL"
    wb.properties.creator = "DC Lucy Grey"
    wb.properties.keywords = "vetting"
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.workbook.defined_name import DefinedName

    wb.custom_doc_props.append(StringProperty(name="Reviewer", value="Insp Ann Cole"))
    wb.defined_names["Contact"] = DefinedName("Contact", attr_text='"John Doe 07700 900123"')

    part = read(save(wb))

    found = {(s.where, s.text) for s in part.segments}
    assert ("comment", "Moved to covert unit, NI AB123456C") in found
    assert ("comment-author", "Sgt Dave Patel") in found
    assert ("header", "OFFICIAL-SENSITIVE: PERSONAL") in found
    assert ("property:creator", "DC Lucy Grey") in found
    assert ("property:keywords", "vetting") in found
    assert ("property:Reviewer", "Insp Ann Cole") in found
    assert ("defined-name", '"John Doe 07700 900123"') in found


def test_pivot_cache_keeps_data_of_a_deleted_source_sheet() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["Station", "Count"])
    ws.append(["Leeds", 2])
    rows = [["Smith", "AB123456C"], ["Jones", "CE654321A"]]
    data = add_pivot(save(wb), "Staff (deleted)", "A1:B3", "xl/worksheets/sheet1.xml", ["Surname", "NI Number"], rows)

    part = read(data)

    cache = next(t for t in part.tables if t.name.startswith("pivot cache"))
    assert cache.hidden and cache.derived
    assert not any(t.derived for t in part.tables if t is not cache)
    assert cache.header == ["Surname", "NI Number"]
    assert cache.rows == rows


def test_shared_strings_no_cell_uses_are_still_inspected() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Surname", "Rank"])
    wb.active.append(["Smith", "PC"])
    data = save(wb)
    files = members(data)
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    sheet = files["xl/worksheets/sheet1.xml"].replace(
        b'<c r="A2" t="inlineStr"><is><t>Smith</t></is></c>', b'<c r="A2" t="s"><v>0</v></c>'
    )
    sst = (
        f'{head}<sst xmlns="{S_NS}" count="2" uniqueCount="2">'
        "<si><t>Smith</t></si><si><t>Deleted: AB123456C</t></si></sst>"
    )
    rels = files["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdS" Type="{R_NS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'.encode(),
    )
    types = files["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    changed = {
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": sst.encode(),
        "xl/_rels/workbook.xml.rels": rels,
        "[Content_Types].xml": types,
    }

    part = read(replace_members(data, changed))

    assert part.tables[0].rows == [["Smith", "PC"]]
    assert ("unreferenced-string", "Deleted: AB123456C") in {(s.where, s.text) for s in part.segments}


def test_password_protected_workbook_is_uninspectable() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["NI Number"])
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(save(wb))).encrypt("Password1", out)

    part = content.read(out.getvalue(), "staff.xlsx")

    assert part.uninspectable == "document is encrypted (password-protected)"


def test_truncated_and_malformed_workbooks_get_a_reason() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Surname", "NI Number"])
    for row in staff_rows(50):
        wb.active.append([row[0], row[6]])
    data = save(wb)

    truncated = content.read(data[: len(data) // 2], "staff.xlsx")
    garbage = content.read(replace_members(data, {"xl/workbook.xml": b"<workbook><sheets><sheet"}), "staff.xlsx")
    random_sheet = content.read(
        replace_members(data, {"xl/worksheets/sheet1.xml": bytes(random.Random(1).randbytes(2000))}), "staff.xlsx"
    )
    binary = content.read(replace_members(data, {"xl/workbook.bin": b"\x00" * 64, "xl/workbook.xml": b""}), "x.xlsb")

    assert truncated.kind == "xlsx"
    assert truncated.uninspectable == "workbook is truncated or damaged: its zip structure cannot be read"
    assert garbage.uninspectable == "workbook is damaged: part xl/workbook.xml is not well-formed XML"
    assert (
        random_sheet.uninspectable == "workbook is damaged: sheet part xl/worksheets/sheet1.xml is not well-formed XML"
    )
    assert binary.uninspectable is not None


# ---------------------------------------------------------------- the 400-row HR export


@pytest.fixture(scope="module")
def hr_export() -> tuple[bytes, list[list[object]]]:
    """A realistic HR export: title above the header, an Excel table, a very hidden
    full copy, comments, validation, conditional formats, hidden columns, custom
    properties and a pivot table whose cache copies every record."""
    rows = staff_rows(400)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws["A1"] = "Wessex Police - staff transferring to G4S"
    ws.merge_cells("A1:K1")
    ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    for r in range(4, 404):
        ws.cell(row=r, column=10).number_format = "dd/mm/yyyy"
    ws.add_table(
        ExcelTable(
            displayName="StaffTable",
            ref="A3:K403",
            tableStyleInfo=TableStyleInfo(name="TableStyleMedium9", showRowStripes=True),
        )
    )
    ws.column_dimensions["H"].hidden = True  # Home Address (removed)
    ws.column_dimensions["F"].hidden = True  # Pay Grade (kept, must stay hidden)
    ws.column_dimensions["E"].width = 31
    ws["G10"].comment = Comment("Checked with DWP", "HR Admin")
    ws["A11"].comment = Comment(f"Duplicate record, see NI {rows[7][6]}", "HR Admin")
    dv = DataValidation(type="list", formula1='"PC,PS,Insp,Staff"')
    ws.add_data_validation(dv)
    dv.add("D4:D403")
    ws.conditional_formatting.add("K4:K403", CellIsRule(operator="greaterThan", formula=["20"]))
    ws.freeze_panes = "A4"
    ws.print_title_rows = "3:3"
    ws.auto_filter.ref = "A3:K403"
    raw = wb.create_sheet("raw_HR_dump")
    raw.sheet_state = "veryHidden"
    raw.append(HEADER)
    for row in rows:
        raw.append(row)
    summary = wb.create_sheet("Summary")
    summary.append(["Work Location", "Staff"])
    for place in sorted({r[4] for r in rows}):
        summary.append([place, sum(1 for r in rows if r[4] == place)])
    from openpyxl.chart import BarChart, Reference
    from openpyxl.packaging.custom import StringProperty

    kept_chart = BarChart()
    kept_chart.add_data(Reference(summary, min_col=2, min_row=1, max_row=summary.max_row), titles_from_data=True)
    summary.add_chart(kept_chart, "D2")
    sickness_chart = BarChart()  # plots a column that is removed: it must go with it
    sickness_chart.add_data(Reference(ws, min_col=11, min_row=3, max_row=403), titles_from_data=True)
    ws.add_chart(sickness_chart, "M3")
    wb.custom_doc_props.append(StringProperty(name="LastEdited", value=f"record {rows[3][6]}"))
    wb.properties.keywords = f"export {rows[5][8]}"
    data = save(wb)
    text_rows = [
        [str(v) for v in r[:6]] + [str(r[6]), str(r[7]), str(r[8]), r[9].isoformat(), str(r[10])] for r in rows
    ]
    data = add_pivot(
        data,
        "Staff",
        "A3:K403",
        "xl/worksheets/sheet3.xml",
        ["Surname", "NI Number"],
        [[r[0], r[6]] for r in text_rows],
    )
    return data, rows


def _plan_by_header(part: content.Part, drop: list[str]) -> RedactionPlan:
    columns = {ti: {ci for ci, h in enumerate(t.header) if h in drop} for ti, t in enumerate(part.tables)}
    return RedactionPlan({part.name: PartRedaction(drop_columns={k: v for k, v in columns.items() if v})})


def test_hr_export_comes_back_with_exactly_the_allowed_columns(hr_export: tuple[bytes, list[list[object]]]) -> None:
    data, rows = hr_export
    part = read(data)
    staff, raw = part.tables[0], part.tables[1]
    assert staff.header == HEADER and raw.header == HEADER and raw.hidden
    assert any(t.name.startswith("pivot cache") for t in part.tables)

    out = content.write(part, _plan_by_header(part, REMOVED))

    again = read(out)
    assert [t.name for t in again.tables] == ["Staff", "raw_HR_dump", "Summary"]
    for table in again.tables[:2]:
        assert table.header == ALLOWED
        assert table.rows == [[str(v) for v in r[:6]] for r in rows]
    assert again.tables[2].rows == part.tables[2].rows
    assert again.segments[0].text == "Wessex Police - staff transferring to G4S"

    wb = openpyxl.load_workbook(io.BytesIO(out))
    assert wb["raw_HR_dump"].sheet_state == "veryHidden"
    staff_ws = wb["Staff"]
    assert staff_ws.column_dimensions["F"].hidden  # Pay Grade kept its hidden state
    assert staff_ws.column_dimensions["E"].width == 31
    assert staff_ws.tables["StaffTable"].ref == "A3:F403"
    assert [c.name for c in staff_ws.tables["StaffTable"].tableColumns] == ALLOWED
    assert staff_ws.auto_filter.ref == "A3:F403"
    assert [str(r) for r in staff_ws.merged_cells.ranges] == ["A1:F1"]
    assert staff_ws["A11"].comment is not None  # the comment stays, its copy of an NI number does not
    assert not staff_ws._pivots and not wb["Summary"]._pivots
    assert not staff_ws._charts and len(wb["Summary"]._charts) == 1


def test_no_removed_value_survives_in_any_member(hr_export: tuple[bytes, list[list[object]]]) -> None:
    data, rows = hr_export
    part = read(data)
    out = content.write(part, _plan_by_header(part, REMOVED))
    files = members(out)

    assert not any(n.startswith(("xl/pivotCache", "xl/pivotTables")) for n in files)
    needles: set[bytes] = set()
    for r in rows:
        needles.update(str(v).encode() for v in (r[6], r[7], r[8]))
        dob: date = r[9]  # type: ignore[assignment]
        needles.update({dob.isoformat().encode(), dob.strftime("%d/%m/%Y").encode()})
        serial = (dob - date(1899, 12, 30)).days
        needles.add(f"<v>{serial}</v>".encode())
    needles.update(h.encode() for h in REMOVED)
    for name, body in files.items():
        leaks = [n for n in needles if n in body]
        assert not leaks, f"{name} still holds {len(leaks)} removed values"
    kept = b"".join(files.values())
    assert b"Leeds Central" in kept and b"Response Officer" in kept


def test_spans_in_a_title_cell_and_comment_are_redacted() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Prepared for John Smith, NI AB123456C"
    ws.append([])
    ws.append(["Station", "Officers"])
    ws.append(["Leeds", 41])
    ws.append(["York", 12])
    ws["A4"].comment = Comment("Query from AB123456C", "HR")
    part = read(save(wb))
    title = part.segments[0].text
    comment_index = next(i for i, s in enumerate(part.segments) if s.where == "comment")
    start = title.index("AB123456C")
    plan = RedactionPlan({part.name: PartRedaction(spans={0: [Span(start, start + 9, "UK_NINO")]})})

    out = content.write(part, plan)

    again = read(out)
    assert again.segments[0].text == "Prepared for John Smith, NI [REDACTED:UK_NINO]"
    assert again.segments[comment_index].text == "Query from [REDACTED:UK_NINO]"
    assert all(b"AB123456C" not in body for body in members(out).values())


def test_macro_enabled_workbook_stays_macro_enabled() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Surname", "NI Number"])
    wb.active.append(["Smith", "AB123456C"])
    data = save(wb)
    types = members(data)["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    part = read(replace_members(data, {"[Content_Types].xml": types}), "staff.xlsm")

    out = content.write(part, _plan_by_header(part, ["NI Number"]))

    assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in members(out)["[Content_Types].xml"]
    assert read(out, "staff.xlsm").tables[0].header == ["Surname"]


def test_workbook_with_a_data_model_is_held_not_rewritten() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["Surname", "NI Number"])
    wb.active.append(["Smith", "AB123456C"])
    part = read(replace_members(save(wb), {"xl/model/item.data": b"\x00compressed model"}))

    assert part.uninspectable == "workbook contains a Power Pivot data model, which cannot be inspected"
    with pytest.raises(NotRedactable):
        content.write(part, _plan_by_header(part, ["NI Number"]))


def test_a_sheet_part_the_workbook_no_longer_lists_is_still_read_and_never_sent() -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Summary"
    wb.active.append(["Station", "Officers"])
    wb.active.append(["Leeds", 41])
    orphan = wb.create_sheet("Staff")
    orphan.append(["Surname", "NI Number"])
    orphan.append(["Smith", "AB123456C"])
    data = save(wb)
    workbook = members(data)["xl/workbook.xml"]
    start = workbook.index(b"<sheet ", workbook.index(b'name="Staff"') - 200)
    unlisted = workbook[:start] + workbook[workbook.index(b"/>", start) + 2 :]
    part = read(replace_members(data, {"xl/workbook.xml": unlisted}))

    staff = part.tables[1]
    assert staff.name == "unlisted sheet2.xml" and staff.hidden
    assert staff.rows == [["Smith", "AB123456C"]]

    out = content.write(part, RedactionPlan({part.name: PartRedaction(drop_columns={1: {1}})}))

    assert all(b"AB123456C" not in body for body in members(out).values())
    assert [t.name for t in read(out).tables] == ["Summary"]
