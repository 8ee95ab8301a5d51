"""Limits and the read context: every container relies on these to stop bombs."""

from __future__ import annotations

from gateway.content.formats.base import LimitExceeded, Limits, ReadContext
from gateway.content.model import Part


def _reader(data: bytes, name: str, ctx: ReadContext) -> Part:
    return Part(name=name, kind="text", data=data, meta={"depth": ctx.depth})


def _ctx(**limits: int) -> ReadContext:
    return ReadContext(Limits(**limits), _reader)


def test_child_reads_one_level_deeper_and_counts_the_member() -> None:
    ctx = _ctx()
    child = ctx.child(b"hello", "a/b")
    assert child.meta["depth"] == 1
    assert ctx.budget.members == 1
    assert ctx.budget.expanded_bytes == 5


def test_ratio_applies_only_above_the_floor() -> None:
    ctx = _ctx(max_ratio=10, ratio_floor_bytes=1000)
    assert ctx.child(b"\0" * 1000, "small", compressed_size=1).uninspectable is None
    bomb = ctx.child(b"\0" * 1001, "big", compressed_size=1)
    assert bomb.uninspectable == "compression ratio above 10:1 (possible archive bomb)"


def test_refused_member_does_not_use_up_the_budget() -> None:
    ctx = _ctx(max_part_bytes=100, max_expanded_bytes=150)
    assert ctx.child(b"x" * 120, "too-big").uninspectable == "member larger than 100 bytes"
    assert ctx.child(b"x" * 100, "fits").uninspectable is None
    assert ctx.child(b"x" * 60, "over-budget").uninspectable == "expands to more than 150 bytes"


def test_member_cap_is_the_tightest_limit() -> None:
    ctx = _ctx(max_part_bytes=1000, max_expanded_bytes=5000, max_ratio=10, ratio_floor_bytes=50)
    assert ctx.member_cap() == 1000
    assert ctx.member_cap(compressed_size=20) == 200
    assert ctx.member_cap(compressed_size=1) == 50
    ctx.budget.expanded_bytes = 4900
    assert ctx.member_cap() == 100


def test_refuse_early_on_depth_count_and_declared_size() -> None:
    deep = ReadContext(Limits(max_depth=2), _reader, depth=2)
    assert deep.refuse_early("x").uninspectable == "nesting deeper than 2 levels"
    ctx = _ctx(max_members=1, max_part_bytes=10)
    assert ctx.refuse_early("big", declared_size=11).uninspectable == "member larger than 10 bytes"
    assert ctx.refuse_early("next") is not None  # the refused member still counted
    assert _ctx().refuse_early("fine", declared_size=10) is None


def test_text_budget_is_shared_by_the_whole_transfer() -> None:
    ctx = _ctx(max_text_chars=10)
    ctx.admit_text(6)
    try:
        ctx.admit_text(5)
    except LimitExceeded as exc:
        assert str(exc) == "more than 10 characters of text"
    else:
        raise AssertionError("expected LimitExceeded")
