"""The strings of a parsed lxml tree as slots: element text, tails and attribute values.

HTML and XML read the same way: a traversal lays every string of the tree out
with `SlotLayout`, remembering which node (and which of its strings) each slot
is; the writer runs the same traversal over the same bytes and writes the
redacted text back into those nodes. One slot type, one way of laying a slot
out and one way of applying spans serve both formats, so their read and write
paths cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gateway.content.formats.base import ReadContext
from gateway.content.formats.slots import SlotLayout, redact, table_chars
from gateway.content.model import NotRedactable, Part, Span, Table

TEXT = ""  # the slot is the node's .text
TAIL = "\0tail"  # the slot is the node's .tail (never a valid attribute name)


@dataclass
class NodeSlot:
    """Where one string of the tree lives.

    `attr` is an attribute name, `TEXT` for the node's text, `TAIL` for its
    tail, or None for text that cannot be written back (an XML entity
    declaration's replacement text, which lxml exposes read-only).
    """

    node: Any
    attr: str | None

    def get(self) -> str:
        if self.attr is None:
            return ""
        if self.attr == TAIL:
            return str(self.node.tail or "")
        if self.attr == TEXT:
            return str(self.node.text or "")
        return str(self.node.get(self.attr) or "")

    def set(self, value: str) -> None:
        if self.attr is None:
            raise NotRedactable("text inside an XML entity declaration cannot be redacted")
        if self.attr == TAIL:
            self.node.tail = value
        elif self.attr == TEXT:
            self.node.text = value
        else:
            self.node.set(self.attr, value)


@dataclass
class TreeExtraction:
    """A tree's strings laid out as segments, its data tables, and the slot of every string."""

    layout: SlotLayout = field(default_factory=SlotLayout)
    slots: list[NodeSlot] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def add(
        self, where: str, text: str | None, *, node: Any, attr: str | None, prefix: str = "", new_line: bool = True
    ) -> bool:
        """Lay out one string (blank ones are skipped); whether it was added.

        A `prefix` ("tag: ", "title@alt: ") is context that maps to no slot: it
        starts the line and the string continues it.
        """
        if text is None or not text.strip():
            return False
        if prefix:
            self.layout.add(where, prefix)
            new_line = False
        self.slots.append(NodeSlot(node, attr))
        self.layout.add(where, str(text), len(self.slots) - 1, new_line=new_line)
        return True

    def to_part(self, name: str, kind: str, data: bytes, ctx: ReadContext, meta: dict[str, Any]) -> Part:
        """The part a reader returns, once its text is admitted to the budget."""
        ctx.admit_text(self.layout.text_chars() + table_chars(self.tables))
        return Part(name=name, kind=kind, data=data, segments=self.layout.segments, tables=self.tables, meta=meta)

    def redact_slots(self, spans: dict[int, list[Span]]) -> None:
        """Replace each planned span (by segment) in the tree strings it covers."""
        for slot_id, slot_spans in self.layout.slot_spans(spans).items():
            slot = self.slots[slot_id]
            slot.set(redact(slot.get(), slot_spans))


def remove_keeping_layout(node: Any) -> None:
    """Remove an element whose tail is layout whitespace, keeping the layout tidy."""
    parent = node.getparent()
    previous = node.getprevious()
    if previous is not None:
        previous.tail = node.tail
    else:
        parent.text = node.tail
    parent.remove(node)
