"""PowerPoint presentations (PPTX, PPTM, PPSX, POTX): slides, notes, comments and more.

Read: every slide in presentation order (hidden slides included, marked
"hidden-slide"), one segment per shape, tables (a table whose first row is a
header becomes a `Table`), speaker notes, comments (legacy and modern) and
their authors, slide masters and layouts (where protective markings usually
live), image alt text, charts and diagrams, custom XML and the document
properties. Embedded files (a workbook behind a chart, OLE objects) are read
as child parts.

Write: the shared OOXML path (`ooxml.rewrite_package`) with this module's
traversal: spans are replaced in the text runs they cover, copies of removed
values are replaced everywhere, planned table columns lose their cells and
grid columns (and the table frame its width), thumbnails are removed, and the
output is verified.
"""

from __future__ import annotations

import re

from lxml import etree

from gateway.content.formats.leakcheck import (
    is_xml_member,
)
from gateway.content.formats.ooxml import (
    MC_NS,
    Package,
    PackageHandler,
    alt_text_segments,
    generic_segments,
    generic_where,
    is_header_row,
    property_segments,
)
from gateway.content.formats.xmltext import MappedSegment, SegmentBuilder, local
from gateway.content.model import ContentError, Table

KIND = "pptx"
MAIN = "ppt/presentation.xml"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
A = f"{{{A_NS}}}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MC_FALLBACK = f"{{{MC_NS}}}Fallback"

_SHAPES = frozenset({"sp", "graphicFrame", "pic", "cxnSp", "grpSp", "contentPart"})

# Parts read structurally (every slide-like part is), package bookkeeping, legacy VML and
# binaries. Everything else (themes and settings too, where text could be hidden) is read as text.
_STRUCTURAL = re.compile(
    r"^(\[Content_Types\]\.xml|.*\.rels|docProps/.*|.*\.vml|ppt/(commentAuthors|authors)\.xml"
    r"|ppt/(slides|notesSlides|slideMasters|slideLayouts|notesMasters|handoutMasters|comments)/[^/]+\.xml"
    r"|.*/embeddings/.*|.*/media/.*)$",
    re.IGNORECASE,
)


class _Layout:
    def __init__(self) -> None:
        self.segments: list[MappedSegment] = []
        self.tables: list[tuple[Table, etree._Element, list[etree._Element]]] = []


class _Walker:
    """DrawingML text into segments: one segment per shape, paragraphs joined by new lines."""

    def __init__(self, builder: SegmentBuilder, layout: _Layout) -> None:
        self.b = builder
        self.layout = layout

    def part(self, root: etree._Element, member: str, where: str, label: str) -> None:
        self.b.new_segment()
        self.label = label
        self._walk(root, member, where)
        self.b.new_segment()

    def _walk(self, el: etree._Element, member: str, where: str) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag == MC_FALLBACK:
            return
        name = local(tag)
        if name in _SHAPES:
            self.b.new_segment()
            nv = next(el.iter("{*}cNvPr"), None)
            if nv is not None and nv.get("hidden") in ("1", "true"):
                where = "hidden-shape"
        if tag == f"{A}p":
            self.b.paragraph()
            for child in el:
                self._walk(child, member, where)
            self.b.paragraph()
            return
        if tag == f"{A}t" or (name == "text" and not len(el)):
            self.b.add(member, where, el)
        elif tag == f"{A}br":
            self.b.virtual(member, where, "\n")
        elif name == "cNvPr":
            alt_text_segments(self.b, member, el)
        elif tag == f"{A}tbl":
            self._table(el, hidden=where in ("hidden-slide", "hidden-shape"))
        for child in el:
            self._walk(child, member, where)
        if name in _SHAPES:
            self.b.new_segment()

    def _table(self, tbl: etree._Element, *, hidden: bool) -> None:
        rows = [tr for tr in tbl if tr.tag == f"{A}tr"]
        if len(rows) < 2:
            return
        grid = [[tc for tc in tr if tc.tag == f"{A}tc"] for tr in rows]
        header_cells = grid[0]
        if len(header_cells) < 2:
            return
        if any(int(tc.get("gridSpan", "1") or 1) > 1 or tc.get("hMerge") for tc in header_cells):
            return
        header = [_cell_text(tc) for tc in header_cells]
        if not is_header_row(header):
            return
        width = max(len(r) for r in grid)
        names = [h.replace("\n", " ") for h in header] + [f"column {i + 1}" for i in range(len(header), width)]
        data = [[_cell_text(tc) if not (tc.get("hMerge") or tc.get("vMerge")) else "" for tc in r] for r in grid[1:]]
        data = [(r + [""] * width)[:width] for r in data]
        count = sum(1 for t, _, _ in self.layout.tables if t.name.startswith(f"{self.label} table"))
        table = Table(name=f"{self.label} table {count + 1}", header=names, rows=data, hidden=hidden)
        self.layout.tables.append((table, tbl, rows))


