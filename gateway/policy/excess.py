"""Data an agreement does not allow, grouped for reasons and for the redaction plan.

Columns are the unit a table is redacted by; values in running text are cut
one by one as `[REDACTED:<category>]` spans; a value with no usable position
cannot be cut at all, which the caller must treat as a reason to hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.content.model import PartRedaction, RedactionPlan, Span
from gateway.detect.model import FIELD_CATEGORIES
from gateway.policy.inventory import ColumnRef, Item
from gateway.policy.wording import plural, quoted

_ORDER = {c: i for i, c in enumerate(FIELD_CATEGORIES)}


@dataclass
class Excess:
    """Excess data grouped the way reasons and redaction need it."""

    columns: dict[tuple[str, int, int], ColumnRef] = field(default_factory=dict)
    column_categories: dict[str, None] = field(default_factory=dict)  # an ordered set
    text: list[Item] = field(default_factory=list)
    unlocatable: list[Item] = field(default_factory=list)

    @classmethod
    def of(cls, judged: list[Item]) -> Excess:
        out = cls()
        for item in judged:
            if item.column is not None:
                ref = item.column
                out.columns.setdefault((ref.part_name, ref.table, ref.index), ref)
                out.column_categories[item.category] = None
            elif item.finding is not None and _locatable(item):
                out.text.append(item)
            else:
                out.unlocatable.append(item)
        return out

    def categories(self) -> list[str]:
        """Categories in the order met: columns left to right, then text."""
        found = list(self.column_categories) + [i.category for i in self.text + self.unlocatable]
        return list(dict.fromkeys(found))

    def where(self) -> str:
        """`2 columns (“NI Number”, “DOB”) and 3 values in the text of “memo.txt”`."""
        bits: list[str] = []
        if self.columns:
            labels = list(dict.fromkeys(c.label for c in self.columns.values()))
            bits.append(f"{plural(len(self.columns), 'column')} ({quoted(labels)})")
        located = self.text + self.unlocatable
        if located:
            parts = list(dict.fromkeys(i.finding.part for i in located if i.finding is not None))
            bits.append(f"{plural(len(located), 'value')} in the text of {quoted(parts)}")
        return " and ".join(bits)

    def fields(self) -> list[str]:
        """The contract's `excess_fields`: column headers, then entity types found in text."""
        labels = list(dict.fromkeys(c.label for c in self.columns.values()))
        types = sorted({i.category for i in self.text + self.unlocatable}, key=lambda c: (_ORDER.get(c, 999), c))
        return labels + [t for t in types if t not in labels]

    def plan(self) -> RedactionPlan:
        plan = RedactionPlan()
        for ref in self.columns.values():
            part = plan.parts.setdefault(ref.part_name, PartRedaction())
            part.drop_columns.setdefault(ref.table, set()).add(ref.index)
        for item in self.text:
            f = item.finding
            assert f is not None and f.segment is not None and f.start is not None and f.end is not None
            part = plan.parts.setdefault(f.part_name, PartRedaction())
            part.spans.setdefault(f.segment, []).append(Span(f.start, f.end, item.category))
        for part in plan.parts.values():
            part.spans = {seg: merge_spans(spans) for seg, spans in part.spans.items()}
        return plan


def _locatable(item: Item) -> bool:
    f = item.finding
    return f is not None and f.segment is not None and f.start is not None and f.end is not None and f.end > f.start


def merge_spans(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one (labelled by the longest), so writers never cut twice."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            longest = last if (last.end - last.start) >= (span.end - span.start) else span
            merged[-1] = Span(last.start, max(last.end, span.end), longest.label)
        else:
            merged.append(span)
    return merged
