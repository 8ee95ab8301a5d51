"""Excel workbooks (XLSX, XLSM, XLTX): every sheet as a table, hidden ones included.

Reading parses the package directly (streaming each sheet with lxml) because
what matters for a disclosure is everything in the file, not what Excel shows:
hidden and very hidden sheets, hidden rows and columns, comments, headers and
footers, document properties, defined-name constants, pivot caches (a full copy
of the source data, even after the source sheet is deleted), orphaned shared
strings, chart caches, drawings and embedded files. Cell values become the
strings a person would read: dates as ISO yyyy-mm-dd, whole numbers without
".0", zero-padded number formats applied (phone and NHS numbers stored as
numbers).

Sheet parts the workbook no longer lists, pivot caches no pivot table uses,
and any other XML part are read too. A workbook with a Power Pivot data
model (a compressed copy of whole tables) is reported as not fully
inspectable. Writing is `xlsx_redact.redact_workbook`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from gateway.content.formats.base import LimitExceeded, ReadContext, Writer
from gateway.content.formats.excelfmt import BUILTIN_DATE_IDS, display_datetime, display_number
from gateway.content.formats.leakcheck import (
    is_xml_member,
)
from gateway.content.formats.ooxml import (
    DAMAGE_ERRORS,
    Package,
    damaged_reason,
    embedded_child,
    generic_segments,
    generic_where,
    property_segments,
    rewrite_guard,
    sniff_package,
)
from gateway.content.formats.sheetgrid import build_table, col_index, format_number
from gateway.content.formats.xlsx_redact import redact_workbook
from gateway.content.formats.xmltext import (
    SegmentBuilder,
    local,
)
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment, Table

KIND = "xlsx"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_BIN = "xl/workbook.bin"

_HEADER_FOOTER = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
# The only sheet elements the streaming reader stops at (cells are read from their row).
_SHEET_TAGS = tuple(f"{{*}}{t}" for t in ("row", "col", "sheetFormatPr", "formula1", "formula2", *_HEADER_FOOTER))

# Parts never read as generic text: package bookkeeping, properties (read by
# `property_segments`), binaries and embedded files (children), and legacy VML
# (comment shapes, routinely not well-formed). Every other XML part the
# structural reading did not cover (styles and themes too, where text could be
# hidden, and orphaned parts) is read as generic text.
_NO_TEXT = re.compile(
    r"^(\[Content_Types\]\.xml|.*\.rels|docProps/.*|.*\.vml|xl/printerSettings/.*|xl/vbaProject\.bin"
    r"|xl/embeddings/.*|xl/media/.*)$",
    re.IGNORECASE,
)
_SHEET_PART = re.compile(r"^xl/(worksheets|macrosheets|dialogsheets)/[^/]+\.xml$", re.IGNORECASE)

# ---------------------------------------------------------------- small helpers

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _rich_text(el: etree._Element) -> str:
    """Text of a string item or comment: its `t` and run `t` elements, phonetic runs excluded."""
    parts: list[str] = []
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag.endswith("}t") or tag == "t":
            parts.append(child.text or "")
        elif tag.endswith("}r") or tag == "r":
            for t in child:
                if isinstance(t.tag, str) and (t.tag.endswith("}t") or t.tag == "t"):
                    parts.append(t.text or "")
    return "".join(parts)


@dataclass
class _Sheet:
    """What the reader learnt about one worksheet."""

    title: str
    hidden: bool
    cells: dict[int, dict[int, str]] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)
    zero_height: bool = False
    listed: bool = True
    texts: list[tuple[str, str, tuple[Any, ...]]] = field(default_factory=list)  # (text, where, origin)


# ---------------------------------------------------------------- reading


class _Budget:
    """The transfer's shared text budget, charged as cells are read."""

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx

    def take(self, text: str) -> None:
        self.take_count(len(text))

    def take_count(self, chars: int) -> None:
        try:
            self.ctx.admit_text(chars)
        except LimitExceeded as exc:
            raise ContentError(f"workbook over a limit: {exc}") from exc


