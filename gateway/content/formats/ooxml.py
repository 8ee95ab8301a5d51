"""What XLSX, DOCX and PPTX share: the zip package, relationships, properties, rewriting.

An OOXML file is a zip of XML parts tied together by `.rels` files and listed in
`[Content_Types].xml`. This module recognises a package from its bytes, reads
parts safely (no entity expansion, no network), turns document properties into
segments, removes parts (thumbnails) cleanly, and rebuilds the zip with changed
members while leaving every other member byte-for-byte as it was.

It also holds the last line of defence for redaction (`scrub_members`,
`verify_members`): every removed value is searched for in every remaining text
node and attribute of the output, and a survivor that cannot be scrubbed makes
the file not redactable rather than letting it leave.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from lxml import etree

from gateway.content.formats.base import LimitExceeded, Limits, ReadContext, Writer
from gateway.content.formats.leakcheck import (
    EDITABLE_ATTRS,
    is_xml_member,
    no_skip,
    scrub_members,
    scrub_values,
    verify_members,
)
from gateway.content.formats.sheetgrid import is_numeric
from gateway.content.formats.xmltext import (
    MappedSegment,
    SegmentBuilder,
    ValueIndex,
    apply_spans,
    local,
    parse_xml,
    serialize,
)
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment, Table

CONTENT_TYPES = "[Content_Types].xml"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CORE_PROPS = "docProps/core.xml"
APP_PROPS = "docProps/app.xml"
CUSTOM_PROPS = "docProps/custom.xml"
PROPERTY_MEMBERS = (CORE_PROPS, APP_PROPS, CUSTOM_PROPS)

ZIP_MAGIC = b"PK\x03\x04"

# What reading a damaged package can raise, from zipfile, zlib and lxml alike.
DAMAGE_ERRORS: tuple[type[BaseException], ...] = (
    etree.XMLSyntaxError,
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    IndexError,
    EOFError,
    OSError,
    NotImplementedError,
    RecursionError,
)

# Core properties that are timestamps and counters, not anything a person wrote.
_CORE_BOOKKEEPING = frozenset({"created", "modified", "lastPrinted", "revision"})

# Extended (app.xml) properties that carry free text a person typed.
_APP_TEXT_PROPS = frozenset({"Company", "Manager", "HyperlinkBase", "Template"})


# ---------------------------------------------------------------- recognising


def zip_member_names(data: bytes) -> list[str] | None:
    """Member names from the central directory, or None if it cannot be read."""
    if not data.startswith(ZIP_MAGIC):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None


_LOCAL_HEADER = re.compile(re.escape(ZIP_MAGIC))


def local_header_names(data: bytes, limit: int = 200) -> list[str]:
    """Member names found in local file headers: enough to recognise a damaged or cut zip."""
    names: list[str] = []
    for match in _LOCAL_HEADER.finditer(data):
        pos = match.start()
        if pos + 30 > len(data):
            break
        (name_len,) = struct.unpack_from("<H", data, pos + 26)
        raw = data[pos + 30 : pos + 30 + name_len]
        if len(raw) != name_len or not name_len:
            continue
        names.append(raw.decode("utf-8", "replace"))
        if len(names) >= limit:
            break
    return names


def sniff_package(data: bytes, main_parts: Iterable[str], prefix: str) -> bool:
    """True for an OOXML package whose main part is one of `main_parts`.

    An intact package must have `[Content_Types].xml` and the main part. A
    damaged or truncated one (central directory unreadable) is still claimed
    when its local headers show members under `prefix` next to OOXML
    bookkeeping, so it gets a "damaged" verdict from the right handler.
    """
    names = zip_member_names(data)
    if names is not None:
        members = set(names)
        return CONTENT_TYPES in members and any(p in members for p in main_parts)
    if not data.startswith(ZIP_MAGIC):
        return False
    found = local_header_names(data)
    ooxml = any(n == CONTENT_TYPES or n.startswith(("_rels/", "docProps/")) for n in found)
    return ooxml and any(n.startswith(prefix) for n in found)


def damaged_reason(data: bytes, what: str) -> str:
    """Reason text for a package that cannot be opened as a zip."""
    if zip_member_names(data) is None:
        return f"{what} is truncated or damaged: its zip structure cannot be read"
    return f"{what} is damaged"


# ---------------------------------------------------------------- the package


@dataclass(frozen=True)
class Rel:
    id: str
    type: str
    target: str  # resolved package path for internal targets; raw for external
    external: bool

    @property
    def kind(self) -> str:
        return self.type.rsplit("/", 1)[-1]


class Package:
    """An opened OOXML (or ODF) zip with cached, safely parsed XML parts."""

    def __init__(self, data: bytes, what: str, limits: Limits | None = None) -> None:
        self.what = what
        self.limits = limits or Limits()
        self._expanded = 0
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = self.zip.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            raise ContentError(damaged_reason(data, what)) from exc
        self.name_set = set(self.names)
        self._trees: dict[str, etree._Element] = {}

    def __contains__(self, member: str) -> bool:
        return member in self.name_set

    def read(self, member: str) -> bytes:
        try:
            info = self.zip.getinfo(member)
        except KeyError as exc:
            raise ContentError(f"{self.what} is damaged: part {member} is missing") from exc
        lim = self.limits
        if info.file_size > lim.max_part_bytes:
            raise ContentError(f"{self.what} part {member} is larger than {lim.max_part_bytes} bytes")
        if info.file_size > lim.ratio_floor_bytes and info.file_size > lim.max_ratio * max(info.compress_size, 1):
            raise ContentError(
                f"{self.what} part {member} expands more than {lim.max_ratio:g}:1 (possible archive bomb)"
            )
        self._expanded += info.file_size
        if self._expanded > lim.max_expanded_bytes:
            raise ContentError(f"{self.what} expands to more than {lim.max_expanded_bytes} bytes")
        if info.flag_bits & 0x1:
            raise ContentError(f"{self.what} part {member} is encrypted (password-protected)")
        try:
            data = self.zip.read(member)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise ContentError(f"{self.what} is damaged: part {member} cannot be decompressed") from exc
        if is_xml_member(member) and has_doctype(data):
            raise ContentError(f"{self.what} part {member} declares a DTD, which office files never do")
        return data

    def tree(self, member: str) -> etree._Element:
        if member not in self._trees:
            try:
                self._trees[member] = parse_xml(self.read(member))
            except etree.XMLSyntaxError as exc:
                raise ContentError(f"{self.what} is damaged: part {member} is not well-formed XML") from exc
        return self._trees[member]

    def modified(self, member: str) -> bytes:
        return serialize(self._trees[member])

    def rels(self, source: str) -> list[Rel]:
        """Relationships of `source` ("" for the package itself), targets resolved."""
        folder, base = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", base + ".rels") if source else "_rels/.rels"
        if rels_name not in self.name_set:
            return []
        out: list[Rel] = []
        for rel in self.tree(rels_name):
            if local(rel.tag) != "Relationship":
                continue
            target = rel.get("Target") or ""
            external = rel.get("TargetMode") == "External"
            if not external:
                target = resolve_target(folder, target)
            out.append(Rel(rel.get("Id") or "", rel.get("Type") or "", target, external))
        return out

    def main_part(self, candidates: Iterable[str]) -> str:
        """The officeDocument part the package rels point at, else the first candidate present."""
        for rel in self.rels(""):
            if rel.kind == "officeDocument" and rel.target in self.name_set:
                return rel.target
        for name in candidates:
            if name in self.name_set:
                return name
        raise ContentError(f"{self.what} is damaged: it has no main document part")


def embedded_child(pkg: Package, info: zipfile.ZipInfo, name: str, ctx: ReadContext) -> Part:
    """An embedded file (OLE object, package, workbook behind a chart) read as a child part.

    Limits are checked on the declared size before anything is decompressed.
    """
    child_name = f"{name}/{info.filename}"
    refused = ctx.refuse_early(child_name, info.file_size, info.compress_size)
    if refused is not None:
        return refused
    try:
        data = pkg.zip.read(info.filename)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        return Part(name=child_name, kind="unknown", uninspectable="embedded file cannot be decompressed")
    return ctx.child(data, child_name, info.compress_size)


def resolve_target(folder: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


def rels_member(source: str) -> str:
    folder, base = posixpath.split(source)
    return posixpath.join(folder, "_rels", base + ".rels")


# ---------------------------------------------------------------- properties


def property_segments(pkg: Package, builder: SegmentBuilder) -> None:
    """Document properties as one segment each, where="property:<name>".

    Core (title, author, keywords...), the free-text extended ones (company,
    manager, the titles of parts) and every custom property value. Always in
    the same order so a writer can map segments back.
    """
    if CORE_PROPS in pkg:
        for el in pkg.tree(CORE_PROPS):
            if isinstance(el.tag, str) and local(el.tag) not in _CORE_BOOKKEEPING and (el.text or "").strip():
                builder.new_segment()
                builder.add(CORE_PROPS, f"property:{local(el.tag)}", el)
    if APP_PROPS in pkg:
        for el in pkg.tree(APP_PROPS):
            name = local(el.tag)
            if name in _APP_TEXT_PROPS and (el.text or "").strip():
                builder.new_segment()
                builder.add(APP_PROPS, f"property:{name}", el)
            elif name == "TitlesOfParts":
                builder.new_segment()
                for item in el.iter(f"{{{VT_NS}}}lpstr", f"{{{VT_NS}}}lpwstr"):
                    builder.paragraph()
                    builder.add(APP_PROPS, "property:TitlesOfParts", item)
    if CUSTOM_PROPS in pkg:
        for prop in pkg.tree(CUSTOM_PROPS):
            if local(prop.tag) != "property":
                continue
            key = prop.get("name") or "custom"
            for value in prop.iter():
                if value is not prop and isinstance(value.tag, str) and (value.text or "").strip():
                    builder.new_segment()
                    builder.add(CUSTOM_PROPS, f"property:{key}", value)


# ---------------------------------------------------------------- generic parts

_GENERIC_SKIP = frozenset({"f", "formatCode", "numFmt", "extLst", "AlternateContent"})


def generic_segments(pkg: Package, member: str, where: str, builder: SegmentBuilder) -> None:
    """Text of a part this module has no model for (charts, diagrams, custom XML).

    Paragraph elements (`p`) join their runs; any other element's text is a
    line of its own. Chart formulas (`c:f`) are references, not content.
    """
    builder.new_segment()
    _generic_walk(pkg.tree(member), member, where, builder)


def _generic_walk(el: etree._Element, member: str, where: str, builder: SegmentBuilder) -> None:
    name = local(el.tag)
    if not name or name in _GENERIC_SKIP:
        return
    if name == "p":
        builder.paragraph()
        for t in el.iter():
            if local(t.tag) == "t" and t.text:
                builder.add(member, where, t)
        builder.paragraph()
        return
    if el.text and el.text.strip():
        builder.paragraph()
        builder.add(member, where, el)
    for child in el:
        _generic_walk(child, member, where, builder)


def generic_where(member: str) -> str:
    lowered = member.lower()
    for marker, where in (
        ("/charts/", "chart"),
        ("/diagrams/", "diagram"),
        ("customxml/", "custom-xml"),
        ("/drawings/", "drawing"),
        ("/externallinks/", "external-link"),
    ):
        if marker in lowered or lowered.startswith(marker):
            return where
    return "other"


_DOCTYPE = re.compile(rb"<!DOCTYPE|<\x00!\x00D\x00O\x00C\x00T\x00Y\x00P\x00E\x00", re.IGNORECASE)


def has_doctype(data: bytes) -> bool:
    """True if an XML part declares a DTD.

    Office never writes one; a DTD can define entities that some parsers expand
    and others do not, so the text the gateway inspects could differ from what
    a reader shows. Such a part is refused rather than guessed at.
    """
    return _DOCTYPE.search(data[:65536]) is not None


# ---------------------------------------------------------------- rewriting


def drop_fallbacks(root: etree._Element) -> bool:
    """Remove `mc:Fallback` copies (older-format duplicates of text boxes and shapes).

    Readers inspect the preferred `mc:Choice`; a redacted file must not keep an
    unredacted second copy of the same text for older readers.
    """
    removed = False
    for fb in list(root.iter(f"{{{MC_NS}}}Fallback")):
        parent = fb.getparent()
        if parent is not None:
            parent.remove(fb)
            removed = True
    return removed


def remove_parts(pkg: Package, members: set[str], changed: dict[str, bytes]) -> set[str]:
    """Drop `members` from the package: their rels entries and content-type overrides too.

    Returns the set of removed members (including their own .rels files);
    updated .rels and content types are put into `changed`.
    """
    if not members:
        return set()
    removed = set(members) | {rels_member(m) for m in members if rels_member(m) in pkg}
    for rels_name in [n for n in pkg.names if n.endswith(".rels") and n not in removed]:
        source_folder = posixpath.dirname(posixpath.dirname(rels_name))
        root = pkg.tree(rels_name)
        dirty = False
        for rel in list(root):
            if rel.get("TargetMode") == "External":
                continue
            if resolve_target(source_folder, rel.get("Target") or "") in members:
                root.remove(rel)
                dirty = True
        if dirty:
            changed[rels_name] = serialize(root)
    if CONTENT_TYPES in pkg:
        root = pkg.tree(CONTENT_TYPES)
        dirty = False
        for override in list(root):
            if (override.get("PartName") or "").lstrip("/") in members:
                root.remove(override)
                dirty = True
        if dirty:
            changed[CONTENT_TYPES] = serialize(root)
    return removed


def thumbnails(pkg: Package) -> set[str]:
    """Thumbnail images: a picture of the first page or sheet, removed data included."""
    found = {rel.target for rel in pkg.rels("") if rel.kind == "thumbnail" and rel.target in pkg}
    found.update(n for n in pkg.names if n.lower().startswith(("docprops/thumbnail", "thumbnails/")))
    return found


def rebuild_zip(original: zipfile.ZipFile, changed: dict[str, bytes], removed: set[str]) -> bytes:
    """The same zip with `changed` members replaced and `removed` ones left out.

    Order, names, timestamps and compression of members are kept, so a
    `mimetype` member that must come first and be stored stays so.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in original.infolist():
            if info.filename in removed:
                continue
            data = changed[info.filename] if info.filename in changed else original.read(info.filename)
            new = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            new.compress_type = info.compress_type if info.compress_type == zipfile.ZIP_STORED else zipfile.ZIP_DEFLATED
            new.external_attr = info.external_attr
            new.create_system = info.create_system
            zf.writestr(new, data)
    return out.getvalue()


