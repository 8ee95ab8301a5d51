"""Slots map laid-out text back to the lxml nodes it came from, so redaction writes where it read."""

import pytest
from lxml import etree

from gateway.content.formats.nodeslots import TAIL, TEXT, NodeSlot, TreeExtraction, remove_keeping_layout
from gateway.content.model import NotRedactable, Span


def test_slots_read_and_write_text_tail_and_attributes() -> None:
    root = etree.fromstring('<r><p title="Sgt A Smith">Call John</p> then</r>')
    p = root[0]
    text, tail, attr = NodeSlot(p, TEXT), NodeSlot(p, TAIL), NodeSlot(p, "title")
    assert (text.get(), tail.get(), attr.get()) == ("Call John", " then", "Sgt A Smith")
    text.set("Call [REDACTED:PERSON]")
    attr.set("Sgt [REDACTED:PERSON]")
    assert etree.tostring(root) == b'<r><p title="Sgt [REDACTED:PERSON]">Call [REDACTED:PERSON]</p> then</r>'
    with pytest.raises(NotRedactable):
        NodeSlot(p, None).set("x")


def test_extraction_redacts_the_span_in_the_right_node() -> None:
    root = etree.fromstring("<r><a>Officer in case</a><b>John Smith</b></r>")
    tree = TreeExtraction()
    assert tree.add("body", root[0].text, node=root[0], attr=TEXT)
    assert tree.add("body", root[1].text, node=root[1], attr=TEXT, prefix="name: ")
    assert not tree.add("body", "   ", node=root, attr=TEXT)
    segment = tree.layout.finish()[0].text
    start = segment.index("John Smith")
    tree.redact_slots({0: [Span(start, start + len("John Smith"), "PERSON")]})
    assert root[1].text == "[REDACTED:PERSON]" and root[0].text == "Officer in case"


def test_remove_keeping_layout() -> None:
    root = etree.fromstring("<r>\n  <a/>\n  <b/>\n</r>")
    remove_keeping_layout(root[0])
    assert etree.tostring(root) == b"<r>\n  <b/>\n</r>"
