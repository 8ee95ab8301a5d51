"""multipart bodies: parts to items and back, byte for byte where nothing changed; the bad cases."""

from __future__ import annotations

import base64

import pytest

from gateway.channels import bodies as hb
from tests.gateway.channels.bodies.samples import CSV, content, mp_headers, multipart


def test_multipart_items_are_file_parts_and_text_fields_empty_ones_skipped():
    body = hb.parse(mp_headers(), multipart())
    assert body.kind == "multipart"
    assert [(i.name, i.data) for i in content(body)] == [("form:comment", b"Please see attached"), ("staff.csv", CSV)]
    assert "file field 'upload'" in body.items[1].where
    assert body.items[-1] == hb.Item("form:field-names", b"comment\nupload\nC:\\fakepath\\staff.csv\nempty",
                                     "form field and file names")


def test_multipart_without_replacements_rebuilds_byte_for_byte():
    raw = multipart()
    assert hb.parse(mp_headers(), raw).rebuild({}).body == raw


def test_multipart_replacement_changes_only_that_part():
    raw = multipart()
    rebuilt = hb.parse(mp_headers(), raw).rebuild({1: b"name\r\nJo Bloggs\r\n"})
    assert rebuilt.headers == {}
    assert rebuilt.body == raw.replace(CSV, b"name\r\nJo Bloggs\r\n")


def test_multipart_with_lf_line_endings_is_understood():
    raw = multipart(nl=b"\n")
    body = hb.parse(mp_headers(), raw)
    assert [i.data for i in content(body)] == [b"Please see attached", CSV]
    assert body.rebuild({}).body == raw


def test_multipart_rfc5987_filename_and_base64_part():
    raw = (b"--b\r\nContent-Disposition: form-data; name=f; filename=\"x.bin\"; "
           b"filename*=UTF-8''r%C3%A9sum%C3%A9.csv\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(CSV) + b"\r\n--b--\r\n")
    body = hb.parse(mp_headers("b"), raw)
    assert [(i.name, i.data) for i in content(body)] == [("résumé.csv", CSV)]
    rebuilt = body.rebuild({0: b"clean"}).body
    assert base64.b64encode(b"clean") in rebuilt


def test_multipart_non_text_part_without_filename_is_a_file():
    raw = b'--b\r\nContent-Disposition: form-data; name="doc"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--b--'
    assert [(i.name, i.data) for i in content(hb.parse(mp_headers("b"), raw))] == [("doc", b"%PDF-1.4")]


def test_multipart_replacement_containing_the_boundary_gets_a_new_boundary():
    raw = multipart("b")
    rebuilt = hb.parse(mp_headers("b"), raw).rebuild({1: b"evil\r\n--b\r\n"})
    new_type = rebuilt.headers["content-type"]
    boundary = hb.split_params(new_type)[1]["boundary"]
    assert boundary != "b"
    reparsed = hb.parse([("Content-Type", new_type)], rebuilt.body)
    assert [i.data for i in content(reparsed)] == [b"Please see attached", b"evil\r\n--b\r\n"]


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"--b\r\nContent-Disposition: form-data; name=a\r\n\r\nvalue without end", "no closing boundary"),
        (b"no boundary at all", "does not contain its boundary"),
        (b"--b\r\nContent-Disposition: form-data; name=a", "part 1 has no end of headers"),
        (b"preamble\r\n--b", "ends inside a boundary line"),
    ],
)
def test_malformed_multipart_is_a_body_error_naming_the_problem(raw, message):
    with pytest.raises(hb.BodyError, match=message) as err:
        hb.parse(mp_headers("b"), raw)
    assert err.value.reason == "parse_error"


def test_multipart_without_boundary_parameter():
    with pytest.raises(hb.BodyError, match="without a boundary"):
        hb.parse([("Content-Type", "multipart/form-data")], b"--x\r\n\r\n--x--")


def test_names_and_text_around_parts_are_inspected_but_never_rewritten():
    raw = (b"AB123456C preamble\r\n--b\r\n"
           b"Content-Disposition: form-data; name=\"x\"; filename=\"Jo Bloggs.csv\"\r\n\r\nd\r\n--b--")
    body = hb.parse(mp_headers("b"), raw)
    names = body.items[-1]
    assert names.name == "form:field-names" and names.data == b"AB123456C preamble\nx\nJo Bloggs.csv"
    with pytest.raises(hb.BodyError, match="names cannot be cut out"):
        body.rebuild({len(body.items) - 1: b"x"})
