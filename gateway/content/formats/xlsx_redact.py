"""Rewriting an XLSX workbook with planned columns and text removed, and nothing left behind.

openpyxl does the rewrite. It drops every part it does not model (shapes,
slicers, external links, embedded objects, data models), which is the safe
direction for a redacted copy, and formulas are replaced by their last
calculated values (`data_only`), so the copy shows what was inspected and
cannot recompute removed data. Planned columns are deleted from their sheet
only: cells, merged ranges, column widths and hidden state, conditional
formats, validations, auto-filters, Excel tables and print titles move with
them. Pivot caches, charts and defined names that refer to a changed sheet or
hold a removed value are removed. Finally every text node and attribute of
the output outside kept cells is searched for removed values: copies are
replaced, and anything that cannot be replaced makes the workbook
`NotRedactable` instead of letting it leave.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from lxml import etree

from gateway.content.formats.leakcheck import (
    scrub_members,
    verify_members,
)
from gateway.content.formats.ooxml import (
    CONTENT_TYPES,
    Package,
    rebuild_zip,
)
from gateway.content.formats.sheetgrid import col_index, col_letter
from gateway.content.formats.xmltext import (
    ValueIndex,
    distinctive,
    local,
    parse_xml,
    redact_text,
    safe_parser,
    serialize,
)
from gateway.content.model import NotRedactable, Part, RedactionPlan, Span

WORKBOOK = "xl/workbook.xml"


def redact_workbook(part: Part, plan: RedactionPlan) -> bytes:
    """The workbook's bytes with `plan` applied; raises NotRedactable when that cannot be vouched for."""
    removal = _plan_removal(part, plan)
    index = ValueIndex(removal.scrub)
    pkg = Package(part.data, "workbook")
    original_type = _workbook_content_type(pkg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Embedded objects, shapes, slicers, external links and data models are
        # not carried into the copy at all (openpyxl does not model them), so a
        # plan that touches only an embedded file is satisfied by the rewrite.
        wb = openpyxl.load_workbook(
            io.BytesIO(part.data), data_only=True, keep_links=False, keep_vba=False, rich_text=False
        )
    _WorkbookEditor(wb, removal, index).run()
    buf = io.BytesIO()
    wb.save(buf)
    saved = buf.getvalue()
    changed: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(saved)) as out:
        scrub_members(out, index, _skip_cells, _EDITABLE_ATTRS, changed)
        _restore_content_type(out, original_type, changed)
        result = rebuild_zip(out, changed, set()) if changed else saved
    verify_members(result, index, _skip_cells, "workbook")
    return result


@dataclass
class _Removal:
    """Everything the writer must take out, and what it may leave."""

    sheet_cols: dict[str, set[int]] = field(default_factory=dict)
    pivot_ids: set[str] = field(default_factory=set)
    cell_spans: dict[tuple[str, int, int], tuple[str, list[Span]]] = field(default_factory=dict)
    scrub: dict[str, str] = field(default_factory=dict)


def _plan_removal(part: Part, plan: RedactionPlan) -> _Removal:
    red = plan.for_part(part.name)
    meta = part.meta.get("xlsx")
    if not isinstance(meta, dict):
        raise NotRedactable("the workbook was not read by the XLSX reader")
    out = _Removal()
    if red is None:
        return out
    tables_meta: list[dict[str, Any]] = meta["tables"]
    origins: list[tuple[Any, ...]] = meta["origins"]
    removed: set[str] = set()
    kept: set[str] = set()
    for ti, table in enumerate(part.tables):
        drop = red.drop_columns.get(ti, set())
        info = tables_meta[ti] if ti < len(tables_meta) else None
        if info is None:
            raise NotRedactable("the redaction plan names a table the workbook does not have")
        # Only listed sheets survive the rewrite as they are: a value kept there may
        # legitimately appear elsewhere. Pivot caches and unlisted sheets do not count.
        for ci in range(len(table.header)):
            values = table.column(ci)
            if ci in drop:
                removed.update(v.strip() for v in values if v.strip())
            elif info["source"] == "sheet":
                kept.update(v.strip() for v in values if v.strip())
        if not drop:
            continue
        if info["source"] == "unlisted":
            continue  # openpyxl only writes the sheets the workbook lists: this one is dropped whole
        if info["source"] == "sheet":
            cols = info["columns"]
            if any(ci >= len(cols) for ci in drop):
                raise NotRedactable("the redaction plan names a column the sheet does not have")
            out.sheet_cols.setdefault(info["sheet"], set()).update(cols[ci] for ci in drop)
        else:
            out.pivot_ids.add(str(info["cache_id"]))
    for value in removed - kept:
        if distinctive(value):
            out.scrub[value] = ""
    for si, spans in red.spans.items():
        if not spans or si >= len(part.segments):
            continue
        text = part.segments[si].text
        for span in spans:
            piece = text[span.start : span.end]
            if piece.strip():
                out.scrub[piece.strip()] = span.label
        origin = origins[si] if si < len(origins) else ("text", "")
        if origin[0] == "cell":
            out.cell_spans[(origin[1], origin[2], origin[3])] = (text, list(spans))
    return out


