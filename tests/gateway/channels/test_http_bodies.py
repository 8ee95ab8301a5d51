"""Request bodies to items and back: every body shape, every content coding, and the bad cases."""

from __future__ import annotations

import base64
import gzip
import json
import zlib

import brotli
import pytest
import zstandard

from gateway.channels import http_bodies as hb

CSV = b"name,ni number\r\nJo Bloggs,AB123456C\r\n"


def multipart(boundary: str = "----WebKitFormBoundary7MA4YWxkTrZu0gW", nl: bytes = b"\r\n") -> bytes:
    b = boundary.encode()
    return nl.join([
        b"--" + b,
        b'Content-Disposition: form-data; name="comment"',
        b"",
        b"Please see attached",
        b"--" + b,
        b'Content-Disposition: form-data; name="upload"; filename="C:\\fakepath\\staff.csv"',
        b"Content-Type: text/csv",
        b"",
        CSV,
        b"--" + b,
        b'Content-Disposition: form-data; name="empty"',
        b"",
        b"",
        b"--" + b + b"--",
        b"",
    ])


def content(body: hb.Body) -> list[hb.Item]:
    """The items that carry the parts' content (the names item is tested on its own)."""
    return [i for i in body.items if i.name != "form:field-names"]


def mp_headers(boundary: str = "----WebKitFormBoundary7MA4YWxkTrZu0gW") -> list[tuple[str, str]]:
    return [("Content-Type", f"multipart/form-data; boundary={boundary}")]


# ------------------------------------------------------------------ multipart


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


# ------------------------------------------------------------------ urlencoded


def test_urlencoded_fields_are_items_and_untouched_pairs_stay_exact():
    raw = b"csrf=abc%2Fdef&comment=Jo+Bloggs+AB123456C%21&blank=&flag"
    body = hb.parse([("content-type", "application/x-www-form-urlencoded; charset=UTF-8")], raw)
    assert [(i.name, i.data) for i in body.items] == [("form:csrf", b"abc/def"),
                                                      ("form:comment", b"Jo Bloggs AB123456C!"),
                                                      ("form:field-names", b"csrf\ncomment\nblank\nflag")]
    assert body.rebuild({}).body == raw
    assert body.rebuild({1: b"Jo Bloggs [REDACTED]"}).body == (
        b"csrf=abc%2Fdef&comment=Jo+Bloggs+%5BREDACTED%5D&blank=&flag")


def test_names_and_text_around_parts_are_inspected_but_never_rewritten():
    raw = (b"AB123456C preamble\r\n--b\r\n"
           b"Content-Disposition: form-data; name=\"x\"; filename=\"Jo Bloggs.csv\"\r\n\r\nd\r\n--b--")
    body = hb.parse(mp_headers("b"), raw)
    names = body.items[-1]
    assert names.name == "form:field-names" and names.data == b"AB123456C preamble\nx\nJo Bloggs.csv"
    with pytest.raises(hb.BodyError, match="names cannot be cut out"):
        body.rebuild({len(body.items) - 1: b"x"})


def test_form_label_on_something_that_is_not_a_form_is_a_raw_body():
    # curl --data-binary @staff.csv sends a CSV labelled as a urlencoded form
    body = hb.parse([("Content-Type", "application/x-www-form-urlencoded")], CSV, "/upload")
    assert body.kind == "raw" and body.items[0].data == CSV
    text = hb.parse([("Content-Type", "application/x-www-form-urlencoded")], b"NI number AB123456C")
    assert text.kind == "raw" and text.items[0].data == b"NI number AB123456C"


# ------------------------------------------------------------------ JSON


def graph_message(attachment: bytes = CSV) -> dict:
    return {
        "message": {
            "subject": "Staff list",
            "body": {"contentType": "Text", "content": "See attached."},
            "toRecipients": [{"emailAddress": {"name": "Sam Partner", "address": "sam@partner.example"}}],
            "attachments": [{"@odata.type": "#microsoft.graph.fileAttachment", "name": "staff.csv",
                             "contentType": "text/csv", "contentBytes": base64.b64encode(attachment).decode()}],
        },
        "saveToSentItems": True,
        "clientRequestId": "0f9e8d7c6b5a49382716f5e4d3c2b1a00f9e8d7c6b5a49382716f5e4d3c2b1a0",
    }


