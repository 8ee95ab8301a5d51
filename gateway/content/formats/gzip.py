"""Single-file compressed streams: gzip (also .tgz), bzip2, xz and Zstandard.

The decompressed content is one child part ("data.csv.gz/data.csv"), read by
its own bytes, so a .tar.gz is a gzip part holding a tar part. Decompression
is bounded: it stops one byte past the most the limits allow, so a bomb never
expands further in memory. Concatenated streams (multi-member gzip) are read
in full; a stream that ends early is "truncated", and bytes after the end that
are not another stream make it malformed rather than silently ignored.
"""

from __future__ import annotations

import bz2
import gzip as stdlib_gzip
import io
import lzma
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import zstandard

from gateway.content.formats.base import ReadContext, Writer
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan

_GZIP_MAGIC = b"\x1f\x8b"
_FNAME = 0x08
_FEXTRA = 0x04


def _inner_name(name: str, suffixes: dict[str, str], stored: str | None) -> str:
    if stored:
        return stored.replace("\\", "/").rsplit("/", 1)[-1] or "content"
    base = name.rsplit("/", 1)[-1]
    lowered = base.lower()
    for suffix, replacement in suffixes.items():
        if lowered.endswith(suffix) and len(base) > len(suffix):
            return base[: -len(suffix)] + replacement
    return f"{base}.content"


@dataclass(frozen=True)
class GzipHeader:
    mtime: int
    filename: str | None


def gzip_header(data: bytes) -> GzipHeader:
    """The first member's header fields the writer keeps (RFC 1952)."""
    if len(data) < 10:
        raise ContentError("truncated gzip stream")
    flags = data[3]
    mtime = struct.unpack("<I", data[4:8])[0]
    pos = 10
    if flags & _FEXTRA:
        if len(data) < pos + 2:
            raise ContentError("truncated gzip stream")
        pos += 2 + struct.unpack("<H", data[pos : pos + 2])[0]
    filename = None
    if flags & _FNAME:
        end = data.find(b"\x00", pos)
        if end < 0:
            raise ContentError("truncated gzip stream")
        filename = data[pos:end].decode("latin-1")
    return GzipHeader(mtime, filename)


def inflate_gzip(data: bytes, limit: int) -> bytes:
    """Every member of a gzip stream, at most `limit` bytes of output."""
    out = bytearray()
    rest = data
    while True:
        decompressor = zlib.decompressobj(wbits=31)
        try:
            out += decompressor.decompress(rest, limit - len(out))
            while not decompressor.eof and decompressor.unconsumed_tail and len(out) < limit:
                out += decompressor.decompress(decompressor.unconsumed_tail, limit - len(out))
        except zlib.error as exc:
            if "check" in str(exc):
                raise ContentError("malformed gzip stream: checksum mismatch") from None
            raise ContentError("malformed gzip stream: corrupt compressed data") from None
        if len(out) >= limit:
            return bytes(out)
        if not decompressor.eof:
            raise ContentError("truncated gzip stream")
        rest = decompressor.unused_data
        if not rest.strip(b"\x00"):
            return bytes(out)
        if not rest.startswith(_GZIP_MAGIC):
            raise ContentError("malformed gzip stream: unexpected data after the end of the stream")


def _drain(factory: Callable[[], Any], data: bytes, limit: int, magic: bytes, what: str) -> bytes:
    """Concatenated bz2/xz streams through decompressors with `max_length`."""
    out = bytearray()
    rest = data
    while True:
        decompressor = factory()
        try:
            out += decompressor.decompress(rest, limit - len(out))
            while not decompressor.eof and len(out) < limit:
                if decompressor.needs_input:
                    raise ContentError(f"truncated {what} stream")
                out += decompressor.decompress(b"", limit - len(out))
        except (OSError, lzma.LZMAError, EOFError):
            raise ContentError(f"malformed {what} stream: corrupt compressed data") from None
        if len(out) >= limit:
            return bytes(out)
        rest = decompressor.unused_data
        if not rest.strip(b"\x00"):
            return bytes(out)
        if not rest.startswith(magic):
            raise ContentError(f"malformed {what} stream: unexpected data after the end of the stream")