# ---------------------------------------------------------------- read and write paths of text documents


@contextmanager
def rewrite_guard(what: str) -> Iterator[None]:
    """Turn any failure while rewriting into NotRedactable: the transfer is held, never crashed or sent."""
    try:
        yield
    except NotRedactable:
        raise
    except ContentError as exc:
        raise NotRedactable(str(exc)) from exc
    except Exception as exc:
        raise NotRedactable(f"the {what} cannot be rewritten ({type(exc).__name__})") from exc


class Layout(Protocol):
    """What a document format's traversal yields: segments and data tables, in a fixed order."""

    segments: list[MappedSegment]
    tables: list[tuple[Table, etree._Element, Any]]


LayoutOf = Callable[[Package], Layout]
ColumnDropper = Callable[[etree._Element, Any, set[int]], None]


def read_package(
    data: bytes,
    name: str,
    ctx: ReadContext,
    *,
    kind: str,
    what: str,
    layout_of: LayoutOf,
    embedded_prefixes: tuple[str, ...],
) -> Part:
    """The read path of DOCX and PPTX: the layout's segments and tables, embedded files as children."""
    try:
        pkg = Package(data, what, ctx.limits)
        layout = layout_of(pkg)
        part = Part(name=name, kind=kind, data=data)
        part.segments = [Segment(seg.text, seg.where) for seg in layout.segments]
        part.tables = [t for t, _, _ in layout.tables]
        ctx.admit_text(sum(len(s.text) for s in part.segments))
        for info in pkg.zip.infolist():
            if info.filename.startswith(embedded_prefixes) and not info.is_dir():
                part.children.append(embedded_child(pkg, info, name, ctx))
        return part
    except ContentError as exc:
        return Part(name=name, kind=kind, data=data, uninspectable=str(exc))
    except LimitExceeded as exc:
        return Part(name=name, kind=kind, data=data, uninspectable=f"{what} over a limit: {exc}")
    except DAMAGE_ERRORS:
        return Part(name=name, kind=kind, data=data, uninspectable=damaged_reason(data, what))


