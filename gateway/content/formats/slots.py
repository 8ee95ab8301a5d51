"""Segments built from many small strings, and spans mapped back to those strings.

Structured formats (JSON, XML, HTML, PDF metadata...) hold text as many small
strings ("slots"): a JSON value, an XML attribute, an HTML text node. Detection
works better on a few larger segments, where a label such as "dob:" sits next
to its value, so readers lay slots out as lines of segments. A writer rebuilds
the same layout from the same parse and uses `SlotLayout.slot_spans` to learn
which characters of which slot a detector's span covers. Nothing here knows a
file format.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from gateway.content.model import Segment, Span, Table

# Segments grow to about this many characters, and are only ever cut between
# lines, so no value is split across two segments.
SEGMENT_TARGET_CHARS = 4000


def table_chars(tables: Iterable[Table]) -> int:
    """Characters of text in tables (header and cells), for the text budget."""
    return sum(len(cell) for t in tables for row in (t.header, *t.rows) for cell in row)


def redaction_marker(label: str) -> str:
    """The text that replaces a redacted span (contract: `[REDACTED:TYPE]`)."""
    return f"[REDACTED:{label}]"


def merge_spans(spans: Iterable[Span], length: int) -> list[Span]:
    """Spans clamped to `[0, length)`, sorted, overlapping ones merged.

    A merged span keeps the label of the span that starts first: the whole
    overlapping range goes either way, and one marker reads better than two.
    """
    cleaned = sorted(
        (Span(max(0, s.start), min(length, s.end), s.label) for s in spans),
        key=lambda s: (s.start, -s.end),
    )
    merged: list[Span] = []
    for span in cleaned:
        if span.end <= span.start:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.label)
        else:
            merged.append(span)
    return merged


def redact(text: str, spans: Iterable[Span]) -> str:
    """`text` with every span replaced by its `[REDACTED:TYPE]` marker."""
    merged = merge_spans(spans, len(text))
    if not merged:
        return text
    out: list[str] = []
    pos = 0
    for span in merged:
        out.append(text[pos : span.start])
        out.append(redaction_marker(span.label))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


@dataclass
class _Builder:
    where: str
    index: int  # position of this builder's current segment in the layout
    pieces: list[str] = field(default_factory=list)
    length: int = 0


@dataclass
class SlotLayout:
    """Lays slots out as segments and remembers where each slot landed.

    `placements[i]` lists `(start, length, slot)` for segment `i`, in order of
    `start`. Slot ids are whatever the format uses to find the string again
    (usually its position in a deterministic traversal).
    """

    target: int = SEGMENT_TARGET_CHARS
    segments: list[Segment] = field(default_factory=list)
    placements: list[list[tuple[int, int, int]]] = field(default_factory=list)
    _open: dict[str, _Builder] = field(default_factory=dict)

    def add(self, where: str, text: str, slot: int | None = None, *, new_line: bool = True) -> None:
        """Append `text` to the segments for `where`.

        `new_line` starts it on a new line (and possibly a new segment);
        without it the text continues the current line, as inline HTML does.
        `slot=None` marks context text (a key name) that maps to nothing.
        """
        if not text:
            return
        builder = self._open.get(where)
        if builder is not None and new_line and builder.length >= self.target:
            self._close(builder)
            builder = None
        if builder is None:
            builder = _Builder(where, len(self.segments))
            self.segments.append(Segment("", where))
            self.placements.append([])
            self._open[where] = builder
        elif new_line:
            builder.pieces.append("\n")
            builder.length += 1
        if slot is not None:
            self.placements[builder.index].append((builder.length, len(text), slot))
        builder.pieces.append(text)
        builder.length += len(text)

    def finish(self) -> list[Segment]:
        """Close every open segment and return all of them, in creation order."""
        for builder in list(self._open.values()):
            self._close(builder)
        return self.segments

    def _close(self, builder: _Builder) -> None:
        self.segments[builder.index] = Segment("".join(builder.pieces), builder.where)
        del self._open[builder.where]

    def text_chars(self) -> int:
        return sum(len(s.text) for s in self.segments)

    def slot_spans(self, spans: dict[int, list[Span]]) -> dict[int, list[Span]]:
        """Detector spans per segment → spans per slot, in the slot's own offsets.

        A span that covers several slots (a name split over two HTML text
        nodes) redacts the covered part of each; characters that belong to no
        slot (separators, key names) are simply not there to redact.
        """
        out: dict[int, list[Span]] = {}
        for seg_index, seg_spans in spans.items():
            if not 0 <= seg_index < len(self.placements):
                continue
            places = self.placements[seg_index]
            starts = [p[0] for p in places]
            for span in seg_spans:
                i = max(bisect_right(starts, span.start) - 1, 0)
                while i < len(places):
                    start, length, slot = places[i]
                    if start >= span.end:
                        break
                    lo, hi = max(span.start, start), min(span.end, start + length)
                    if lo < hi:
                        out.setdefault(slot, []).append(Span(lo - start, hi - start, span.label))
                    i += 1
        return out
