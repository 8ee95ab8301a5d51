"""The request body as a whole: shape chosen from the headers, identity across retries."""

from __future__ import annotations

import gzip

import pytest

from gateway.channels import bodies as hb
from tests.gateway.channels.bodies.samples import mp_headers, multipart


def test_multipart_without_boundary_parameter():
    with pytest.raises(hb.BodyError, match="without a boundary"):
        hb.parse([("Content-Type", "multipart/form-data")], b"--x\r\n\r\n--x--")


def test_canonical_form_ignores_boundary_and_compression():
    a = hb.parse(mp_headers("one"), multipart("one"))
    b = hb.parse([*mp_headers("two"), ("Content-Encoding", "gzip")], gzip.compress(multipart("two")))
    c = hb.parse(mp_headers("one"), multipart("one").replace(b"Jo Bloggs", b"Jo Blogs"))
    assert a.canonical() == b.canonical() != c.canonical()


def test_body_over_the_limit_is_too_large_even_without_compression():
    with pytest.raises(hb.BodyTooLarge, match="larger than 10 bytes") as err:
        hb.parse([("Content-Type", "text/plain")], b"x" * 11, max_decoded=10)
    assert err.value.reason == "too_large"


@pytest.mark.parametrize(
    "content_type, data, kind",
    [
        ("multipart/form-data; boundary=b", b"--b\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--b--",
         "multipart"),
        ("application/x-www-form-urlencoded", b"a=1&b=2", "urlencoded"),
        ("application/vnd.api+json", b'{"a": 1}', "json"),
        ("text/plain", b'  [1, 2]', "json"),
        ("text/csv", b'{"looks": "like json"}', "raw"),
        ("application/json", b'"just a string"', "raw"),
    ],
)
def test_shape_follows_the_content_type_and_what_the_bytes_really_are(content_type, data, kind):
    assert hb.parse([("Content-Type", content_type)], data).kind == kind
