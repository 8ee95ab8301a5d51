"""Judging one HTTP request: the worker job (split, grants, every destination) and how the proxy runs it.

Most tests run the job in this process with the fake inspector; the test marked
e2e runs it in real worker processes, as the proxy does.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import json

import pytest

from gateway.channels.http_inspect import inspect_request, judge
from gateway.channels.http_job import RequestJob
from gateway.channels.pool import Runtime, WorkerPool
from gateway.policy.verdict import Action
from gateway.quarantine.store import grant_key
from gateway.settings import Settings
from tests.gateway.channels.http_fakes import PARTNER, FakeInspector, form, request_job

NINO = "AB123456C"
FAKE_FACTORY = "tests.gateway.channels.http_fakes:build_fake_runtime"


def runtime() -> Runtime:
    return Runtime(FakeInspector())


def test_clean_multipart_is_allowed_without_payload():
    ctype, body = form(("comment", None, b"hello"), ("f", "notes.txt", b"nothing personal"))
    out = inspect_request(runtime(), request_job(body, ctype))
    assert out.action == Action.ALLOW and out.error is None
    assert out.items == 3  # two fields and the names of the fields and files
    assert out.content_kind == "text"  # the kind of the largest item
    assert out.inspected_bytes == len(b"hello") + len(b"nothing personal") + len(b"comment\nf\nnotes.txt")
    assert out.payload is None and out.body is None and out.findings == []


def test_undecodable_body_is_held_with_parse_error():
    out = inspect_request(runtime(), request_job(b"not gzip", ("Content-Encoding", "gzip")))
    assert out.action == Action.QUARANTINE and out.error == "parse_error"
    assert "gzip" in out.reasons[0]
    assert base64.b64decode(json.loads(out.payload)["body_b64"]) == b"not gzip"


def test_decoded_size_over_limit_is_refused_not_stored():
    j = request_job(gzip.compress(b"\0" * 200_000), ("Content-Encoding", "gzip"))
    small = RequestJob(**{**j.__dict__, "max_decoded": 1000})
    out = inspect_request(runtime(), small)
    assert out.error == "too_large" and out.payload is None


def test_release_grant_lets_the_identical_retry_through_uninspected():
    ctype, body = form(("f", "staff.csv", NINO.encode()), boundary="first")
    held = inspect_request(Runtime(FakeInspector(), None, grant_key), request_job(body, ctype))
    assert held.action == Action.QUARANTINE and held.grant_key
    grants = {held.grant_key: "Q-20260101-AAAAAAAA"}
    inspector = FakeInspector()
    ctype2, retry = form(("f", "staff.csv", NINO.encode()), boundary="second")  # a browser picks a new boundary
    out = inspect_request(Runtime(inspector, grants.pop, grant_key), request_job(retry, ctype2))
    assert out.grant_ref == "Q-20260101-AAAAAAAA" and out.action == Action.ALLOW
    assert inspector.calls == []


def test_unreadable_body_can_be_released_too():
    held = inspect_request(Runtime(FakeInspector(), None, grant_key),
                           request_job(b"not gzip", ("Content-Encoding", "gzip")))
    assert held.error == "parse_error" and held.grant_key
    grants = {held.grant_key: "Q-20260101-BBBBBBBB"}
    retry = inspect_request(Runtime(FakeInspector(), grants.pop, grant_key),
                            request_job(b"not gzip", ("Content-Encoding", "gzip")))
    assert retry.grant_ref == "Q-20260101-BBBBBBBB" and retry.action == Action.ALLOW


def test_grant_store_down_means_inspect_as_usual():
    def broken(key: str) -> str | None:
        raise ConnectionError("redis down")

    out = inspect_request(Runtime(FakeInspector(), broken, grant_key), request_job(NINO.encode()))
    assert out.action == Action.QUARANTINE and out.grant_ref is None


def test_fronted_request_is_judged_for_both_hosts():
    out = inspect_request(runtime(), request_job(NINO.encode(), dest=(PARTNER, "evil.example")))
    assert out.action == Action.QUARANTINE
    assert out.verdict["destination"] == PARTNER


class FailingPool:
    """A pool whose every job fails with `reason`, as `WorkerPool.run` reports it."""

    def __init__(self, reason: str, timeout: float = 3.0) -> None:
        self.reason = reason
        self.timeout = timeout

    async def run(self, job, *args, on_failure):
        return on_failure(self.reason)


@pytest.mark.parametrize("reason", ["timeout", "worker_crash", "internal"])
async def test_every_pool_failure_is_a_held_outcome_without_payload(reason):
    out = await judge(FailingPool(reason), request_job(b"RAISE detector exploded"))
    assert out.error == reason and out.action == Action.QUARANTINE and out.payload is None
    assert out.verdict["destination"] == "files.example.net"
    assert "detector exploded" not in " ".join(out.reasons)


async def test_timeout_reason_names_the_pool_deadline():
    out = await judge(FailingPool("timeout", timeout=7.5), request_job(b"big"))
    assert out.reasons == ["Inspection did not finish within 7.5 seconds, so the upload is held for review."]


@pytest.mark.e2e
async def test_requests_are_judged_in_worker_processes():
    pool = WorkerPool(Settings(), workers=2, timeout=30.0, factory=FAKE_FACTORY, grace=0.5)
    try:
        assert await pool.warm_up() == []
        clean, held = await asyncio.gather(judge(pool, request_job(b"fine")), judge(pool, request_job(NINO.encode())))
        assert clean.action == Action.ALLOW and held.action == Action.QUARANTINE and held.payload
        crashed = await judge(pool, request_job(b"CRASH"))
        assert crashed.error == "worker_crash" and crashed.action == Action.QUARANTINE and crashed.payload is None
        assert (await judge(pool, request_job(b"fine"))).action == Action.ALLOW
    finally:
        pool.close()


def test_domain_fronting_judges_both_names_from_one_read():
    inspector = FakeInspector()
    body = f"NI {NINO}".encode()
    job = request_job(body, ("Content-Type", "text/plain"), dest=(PARTNER, "evil.example"))
    out = inspect_request(Runtime(inspector), job)
    # Redacted for the partner, held for the other name: the stricter verdict wins.
    assert out.action == Action.QUARANTINE
    assert {d for _, d in inspector.calls} == {PARTNER, "evil.example"}
    assert inspector.reads == 1