def rewrite_package(
    part: Part,
    plan: RedactionPlan,
    write_child: Writer,
    *,
    what: str,
    layout_of: LayoutOf,
    drop_columns: ColumnDropper,
) -> bytes:
    """The write path of DOCX and PPTX.

    The same traversal runs again over the original bytes and must reproduce
    the segments detection saw, or the spans could land on the wrong text. Then
    planned spans and every copy of a removed value are replaced, planned table
    columns dropped, `mc:Fallback` duplicates and thumbnails removed, touched
    embedded files rewritten by their own handlers, and the result verified.
    """
    pkg = Package(part.data, what)
    try:
        layout = layout_of(pkg)
    except (ContentError, etree.XMLSyntaxError, ValueError, KeyError, RecursionError) as exc:
        raise NotRedactable(f"the {what} cannot be parsed for rewriting") from exc
    if len(layout.segments) != len(part.segments) or any(
        a.text != b.text for a, b in zip(layout.segments, part.segments, strict=True)
    ):
        raise NotRedactable(f"the {what} reads differently on a second pass; cannot map redactions safely")
    red = plan.for_part(part.name)
    changed: dict[str, bytes] = {}
    removed: set[str] = set()
    # Values removed from embedded files count too: a chart's cached values in
    # this package are copies of the workbook embedded behind it.
    values: dict[str, str] = {}
    for child in part.children:
        for sub in child.walk():
            sub_red = plan.for_part(sub.name)
            if sub_red is not None:
                values.update(scrub_values(sub, sub_red.drop_columns, sub_red.spans))
    if red is not None:
        if any(ti >= len(layout.tables) for ti, cols in red.drop_columns.items() if cols):
            raise NotRedactable(f"the redaction plan names a table the {what} does not have")
        values.update(scrub_values(part, red.drop_columns, red.spans))
    index = ValueIndex(values)
    if red is not None or index:
        planned = red.spans if red is not None else {}
        dirty: set[str] = set()
        for si, seg in enumerate(layout.segments):
            spans = list(planned.get(si, [])) + index.find(seg.text)
            if spans and apply_spans(seg, spans):
                dirty.add(seg.member)
        for ti, cols in (red.drop_columns if red is not None else {}).items():
            if cols:
                table, tbl, grid = layout.tables[ti]
                if any(c >= len(table.header) for c in cols):
                    raise NotRedactable(f"the redaction plan names a column the {what} table does not have")
                drop_columns(tbl, grid, set(cols))
                dirty.add(_member_of(pkg, tbl))
        for member in list(pkg._trees):
            if member.endswith(".xml") and member not in PROPERTY_MEMBERS and drop_fallbacks(pkg.tree(member)):
                dirty.add(member)
        for member in dirty:
            changed[member] = pkg.modified(member)
        removed = remove_parts(pkg, thumbnails(pkg), changed)
    for child in part.children:
        if plan.touches(child):
            member = child.name[len(part.name) + 1 :]
            if member not in pkg:
                raise NotRedactable(f"an embedded file of the {what} cannot be located for redaction")
            changed[member] = write_child(child, plan)
    result = rebuild_zip(pkg.zip, changed, removed)
    if index:
        second: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(result)) as out:
            scrub_members(out, index, no_skip, EDITABLE_ATTRS, second)
            if second:
                result = rebuild_zip(out, second, set())
        verify_members(result, index, no_skip, what)
    return result


