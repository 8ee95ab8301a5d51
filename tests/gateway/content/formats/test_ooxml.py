"""Package plumbing shared by the OOXML formats: recognising packages, rebuilding zips, refusing DTDs."""

from __future__ import annotations

import io
import zipfile

from gateway.content.formats.ooxml import has_doctype, rebuild_zip, sniff_package


def make_zip(files: dict[str, bytes], stored: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body, zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED)
    return out.getvalue()


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


def test_a_dtd_is_refused() -> None:
    assert has_doctype(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert not has_doctype(b"<x>fine</x>")
