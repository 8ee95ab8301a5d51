"""OpenDocument spreadsheets (ODS, OTS): every table, hidden ones included.

Read (lxml over the package; odfpy is only needed to make test files): each
`table:table` becomes a `Table` (tables hidden through their style's
`table:display="false"` are marked hidden), with collapsed or filtered rows and
collapsed columns recorded; repeated rows and cells are expanded (trailing
blank repeats cost nothing). Cell annotations, drawing text, page headers and
footers (in styles.xml), embedded charts and the metadata (`meta.xml`: title,
author, keywords, user-defined fields) are segments. An encrypted package
(the manifest lists encryption data) is reported as such.

Write: planned columns are removed from their table at the XML level, with
`number-columns-repeated` and `number-columns-spanned` split correctly and the
column definitions adjusted; formulas are replaced by their values (their
references would otherwise point at the wrong columns or recompute removed
data); charts, named ranges, database ranges and conditional formats that
refer to the changed table are removed, as is the thumbnail (a picture of the
first sheet). Copies of removed values are replaced everywhere else, and the
output is read again to prove none survives.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lxml import etree

from gateway.content.formats.base import LimitExceeded, ReadContext, Writer
from gateway.content.formats.leakcheck import (
    scrub_members,
    scrub_values,
    verify_members,
)
from gateway.content.formats.ooxml import (
    DAMAGE_ERRORS,
    Package,
    rebuild_zip,
    rewrite_guard,
)
from gateway.content.formats.sheetgrid import build_table, format_number
from gateway.content.formats.xmltext import (
    MappedSegment,
    SegmentBuilder,
    ValueIndex,
    apply_spans,
    local,
    serialize,
)
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment, Span

KIND = "ods"
MIMETYPES = (
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.spreadsheet-template",
)
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
XLINK = "http://www.w3.org/1999/xlink"
T = f"{{{TABLE}}}"
TX = f"{{{TEXT}}}"
OF = f"{{{OFFICE}}}"

CONTENT = "content.xml"
STYLES = "styles.xml"
META = "meta.xml"
MANIFEST_XML = "META-INF/manifest.xml"

_ROW_GROUPS = frozenset({"table-rows", "table-row-group", "table-header-rows"})
_COL_GROUPS = frozenset({"table-columns", "table-column-group", "table-header-columns"})
_CELLS = frozenset({"table-cell", "covered-table-cell"})

# A repeated row or cell that holds content is expanded at most this far: a
# real sheet repeats identical rows a few times, a crafted one a million.
MAX_REPEAT = 100_000


def _int(value: str | None, default: int = 1) -> int:
    try:
        return max(0, int(value)) if value is not None else default
    except ValueError:
        return default


# ---------------------------------------------------------------- text


def odf_text(el: etree._Element) -> str:
    """Plain text of a text:p (or any text container), ODF space and tab elements expanded."""
    out: list[str] = []
    _text_into(el, out)
    return "".join(out)


def _text_into(el: etree._Element, out: list[str]) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        name = local(child.tag)
        if name == "s" and child.tag.startswith(TX):
            out.append(" " * _int(child.get(f"{TX}c")))
        elif name == "tab":
            out.append("\t")
        elif name == "line-break":
            out.append("\n")
        elif name == "annotation" or not name:
            pass
        else:
            _text_into(child, out)
        if child.tail:
            out.append(child.tail)


def _paragraph_into(builder: SegmentBuilder, member: str, where: str, el: etree._Element) -> None:
    """The same text as `odf_text`, recorded piece by piece so it can be rewritten."""
    builder.add(member, where, el, "text")
    for child in el:
        name = local(child.tag)
        if name == "s" and child.tag.startswith(TX):
            builder.virtual(member, where, " " * _int(child.get(f"{TX}c")))
        elif name == "tab":
            builder.virtual(member, where, "\t")
        elif name == "line-break":
            builder.virtual(member, where, "\n")
        elif name == "annotation" or not name:
            pass
        else:
            _paragraph_into(builder, member, where, child)
        builder.add(member, where, child, "tail")


def _paragraphs_into(builder: SegmentBuilder, member: str, where: str, container: etree._Element) -> None:
    for p in container.iter(f"{TX}p", f"{TX}h"):
        if any(local(a.tag) == "annotation" for a in p.iterancestors()) and local(container.tag) != "annotation":
            continue
        builder.paragraph()
        _paragraph_into(builder, member, where, p)
        builder.paragraph()


def cell_value(cell: etree._Element) -> str:
    """What a cell holds, as a person reads it (ISO dates, plain numbers, text as typed)."""
    vtype = cell.get(f"{OF}value-type") or cell.get("{urn:oasis:names:tc:opendocument:xmlns:of:1.2}value-type")
    if vtype == "float":
        try:
            return format_number(float(cell.get(f"{OF}value", "")))
        except ValueError:
            pass
    elif vtype == "date":
        raw = cell.get(f"{OF}date-value", "")
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            return raw
        return parsed.date().isoformat() if parsed.time() == datetime.min.time() else parsed.isoformat(sep=" ")
    elif vtype == "boolean":
        return "TRUE" if cell.get(f"{OF}boolean-value") in ("true", "1") else "FALSE"
    paragraphs = [odf_text(p) for p in cell if p.tag in (f"{TX}p", f"{TX}h")]
    return "\n".join(paragraphs).strip()


# ---------------------------------------------------------------- structure


def _grouped(el: etree._Element, kind: str, groups: frozenset[str]) -> list[etree._Element]:
    """Descendants named `kind`, in order, looking through any nesting of `groups` elements."""
    out: list[etree._Element] = []
    for child in el:
        name = local(child.tag)
        if name == kind:
            out.append(child)
        elif name in groups:
            out.extend(_grouped(child, kind, groups))
    return out


def _iter_rows(table: etree._Element) -> list[etree._Element]:
    return _grouped(table, "table-row", _ROW_GROUPS)


def _iter_columns(table: etree._Element) -> list[etree._Element]:
    return _grouped(table, "table-column", _COL_GROUPS)


def _hidden_table_styles(root: etree._Element) -> set[str]:
    hidden: set[str] = set()
    for style in root.iter(f"{{{STYLE}}}style"):
        if style.get(f"{{{STYLE}}}family") != "table":
            continue
        props = style.find(f"{{{STYLE}}}table-properties")
        if props is not None and props.get(f"{T}display") == "false":
            hidden.add(style.get(f"{{{STYLE}}}name") or "")
    return hidden


def _tables(root: etree._Element) -> list[etree._Element]:
    body = root.find(f"{OF}body/{OF}spreadsheet")
    if body is None:
        return []
    return [t for t in body if t.tag == f"{T}table"]


@dataclass
class _Layout:
    segments: list[MappedSegment] = field(default_factory=list)
    tables: list[Any] = field(default_factory=list)  # sheetgrid.SheetTable
    table_elements: list[etree._Element] = field(default_factory=list)


class _Budget:
    def __init__(self, ctx: ReadContext | None) -> None:
        self.ctx = ctx

    def take(self, n: int) -> None:
        if self.ctx is not None:
            try:
                self.ctx.admit_text(n)
            except LimitExceeded as exc:
                raise ContentError(f"spreadsheet over a limit: {exc}") from exc


def _read_table(
    table: etree._Element, budget: _Budget
) -> tuple[list[tuple[int, dict[int, str]]], set[int], list[tuple[int, int]], dict[tuple[int, int], etree._Element]]:
    """Cells of one table: rows, hidden rows, hidden column ranges, and the cell elements of early rows."""
    hidden_cols: list[tuple[int, int]] = []
    col = 1
    for c in _iter_columns(table):
        rep = _int(c.get(f"{T}number-columns-repeated"))
        if c.get(f"{T}visibility") in ("collapse", "filter"):
            hidden_cols.append((col, col + rep - 1))
        col += rep
    rows: list[tuple[int, dict[int, str]]] = []
    hidden_rows: set[int] = set()
    elements: dict[tuple[int, int], etree._Element] = {}
    row_no = 1
    for row in _iter_rows(table):
        rep = _int(row.get(f"{T}number-rows-repeated"))
        values: dict[int, str] = {}
        col = 1
        for cell in row:
            if local(cell.tag) not in _CELLS:
                continue
            crep = _int(cell.get(f"{T}number-columns-repeated"))
            text = cell_value(cell)  # covered (merged-away) cells can still hold content
            if text:
                if crep > MAX_REPEAT:
                    raise ContentError("spreadsheet repeats a cell more than 100000 times")
                budget.take(len(text) * crep)
                for k in range(crep):
                    values[col + k] = text
                    if len(rows) < 12:
                        elements[(row_no, col + k)] = cell
            col += crep
        hidden = row.get(f"{T}visibility") in ("collapse", "filter")
        if values:
            if rep > MAX_REPEAT:
                raise ContentError("spreadsheet repeats a row more than 100000 times")
            budget.take(sum(len(v) for v in values.values()) * (rep - 1))
            for k in range(rep):
                rows.append((row_no + k, values))
                if hidden:
                    hidden_rows.add(row_no + k)
        row_no += rep
    return rows, hidden_rows, hidden_cols, elements


def _in_ranges(ranges: list[tuple[int, int]]) -> Callable[[int], bool]:
    return lambda c: any(lo <= c <= hi for lo, hi in ranges)


def _layout(pkg: Package, budget: _Budget) -> _Layout:
    """Tables and segments of the whole package, in a fixed order (read and write share it)."""
    out = _Layout()
    builder = SegmentBuilder()
    root = pkg.tree(CONTENT)
    hidden_styles = _hidden_table_styles(root)
    for table in _tables(root):
        name = table.get(f"{T}name") or f"Sheet{len(out.table_elements) + 1}"
        hidden = table.get(f"{T}style-name") in hidden_styles
        rows, hidden_rows, hidden_cols, elements = _read_table(table, budget)
        laid = build_table(
            name,
            rows,
            hidden=hidden,
            column_hidden=_in_ranges(hidden_cols),
            hidden_rows=hidden_rows,
        )
        where = "hidden-sheet" if hidden else "body"
        if laid is not None:
            done: set[int] = set()
            for row_no, col, _text in laid.title_cells:
                cell = elements.get((row_no, col))
                if cell is not None and id(cell) not in done:
                    done.add(id(cell))
                    builder.new_segment()
                    _paragraphs_into(builder, CONTENT, where, cell)
            out.tables.append(laid)
            out.table_elements.append(table)
        for ann in table.iter(f"{OF}annotation"):
            builder.new_segment()
            for creator in ann.iter("{http://purl.org/dc/elements/1.1/}creator"):
                builder.add(CONTENT, "comment-author", creator)
            builder.new_segment()
            _paragraphs_into(builder, CONTENT, "comment", ann)
        for shapes in table.iter(f"{T}shapes"):
            builder.new_segment()
            _paragraphs_into(builder, CONTENT, "drawing", shapes)
    for ne in root.iter(f"{T}named-expression"):
        expr = ne.get(f"{T}expression") or ""
        if '"' in expr:
            builder.new_segment()
            builder.add(CONTENT, "defined-name", ne, f"@{T}expression")
    if STYLES in pkg:
        for page in pkg.tree(STYLES).iter(f"{{{STYLE}}}master-page"):
            for region in page:
                kind = local(region.tag)
                if kind.startswith(("header", "footer")):
                    builder.new_segment()
                    _paragraphs_into(builder, STYLES, "header" if kind.startswith("header") else "footer", region)
    if META in pkg:
        meta = pkg.tree(META).find(f"{OF}meta")
        if meta is not None:
            for el in meta:
                key = local(el.tag)
                if key in (
                    "creation-date",
                    "date",
                    "editing-cycles",
                    "editing-duration",
                    "generator",
                    "document-statistic",
                    "print-date",
                ):
                    continue
                if key == "user-defined":
                    key = el.get("{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}name") or key
                if (el.text or "").strip():
                    builder.new_segment()
                    builder.add(META, f"property:{key}", el)
    for member in sorted(pkg.names):
        if member.endswith("/content.xml") and member != CONTENT:
            builder.new_segment()
            for el in pkg.tree(member).iter():
                if local(el.tag) in ("p", "h"):
                    builder.paragraph()
                    _paragraph_into(builder, member, "chart", el)
                    builder.paragraph()
    out.segments = builder.result()
    return out


def _encrypted(pkg: Package) -> bool:
    if MANIFEST_XML not in pkg:
        return False
    return any(local(el.tag) == "encryption-data" for el in pkg.tree(MANIFEST_XML).iter())


def _mimetype(data: bytes) -> str | None:
    """The ODF mimetype: the `mimetype` member, which is stored first and uncompressed.

    Read from the first local header when it is there, so a truncated file is
    still recognised (and then reported as damaged by this handler).
    """
    if len(data) >= 38 and data[30:38] == b"mimetype":
        method = int.from_bytes(data[8:10], "little")
        size = int.from_bytes(data[18:22], "little")
        extra = int.from_bytes(data[28:30], "little")
        if method == 0 and 0 < size < 200:
            start = 38 + extra
            return data[start : start + size].decode("ascii", "replace").strip()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.read("mimetype")[:200].decode("ascii", "replace").strip()
    except DAMAGE_ERRORS:
        return None


# ---------------------------------------------------------------- writing


def _drop_columns(table: etree._Element, dropped: list[int]) -> None:
    """Remove sheet columns `dropped` (1-based) from a table element."""
    gone = set(dropped)
    col = 1
    for c in _iter_columns(table):
        rep = _int(c.get(f"{T}number-columns-repeated"))
        _set_repeat(c, f"{T}number-columns-repeated", rep - sum(1 for d in gone if col <= d < col + rep))
        col += rep
    for row in _iter_rows(table):
        cells = [c for c in row if local(c.tag) in _CELLS]
        col = 1
        placed: list[tuple[int, int, etree._Element]] = []
        for cell in cells:
            rep = _int(cell.get(f"{T}number-columns-repeated"))
            placed.append((col, rep, cell))
            col += rep
        for start, _rep, cell in placed:
            span = _int(cell.get(f"{T}number-columns-spanned"))
            if local(cell.tag) != "table-cell" or span <= 1:
                continue
            lost = sum(1 for d in gone if start <= d < start + span)
            if start in gone and lost < span:
                # The merge origin goes: the first surviving covered cell becomes a plain cell.
                heir = next((e for s, _r, e in placed if start < s < start + span and s not in gone), None)
                if heir is not None:
                    heir.tag = f"{T}table-cell"
                    _set_repeat(heir, f"{T}number-columns-spanned", span - lost)
            elif lost:
                _set_repeat(cell, f"{T}number-columns-spanned", span - lost)
        for start, rep, cell in placed:
            lost = sum(1 for d in gone if start <= d < start + rep)
            if lost:
                _set_repeat(cell, f"{T}number-columns-repeated", rep - lost)


def _set_repeat(el: etree._Element, attr: str, n: int) -> None:
    if n <= 0:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    elif n == 1:
        el.attrib.pop(attr, None)
    else:
        el.set(attr, str(n))


def _mentions_sheet(value: str, sheet: str) -> bool:
    quoted = "'" + sheet.replace("'", "''") + "'"
    return f"{quoted}." in value or f"${quoted}." in value or f"{sheet}." in value


def _drop_references(
    pkg: Package, root: etree._Element, modified: list[tuple[str, etree._Element]], removed_members: set[str]
) -> None:
    """Remove named ranges, database ranges, conditional formats and charts tied to changed tables."""
    names = [name for name, _ in modified]
    for el in list(root.iter(f"{T}named-range", f"{T}named-expression", f"{T}database-range")):
        refs = " ".join(v for k, v in el.attrib.items() if "address" in k or "expression" in k)
        if any(_mentions_sheet(refs, n) for n in names):
            el.getparent().remove(el)
    for _name, table in modified:
        for cf in list(
            table.iter("{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}conditional-formats")
        ):
            cf.getparent().remove(cf)
    for frame in list(root.iter(f"{{{DRAW}}}frame")):
        obj = frame.find(f"{{{DRAW}}}object")
        if obj is None:
            continue
        href = (obj.get(f"{{{XLINK}}}href") or "").removeprefix("./").rstrip("/")
        chart = f"{href}/content.xml"
        inside = any(table in frame.iterancestors() for _n, table in modified)
        refers = chart in pkg and any(_mentions_sheet(_attr_text(pkg.tree(chart)), n) for n in names)
        if inside or refers or chart not in pkg:
            frame.getparent().remove(frame)
            removed_members.update(
                n for n in pkg.names if n.startswith(href + "/") or n == f"ObjectReplacements/{href}"
            )


def _attr_text(root: etree._Element) -> str:
    return " ".join(v for el in root.iter() for v in el.attrib.values())


def _skip_cells(member: str) -> frozenset[str]:
    return frozenset({"table-cell", "covered-table-cell"}) if member == CONTENT else frozenset()


def _manifest_without(pkg: Package, removed: set[str]) -> bytes | None:
    """The manifest without entries for removed files and emptied folders (or ODF readers call it corrupt)."""
    if MANIFEST_XML not in pkg or not removed:
        return None
    remaining = set(pkg.names) - removed
    root = pkg.tree(MANIFEST_XML)
    for entry in list(root):
        path = entry.get(f"{{{MANIFEST}}}full-path") or ""
        emptied = (
            path.endswith("/")
            and path != "/"
            and any(n.startswith(path) for n in removed)
            and not any(n.startswith(path) for n in remaining)
        )
        if path in removed or emptied:
            root.remove(entry)
    return serialize(root)


class OdsHandler:
    kind = KIND

    def sniff(self, data: bytes, name: str) -> bool:
        return data.startswith(b"PK\x03\x04") and _mimetype(data) in MIMETYPES

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        try:
            pkg = Package(data, "spreadsheet", ctx.limits)
            if _encrypted(pkg):
                raise ContentError("document is encrypted (password-protected)")
            layout = _layout(pkg, _Budget(ctx))
        except ContentError as exc:
            return Part(name=name, kind=KIND, data=data, uninspectable=str(exc))
        except DAMAGE_ERRORS:
            return Part(name=name, kind=KIND, data=data, uninspectable="spreadsheet is damaged and cannot be parsed")
        part = Part(name=name, kind=KIND, data=data)
        part.tables = [laid.table for laid in layout.tables]
        part.segments = [Segment(seg.text, seg.where) for seg in layout.segments]
        part.meta["ods"] = {"columns": [laid.columns for laid in layout.tables]}
        return part

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        if not plan.touches(part):
            return part.data
        if part.uninspectable:
            raise NotRedactable(f"the spreadsheet could not be fully inspected ({part.uninspectable})")
        red = plan.for_part(part.name)
        if red is None:
            return part.data
        with rewrite_guard("spreadsheet"):
            return self._write(part, red.drop_columns, red.spans)

    def _write(self, part: Part, drops: dict[int, set[int]], spans: dict[int, list[Span]]) -> bytes:
        pkg = Package(part.data, "spreadsheet")
        layout = _layout(pkg, _Budget(None))
        if [s.text for s in layout.segments] != [s.text for s in part.segments] or len(layout.tables) != len(
            part.tables
        ):
            raise NotRedactable("the spreadsheet reads differently on a second pass; cannot map redactions safely")
        index = ValueIndex(scrub_values(part, drops, spans))
        dirty: set[str] = set()
        for si, seg in enumerate(layout.segments):
            found = list(spans.get(si, [])) + index.find(seg.text)
            if found and apply_spans(seg, found):
                dirty.add(seg.member)
        root = pkg.tree(CONTENT)
        modified: list[tuple[str, etree._Element]] = []
        for ti, cols in drops.items():
            if not cols:
                continue
            if ti >= len(layout.tables) or any(c >= len(layout.tables[ti].columns) for c in cols):
                raise NotRedactable("the redaction plan names a column the spreadsheet does not have")
            laid, table = layout.tables[ti], layout.table_elements[ti]
            _drop_columns(table, sorted(laid.columns[c] for c in cols))
            modified.append((laid.table.name, table))
        removed: set[str] = set()
        if modified:
            for cell in root.iter(f"{T}table-cell"):
                cell.attrib.pop(f"{T}formula", None)
            _drop_references(pkg, root, modified, removed)
            dirty.add(CONTENT)
        removed.update(n for n in pkg.names if n.lower().startswith("thumbnails/"))
        changed = {member: pkg.modified(member) for member in dirty}
        manifest = _manifest_without(pkg, removed)
        if manifest is not None:
            changed[MANIFEST_XML] = manifest
        result = rebuild_zip(pkg.zip, changed, removed)
        if index:
            second: dict[str, bytes] = {}
            with zipfile.ZipFile(io.BytesIO(result)) as out:
                scrub_members(out, index, _skip_cells, frozenset({"creator"}), second)
                if second:
                    result = rebuild_zip(out, second, set())
            verify_members(result, index, _skip_cells, "spreadsheet")
            again = _layout(Package(result, "spreadsheet"), _Budget(None))
            if any(index.find(seg.text) for seg in again.segments):
                raise NotRedactable("a removed value would remain in the rewritten spreadsheet")
        return result


HANDLER = OdsHandler()