@dataclass
class PackageHandler:
    """The format handler of DOCX and PPTX: one package, its own traversal.

    Both are read (`read_package`) and rewritten (`rewrite_package`) the same
    way; what differs is the main part that identifies the format, the folder
    its parts (and embedded files, under `embeddings/`) live in, the word the
    reasons use for it, its traversal and how its tables lose a column.
    """

    kind: str
    main: str
    folder: str
    what: str
    layout_of: LayoutOf
    drop_columns: ColumnDropper

    def sniff(self, data: bytes, name: str) -> bool:
        return sniff_package(data, (self.main,), self.folder)

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        return read_package(
            data,
            name,
            ctx,
            kind=self.kind,
            what=self.what,
            layout_of=self.layout_of,
            embedded_prefixes=(f"{self.folder}embeddings/",),
        )

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        if not plan.touches(part):
            return part.data
        if part.uninspectable:
            raise NotRedactable(f"the {self.what} could not be fully inspected ({part.uninspectable})")
        with rewrite_guard(self.what):
            return rewrite_package(
                part, plan, write_child, what=self.what, layout_of=self.layout_of, drop_columns=self.drop_columns
            )


# ---------------------------------------------------------------- shared by the traversals

_ALT_TEXT_ATTRS = ("descr", "title")


def alt_text_segments(builder: SegmentBuilder, member: str, el: etree._Element) -> None:
    """A picture's or shape's alt text (`docPr`/`cNvPr` description and title), one segment each."""
    for attr in _ALT_TEXT_ATTRS:
        if (el.get(attr) or "").strip():
            builder.new_segment()
            builder.add(member, "alt-text", el, "@" + attr)
            builder.new_segment()


def is_header_row(cells: list[str]) -> bool:
    """Whether a document table's first row names its columns: every cell has text, at most half are numbers."""
    return all(cells) and sum(1 for c in cells if is_numeric(c)) <= len(cells) / 2


def _member_of(pkg: Package, el: etree._Element) -> str:
    root = el.getroottree().getroot()
    for member, tree in pkg._trees.items():
        if tree is root:
            return member
    raise NotRedactable("an edited table could not be traced to its part")
