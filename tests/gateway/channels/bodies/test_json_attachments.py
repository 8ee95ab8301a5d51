"""JSON bodies: base64 attachments become items, addressing is left out, rebuilding restores both."""

from __future__ import annotations

import base64
import json

import pytest

from gateway.channels import bodies as hb
from tests.gateway.channels.bodies.samples import CSV


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
