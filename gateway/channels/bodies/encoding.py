"""`Content-Encoding` (gzip, deflate, br, zstd, in any chain): undone with a bound, and applied again.

The bound on the decoded size means a compression bomb costs at most that much
memory; going over it is `BodyTooLarge` (the upload is refused), while bytes
that are not what the header claims are a `BodyError` (the upload is held).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import brotli
import zstandard

from gateway.channels.bodies.model import BodyError, BodyTooLarge, Headers, header

_ENCODINGS = {"gzip", "x-gzip", "deflate", "br", "zstd"}


def content_codings(headers: Headers) -> list[str]:
    """The Content-Encoding chain in the order it was applied, `identity` dropped."""
    raw = header(headers, "content-encoding") or ""
    codings = [c.strip().lower() for c in raw.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    for coding in codings:
        if coding not in _ENCODINGS:
            raise BodyError(f"unsupported Content-Encoding {coding!r}")
    return codings


def decode(data: bytes, codings: Sequence[str], limit: int) -> bytes:
    """Undo the codings (last applied first), never producing more than `limit` bytes."""
    for coding in reversed(codings):
        try:
            data = _decode_one(data, coding, limit)
        except BodyTooLarge:
            raise
        except (zlib.error, brotli.error, zstandard.ZstdError, EOFError) as exc:
            raise BodyError(f"the body is not valid {coding} data ({type(exc).__name__})") from None
    return data


def encode(data: bytes, codings: Sequence[str]) -> bytes:
    """Apply the codings again, in the order the client applied them."""
    for coding in codings:
        if coding in ("gzip", "x-gzip"):
            comp = zlib.compressobj(6, zlib.DEFLATED, 31)
            data = comp.compress(data) + comp.flush()
        elif coding == "deflate":
            data = zlib.compress(data, 6)
        elif coding == "br":
            data = brotli.compress(data, quality=4)
        elif coding == "zstd":
            data = zstandard.ZstdCompressor(level=3).compress(data)
    return data


def _too_large(limit: int) -> BodyTooLarge:
    return BodyTooLarge(f"the decoded body is larger than {limit} bytes")


def _decode_one(data: bytes, coding: str, limit: int) -> bytes:
    if coding in ("gzip", "x-gzip"):
        return _inflate(data, 31, limit, members=True)
    if coding == "deflate":
        # "deflate" means zlib-wrapped, but some clients send raw deflate.
        wbits = 15 if len(data) >= 2 and (data[0] * 256 + data[1]) % 31 == 0 and data[0] & 0x0F == 8 else -15
        return _inflate(data, wbits, limit, members=False)
    if coding == "br":
        dec = brotli.Decompressor()
        out = dec.process(data, output_buffer_limit=limit + 1)
        if len(out) > limit or not dec.is_finished():
            if len(out) > limit or not dec.can_accept_more_data():
                raise _too_large(limit)
            raise BodyError("the body is not valid br data (truncated)")
        return out
    reader = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True)
    out = reader.read(limit + 1)
    if len(out) > limit:
        raise _too_large(limit)
    return out


def _inflate(data: bytes, wbits: int, limit: int, members: bool) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        dec = zlib.decompressobj(wbits)
        buf = data
        while buf:
            chunk = dec.decompress(buf, limit + 1 - total)
            total += len(chunk)
            chunks.append(chunk)
            if total > limit:
                raise _too_large(limit)
            buf = dec.unconsumed_tail
        if not dec.eof:
            raise BodyError("the body is truncated compressed data")
        data = dec.unused_data
        if not (members and data.strip(b"\x00")):
            return b"".join(chunks)