class _Reader:
    def __init__(self, data: bytes, name: str, ctx: ReadContext) -> None:
        self.name = name
        self.ctx = ctx
        self.pkg = Package(data, "workbook", ctx.limits)
        self.budget = _Budget(ctx)
        self.shared: list[str] = []
        self.referenced: set[int] = set()
        self.formats: list[str | None] = []
        self.date1904 = False
        self.part = Part(name=name, kind=KIND, data=data)
        self.tables_meta: list[dict[str, Any]] = []
        self.origins: list[tuple[Any, ...]] = []
        self.notes: list[str] = []
        self.done: set[str] = set()  # parts read structurally

    # segments ----------------------------------------------------------
    def segment(self, text: str, where: str, origin: tuple[Any, ...]) -> None:
        if text.strip():
            self.budget.take(text)
            self.part.segments.append(Segment(text, where))
            self.origins.append(origin)

    def read(self) -> Part:
        pkg = self.pkg
        if WORKBOOK_BIN in pkg and WORKBOOK not in pkg:
            raise ContentError("binary workbooks (.xlsb) cannot be inspected")
        workbook = pkg.main_part([WORKBOOK])
        self._read_styles(workbook)
        self._read_shared_strings(workbook)
        root = pkg.tree(workbook)
        pr = root.find("{*}workbookPr")
        self.date1904 = pr is not None and pr.get("date1904") in ("1", "true")
        wb_rels = {rel.id: rel for rel in pkg.rels(workbook)}
        self.done.add(workbook)
        for sheet_el in root.iterfind("{*}sheets/{*}sheet"):
            rel = wb_rels.get(_rid(sheet_el))
            if rel is None or rel.target not in pkg:
                continue
            title = sheet_el.get("name") or "Sheet"
            hidden = sheet_el.get("state") in ("hidden", "veryHidden")
            if rel.kind in ("worksheet", "macrosheet", "xlMacrosheet", "xlIntlMacrosheet", "dialogsheet"):
                self._read_sheet(title, hidden, rel.target)
            self.done.add(rel.target)
        for member in pkg.names:
            if _SHEET_PART.match(member) and member not in self.done:
                # A sheet part the workbook no longer lists: invisible in Excel, still in the file.
                self._read_sheet(f"unlisted {member.rsplit('/', 1)[-1]}", True, member, listed=False)
                self.done.add(member)
        self._read_defined_names(root)
        self._read_pivot_caches(root, wb_rels)
        for member in sorted(pkg.names):
            if re.match(r"^xl/pivotCache/pivotCacheDefinition[^/]*\.xml$", member) and member not in self.done:
                self._read_pivot_cache("(unlisted)", member)
        self._read_orphans()
        builder = SegmentBuilder()
        for member in sorted(pkg.names):
            if is_xml_member(member) and member not in self.done and not _NO_TEXT.match(member):
                generic_segments(pkg, member, generic_where(member), builder)
        property_segments(pkg, builder)
        for seg in builder.result():
            self.segment(seg.text, seg.where, ("text", seg.member))
        self._read_embeddings()
        if "xl/model/item.data" in pkg:
            self.notes.append("workbook contains a Power Pivot data model, which cannot be inspected")
        if self.notes:
            self.part.uninspectable = "; ".join(self.notes)
        self.part.meta["xlsx"] = {"tables": self.tables_meta, "origins": self.origins}
        return self.part

    def _read_styles(self, workbook: str) -> None:
        styles = next((r.target for r in self.pkg.rels(workbook) if r.kind == "styles"), None)
        if not styles or styles not in self.pkg:
            return
        root = self.pkg.tree(styles)
        custom = {
            int(f.get("numFmtId", "-1")): f.get("formatCode") or "" for f in root.iterfind("{*}numFmts/{*}numFmt")
        }
        for xf in root.iterfind("{*}cellXfs/{*}xf"):
            fid = int(xf.get("numFmtId", "0") or 0)
            if fid in custom:
                self.formats.append(custom[fid])
            elif fid in BUILTIN_DATE_IDS:
                self.formats.append(
                    "yyyy-mm-dd"
                    if fid in (14, 15, 16, 17)
                    else "h:mm:ss"
                    if fid in (18, 19, 20, 21, 45, 46, 47)
                    else "yyyy-mm-dd h:mm"
                )
            elif fid in (9, 10):
                self.formats.append("0%")
            else:
                self.formats.append(None)

    def _read_shared_strings(self, workbook: str) -> None:
        sst = next((r.target for r in self.pkg.rels(workbook) if r.kind == "sharedStrings"), None)
        if not sst or sst not in self.pkg:
            return
        self.done.add(sst)
        for _event, si in etree.iterparse(
            io.BytesIO(self.pkg.read(sst)), tag="{*}si", resolve_entities=False, no_network=True, huge_tree=False
        ):
            text = _rich_text(si)
            self.budget.take(text)
            self.shared.append(text)
            si.clear()

    def _cell_text(self, c: etree._Element) -> str:
        t = c.get("t", "n")
        raw: str | None = None
        for child in c:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag.endswith("}v") or tag == "v":
                raw = child.text
            elif t == "inlineStr" and (tag.endswith("}is") or tag == "is"):
                return _rich_text(child)
        if raw is None:
            return ""
        if t == "s":
            try:
                i = int(raw)
            except ValueError:
                return ""
            self.referenced.add(i)
            return self.shared[i] if 0 <= i < len(self.shared) else ""
        if t in ("str", "e", "inlineStr"):
            return raw
        if t == "b":
            return "TRUE" if raw.strip() in ("1", "true") else "FALSE"
        if t == "d":
            try:
                return display_datetime(datetime.fromisoformat(raw.replace("Z", "")))
            except ValueError:
                return raw
        try:
            x = float(raw)
        except ValueError:
            return raw
        s = c.get("s")
        code = None
        if s is not None:
            try:
                si = int(s)
            except ValueError:
                si = -1
            if 0 <= si < len(self.formats):
                code = self.formats[si]
        return display_number(x, code, self.date1904)

    def _read_sheet(self, title: str, hidden: bool, member: str, *, listed: bool = True) -> None:
        sheet = _Sheet(title, hidden, listed=listed)
        data = self.pkg.read(member)
        last_row = 0
        try:
            for _event, el in etree.iterparse(
                io.BytesIO(data),
                events=("end",),
                tag=_SHEET_TAGS,
                resolve_entities=False,
                no_network=True,
                huge_tree=False,
            ):
                name = local(el.tag)
                if name == "row":
                    r = el.get("r")
                    row_no = int(r) if r and r.isdigit() else last_row + 1
                    last_row = row_no
                    if el.get("hidden") in ("1", "true") or (sheet.zero_height and el.get("ht") is None):
                        sheet.hidden_rows.add(row_no)
                    last_col = 0
                    values: dict[int, str] = {}
                    for c in el:
                        tag = c.tag
                        if not isinstance(tag, str) or not (tag.endswith("}c") or tag == "c"):
                            continue
                        ref = c.get("r")
                        m = _REF.match(ref) if ref else None
                        col = col_index(m.group(1)) if m else last_col + 1
                        last_col = col
                        text = self._cell_text(c)
                        if text != "":
                            values[col] = text
                    if values:
                        self.budget.take_count(sum(len(v) for v in values.values()))
                        sheet.cells[row_no] = values
                    # Free parsed rows as we go: a sheet is streamed, not held.
                    el.clear()
                    parent = el.getparent()
                    while parent is not None and el.getprevious() is not None:
                        del parent[0]
                elif name == "sheetFormatPr":
                    sheet.zero_height = el.get("zeroHeight") in ("1", "true")
                elif name == "col":
                    lo, hi = int(el.get("min", "0") or 0), int(el.get("max", "0") or 0)
                    width = el.get("width")
                    if el.get("hidden") in ("1", "true") or (width is not None and _is_zero(width)):
                        sheet.hidden_cols.append((lo, hi))
                elif name in _HEADER_FOOTER and el.text:
                    where = "header" if "Header" in name else "footer"
                    for pos, text in _header_footer_parts(el.text):
                        sheet.texts.append((text, where, ("headerfooter", title, name, pos)))
                elif name in ("formula1", "formula2") and el.text and '"' in el.text:
                    sheet.texts.append((el.text, "data-validation", ("text", member)))
        except etree.XMLSyntaxError as exc:
            raise ContentError(f"workbook is damaged: sheet part {member} is not well-formed XML") from exc
        self._read_comments(sheet, member)
        self._sheet_table(sheet)

    def _read_comments(self, sheet: _Sheet, member: str) -> None:
        for rel in self.pkg.rels(member):
            if rel.external or rel.target not in self.pkg:
                continue
            if rel.kind in ("comments", "threadedComment"):
                self.done.add(rel.target)
            if rel.kind == "comments":
                root = self.pkg.tree(rel.target)
                for author in root.iterfind("{*}authors/{*}author"):
                    if author.text:
                        sheet.texts.append((author.text, "comment-author", ("text", rel.target)))
                for comment in root.iterfind("{*}commentList/{*}comment"):
                    text_el = comment.find("{*}text")
                    if text_el is not None:
                        sheet.texts.append(
                            (_rich_text(text_el), "comment", ("comment", sheet.title, comment.get("ref")))
                        )
            elif rel.kind == "threadedComment":
                root = self.pkg.tree(rel.target)
                for comment in root.iter("{*}threadedComment"):
                    text_el = comment.find("{*}text")
                    if text_el is not None and text_el.text:
                        sheet.texts.append((text_el.text, "comment", ("threaded", sheet.title, comment.get("ref"))))

    def _sheet_table(self, sheet: _Sheet) -> None:
        where = "hidden-sheet" if sheet.hidden else "body"
        hidden_cols = sheet.hidden_cols
        laid = build_table(
            sheet.title,
            sorted(sheet.cells.items()),
            hidden=sheet.hidden,
            column_hidden=lambda c: any(lo <= c <= hi for lo, hi in hidden_cols),
            hidden_rows=sheet.hidden_rows,
        )
        if laid is not None:
            for row_no, col, text in laid.title_cells:
                self.segment(text, where, ("cell", sheet.title, row_no, col))
            self.part.tables.append(laid.table)
            self.tables_meta.append(
                {
                    "source": "sheet" if sheet.listed else "unlisted",
                    "sheet": sheet.title,
                    "columns": laid.columns,
                    "header_row": laid.header_row,
                }
            )
        for text, kind, origin in sheet.texts:
            self.segment(text, kind, origin)

    def _read_defined_names(self, root: etree._Element) -> None:
        for dn in root.iterfind("{*}definedNames/{*}definedName"):
            if dn.text and '"' in dn.text:
                self.segment(dn.text, "defined-name", ("text", WORKBOOK))

    def _read_pivot_caches(self, root: etree._Element, wb_rels: dict[str, Any]) -> None:
        for pc in root.iterfind("{*}pivotCaches/{*}pivotCache"):
            rel = wb_rels.get(_rid(pc))
            if rel is None or rel.target not in self.pkg:
                continue
            self._read_pivot_cache(pc.get("cacheId") or "?", rel.target)

    def _read_pivot_cache(self, cache_id: str, member: str) -> None:
        self.done.add(member)
        definition = self.pkg.tree(member)
        fields: list[str] = []
        shared: list[list[str]] = []
        for cf in definition.iterfind("{*}cacheFields/{*}cacheField"):
            fields.append(cf.get("name") or f"field {len(fields) + 1}")
            items = cf.find("{*}sharedItems")
            values = [self._pivot_value(item) for item in items] if items is not None else []
            shared.append(values)
            for value in values:
                self.budget.take(value)
        if not fields:
            return
        source = definition.find("{*}cacheSource/{*}worksheetSource")
        rows: list[list[str]] = []
        records = next((r.target for r in self.pkg.rels(member) if r.kind == "pivotCacheRecords"), None)
        if records and records in self.pkg:
            self.done.add(records)
            for _event, rec in etree.iterparse(
                io.BytesIO(self.pkg.read(records)), tag="{*}r", resolve_entities=False, no_network=True, huge_tree=False
            ):
                row: list[str] = []
                for i, item in enumerate(rec):
                    if local(item.tag) == "x":
                        try:
                            idx = int(item.get("v", "-1"))
                        except ValueError:
                            idx = -1
                        pool = shared[i] if i < len(shared) else []
                        row.append(pool[idx] if 0 <= idx < len(pool) else "")
                    else:
                        row.append(self._pivot_value(item))
                for value in row:
                    self.budget.take(value)
                rows.append((row + [""] * len(fields))[: len(fields)])
                rec.clear()
        else:
            depth = max((len(v) for v in shared), default=0)
            rows = [[v[i] if i < len(v) else "" for v in shared] for i in range(depth)]
        cache = Table(name=f"pivot cache {cache_id}", header=fields, rows=rows, hidden=True, derived=True)
        self.part.tables.append(cache)
        self.tables_meta.append(
            {
                "source": "pivot",
                "cache_id": cache_id,
                "member": member,
                "sheet": source.get("sheet") if source is not None else None,
            }
        )

    def _pivot_value(self, item: etree._Element) -> str:
        name = local(item.tag)
        v = item.get("v", "")
        if name == "n":
            try:
                return format_number(float(v))
            except ValueError:
                return v
        if name == "d":
            try:
                return display_datetime(datetime.fromisoformat(v))
            except ValueError:
                return v
        if name == "b":
            return "TRUE" if v in ("1", "true") else "FALSE"
        if name == "m":
            return ""
        return v

    def _read_orphans(self) -> None:
        orphans = [s for i, s in enumerate(self.shared) if s.strip() and i not in self.referenced]
        if orphans:
            self.segment("\n".join(orphans), "unreferenced-string", ("text", "xl/sharedStrings.xml"))

    def _read_embeddings(self) -> None:
        for info in self.pkg.zip.infolist():
            if info.filename.startswith("xl/embeddings/") and not info.is_dir():
                self.part.children.append(embedded_child(self.pkg, info, self.name, self.ctx))