def test_json_attachments_become_items_and_addressing_is_left_out():
    raw = json.dumps(graph_message()).encode()
    body = hb.parse([("Content-Type", "application/json")], raw)
    assert body.kind == "json"
    names = [i.name for i in body.items]
    assert names == ["body.json", "staff.csv"]
    assert body.items[1].data == CSV
    assert body.items[1].where == "JSON $.message.attachments[0].contentBytes"
    skeleton = json.loads(body.items[0].data)
    assert skeleton["message"]["attachments"][0]["contentBytes"] == ""
    assert skeleton["message"]["toRecipients"] is None
    assert skeleton["message"]["body"]["content"] == "See attached."
    # a hex id is not mistaken for a file
    assert skeleton["clientRequestId"] == graph_message()["clientRequestId"]


def test_json_rebuild_with_attachment_replaced_keeps_everything_else():
    raw = json.dumps(graph_message()).encode()
    body = hb.parse([("Content-Type", "application/json")], raw)
    out = json.loads(body.rebuild({1: b"name\r\nJo Bloggs\r\n"}).body)
    expected = graph_message(b"name\r\nJo Bloggs\r\n")
    assert out == expected


def test_json_rebuild_with_redacted_skeleton_restores_attachments_and_addressing():
    raw = json.dumps(graph_message()).encode()
    body = hb.parse([("Content-Type", "application/json")], raw)
    skeleton = json.loads(body.items[0].data)
    skeleton["message"]["subject"] = "[REDACTED:PERSON] list"
    out = json.loads(body.rebuild({0: json.dumps(skeleton).encode()}).body)
    expected = graph_message()
    expected["message"]["subject"] = "[REDACTED:PERSON] list"
    assert out == expected
    # and rebuilding does not disturb a second rebuild
    assert json.loads(body.rebuild({}).body) == graph_message()


def test_json_redacted_skeleton_that_is_not_json_is_an_error():
    body = hb.parse([("Content-Type", "application/json")], json.dumps(graph_message()).encode())
    with pytest.raises(hb.BodyError, match="not valid JSON"):
        body.rebuild({0: b"{broken"})


def test_gmail_raw_urlsafe_unpadded_and_data_uri():
    eml = b"From: a@b\r\nSubject: x\r\n\r\nJo Bloggs AB123456C\r\n"
    raw = json.dumps({"raw": base64.urlsafe_b64encode(eml).decode().rstrip("="),
                      "inline": "data:text/csv;base64," + base64.b64encode(CSV).decode()}).encode()
    body = hb.parse([("Content-Type", "application/json")], raw)
    assert [i.data for i in body.items[1:]] == [eml, CSV]
    out = json.loads(body.rebuild({1: b"short", 2: b"x,y"}).body)
    assert out["raw"] == base64.urlsafe_b64encode(b"short").decode().rstrip("=")
    assert out["inline"] == "data:text/csv;base64," + base64.b64encode(b"x,y").decode()


def test_invalid_json_is_inspected_as_it_is():
    body = hb.parse([("Content-Type", "application/json")], b"{not json")
    assert body.kind == "raw" and body.items[0].data == b"{not json"


def test_json_without_content_type_is_recognised():
    doc = {"attachments": [{"name": "a.txt", "data": base64.b64encode(CSV).decode()}]}
    body = hb.parse([], json.dumps(doc).encode())
    assert body.kind == "json"
    assert [(i.name, i.data) for i in body.items[1:]] == [("a.txt", CSV)]


# ------------------------------------------------------------------ raw


@pytest.mark.parametrize(
    "headers, path, name",
    [
        ([("Content-Disposition", 'attachment; filename="../staff.xlsx"')], "/upload", "staff.xlsx"),
        ([("X-File-Name", "report%20one.docx")], "/upload", "report one.docx"),
        ([], "/bucket/folder/export.csv?versionId=3", "export.csv"),
        ([], "/api/v1/items", "body"),
    ],
)
def test_raw_body_is_named_from_headers_or_path(headers, path, name):
    body = hb.parse([("Content-Type", "application/octet-stream"), *headers], b"\x00\x01data", path)
    assert body.kind == "raw"
    assert [(i.name, i.where) for i in body.items] == [(name, "body")]
    assert body.rebuild({0: b"new"}).body == b"new"


# ------------------------------------------------------------------ content codings


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


def test_canonical_form_ignores_boundary_and_compression():
    a = hb.parse(mp_headers("one"), multipart("one"))
    b = hb.parse([*mp_headers("two"), ("Content-Encoding", "gzip")], gzip.compress(multipart("two")))
    c = hb.parse(mp_headers("one"), multipart("one").replace(b"Jo Bloggs", b"Jo Blogs"))
    assert a.canonical() == b.canonical() != c.canonical()
