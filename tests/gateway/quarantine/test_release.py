from __future__ import annotations

from typing import Any

from gateway.quarantine.release import (
    deliver_email,
    parse_http_payload,
    replay_http,
    split_host_port,
    with_reference_header,
)

from .qfixtures import Received, free_port, http_payload


def test_split_host_port() -> None:
    assert split_host_port("127.0.0.1:2525") == ("127.0.0.1", 2525)
    assert split_host_port("mail.force.police.uk") == ("mail.force.police.uk", 25)
    assert split_host_port("[::1]:2525") == ("::1", 2525)


def test_reference_header_follows_the_message_line_ending() -> None:
    assert with_reference_header(b"A: b\r\n\r\nx", "Q-1") == b"X-DLP-Reference: Q-1\r\nA: b\r\n\r\nx"
    assert with_reference_header(b"A: b\n\nx", "Q-1") == b"X-DLP-Reference: Q-1\nA: b\n\nx"


def test_deliver_email_with_eight_bit_content(smtp_sink: tuple[str, Received]) -> None:
    hop, received = smtp_sink
    message = "From: a@x.uk\r\nTo: b@y.uk\r\nSubject: caf\u00e9\r\n\r\nna\u00efve\r\n".encode()
    outcome = deliver_email(hop, "a@x.uk", ["b@y.uk"], message, "Q-20261121-ABCDEFGH")
    assert outcome["ok"] and outcome["accepted"] == ["b@y.uk"]
    assert "na\u00efve".encode() in received.messages[0]["data"]


def test_deliver_email_reports_an_unreachable_next_hop() -> None:
    outcome = deliver_email(f"127.0.0.1:{free_port()}", "a@x.uk", ["b@y.uk"], b"x", "Q-1", timeout=5)
    assert outcome["ok"] is False and "unreachable" in outcome["summary"]


def test_replay_refuses_what_it_cannot_read_or_reach() -> None:
    assert replay_http(b"{not json")["summary"] == "the stored request cannot be read"
    assert "ftp" in replay_http(http_payload("ftp://example.org/x", b""))["summary"]


def test_replay_keeps_repeated_headers(http_sink: tuple[str, list[dict[str, Any]]]) -> None:
    base, seen = http_sink
    payload = http_payload(f"{base}/a", b"body", [["X-A", "1"], ["Host", "evil.example"], ["Content-Length", "99"]])
    outcome = replay_http(payload)
    assert outcome["ok"] and outcome["status"] == 201 and outcome["response_bytes"] == 2
    assert seen[0]["headers"]["Host"] == base.split("//")[1]
    assert seen[0]["headers"]["Content-Length"] == "4"
    assert parse_http_payload(payload)["headers"][0] == ("X-A", "1")