def _shift(cols: list[int]) -> Callable[[int], int | None]:
    dropped = sorted(cols)
    gone = set(dropped)

    def new(c: int) -> int | None:
        if c in gone:
            return None
        return c - bisect_left(dropped, c)

    return new


def _shift_bounds(lo: int, hi: int, dropped: list[int]) -> tuple[int, int] | None:
    """New column bounds of [lo, hi] once `dropped` are deleted, or None if nothing is left."""
    inside = sum(1 for d in dropped if lo <= d <= hi)
    kept = hi - lo + 1 - inside
    if kept <= 0:
        return None
    new_lo = lo - bisect_left(dropped, lo)
    return new_lo, new_lo + kept - 1


def _shift_range(ref: str, dropped: list[int]) -> str | None:
    """An A1 range (or column range) with the dropped columns taken out."""
    from openpyxl.utils.cell import range_boundaries

    ref = ref.strip()
    if not ref:
        return None
    if re.fullmatch(r"\$?\d+(:\$?\d+)?", ref):
        return ref  # whole rows are unaffected
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    except ValueError:
        return None
    if min_col is None or max_col is None:
        return ref
    bounds = _shift_bounds(min_col, max_col, dropped)
    if bounds is None:
        return None
    lo, hi = bounds
    if min_row is None:
        return f"{col_letter(lo)}:{col_letter(hi)}"
    start = f"{col_letter(lo)}{min_row}"
    end = f"{col_letter(hi)}{max_row}"
    return start if start == end else f"{start}:{end}"


def _shift_sqref(sqref: str, dropped: list[int]) -> str | None:
    parts = [_shift_range(r, dropped) for r in sqref.split()]
    kept = [p for p in parts if p]
    return " ".join(kept) if kept else None


def _absolute(ref: str) -> str:
    return re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref) if ":" in ref or ref[:1].isalpha() else ref


