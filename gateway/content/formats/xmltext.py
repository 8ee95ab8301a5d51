"""Text of XML office parts as segments, and redactions written back into the XML.

Office formats keep visible text in many small nodes: one name can be split over
several runs (`<w:t>Jo</w:t><w:t>hn</w:t>`), and ODF mixes text with element
tails. A span that detection found in a segment's text must land on exactly the
same characters when the file is rewritten, so readers and writers both build
segments with `SegmentBuilder` over the same parsed XML: every character range
of a segment remembers the node (text, tail or attribute) it came from, and
`apply_spans` edits those nodes.

`ValueIndex` finds known values (everything redaction removed) in any text by
whole-token sequences. Writers use it to scrub copies of removed values from
places the plan did not name (comments, properties, caches) and to verify that
nothing removed survives in the output.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from gateway.content.model import Span

XML_NS = "http://www.w3.org/XML/1998/namespace"
_SPACE = f"{{{XML_NS}}}space"

# Segments are cut at a paragraph boundary once they pass this size, so that no
# single segment is too large for the NLP stage while paragraphs stay whole.
SEGMENT_SOFT_LIMIT = 60_000


def safe_parser(*, remove_blank_text: bool = False, strip_cdata: bool = True) -> etree.XMLParser:
    """An XML parser that never fetches anything and never expands entities.

    Comments and processing instructions are kept (they can hold text too);
    `strip_cdata=False` also keeps CDATA sections as written, for a writer
    that must give the document back as it was.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=remove_blank_text,
        remove_comments=False,
        remove_pis=False,
        strip_cdata=strip_cdata,
    )


def parse_xml(data: bytes) -> etree._Element:
    """Parse one XML member safely; raises etree.XMLSyntaxError on bad XML."""
    return etree.fromstring(data, safe_parser())


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def local(tag: object) -> str:
    """The local name of an element tag ('' for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


@dataclass
class Piece:
    """Characters [start, end) of a segment came from `slot` of `node`.

    `slot` is "text" (node.text), "tail" (node.tail) or "@name" (an attribute).
    """

    node: etree._Element
    slot: str
    start: int
    end: int

    def get(self) -> str:
        if self.slot == "text":
            return self.node.text or ""
        if self.slot == "tail":
            return self.node.tail or ""
        return self.node.get(self.slot[1:]) or ""

    def set(self, value: str) -> None:
        if self.slot == "text":
            self.node.text = value
            if value != value.strip() and local(self.node.tag) in _PRESERVE_SPACE:
                self.node.set(_SPACE, "preserve")
        elif self.slot == "tail":
            self.node.tail = value
        else:
            self.node.set(self.slot[1:], value)


# WordprocessingML text elements drop leading/trailing spaces without xml:space.
_PRESERVE_SPACE = frozenset({"t", "delText", "instrText"})


@dataclass
class MappedSegment:
    """A segment's text plus where each of its characters lives in the XML."""

    member: str
    where: str
    chunks: list[str] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    length: int = 0

    @property
    def text(self) -> str:
        return "".join(self.chunks)


class SegmentBuilder:
    """Accumulates text nodes into segments, deterministically.

    Consecutive text of the same member and `where` is joined; a paragraph
    boundary inserts "\\n" (only between texts of one segment); a change of
    member or `where`, an explicit `new_segment()`, or passing the soft size limit
    at a paragraph boundary starts a new segment.
    """

    def __init__(self, soft_limit: int = SEGMENT_SOFT_LIMIT) -> None:
        self.segments: list[MappedSegment] = []
        self._current: MappedSegment | None = None
        self._pending_break = False
        self._soft_limit = soft_limit

    def new_segment(self) -> None:
        self._current = None
        self._pending_break = False

    def paragraph(self) -> None:
        """The next text starts a new paragraph."""
        self._pending_break = True

    def add(self, member: str, where: str, node: etree._Element, slot: str = "text") -> None:
        """Add the text held in `slot` of `node` (skipped when empty)."""
        piece = Piece(node, slot, 0, 0)
        value = piece.get()
        if value:
            self._append(member, where, value, piece)

    def virtual(self, member: str, where: str, value: str) -> None:
        """Text implied by markup (a tab, a line break): part of the text, not editable."""
        self._append(member, where, value, None)

    def _append(self, member: str, where: str, value: str, piece: Piece | None) -> None:
        seg = self._current
        if (
            seg is None
            or seg.member != member
            or seg.where != where
            or (self._pending_break and seg.length >= self._soft_limit)
        ):
            seg = MappedSegment(member, where)
            self.segments.append(seg)
            self._current = seg
        elif self._pending_break and seg.length:
            seg.chunks.append("\n")
            seg.length += 1
        self._pending_break = False
        if piece is not None:
            piece.start = seg.length
            piece.end = seg.length + len(value)
            seg.pieces.append(piece)
        seg.chunks.append(value)
        seg.length += len(value)

    def result(self) -> list[MappedSegment]:
        return [s for s in self.segments if s.length]


