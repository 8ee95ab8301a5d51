"""Builders for the small documents the detection tests inspect."""

from __future__ import annotations

from gateway.content.model import Part, Segment, Table


def text_part(*texts: str, name: str = "note.txt", where: str = "body") -> Part:
    """A part holding one segment per text."""
    return Part(name=name, kind="text", segments=[Segment(t, where) for t in texts])


def table_part(header: list[str], rows: list[list[str]], name: str = "staff.csv", **table_args: object) -> Part:
    """A part holding one table called "Sheet1"."""
    return Part(name=name, kind="csv", tables=[Table("Sheet1", header, rows, **table_args)])  # type: ignore[arg-type]
