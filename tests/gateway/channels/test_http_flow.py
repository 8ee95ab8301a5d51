"""From a mitmproxy request to a job and back: destinations, sender, and the redacted body put in place."""

from __future__ import annotations

import base64
import hashlib

from mitmproxy import http
from mitmproxy.test import tflow

from gateway.channels.http_flow import apply_redaction, destinations, request_job, sender
from gateway.channels.http_job import Outcome
from gateway.policy.verdict import Action


def test_destination_is_the_addressed_host_and_a_fronted_target_is_added():
    req = http.Request.make("POST", "http://evil.example/x", b"d")
    req.headers["Host"] = "partner.example"  # absolute-form target and Host disagree
    assert destinations(req) == ("partner.example", "evil.example")
    req = http.Request.make("POST", "http://10.1.2.3/x", b"d")
    req.headers["Host"] = "Partner.Example."  # transparent mode: the target is an address
    assert destinations(req) == ("partner.example",)


def test_job_carries_the_request_as_sent():
    req = http.Request.make("PUT", "https://files.example.net/a/b.csv?v=1", b"", {"X-Tag": "one"})
    req.headers.add("X-Tag", "two")
    req.headers["Content-Encoding"] = "gzip"
    req.raw_content = b"\x1f\x8bzipped"  # as sent: not decoded here
    job = request_job(req, 5000)
    assert (job.method, job.url, job.path) == ("PUT", "https://files.example.net/a/b.csv?v=1", "/a/b.csv?v=1")
    assert job.body == b"\x1f\x8bzipped" and job.max_decoded == 5000
    assert [v for k, v in job.headers if k == "X-Tag"] == ["one", "two"]
    assert job.destinations == ("files.example.net",)


def test_sender_is_the_client_address_and_the_user_name_never_the_password():
    f = tflow.tflow()
    assert sender(f) == ("127.0.0.1", None)
    f.metadata["proxyauth"] = ("alice", "hunter2")
    assert sender(f) == ("127.0.0.1", "alice")


def test_redacted_body_gets_matching_length_and_digest():
    req = http.Request.make("POST", "http://partner.example/up", b"AB123456C", {"Content-MD5": "stale"})
    outcome = Outcome(Action.REDACT, body=b"[REDACTED]", headers={"X-DLP-Redacted": "1 field(s) removed"})
    apply_redaction(req, outcome)
    assert req.raw_content == b"[REDACTED]" and req.headers["content-length"] == "10"
    assert req.headers["X-DLP-Redacted"] == "1 field(s) removed"
    assert req.headers["content-md5"] == base64.b64encode(hashlib.md5(b"[REDACTED]").digest()).decode()


def test_chunked_redacted_body_stays_chunked():
    req = http.Request.make("POST", "http://partner.example/up", b"AB123456C", {"Transfer-Encoding": "chunked"})
    assert "content-length" not in req.headers
    apply_redaction(req, Outcome(Action.REDACT, body=b"[REDACTED]"))
    assert "content-length" not in req.headers and req.raw_content == b"[REDACTED]"
