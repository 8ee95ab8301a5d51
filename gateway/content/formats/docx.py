"""Word documents (DOCX, DOCM, DOTX): all the text a document carries, visible or not.

Read: body paragraphs and tables, every header and footer (all sections,
first-page and even-page ones are separate parts), footnotes, endnotes,
comments, tracked changes (inserted text, and deleted text that Word no longer
shows but the file still holds), text boxes, hidden (`vanish`) text, field
codes, image alt text, external hyperlink targets, charts and diagrams, custom
XML and the document properties. A table whose first row is a header becomes a
`Table`, so its columns are classified like a spreadsheet's; its text is in
the segments as well.

Write: the same traversal (`_layout`) runs over the same bytes, so segment
indices line up exactly; each span is replaced with `[REDACTED:TYPE]` in the
runs it covers (a value split over runs is handled, each run keeps its
formatting), copies of redacted values anywhere else (deleted text, comments,
properties, other headers) are replaced too, planned table columns lose their
cells and grid columns, and `mc:Fallback` duplicates and the thumbnail are
removed. The output is searched for every removed value before it is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from gateway.content.formats.leakcheck import (
    is_xml_member,
)
from gateway.content.formats.ooxml import (
    Package,
    PackageHandler,
    alt_text_segments,
    generic_segments,
    generic_where,
    is_header_row,
    property_segments,
)
from gateway.content.formats.xmltext import (
    MappedSegment,
    SegmentBuilder,
    local,
)
from gateway.content.model import ContentError, Table

KIND = "docx"
MAIN = "word/document.xml"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

# Parts never read as generic text: package bookkeeping, properties (read by
# `property_segments`), legacy VML, binaries and embedded files (children).
# Every other XML part the story traversal did not cover (styles and settings
# too, where text could be hidden; orphaned headers) is read as well.
_NO_TEXT = re.compile(
    r"^(\[Content_Types\]\.xml|.*\.rels|docProps/.*|.*\.vml|.*/embeddings/.*|.*/media/.*)$",
    re.IGNORECASE,
)

_STORY_RELS = ("header", "footer", "footnotes", "endnotes", "comments", "glossaryDocument")
_NOTE_SKIP = frozenset({"separator", "continuationSeparator", "continuationNotice"})


@dataclass
class _Layout:
    """The traversal both reading and writing use: segments and data tables, in order."""

    segments: list[MappedSegment] = field(default_factory=list)
    tables: list[tuple[Table, etree._Element, list[list[tuple[int, int, etree._Element]]]]] = field(
        default_factory=list
    )


class _StoryWalker:
    """Turns WordprocessingML into segments: one pass, one set of rules for read and write."""

    def __init__(self, builder: SegmentBuilder) -> None:
        self.b = builder

    def story(self, root: etree._Element, member: str, base: str) -> None:
        self.b.new_segment()
        self._walk(root, member, base, "")

    def _walk(self, el: etree._Element, member: str, base: str, change: str, hidden: bool = False) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag == MC_FALLBACK:
            return
        name = local(tag)
        in_w = tag.startswith(W)
        if in_w and name == "p":
            self.b.paragraph()
            for child in el:
                self._walk(child, member, base, change, hidden)
            self.b.paragraph()
            return
        if in_w and name in ("ins", "moveTo", "del", "moveFrom"):
            # Inserted and deleted text are kept apart ("\n"), or "AB123456C" deleted
            # next to an insertion would read as one run-on word.
            self.b.paragraph()
            for child in el:
                self._walk(child, member, base, "tracked-change", hidden)
            self.b.paragraph()
            return
        if in_w:
            if name == "txbxContent":
                base = "text-box"
            elif name == "r":
                hidden = hidden or _vanished(el)
        where = change or ("hidden-text" if hidden else base)
        if in_w and name == "t":
            self.b.add(member, where, el)
        elif in_w and name == "delText":
            self.b.add(member, "tracked-change", el)
        elif in_w and name == "instrText":
            self.b.add(member, "field-code", el)
        elif in_w and name == "tab" and local(el.getparent().tag) == "r":
            self.b.virtual(member, where, "\t")
        elif in_w and name in ("br", "cr"):
            self.b.virtual(member, where, "\n")
        elif in_w and name == "noBreakHyphen":
            self.b.virtual(member, where, "-")
        elif name == "t" and tag.endswith("/main}t") and "drawingml" in tag:
            self.b.add(member, where, el)
        elif name in ("docPr", "cNvPr"):
            alt_text_segments(self.b, member, el)
        for child in el:
            self._walk(child, member, base, change, hidden)


def _vanished(run: etree._Element) -> bool:
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        return False
    vanish = rpr.find(f"{W}vanish")
    return vanish is not None and vanish.get(f"{W}val", "true") not in ("0", "false", "off")


def _w_int(el: etree._Element | None, default: int = 0) -> int:
    if el is None:
        return default
    try:
        return int(el.get(f"{W}val", str(default)))
    except ValueError:
        return default


def _wrapped_children(el: etree._Element, kind: str) -> list[etree._Element]:
    """Children named `kind`, including ones wrapped in content controls or custom XML."""
    out: list[etree._Element] = []
    for child in el:
        name = local(child.tag)
        if name == kind:
            out.append(child)
        elif name in ("sdt", "customXml"):
            content = child.find(f"{W}sdtContent") if name == "sdt" else child
            if content is not None:
                out.extend(c for c in content if local(c.tag) == kind)
    return out


def _cells(row: etree._Element) -> list[etree._Element]:
    return _wrapped_children(row, "tc")


def _rows(tbl: etree._Element) -> list[etree._Element]:
    return _wrapped_children(tbl, "tr")


def _cell_text(tc: etree._Element) -> str:
    paragraphs: list[str] = []
    for p in tc.iter(f"{W}p"):
        parts: list[str] = []
        for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
            if node.getparent() is None:
                continue
            # Only this paragraph's own runs; nested paragraphs are visited on their own.
            owner = next((a for a in node.iterancestors(f"{W}p")), None)
            if owner is not p:
                continue
            if any(local(a.tag) in ("del", "moveFrom") for a in node.iterancestors()):
                continue
            name = local(node.tag)
            parts.append(node.text or "" if name == "t" else "\t" if name == "tab" else "\n")
        paragraphs.append("".join(parts))
    return "\n".join(p for p in paragraphs if p).strip()


def _grid(tbl: etree._Element) -> list[list[tuple[int, int, etree._Element]]]:
    """Each row as (first grid column, span, cell) triples."""
    grid: list[list[tuple[int, int, etree._Element]]] = []
    for tr in _rows(tbl):
        trpr = tr.find(f"{W}trPr")
        col = _w_int(trpr.find(f"{W}gridBefore") if trpr is not None else None)
        row: list[tuple[int, int, etree._Element]] = []
        for tc in _cells(tr):
            tcpr = tc.find(f"{W}tcPr")
            span = max(1, _w_int(tcpr.find(f"{W}gridSpan") if tcpr is not None else None, 1))
            row.append((col, span, tc))
            col += span
        grid.append(row)
    return grid


def _is_continuation(tc: etree._Element) -> bool:
    tcpr = tc.find(f"{W}tcPr")
    vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
    return vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue"


def _data_table(index: int, tbl: etree._Element) -> tuple[Table, list[list[tuple[int, int, etree._Element]]]] | None:
    """A `Table` when the first row reads as a header row over data rows, else None."""
    grid = _grid(tbl)
    if len(grid) < 2 or len(grid[0]) < 2:
        return None
    header_cells = grid[0]
    if any(span > 1 for _, span, _ in header_cells):
        return None
    header = [_cell_text(tc) for _, _, tc in header_cells]
    if not is_header_row(header):
        return None
    width = max(col + span for row in grid for col, span, _ in row) if grid else 0
    names = [f"column {i + 1}" for i in range(width)]
    for (col, _, _), text in zip(header_cells, header, strict=True):
        names[col] = text.replace("\n", " ")
    rows: list[list[str]] = []
    for row in grid[1:]:
        values = [""] * width
        for col, _span, tc in row:
            if col < width and not _is_continuation(tc):
                values[col] = _cell_text(tc)
        rows.append(values)
    first_col = [r[0] for r in rows if r and r[0]]
    if first_col and sum(1 for v in first_col if v.rstrip().endswith(":")) * 2 >= len(first_col):
        return None  # a form ("Name: | value"), not a table of records
    return Table(name=f"table {index + 1}", header=names, rows=rows), grid


def _story_parts(pkg: Package, main: str) -> list[tuple[str, str]]:
    """(member, where) of every story part besides the body, in a fixed order."""
    found: list[tuple[str, str]] = []
    for rel in pkg.rels(main):
        if rel.external or rel.target not in pkg or rel.kind not in _STORY_RELS:
            continue
        where = {
            "glossaryDocument": "glossary",
            "footnotes": "footnote",
            "endnotes": "endnote",
            "comments": "comment",
        }.get(rel.kind, rel.kind)
        found.append((rel.target, where))
    return sorted(set(found), key=lambda item: (_STORY_RELS.index(_kind_of(item[1])), item[0]))


def _kind_of(where: str) -> str:
    return {"glossary": "glossaryDocument", "footnote": "footnotes", "endnote": "endnotes", "comment": "comments"}.get(
        where, where
    )


def _layout(pkg: Package) -> _Layout:
    """Segments and data tables of the whole package, always in the same order."""
    main = pkg.main_part([MAIN])
    out = _Layout()
    builder = SegmentBuilder()
    walker = _StoryWalker(builder)
    root = pkg.tree(main)
    if not root.tag.startswith(W):
        raise ContentError("document uses Strict Open XML, which cannot be inspected")
    walker.story(root, main, "body")
    for i, tbl in enumerate(root.iter(f"{W}tbl")):
        found = _data_table(i, tbl)
        if found is not None:
            out.tables.append((found[0], tbl, found[1]))
    for member, where in _story_parts(pkg, main):
        part_root = pkg.tree(member)
        if where in ("footnote", "endnote", "comment"):
            for note in part_root:
                if local(note.tag) in ("footnote", "endnote", "comment") and note.get(f"{W}type") not in _NOTE_SKIP:
                    walker.story(note, member, where)
        else:
            walker.story(part_root, member, where)
    for member in [main] + [m for m, _ in _story_parts(pkg, main)]:
        for rel_el in _external_links(pkg, member):
            builder.new_segment()
            builder.add(_rels_name(member), "hyperlink", rel_el, "@Target")
    done = {main} | {m for m, _ in _story_parts(pkg, main)}
    for member in sorted(pkg.names):
        if is_xml_member(member) and member not in done and not _NO_TEXT.match(member):
            if member.startswith("word/") and pkg.tree(member).find(f".//{W}p") is not None:
                walker.story(pkg.tree(member), member, "unlisted-part")  # e.g. an orphaned header
            else:
                generic_segments(pkg, member, generic_where(member), builder)
    property_segments(pkg, builder)
    out.segments = builder.result()
    return out


def _rels_name(member: str) -> str:
    folder, base = member.rsplit("/", 1) if "/" in member else ("", member)
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def _external_links(pkg: Package, member: str) -> list[etree._Element]:
    name = _rels_name(member)
    if name not in pkg:
        return []
    return [
        rel
        for rel in pkg.tree(name)
        if rel.get("TargetMode") == "External" and rel.get("Type", "").endswith("/hyperlink")
    ]


# ---------------------------------------------------------------- writing helpers


def _drop_table_columns(
    tbl: etree._Element, grid: list[list[tuple[int, int, etree._Element]]], dropped: set[int]
) -> None:
    """Remove grid columns `dropped` from a table: cells, spans and the grid itself."""
    order = sorted(dropped)
    for tr, row in zip(_rows(tbl), grid, strict=False):
        trpr = tr.find(f"{W}trPr")
        before = trpr.find(f"{W}gridBefore") if trpr is not None else None
        if before is not None:
            n = _w_int(before)
            before.set(f"{W}val", str(n - sum(1 for d in order if d < n)))
        for col, span, tc in row:
            gone = sum(1 for d in order if col <= d < col + span)
            if gone == 0:
                continue
            if gone >= span:
                parent = tc.getparent()
                if parent is not None:
                    parent.remove(tc)
                continue
            tcpr = tc.find(f"{W}tcPr")
            gs = tcpr.find(f"{W}gridSpan") if tcpr is not None else None
            if gs is not None and span - gone > 1:
                gs.set(f"{W}val", str(span - gone))
            elif gs is not None:
                tcpr.remove(gs)
        if not _cells(tr):
            tr.getparent().remove(tr)
    grid_el = tbl.find(f"{W}tblGrid")
    if grid_el is not None:
        cols = [c for c in grid_el if local(c.tag) == "gridCol"]
        for i in sorted(dropped, reverse=True):
            if i < len(cols):
                grid_el.remove(cols[i])
    if not _rows(tbl):
        parent = tbl.getparent()
        replacement = etree.Element(f"{W}p")
        parent.replace(tbl, replacement)


HANDLER = PackageHandler(
    kind=KIND, main=MAIN, folder="word/", what="document", layout_of=_layout, drop_columns=_drop_table_columns
)
