"""Slot layout: many small strings as a few segments, and spans mapped back."""

from __future__ import annotations

from gateway.content.formats.slots import SlotLayout, merge_spans, redact
from gateway.content.model import Span


def test_lines_are_grouped_by_where_and_cut_between_lines() -> None:
    layout = SlotLayout(target=20)
    for i in range(6):
        layout.add("body", "key: ")
        layout.add("body", f"value-{i}", slot=i, new_line=False)
    layout.add("comment", "a comment", slot=99)
    segments = layout.finish()
    bodies = [s.text for s in segments if s.where == "body"]
    assert "\n".join(bodies) == "\n".join(f"key: value-{i}" for i in range(6))
    assert all(not b.startswith("\n") and not b.endswith("\n") for b in bodies)
    assert [s.text for s in segments if s.where == "comment"] == ["a comment"]


def test_spans_map_to_slot_offsets_and_across_slots() -> None:
    layout = SlotLayout()
    layout.add("body", "name: ")
    layout.add("body", "John", slot=0, new_line=False)
    layout.add("body", " Smith", slot=1, new_line=False)
    [segment] = layout.finish()
    assert segment.text == "name: John Smith"
    mapped = layout.slot_spans({0: [Span(6, 16, "PERSON")]})
    assert mapped == {0: [Span(0, 4, "PERSON")], 1: [Span(0, 6, "PERSON")]}
    assert layout.slot_spans({0: [Span(0, 4, "X")]}) == {}  # only the label was hit
    assert layout.slot_spans({5: [Span(0, 4, "X")]}) == {}


def test_merge_and_redact() -> None:
    spans = [Span(8, 12, "B"), Span(0, 5, "A"), Span(3, 6, "C"), Span(20, 30, "D"), Span(4, 4, "E")]
    assert merge_spans(spans, 25) == [Span(0, 6, "A"), Span(8, 12, "B"), Span(20, 25, "D")]
    assert redact("0123456789abcdef", [Span(2, 4, "X")]) == "01[REDACTED:X]456789abcdef"
    assert redact("unchanged", []) == "unchanged"
