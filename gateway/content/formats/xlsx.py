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

Writing uses openpyxl: it drops every part it does not model (shapes, slicers,
external links, embedded objects, data models), which is the safe direction
for a redacted copy. Formulas are replaced by their last calculated values so
the copy shows what was inspected and cannot recompute removed data. Planned
columns are deleted from their sheet only (other sheets, visibility, styles,
widths and hidden state stay), references into the sheet are moved, pivot
caches and charts that would keep a copy of removed data are removed, and
every remaining text and attribute of the output is searched for removed values
before the bytes are handed back.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from lxml import etree

from gateway.content.formats.base import LimitExceeded, ReadContext, Writer
from gateway.content.formats.ooxml import (
    CONTENT_TYPES,
    DAMAGE_ERRORS,
    Package,
    damaged_reason,
    embedded_child,
    generic_segments,
    generic_where,
    is_xml_member,
    property_segments,
    rebuild_zip,
    rewrite_guard,
    scrub_members,
    sniff_package,
    verify_members,
)
from gateway.content.formats.sheetgrid import build_table, col_letter, format_number
from gateway.content.formats.xmltext import (
    SegmentBuilder,
    ValueIndex,
    distinctive,
    local,
    parse_xml,
    redact_text,
    safe_parser,
    serialize,
)
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment, Span, Table

KIND = "xlsx"
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

# Built-in number formats that are dates or times (ECMA-376 18.8.30).
_BUILTIN_DATE_IDS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47})
_DATE_CHARS = re.compile(r"[dmyhs]", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_ZERO_PAD = re.compile(r"[0# \-()]+")


# ---------------------------------------------------------------- display of values


def _format_section(code: str) -> str:
    return _QUOTED.sub("", code.split(";", 1)[0])


def is_date_format(code: str | None) -> bool:
    if not code:
        return False
    bare = _format_section(code)
    if "General" in bare:
        return False
    return bool(_DATE_CHARS.search(bare))


def _zero_padded(x: float, code: str) -> str | None:
    """Apply a digits-only format such as "00000000000" or "000 000 0000"."""
    section = code.split(";", 1)[0]
    if not _ZERO_PAD.fullmatch(section) or "0" not in section or x < 0 or x != int(x):
        return None
    digits = str(int(x)).zfill(section.count("0"))
    out: list[str] = []
    pos = len(digits)
    for ch in reversed(section):
        if ch in "0#":
            if pos > 0:
                pos -= 1
                out.append(digits[pos])
        elif pos > 0:
            out.append(ch)
    return (digits[:pos] + "".join(reversed(out))).strip()


def excel_datetime(serial: float, date1904: bool) -> datetime:
    base = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
    if not date1904 and serial < 60:
        serial += 1  # Excel's fictitious 29 Feb 1900
    return base + timedelta(days=serial)


def display_datetime(value: datetime | time, code: str = "") -> str:
    if isinstance(value, time):
        return value.isoformat()
    bare = _format_section(code).lower()
    has_date = any(c in bare for c in "dy") or ("m" in bare and "h" not in bare and "s" not in bare)
    if code and not has_date:
        return value.time().isoformat(timespec="seconds")
    if value.time() == time(0):
        return value.date().isoformat()
    return value.isoformat(sep=" ", timespec="seconds")


def display_number(x: float, code: str | None, date1904: bool) -> str:
    if code and is_date_format(code):
        try:
            return display_datetime(excel_datetime(x, date1904), code)
        except (OverflowError, ValueError):
            return format_number(x)
    if code:
        bare = _format_section(code)
        if "%" in bare:
            return f"{format_number(round(x * 100, 10))}%"
        padded = _zero_padded(x, code)
        if padded is not None:
            return padded
    return format_number(x)


# ---------------------------------------------------------------- small helpers

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


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
            rid = sheet_el.get(f"{{{_R_NS}}}id") or sheet_el.get(
                "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
            )
            rel = wb_rels.get(rid or "")
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
            elif fid in _BUILTIN_DATE_IDS:
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
            rel = wb_rels.get(pc.get(f"{{{_R_NS}}}id") or "")
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
        self.part.tables.append(Table(name=f"pivot cache {cache_id}", header=fields, rows=rows, hidden=True))
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


_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


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


# ---------------------------------------------------------------- writing


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
            return self._write(part, plan)

    def _write(self, part: Part, plan: RedactionPlan) -> bytes:
        import openpyxl

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


HANDLER = XlsxHandler()
