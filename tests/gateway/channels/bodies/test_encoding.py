"""Content-Encoding: every coding and chain decoded and reapplied; bad data and bombs stopped."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
import zstandard

from gateway.channels import bodies as hb
from tests.gateway.channels.bodies.samples import CSV, content, mp_headers, multipart


def _deflate_raw(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


@pytest.mark.parametrize(
    "coding, encoder",
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", _deflate_raw),
        ("br", brotli.compress),
        ("zstd", lambda d: zstandard.ZstdCompressor().compress(d)),
        ("gzip, br", lambda d: brotli.compress(gzip.compress(d))),
        ("identity", lambda d: d),
    ],
)
def test_content_codings_are_decoded_and_reapplied(coding, encoder):
    raw = multipart("b")
    headers = [*mp_headers("b"), ("Content-Encoding", coding)]
    body = hb.parse(headers, encoder(raw))
    assert [i.data for i in content(body)] == [b"Please see attached", CSV]
    rebuilt = body.rebuild({1: b"x"}).body
    codings = hb.content_codings(headers)
    assert hb.decode(rebuilt, codings, 10_000) == raw.replace(CSV, b"x")


def test_concatenated_gzip_members_are_all_read():
    body = hb.parse([("Content-Encoding", "gzip")], gzip.compress(b"first ") + gzip.compress(b"second"))
    assert body.items[0].data == b"first second"


@pytest.mark.parametrize(
    "coding, data, message",
    [
        ("compress", b"x", "unsupported Content-Encoding 'compress'"),
        ("gzip", b"not gzip at all", "not valid gzip"),
        ("gzip", gzip.compress(b"x" * 1000)[:-12], "truncated"),
        ("br", b"\xff\xff\xff", "not valid br"),
        ("zstd", b"nope", "not valid zstd"),
    ],
)
def test_bad_content_coding_is_a_parse_error(coding, data, message):
    with pytest.raises(hb.BodyError, match=message) as err:
        hb.parse([("Content-Encoding", coding)], data)
    assert err.value.reason == "parse_error"


@pytest.mark.parametrize(
    "coding, encoder",
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("br", brotli.compress),
     ("zstd", lambda d: zstandard.ZstdCompressor().compress(d))],
)
def test_decompression_bomb_stops_at_the_limit(coding, encoder):
    with pytest.raises(hb.BodyTooLarge) as err:
        hb.parse([("Content-Encoding", coding)], encoder(b"\0" * 5_000_000), max_decoded=100_000)
    assert err.value.reason == "too_large"
