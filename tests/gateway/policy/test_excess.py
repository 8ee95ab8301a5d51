"""Excess data: grouping for reasons, and the redaction plan it becomes."""

from __future__ import annotations

from gateway.content.model import Span
from gateway.policy.excess import Excess, merge_spans
from gateway.policy.inventory import items


def test_merge_spans() -> None:
    spans = [Span(10, 20, "PERSON"), Span(0, 5, "UK_NINO"), Span(15, 40, "STREET_ADDRESS"), Span(40, 45, "UK_POSTCODE")]
    assert merge_spans(spans) == [Span(0, 5, "UK_NINO"), Span(10, 40, "STREET_ADDRESS"), Span(40, 45, "UK_POSTCODE")]


def test_plan_and_fields(build) -> None:  # type: ignore[no-untyped-def]
    b = build().column("NI", "UK_NINO", part="a.csv").column("NI", "UK_NINO", part="b.csv", table=2)
    b.text("PHONE_NUMBER", 4, 17, part="mail/body", segment=1).text("UK_NINO", 20, 29, part="mail/body", segment=1)
    excess = Excess.of(items(b.detection))
    assert excess.fields() == ["NI", "UK_NINO", "PHONE_NUMBER"]
    assert excess.categories() == ["UK_NINO", "PHONE_NUMBER"]
    plan = excess.plan()
    assert plan.parts["a.csv"].drop_columns == {0: {0}}
    assert plan.parts["b.csv"].drop_columns == {2: {0}}
    assert plan.parts["mail/body"].spans == {1: [Span(4, 17, "PHONE_NUMBER"), Span(20, 29, "UK_NINO")]}
    assert excess.where() == "2 columns (“NI”) and 2 values in the text of “mail/body”"


def test_values_without_a_position_are_unlocatable(build) -> None:  # type: ignore[no-untyped-def]
    b = build().text("UK_NINO", segment=None).text("UK_NHS", 5, 5)
    excess = Excess.of(items(b.detection))
    assert len(excess.unlocatable) == 2 and excess.text == []
