"""Package plumbing shared by the office formats: recognising, rebuilding, and the final leak check."""

from __future__ import annotations

import io
import zipfile

import pytest

from gateway.content import NotRedactable
from gateway.content.formats.ooxml import has_doctype, rebuild_zip, sniff_package, verify_members
from gateway.content.formats.xmltext import ValueIndex


def make_zip(files: dict[str, bytes], stored: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def no_skip(member: str) -> frozenset[str]:
    return frozenset()


def test_a_package_is_recognised_whole_or_cut_short() -> None:
    data = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<d/>" * 500, "z": b"x" * 5000})
    assert sniff_package(data, ("word/document.xml",), "word/")
    assert not sniff_package(data, ("xl/workbook.xml",), "xl/")
    assert sniff_package(data[: len(data) // 2], ("word/document.xml",), "word/")
    assert not sniff_package(make_zip({"word/document.xml": b"<d/>"}), ("word/document.xml",), "word/")


def test_rebuilding_keeps_order_and_stored_members() -> None:
    data = make_zip({"mimetype": b"application/x", "a.xml": b"<a/>", "b.xml": b"<b/>"}, stored=("mimetype",))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        out = rebuild_zip(zf, {"a.xml": b"<a>new</a>"}, {"b.xml"})
    with zipfile.ZipFile(io.BytesIO(out)) as zf:
        assert zf.namelist() == ["mimetype", "a.xml"]
        assert zf.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert zf.read("a.xml") == b"<a>new</a>"


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


def test_a_dtd_is_refused() -> None:
    assert has_doctype(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert not has_doctype(b"<x>fine</x>")