def _inflate_zstd(data: bytes, limit: int) -> bytes:
    out = bytearray()
    try:
        with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True) as reader:
            while len(out) < limit:
                chunk = reader.read(min(1024 * 1024, limit - len(out)))
                if not chunk:
                    break
                out += chunk
    except zstandard.ZstdError as exc:
        if "incomplete" in str(exc) or "truncated" in str(exc):
            raise ContentError("truncated Zstandard stream") from None
        raise ContentError("malformed Zstandard stream: corrupt compressed data") from None
    return bytes(out)


class StreamHandler:
    """One compressed-stream format; the child is whatever it decompresses to."""

    def __init__(
        self,
        *,
        kind: str,
        magic: bytes,
        inflate: Callable[[bytes, int], bytes],
        compress: Callable[[bytes, bytes], bytes],
        suffixes: dict[str, str],
        check: Callable[[bytes], bool] | None = None,
    ) -> None:
        self.kind = kind
        self.magic = magic
        self._check = check
        self._inflate = inflate
        self._compress = compress
        self._suffixes = suffixes

    def sniff(self, data: bytes, name: str) -> bool:
        return data.startswith(self.magic) and (self._check is None or self._check(data))

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        stored = gzip_header(data).filename if self.kind == "gzip" else None
        child_name = f"{name}/{_inner_name(name, self._suffixes, stored)}"
        refused = ctx.refuse_early(child_name)
        if refused is None:
            content = self._inflate(data, ctx.member_cap(len(data)) + 1)
            child = ctx.child(content, child_name, len(data))
        else:
            child = refused
        return Part(name=name, kind=self.kind, data=data, children=[child])

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        redaction = plan.for_part(part.name)
        if redaction is not None:
            raise NotRedactable(f"a {self.kind} stream has no text of its own to redact")
        child = part.children[0]
        if not plan.touches(child):
            return part.data
        return self._compress(write_child(child, plan), part.data)


def _gzip_compress(content: bytes, original: bytes) -> bytes:
    header = gzip_header(original)
    out = io.BytesIO()
    with stdlib_gzip.GzipFile(filename=header.filename or "", mode="wb", fileobj=out, mtime=header.mtime) as f:
        f.write(content)
    return out.getvalue()


HANDLER = StreamHandler(
    kind="gzip",
    magic=_GZIP_MAGIC,
    inflate=inflate_gzip,
    compress=_gzip_compress,
    suffixes={".tgz": ".tar", ".taz": ".tar", ".gz": "", ".gzip": "", ".z": ""},
    check=lambda data: data[2:3] == b"\x08",
)
BZIP2 = StreamHandler(
    kind="bzip2",
    magic=b"BZh",
    inflate=lambda data, limit: _drain(bz2.BZ2Decompressor, data, limit, b"BZh", "bzip2"),
    compress=lambda content, original: bz2.compress(content),
    suffixes={".tbz2": ".tar", ".tbz": ".tar", ".bz2": "", ".bz": ""},
    # "BZh", a block size digit, then a block or end-of-stream signature.
    check=lambda data: data[3:4] in b"123456789" and data[4:10] in (b"1AY&SY", b"\x17rE8P\x90"),
)
XZ = StreamHandler(
    kind="xz",
    magic=b"\xfd7zXZ\x00",
    inflate=lambda data, limit: _drain(lzma.LZMADecompressor, data, limit, b"\xfd7zXZ\x00", "xz"),
    compress=lambda content, original: lzma.compress(content, format=lzma.FORMAT_XZ),
    suffixes={".txz": ".tar", ".xz": ""},
)
ZSTD = StreamHandler(
    kind="zstd",
    magic=b"\x28\xb5\x2f\xfd",
    inflate=_inflate_zstd,
    compress=lambda content, original: zstandard.ZstdCompressor().compress(content),
    suffixes={".tzst": ".tar", ".zst": "", ".zstd": ""},
)
