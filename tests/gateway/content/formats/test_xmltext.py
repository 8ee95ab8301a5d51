"""Segments over XML text nodes, spans written back across nodes, and value matching."""

from __future__ import annotations

from lxml import etree

from gateway.content.formats.xmltext import (
    SegmentBuilder,
    ValueIndex,
    apply_spans,
    distinctive,
    redact_text,
)
from gateway.content.model import Span

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def paragraphs(xml: str) -> tuple[etree._Element, SegmentBuilder]:
    root = etree.fromstring(xml)
    builder = SegmentBuilder()
    for p in root.iter(f"{{{W}}}p"):
        builder.paragraph()
        for t in p.iter(f"{{{W}}}t"):
            builder.add("doc.xml", "body", t)
    return root, builder


def test_paragraphs_join_with_newlines_and_runs_without_separator() -> None:
    _, builder = paragraphs(
        f'<w:b xmlns:w="{W}"><w:p><w:t>Jo</w:t><w:t>hn Smith</w:t></w:p><w:p><w:t>Second</w:t></w:p></w:b>'
    )
    [segment] = builder.result()
    assert segment.text == "John Smith\nSecond"


def test_a_span_over_several_runs_puts_the_label_in_the_first_and_keeps_the_rest() -> None:
    root, builder = paragraphs(f'<w:b xmlns:w="{W}"><w:p><w:t>NI AB12</w:t><w:t>3456</w:t><w:t>C ok</w:t></w:p></w:b>')
    [segment] = builder.result()

    assert apply_spans(segment, [Span(3, 12, "UK_NINO"), Span(5, 8, "X")])

    texts = [t.text for t in root.iter(f"{{{W}}}t")]
    assert texts == ["NI [REDACTED:UK_NINO]", "", " ok"]
    assert root.find(f".//{{{W}}}t").get("{http://www.w3.org/XML/1998/namespace}space") is None
    assert list(root.iter(f"{{{W}}}t"))[2].get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_several_spans_in_one_node_are_all_applied() -> None:
    root, builder = paragraphs(f'<w:b xmlns:w="{W}"><w:p><w:t>Amy and Ben and Cy</w:t></w:p></w:b>')
    [segment] = builder.result()
    apply_spans(segment, [Span(0, 3, "PERSON"), Span(8, 11, "PERSON"), Span(16, 18, "PERSON")])
    assert root.find(f".//{{{W}}}t").text == "[REDACTED:PERSON] and [REDACTED:PERSON] and [REDACTED:PERSON]"
    assert redact_text("Amy and Ben", [Span(0, 3, "PERSON")]) == "[REDACTED:PERSON] and Ben"


def test_value_index_matches_whole_tokens_ignoring_case_and_separators() -> None:
    index = ValueIndex({"AB123456C": "UK_NINO", "12 High Street": "", "1975-03-02": "", "Lee": "PERSON"})

    def found(text: str) -> list[str]:
        return [text[s.start : s.end] for s in index.find(text)]

    assert found("NI:ab123456c noted") == ["ab123456c"]
    assert found("lives at 12 HIGH STREET, Leeds") == ["12 HIGH STREET"]
    assert found('<d v="1975-03-02T00:00:00"/>') == ["1975-03-02"]
    assert found("Leeds") == []
    assert found("AB123456CD") == []


def test_short_and_small_numeric_values_are_not_searched_for() -> None:
    assert not distinctive("5")
    assert not distinctive("PC")
    assert not distinctive("2013")
    assert distinctive("AB123456C")
    assert distinctive("Smith")
    assert distinctive("07700 900123")
