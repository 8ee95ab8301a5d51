"""The last line of defence for redaction: no removed value may leave in the output.

A redaction plan names columns and spans, but office files keep copies of
values in places no plan names: comments, document properties, chart and
pivot caches, deleted (tracked) text, comment authors, link targets. Writers
collect the values they removed (`scrub_values`), replace every copy of them
in the rewritten package (`scrub_members`), and then search every text node,
attribute and binary member of the result (`verify_members`). A survivor
makes the file `NotRedactable`, so the transfer is held rather than sent.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from lxml import etree

from gateway.content.formats.xmltext import (
    SegmentBuilder,
    ValueIndex,
    apply_spans,
    distinctive,
    iter_slots,
    local,
    parse_xml,
    redact_text,
    serialize,
    tokens,
)
from gateway.content.model import NotRedactable, Part, Span

# Attributes that are structure (ids, references, styles), not content, and are
# not searched when verifying that no removed value survives.
STRUCTURAL_ATTRS = frozenset(
    {
        "r",
        "s",
        "t",
        "ref",
        "sqref",
        "spans",
        "id",
        "Id",
        "Type",
        "TargetMode",
        "val",
        "name",
        "uri",
        "styleId",
        "embed",
        "link",
        "ContentType",
        "PartName",
        "Extension",
        "cacheId",
        "sheetId",
        "rId",
        "paraId",
        "textId",
        "durableId",
        "rsidR",
        "rsidRPr",
        "rsidRDefault",
        "rsidP",
        "rsidDel",
        "rsidSect",
        "rsidTr",
        "space",
        "Ignorable",
        "count",
        "uniqueCount",
    }
)

# Attributes that hold names and text (comment authors, alt text, link targets),
# scrubbed in place like text.
EDITABLE_ATTRS = frozenset(
    {"author", "initials", "descr", "title", "tooltip", "Target", "userId", "providerId", "displayName"}
)


def scrub_values(part: Part, drops: dict[int, set[int]], spans: dict[int, list[Span]]) -> dict[str, str]:
    """Values to find and replace everywhere in the output, with their labels.

    Distinctive values of removed columns (unless the same value is also kept
    in an allowed column, where it is legitimately present), and the text of
    every redacted span.
    """
    removed: set[str] = set()
    kept: set[str] = set()
    for ti, table in enumerate(part.tables):
        drop = drops.get(ti, set())
        for ci in range(len(table.header)):
            for v in table.column(ci):
                if v.strip():
                    (removed if ci in drop else kept).add(v.strip())
    out = {v: "" for v in removed - kept if distinctive(v)}
    for si, seg_spans in spans.items():
        if si >= len(part.segments):
            continue
        text = part.segments[si].text
        for span in seg_spans:
            piece = text[span.start : span.end].strip()
            if piece:
                out[piece] = span.label
    return out


def no_skip(member: str) -> frozenset[str]:
    """Search everything (documents have no kept table cells outside their text)."""
    return frozenset()


def is_xml_member(member: str) -> bool:
    return member.endswith((".xml", ".rels", ".vml")) or member == "[Content_Types].xml"


SlotFilter = Callable[[str, etree._Element, str], bool]


def _all_slots(member: str, el: etree._Element, slot: str) -> bool:
    return True


def scrub_members(
    zf: zipfile.ZipFile,
    index: ValueIndex,
    skip_elements: Callable[[str], frozenset[str]],
    editable_attrs: frozenset[str],
    changed: dict[str, bytes],
) -> None:
    """Replace every occurrence of an indexed value in the XML members of `zf`.

    Text is scrubbed paragraph by paragraph (so a value split over runs is
    found); attributes named in `editable_attrs` are scrubbed in place.
    Elements whose local names `skip_elements(member)` returns (kept table
    cells) are left alone. Changed members go into `changed`.
    """
    if not index:
        return
    for member in zf.namelist():
        if not is_xml_member(member):
            continue
        data = changed.get(member) or zf.read(member)
        try:
            root = parse_xml(data)
        except etree.XMLSyntaxError:
            continue
        builder = SegmentBuilder()
        _scrub_walk(root, member, skip_elements(member), builder)
        dirty = False
        for seg in builder.result():
            spans = index.find(seg.text)
            if spans and apply_spans(seg, spans):
                dirty = True
        for el, slot in iter_slots(root, skip_elements(member)):
            if slot.startswith("@") and local(slot[1:]) in editable_attrs:
                value = el.get(slot[1:]) or ""
                spans = index.find(value)
                if spans:
                    el.set(slot[1:], redact_text(value, spans))
                    dirty = True
        if dirty:
            changed[member] = serialize(root)


def _scrub_walk(el: etree._Element, member: str, skip: frozenset[str], builder: SegmentBuilder) -> None:
    name = local(el.tag)
    if not name:
        if el.tail:
            builder.add(member, "scrub", el, "tail")
        return
    if name in skip:
        builder.paragraph()
        if el.tail:
            builder.add(member, "scrub", el, "tail")
        return
    paragraph = name in {"p", "si", "text", "is", "h"}
    if paragraph:
        builder.paragraph()
    if el.text:
        builder.add(member, "scrub", el, "text")
    for child in el:
        _scrub_walk(child, member, skip, builder)
    if paragraph:
        builder.paragraph()
    if el.tail:
        builder.add(member, "scrub", el, "tail")


def verify_members(
    data: bytes,
    index: ValueIndex,
    skip_elements: Callable[[str], frozenset[str]],
    what: str,
) -> None:
    """Raise NotRedactable if any indexed value is left anywhere in the output zip.

    XML members are searched in all text and all non-structural attributes;
    other members (images, binaries) in their raw bytes as UTF-8 and UTF-16.
    The message names the member, never the value.
    """
    if not index:
        return
    # In binary members only long values are searched: a short word turns up in
    # a megabyte of compressed image data by chance.
    binary_index = index.subset(lambda value: sum(len(t) for t in tokens(value)) >= 8)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for member in zf.namelist():
            raw = zf.read(member)
            root = None
            if is_xml_member(member):
                try:
                    root = parse_xml(raw)
                except etree.XMLSyntaxError as exc:
                    if not member.endswith(".vml"):  # legacy VML is often not well-formed
                        raise NotRedactable(f"the rewritten {what} has malformed XML in {member}") from exc
            if root is None:
                if _binary_contains(raw, binary_index):
                    raise NotRedactable(f"a removed value would remain in the binary part {member} of the {what}")
                continue
            builder = SegmentBuilder()
            _scrub_walk(root, member, skip_elements(member), builder)
            if any(index.find(seg.text) for seg in builder.result()):
                raise NotRedactable(f"a removed value would remain in {member} of the {what}")
            for el, slot in iter_slots(root, skip_elements(member)):
                if (
                    slot.startswith("@")
                    and local(slot[1:]) not in STRUCTURAL_ATTRS
                    and index.find(el.get(slot[1:]) or "")
                ):
                    raise NotRedactable(f"a removed value would remain in {member} of the {what}")


def _binary_contains(raw: bytes, index: ValueIndex) -> bool:
    """Search text-like runs of a binary member (UTF-8/Latin-1 and UTF-16LE)."""
    if not raw:
        return False
    latin = raw.decode("latin-1")
    if index.find(latin):
        return True
    if len(raw) >= 2:
        utf16 = raw[: len(raw) // 2 * 2].decode("utf-16-le", "replace")
        if index.find(utf16):
            return True
    return False