def _cell_text(tc: etree._Element) -> str:
    paragraphs = []
    for p in tc.iter(f"{A}p"):
        parts = []
        for node in p.iter(f"{A}t", f"{A}br"):
            parts.append(node.text or "" if node.tag == f"{A}t" else "\n")
        paragraphs.append("".join(parts))
    return "\n".join(p for p in paragraphs if p).strip()


def _slides(pkg: Package, main: str) -> list[str]:
    rels = {rel.id: rel for rel in pkg.rels(main)}
    out: list[str] = []
    for sld in pkg.tree(main).iterfind("{*}sldIdLst/{*}sldId"):
        rel = rels.get(sld.get(R_ID) or "")
        if rel is not None and rel.target in pkg and rel.target not in out:
            out.append(rel.target)
    return out


def _layout(pkg: Package) -> _Layout:
    main = pkg.main_part([MAIN])
    if not pkg.tree(main).tag.startswith("{http://schemas.openxmlformats.org/presentationml/2006/main}"):
        raise ContentError("presentation uses Strict Open XML, which cannot be inspected")
    layout = _Layout()
    builder = SegmentBuilder()
    walker = _Walker(builder, layout)
    seen: set[str] = set()
    for number, slide in enumerate(_slides(pkg, main), start=1):
        root = pkg.tree(slide)
        where = "hidden-slide" if root.get("show") in ("0", "false") else "body"
        walker.part(root, slide, where, f"slide {number}")
        seen.add(slide)
        for rel in pkg.rels(slide):
            if rel.external or rel.target not in pkg or rel.target in seen:
                continue
            if rel.kind == "notesSlide":
                walker.part(pkg.tree(rel.target), rel.target, "notes", f"slide {number} notes")
                seen.add(rel.target)
            elif rel.kind == "comments":
                walker.part(pkg.tree(rel.target), rel.target, "comment", f"slide {number} comments")
                seen.add(rel.target)
    for member in sorted(pkg.names):
        if member in seen or not member.endswith(".xml"):
            continue
        if member.startswith(("ppt/slideMasters/", "ppt/slideLayouts/", "ppt/notesMasters/", "ppt/handoutMasters/")):
            walker.part(pkg.tree(member), member, "master", member.rsplit("/", 1)[-1].removesuffix(".xml"))
        elif member.startswith(("ppt/slides/", "ppt/notesSlides/", "ppt/comments/")):
            # Not reachable from the slide list (orphaned): still content.
            walker.part(pkg.tree(member), member, "unlisted-slide", member.rsplit("/", 1)[-1].removesuffix(".xml"))
    for member in ("ppt/commentAuthors.xml", "ppt/authors.xml"):
        if member in pkg:
            for author in pkg.tree(member):
                for attr in ("name", "initials"):
                    if (author.get(attr) or "").strip():
                        builder.new_segment()
                        builder.add(member, "comment-author", author, "@" + attr)
    for member in sorted(pkg.names):
        if is_xml_member(member) and not _STRUCTURAL.match(member):
            generic_segments(pkg, member, generic_where(member), builder)
    property_segments(pkg, builder)
    layout.segments = builder.result()
    return layout


def _drop_columns(tbl: etree._Element, rows: list[etree._Element], dropped: set[int]) -> None:
    """Remove grid columns from a DrawingML table, keeping merges and the frame width right."""
    for tr in rows:
        cells = [tc for tc in tr if tc.tag == f"{A}tc"]
        for i, tc in enumerate(cells):
            span = max(1, int(tc.get("gridSpan", "1") or 1))
            if tc.get("hMerge"):
                continue
            gone = sum(1 for d in dropped if i <= d < i + span)
            if i in dropped and gone < span:
                # The merge origin goes: its first surviving continuation cell takes over.
                heir = next(cells[j] for j in range(i + 1, i + span) if j not in dropped)
                del heir.attrib["hMerge"]
                if span - gone > 1:
                    heir.set("gridSpan", str(span - gone))
            elif gone and gone < span:
                if span - gone > 1:
                    tc.set("gridSpan", str(span - gone))
                else:
                    tc.attrib.pop("gridSpan", None)
        for i in sorted(dropped, reverse=True):
            if i < len(cells):
                tr.remove(cells[i])
    grid = tbl.find(f"{A}tblGrid")
    removed_width = 0
    if grid is not None:
        cols = [c for c in grid if c.tag == f"{A}gridCol"]
        for i in sorted(dropped, reverse=True):
            if i < len(cols):
                removed_width += int(cols[i].get("w", "0") or 0)
                grid.remove(cols[i])
    frame = next((a for a in tbl.iterancestors() if local(a.tag) == "graphicFrame"), None)
    ext = frame.find("{*}xfrm/{*}ext") if frame is not None else None
    if ext is not None and removed_width:
        ext.set("cx", str(max(0, int(ext.get("cx", "0") or 0) - removed_width)))


HANDLER = PackageHandler(
    kind=KIND, main=MAIN, folder="ppt/", what="presentation", layout_of=_layout, drop_columns=_drop_columns
)
