"""Format identification from bytes; the name only breaks ties."""

from __future__ import annotations

import gzip
import io
import json
import zipfile

from gateway.content.formats import HANDLERS
from gateway.content.sniff import handler_for, identify

CSV = b"Name,NI Number,Rank\nJohn Smith,AB123456C,PC\nAnn Lee,CD654321A,DS\nBo Day,JK112233B,PC\n"


def _kind(data: bytes, name: str) -> str | None:
    handler = identify(data, name)
    return handler.kind if handler else None


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "hello")
    return out.getvalue()


def test_the_bytes_decide_not_the_name() -> None:
    assert _kind(CSV, "report.pdf") == "csv"
    assert _kind(_zip(), "notes.txt") == "zip"
    assert _kind(gzip.compress(CSV), "staff.csv") == "gzip"
    assert _kind(json.dumps([{"a": 1}, {"a": 2}]).encode(), "data.csv") == "json"
    assert _kind(b"From: a@b.uk\r\nTo: c@d.uk\r\nSubject: s\r\n\r\nbody", "x.csv") == "eml"
    assert _kind(b"<!DOCTYPE html><html><body>x</body></html>", "x.json") == "html"
    assert _kind(b'<?xml version="1.0"?><r/>', "x.html") == "xml"
    assert _kind(b"%PDF-1.7\n", "x.zip") == "pdf"


def test_the_name_only_breaks_ties() -> None:
    two_lines = b"name\tnino\nJohn\tAB123456C\n"
    assert _kind(two_lines, "staff.tsv") == "csv"  # the delimited handler; the part kind says tsv
    assert _kind(two_lines, "notes") == "text"


def test_empty_and_unrecognised() -> None:
    assert _kind(b"", "empty.csv") == "text"
    assert _kind(bytes(range(256)) * 8, "blob.csv") is None


def test_registry_order_and_unique_kinds() -> None:
    kinds = [h.kind for h in HANDLERS]
    assert len(kinds) == len(set(kinds))
    assert kinds[-1] == "text"
    zip_at = kinds.index("zip")
    unsupported_at = kinds.index("binary")
    for office in ("xlsx", "xls", "ods", "docx", "pptx", "ole"):
        if office in kinds:
            assert kinds.index(office) < min(zip_at, unsupported_at), office
    assert handler_for("zip") is HANDLERS[zip_at]
    assert handler_for("no-such-kind") is None