class _WorkbookEditor:
    """Applies a `_Removal` to an openpyxl workbook."""

    def __init__(self, wb: Any, removal: _Removal, index: ValueIndex) -> None:
        self.wb = wb
        self.removal = removal
        self.index = index

    def run(self) -> None:
        for (sheet, row, col), (text, spans) in self.removal.cell_spans.items():
            if sheet in self.wb.sheetnames:
                cell = self.wb[sheet].cell(row=row, column=col)
                cell.value = redact_text(text, spans)
        modified = set(self.removal.sheet_cols)
        for title, cols in self.removal.sheet_cols.items():
            if title not in self.wb.sheetnames:
                raise NotRedactable("a sheet named in the redaction plan is missing")
            self._drop_columns(self.wb[title], sorted(cols))
        self._drop_pivots(modified)
        self._drop_charts(modified)
        self._drop_names(modified)
        for ws in self.wb.worksheets:
            for dv in list(ws.data_validations.dataValidation):
                if self.index.find(f"{dv.formula1 or ''} {dv.formula2 or ''}"):
                    ws.data_validations.dataValidation.remove(dv)

    def _drop_columns(self, ws: Any, dropped: list[int]) -> None:
        from openpyxl.formatting.formatting import ConditionalFormattingList
        from openpyxl.worksheet.cell_range import MultiCellRange

        merged = [str(r) for r in ws.merged_cells.ranges]
        for ref in merged:
            ws.unmerge_cells(ref)
        new_col = _shift(dropped)
        cells: dict[tuple[int, int], Any] = {}
        for (r, c), cell in ws._cells.items():
            nc = new_col(c)
            if nc is None:
                continue
            if nc != c:
                cell.column = nc
                if getattr(cell, "hyperlink", None) is not None:
                    cell.hyperlink.ref = cell.coordinate
            cells[(r, nc)] = cell
        ws._cells = cells
        for ref in merged:
            new = _shift_range(ref, dropped)
            if new and ":" in new:
                ws.merge_cells(new)
        self._shift_dimensions(ws, dropped)
        cf = ConditionalFormattingList()
        for rule_set in ws.conditional_formatting:
            sq = _shift_sqref(str(rule_set.sqref), dropped)
            if sq:
                for rule in rule_set.rules:
                    cf.add(sq, rule)
        ws.conditional_formatting = cf
        for dv in list(ws.data_validations.dataValidation):
            sq = _shift_sqref(str(dv.sqref), dropped)
            if sq is None:
                ws.data_validations.dataValidation.remove(dv)
            else:
                dv.sqref = MultiCellRange(sq)
        if ws.auto_filter.ref:
            ws.auto_filter.ref = _shift_range(ws.auto_filter.ref, dropped)
            ws.auto_filter.filterColumn = []
            ws.auto_filter.sortState = None
        for name, tbl in list(dict.items(ws.tables)):  # TableList.items() yields refs, not tables
            self._shift_table(ws, name, tbl, dropped)
        areas = [_shift_range(str(r), dropped) for r in ws._print_area.ranges]
        ws.print_area = [_absolute(a) for a in areas if a]
        if ws._print_cols is not None:
            shifted = _shift_range(str(ws._print_cols).replace("$", ""), dropped)
            ws._print_cols = None
            if shifted:
                ws.print_title_cols = shifted
        for view in ws.views.sheetView:
            view.selection = [s for s in view.selection if not s.sqref or _shift_sqref(str(s.sqref), dropped)]
            for sel in view.selection:
                sel.sqref = "A1"
                sel.activeCell = "A1"

    def _shift_dimensions(self, ws: Any, dropped: list[int]) -> None:
        dims = ws.column_dimensions
        moved: list[tuple[int, int, Any]] = []
        for key, dim in list(dims.items()):
            lo = dim.min or col_index(key)
            hi = dim.max or lo
            bounds = _shift_bounds(lo, hi, dropped)
            if bounds is not None:
                moved.append((bounds[0], bounds[1], dim))
        dims.clear()
        for lo, hi, dim in moved:
            dim.min, dim.max = lo, hi
            dim.index = col_letter(lo)
            dims[col_letter(lo)] = dim

    def _shift_table(self, ws: Any, name: str, tbl: Any, dropped: list[int]) -> None:
        from openpyxl.utils.cell import range_boundaries

        min_col = range_boundaries(tbl.ref)[0]
        new_ref = _shift_range(tbl.ref, dropped)
        if new_ref is None or ":" not in new_ref:
            del ws.tables[name]
            return
        gone = set(dropped)
        kept_cols = [tc for i, tc in enumerate(tbl.tableColumns) if min_col + i not in gone]
        for i, tc in enumerate(kept_cols, start=1):
            tc.id = i
            tc.calculatedColumnFormula = None
            tc.totalsRowFormula = None
        tbl.tableColumns = kept_cols
        tbl.ref = new_ref
        if tbl.autoFilter is not None:
            tbl.autoFilter.ref = new_ref
            tbl.autoFilter.filterColumn = []
            tbl.autoFilter.sortState = None
        tbl.sortState = None

    def _drop_pivots(self, modified: set[str]) -> None:
        from openpyxl.xml.functions import tostring

        for ws in self.wb.worksheets:
            for pivot in list(getattr(ws, "_pivots", [])):
                cache = pivot.cache
                src = cache.cacheSource.worksheetSource if cache is not None and cache.cacheSource else None
                drop = str(pivot.cacheId) in self.removal.pivot_ids
                if modified and (src is None or src.sheet is None or src.sheet in modified):
                    drop = True
                if not drop and self.index and cache is not None:
                    xml = tostring(cache.to_tree()).decode("utf-8", "replace")
                    if cache.records is not None:
                        xml += tostring(cache.records.to_tree()).decode("utf-8", "replace")
                    drop = _xml_mentions(xml, self.index)
                if drop:
                    ws._pivots.remove(pivot)

    def _drop_charts(self, modified: set[str]) -> None:
        if not modified:
            return
        names = {n.lower() for n in modified}
        for ws in self.wb._sheets:
            for chart in list(getattr(ws, "_charts", [])):
                refs = _chart_refs(chart)
                if any(_ref_sheet(ref) in names for ref in refs) or any(not _ref_sheet(r) for r in refs):
                    ws._charts.remove(chart)

    def _drop_names(self, modified: set[str]) -> None:
        names = {n.lower() for n in modified}
        holders: list[Any] = [self.wb.defined_names] + [ws.defined_names for ws in self.wb.worksheets]
        for holder in holders:
            for key, dn in list(holder.items()):
                value = dn.value or ""
                literals = " ".join(re.findall(r'"([^"]*)"', value))
                refs_modified = any(_ref_sheet(r) in names for r in _formula_refs(value))
                if (literals and self.index.find(literals)) or refs_modified:
                    del holder[key]