def merge_spans(spans: Iterable[Span], length: int) -> list[Span]:
    """Sorted, clamped, overlapping spans merged (the first span's label wins)."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        start, end = max(0, span.start), min(length, span.end)
        if end <= start:
            continue
        if out and start < out[-1].end:
            last = out[-1]
            if end > last.end:
                out[-1] = Span(last.start, end, last.label)
            continue
        out.append(Span(start, end, span.label))
    return out


def redaction_label(label: str) -> str:
    return f"[REDACTED:{label}]" if label else "[REDACTED]"


def redact_text(text: str, spans: Iterable[Span]) -> str:
    """`text` with each span replaced by its label (for plain strings, e.g. cell values)."""
    out = text
    for span in reversed(merge_spans(spans, len(text))):
        out = out[: span.start] + redaction_label(span.label) + out[span.end :]
    return out


def apply_spans(segment: MappedSegment, spans: Iterable[Span]) -> bool:
    """Replace each span of `segment` in the XML; returns True if anything changed.

    A span crossing several nodes puts the label in the first node and empties
    the covered parts of the others, so each node keeps its own formatting.
    Spans are applied from the end so earlier offsets stay valid.
    """
    changed = False
    for span in reversed(merge_spans(spans, segment.length)):
        covered = [p for p in segment.pieces if p.start < span.end and p.end > span.start]
        if not covered:
            continue
        for i, piece in enumerate(covered):
            current = piece.get()
            head = current[: max(0, span.start - piece.start)] if i == 0 else ""
            label = redaction_label(span.label) if i == 0 else ""
            tail = current[span.end - piece.start :] if piece.end > span.end else ""
            piece.set(head + label + tail)
        changed = True
    return changed


# ---------------------------------------------------------------- value matching

_TOKEN = re.compile(r"[^\W\d_]+|\d+")


def tokens(text: str) -> list[str]:
    return [m.group().casefold() for m in _TOKEN.finditer(text)]


def distinctive(value: str) -> bool:
    """Worth searching for elsewhere: long enough that a match means a copy.

    Short codes ("5", "Y", "PC") and small numbers would match counters and
    structure everywhere, so they are removed structurally but not searched.
    """
    toks = tokens(value)
    alnum = sum(len(t) for t in toks)
    if alnum < 4:
        return False
    return not (all(t.isdigit() for t in toks) and alnum < 6)


class ValueIndex:
    """Finds any of a set of values in text, as whole-token sequences, ignoring case.

    Token matching (letters and digits split apart) finds "AB123456C" in
    "NI:AB123456C" and a date inside "1975-03-02T00:00:00", but not "Lee" in
    "Leeds". Values are kept in a trie of tokens, so a search costs time
    linear in the text however many values share a first token (thousands of
    NI numbers all start with a letter pair).
    """

    _END = ""  # key of a trie node's label; real tokens are never empty

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)
        self._root: dict[str, Any] = {}
        for value, label in self.values.items():
            toks = tokens(value)
            if not toks:
                continue
            node = self._root
            for tok in toks:
                node = node.setdefault(tok, {})
            node.setdefault(self._END, label)

    def subset(self, keep: Callable[[str], bool]) -> ValueIndex:
        return ValueIndex({v: label for v, label in self.values.items() if keep(v)})

    def __bool__(self) -> bool:
        return bool(self._root)

    def find(self, text: str) -> list[Span]:
        """Non-overlapping matches, longest first at each position."""
        if not self._root or not text:
            return []
        found = list(_TOKEN.finditer(text))
        folded = [m.group().casefold() for m in found]
        spans: list[Span] = []
        i, n = 0, len(folded)
        while i < n:
            node = self._root.get(folded[i])
            best: tuple[int, str] | None = None
            j = i
            while node is not None:
                j += 1
                if self._END in node:
                    best = (j, node[self._END])
                node = node.get(folded[j]) if j < n else None
            if best is None:
                i += 1
                continue
            end, label = best
            spans.append(Span(found[i].start(), found[end - 1].end(), label))
            i = end
        return spans

    def contains(self, text: str) -> bool:
        return bool(self.find(text))


def iter_slots(root: etree._Element, skip: frozenset[str] = frozenset()) -> Iterator[tuple[etree._Element, str]]:
    """Every text, tail and attribute slot under `root` except inside elements whose local name is in `skip`."""
    stack = [root]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            if el.tail:
                yield el, "tail"
            continue
        if local(el.tag) in skip:
            if el.tail:
                yield el, "tail"
            continue
        if el.text:
            yield el, "text"
        for name in el.attrib:
            yield el, "@" + name
        if el.tail and el is not root:
            yield el, "tail"
        stack.extend(reversed(list(el)))
