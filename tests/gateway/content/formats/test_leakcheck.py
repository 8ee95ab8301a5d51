"""The final leak check: removed values are found in text split over runs, attributes and binaries."""

from __future__ import annotations

import io
import zipfile

import pytest

from gateway.content import NotRedactable, Part, Segment, Span, Table
from gateway.content.formats.leakcheck import no_skip, scrub_members, scrub_values, verify_members
from gateway.content.formats.xmltext import ValueIndex


def make_zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return out.getvalue()


def test_values_to_scrub_are_removed_cells_not_also_kept_and_redacted_spans() -> None:
    part = Part(
        name="x",
        kind="docx",
        segments=[Segment("Call John Smith today")],
        tables=[Table("t", ["Name", "Home town", "Work town"], [["Ann", "Leeds", "York"], ["Ben", "York", "Hull"]])],
    )
    values = scrub_values(part, {0: {1}}, {0: [Span(5, 15, "PERSON")]})
    # "York" was removed in one row but is kept in another column: it may stay.
    assert values == {"Leeds": "", "John Smith": "PERSON"}


def test_copies_are_scrubbed_in_text_split_over_runs_and_in_named_attributes() -> None:
    data = make_zip({"a.xml": b"<a><p><t>NI AB12</t><t>3456C</t></p><c author='AB123456C' id='AB123456C'/></a>"})
    index = ValueIndex({"AB123456C": "UK_NINO"})
    changed: dict[str, bytes] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        scrub_members(zf, index, no_skip, frozenset({"author"}), changed)
    assert b"AB12" not in changed["a.xml"].split(b"id=")[0]
    assert b"[REDACTED:UK_NINO]" in changed["a.xml"]


def test_verification_finds_values_in_text_attributes_and_binaries() -> None:
    index = ValueIndex({"AB123456C": "UK_NINO", "12 Acacia Avenue Wessexshire": ""})
    clean = make_zip({"a.xml": b"<a note='fine'>nothing here</a>", "img.png": b"\x89PNG" + b"\x00" * 100})
    verify_members(clean, index, no_skip, "file")
    for files in (
        {"a.xml": b"<a><t>NI AB12</t><t>3456C</t></a>"},
        {"a.xml": b"<a descr='ab123456c'/>"},
        {"img.bin": b"\x00\x01" + "12 Acacia Avenue Wessexshire".encode("utf-16-le")},
    ):
        with pytest.raises(NotRedactable):
            verify_members(make_zip(files), index, no_skip, "file")
