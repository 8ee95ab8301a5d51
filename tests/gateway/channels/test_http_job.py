"""What crosses the process boundary: the quarantine's copy of a request, and the fail-closed outcome."""

from __future__ import annotations

import base64
import json

from gateway.channels.http_job import failed, request_payload
from gateway.policy.verdict import Action
from tests.gateway.channels.http_fakes import request_job


def test_payload_is_the_whole_request_without_proxy_credentials():
    job = request_job(b"\x00binary", ("Content-Type", "application/octet-stream"))
    doc = json.loads(request_payload(job))
    assert (doc["method"], doc["url"], doc["http_version"]) == ("POST", job.url, "HTTP/1.1")
    assert [k.lower() for k, _ in doc["headers"]] == ["host", "content-type"]
    assert base64.b64decode(doc["body_b64"]) == b"\x00binary"


def test_payload_of_a_redacted_request_has_its_new_body_and_headers():
    job = request_job(b"old", ("Content-Type", "text/plain"))
    doc = json.loads(request_payload(job, b"new", {"content-type": "text/csv", "X-DLP-Redacted": "1"}))
    assert doc["headers"] == [["Host", "files.example.net"], ["Content-Type", "text/csv"], ["x-dlp-redacted", "1"]]
    assert base64.b64decode(doc["body_b64"]) == b"new"


def test_failed_outcome_is_held_with_a_readable_reason_and_the_request():
    out = failed("timeout", request_job(b"data"), timeout=2.5)
    assert out.action == Action.QUARANTINE and out.error == "timeout" and out.codes == ["timeout"]
    assert out.reasons == ["Inspection did not finish within 2.5 seconds, so the upload is held for review."]
    assert out.verdict["action"] == "quarantine" and out.verdict["destination"] == "files.example.net"
    assert base64.b64decode(json.loads(out.payload)["body_b64"]) == b"data"
    assert failed("worker_crash", request_job(b"data"), with_payload=False).payload is None


def test_too_large_is_blocked_and_never_stored():
    out = failed("too_large", request_job(b"data"), detail="the decoded body is larger than 10 bytes")
    assert out.action == Action.BLOCK and out.payload is None
    assert "larger than 10 bytes" in out.reasons[0]