def _xml_mentions(xml: str, index: ValueIndex) -> bool:
    try:
        root = etree.fromstring(xml.encode("utf-8"), safe_parser())
    except etree.XMLSyntaxError:
        return True
    for el in root.iter():
        if el.text and index.find(el.text):
            return True
        if any(index.find(v) for v in el.attrib.values()):
            return True
    return False


def _chart_refs(chart: Any) -> list[str]:
    from openpyxl.xml.functions import tostring

    try:
        xml = tostring(chart._write())
    except Exception:  # noqa: BLE001 - an unserialisable chart is dropped rather than trusted
        return [""]
    root = etree.fromstring(xml, safe_parser())
    return [f.text for f in root.iter() if local(f.tag) == "f" and f.text]


_SHEET_REF = re.compile(r"(?:'((?:[^']|'')+)'|([A-Za-z0-9_.\u00c0-\uffff]+))!")


def _formula_refs(formula: str) -> list[str]:
    return [m.group(0) for m in _SHEET_REF.finditer(formula)]


def _ref_sheet(ref: str) -> str:
    m = _SHEET_REF.search(ref)
    if not m:
        return ""
    return (m.group(1) or m.group(2) or "").replace("''", "'").lower()


def _skip_cells(member: str) -> frozenset[str]:
    """Elements whose text is kept table data, not searched when scrubbing or verifying."""
    if member.startswith(("xl/worksheets/", "xl/macrosheets/", "xl/dialogsheets/")):
        return frozenset({"sheetData", "definedName"})
    if member == "xl/sharedStrings.xml":
        return frozenset({"sst"})
    if member == WORKBOOK:
        return frozenset({"definedName", "sheets"})
    return frozenset()


_EDITABLE_ATTRS = frozenset({"author", "displayName", "userId", "descr", "title", "tooltip", "display"})

_MACRO_TYPES = (
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
)


def _workbook_content_type(pkg: Package) -> str | None:
    if CONTENT_TYPES not in pkg:
        return None
    for override in pkg.tree(CONTENT_TYPES):
        if (override.get("PartName") or "").lstrip("/") == WORKBOOK:
            return override.get("ContentType")
    return None


def _restore_content_type(out: zipfile.ZipFile, original_type: str | None, changed: dict[str, bytes]) -> None:
    """Keep an .xlsm an .xlsm: openpyxl writes the plain type once macros are dropped."""
    if original_type not in _MACRO_TYPES:
        return
    root = parse_xml(changed.get(CONTENT_TYPES) or out.read(CONTENT_TYPES))
    for override in root:
        if (override.get("PartName") or "").lstrip("/") == WORKBOOK:
            override.set("ContentType", original_type)
    changed[CONTENT_TYPES] = serialize(root)