def _rid(el: etree._Element) -> str:
    """A relationship id, in the transitional or the strict namespace."""
    return el.get(f"{{{_R_NS}}}id") or el.get("{http://purl.oclc.org/ooxml/officeDocument/relationships}id") or ""


def _is_zero(width: str) -> bool:
    try:
        return float(width) == 0.0
    except ValueError:
        return False


_HF_CODE = re.compile(r'&(?:"[^"]*"|[LCR]|\d+|[A-Za-z]|&)')


def _header_footer_parts(raw: str) -> list[tuple[str, str]]:
    """Split an Excel header/footer string into its left/centre/right texts, codes removed."""
    parts: list[tuple[str, str]] = []
    pos = "C"
    current: list[str] = []
    i = 0
    while i < len(raw):
        m = _HF_CODE.match(raw, i)
        if m:
            code = m.group()
            if code in ("&L", "&C", "&R"):
                parts.append((pos, "".join(current)))
                pos, current = code[1], []
            elif code == "&&":
                current.append("&")
            i = m.end()
            continue
        current.append(raw[i])
        i += 1
    parts.append((pos, "".join(current)))
    return [(p, t) for p, t in parts if t.strip()]


class XlsxHandler:
    kind = KIND

    def sniff(self, data: bytes, name: str) -> bool:
        return sniff_package(data, (WORKBOOK, WORKBOOK_BIN), "xl/")

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        try:
            return _Reader(data, name, ctx).read()
        except ContentError as exc:
            return Part(name=name, kind=KIND, data=data, uninspectable=str(exc))
        except DAMAGE_ERRORS:
            return Part(name=name, kind=KIND, data=data, uninspectable=damaged_reason(data, "workbook"))

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        if not plan.touches(part):
            return part.data
        if part.uninspectable:
            raise NotRedactable(f"the workbook could not be fully inspected ({part.uninspectable})")
        with rewrite_guard("workbook"):
            return redact_workbook(part, plan)


HANDLER = XlsxHandler()
