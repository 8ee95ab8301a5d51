"""Helpers shared by the content tests: redaction plans and a container-expanding
view of output bytes, built on the standard library only (not on the reader
under test), so "this value is gone" is checked independently."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from collections.abc import Callable
from email import message_from_bytes, policy

import pytest

from gateway.content import PartRedaction, RedactionPlan, Span


def _expand(data: bytes, depth: int = 0) -> bytes:
    """`data` followed by the expanded bytes of every container inside it."""
    if depth > 6:
        return data
    out = [data]
    if data[:2] == b"\x1f\x8b":
        out.append(_expand(gzip.decompress(data), depth + 1))
    elif data[:3] == b"BZh":
        out.append(_expand(bz2.decompress(data), depth + 1))
    elif data[:6] == b"\xfd7zXZ\x00":
        out.append(_expand(lzma.decompress(data), depth + 1))
    elif data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                out.append(info.comment)
                out.append(_expand(archive.read(info), depth + 1))
            out.append(archive.comment)
    elif data[257:262] == b"ustar":
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in archive:
                stream = archive.extractfile(member) if member.isfile() else None
                if stream is not None:
                    out.append(_expand(stream.read(), depth + 1))
    elif b"MIME-Version" in data[:4096] or b"Content-Type:" in data[:4096]:
        message = message_from_bytes(data, policy=policy.default)
        for part in message.walk():
            if not part.is_multipart():
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    out.append(_expand(payload, depth + 1))
            out.append(str(part.get("Subject", "")).encode())
    return b"\n".join(out)


@pytest.fixture
def expand() -> Callable[[bytes], bytes]:
    """Bytes plus everything decompressed/decoded inside them, recursively."""
    return _expand


@pytest.fixture
def drop_plan() -> Callable[..., RedactionPlan]:
    def make(name: str, columns: set[int], table: int = 0) -> RedactionPlan:
        return RedactionPlan({name: PartRedaction(drop_columns={table: set(columns)})})

    return make


@pytest.fixture
def span_plan() -> Callable[..., RedactionPlan]:
    def make(name: str, spans: dict[int, list[Span]]) -> RedactionPlan:
        return RedactionPlan({name: PartRedaction(spans=spans)})

    return make


@pytest.fixture
def span_of() -> Callable[[str, str, str], Span]:
    """The span of `value` inside `text`, labelled."""

    def make(text: str, value: str, label: str) -> Span:
        start = text.index(value)
        return Span(start, start + len(value), label)

    return make
