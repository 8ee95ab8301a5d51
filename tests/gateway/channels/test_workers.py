"""The worker side of the HTTP channel: one request in, one Outcome out, and the pool around it.

Most tests run the worker logic in this process with the fake inspector; the
pool tests (marked e2e) start real worker processes to show that timeouts,
crashes and a broken inspector all end in a fail-closed outcome.
"""

from __future__ import annotations

import base64
import gzip
import json
import time

import pytest

from gateway.channels import workers
from gateway.channels.workers import RequestJob, Runtime, WorkerPool, inspect_request
from gateway.policy.verdict import Action
from gateway.quarantine.store import grant_key
from gateway.settings import Settings
from tests.gateway.channels.http_fakes import AGREEMENT, PARTNER, FakeInspector

NINO = "AB123456C"
FAKE_FACTORY = "tests.gateway.channels.http_fakes:build_fake_runtime"


def form(*parts: tuple[str, str | None, bytes], boundary: str = "xYz") -> tuple[tuple[str, str], bytes]:
    out = []
    for name, filename, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out.append(f"--{boundary}\r\nContent-Disposition: {disp}\r\n\r\n".encode() + data + b"\r\n")
    return ("Content-Type", f"multipart/form-data; boundary={boundary}"), b"".join(out) + f"--{boundary}--\r\n".encode()


def job(body: bytes, *headers: tuple[str, str], dest: tuple[str, ...] = ("files.example.net",)) -> RequestJob:
    return RequestJob("POST", f"https://{dest[0]}/upload?x=1", "/upload?x=1", "HTTP/1.1",
                      (("Host", dest[0]), ("Proxy-Authorization", "Basic c2VjcmV0"), *headers), body, dest,
                      10_000_000)


def runtime() -> Runtime:
    return Runtime(FakeInspector())


def test_clean_multipart_is_allowed_without_payload():
    ctype, body = form(("comment", None, b"hello"), ("f", "notes.txt", b"nothing personal"))
    out = inspect_request(runtime(), job(body, ctype))
    assert out.action == Action.ALLOW and out.error is None
    assert out.items == 3  # two fields and the names of the fields and files
    assert out.content_kind == "text"  # the kind of the largest item
    assert out.inspected_bytes == len(b"hello") + len(b"nothing personal") + len(b"comment\nf\nnotes.txt")
    assert out.payload is None and out.body is None and out.findings == []


def test_redaction_replaces_only_the_parts_with_excess_data():
    ctype, body = form(("comment", None, f"ref {NINO}".encode()),
                       ("f", "staff.csv", f"a,{NINO}\nb,AB654321D\n".encode()),
                       ("other", "clean.txt", b"clean"))
    out = inspect_request(runtime(), job(body, ctype, dest=(PARTNER,)))
    assert out.action == Action.REDACT and out.agreement == AGREEMENT
    assert out.body is not None and NINO.encode() not in out.body
    assert out.body == body.replace(NINO.encode(), b"[REDACTED:UK_NINO]").replace(b"AB654321D", b"[REDACTED:UK_NINO]")
    assert out.headers["X-DLP-Redacted"] == f"3 field(s) removed under agreement {AGREEMENT}"
    assert out.removed == 3 and out.redacted_categories == {"UK_NINO": 3}
    assert out.verdict["action"] == "redact" and len(out.verdict["items"]) == 4
    assert out.payload is None


def test_most_severe_item_wins_and_reasons_name_items():
    ctype, body = form(("a", "staff.csv", NINO.encode()), ("b", "memo.txt", b"SECRET plans"))
    out = inspect_request(runtime(), job(body, ctype))
    assert out.action == Action.BLOCK
    assert out.reasons[0].startswith("memo.txt: A SECRET marking")
    assert any(r.startswith("staff.csv: NI numbers") for r in out.reasons)
    assert out.entities == {"UK_NINO": 1, "PROTECTIVE_MARKING": 1}
    assert {f["text"] for f in out.findings} == {NINO, "SECRET"}
    assert "text" not in json.dumps(out.verdict["findings"])
    payload = json.loads(out.payload)
    assert base64.b64decode(payload["body_b64"]) == body
    assert [k.lower() for k, _ in payload["headers"]] == ["host", "content-type"]  # proxy credentials dropped


def test_reasons_never_quote_a_matched_value():
    out = inspect_request(runtime(), job(f"LEAKY {NINO}".encode(), ("Content-Type", "text/plain")))
    assert out.action == Action.QUARANTINE
    assert NINO not in " ".join(out.reasons) and "[value withheld]" in out.reasons[0]
    assert NINO not in json.dumps(out.verdict)


def test_special_category_is_flagged():
    out = inspect_request(runtime(), job(b"SICK note", ("Content-Type", "text/plain")))
    assert out.action == Action.QUARANTINE and out.special is True


def test_undecodable_body_is_held_with_parse_error():
    out = inspect_request(runtime(), job(b"not gzip", ("Content-Encoding", "gzip")))
    assert out.action == Action.QUARANTINE and out.error == "parse_error"
    assert "gzip" in out.reasons[0]
    assert base64.b64decode(json.loads(out.payload)["body_b64"]) == b"not gzip"


def test_decoded_size_over_limit_is_refused_not_stored():
    j = job(gzip.compress(b"\0" * 200_000), ("Content-Encoding", "gzip"))
    small = RequestJob(**{**j.__dict__, "max_decoded": 1000})
    out = inspect_request(runtime(), small)
    assert out.error == "too_large" and out.payload is None


def test_release_grant_lets_the_identical_retry_through_uninspected():
    ctype, body = form(("f", "staff.csv", NINO.encode()), boundary="first")
    held = inspect_request(Runtime(FakeInspector(), None, grant_key), job(body, ctype))
    assert held.action == Action.QUARANTINE and held.grant_key
    grants = {held.grant_key: "Q-20260101-AAAAAAAA"}
    inspector = FakeInspector()
    ctype2, retry = form(("f", "staff.csv", NINO.encode()), boundary="second")  # a browser picks a new boundary
    out = inspect_request(Runtime(inspector, grants.pop, grant_key), job(retry, ctype2))
    assert out.grant_ref == "Q-20260101-AAAAAAAA" and out.action == Action.ALLOW
    assert inspector.calls == []


def test_unreadable_body_can_be_released_too():
    held = inspect_request(Runtime(FakeInspector(), None, grant_key), job(b"not gzip", ("Content-Encoding", "gzip")))
    assert held.error == "parse_error" and held.grant_key
    grants = {held.grant_key: "Q-20260101-BBBBBBBB"}
    retry = inspect_request(Runtime(FakeInspector(), grants.pop, grant_key),
                            job(b"not gzip", ("Content-Encoding", "gzip")))
    assert retry.grant_ref == "Q-20260101-BBBBBBBB" and retry.action == Action.ALLOW


def test_grant_store_down_means_inspect_as_usual():
    def broken(key: str) -> str | None:
        raise ConnectionError("redis down")

    out = inspect_request(Runtime(FakeInspector(), broken, grant_key), job(NINO.encode()))
    assert out.action == Action.QUARANTINE and out.grant_ref is None


def test_fronted_request_is_judged_for_both_hosts():
    out = inspect_request(runtime(), job(NINO.encode(), dest=(PARTNER, "evil.example")))
    assert out.action == Action.QUARANTINE
    assert out.verdict["destination"] == PARTNER


def test_redaction_that_cannot_be_reassembled_is_held():
    class BadJson(FakeInspector):
        def inspect(self, data, name, destination):
            result = super().inspect(data, name, destination)
            if result.redacted is not None and name == "body.json":
                result.redacted = b"{not json"
            return result

    body = json.dumps({"subject": f"NI {NINO}"}).encode()
    out = inspect_request(Runtime(BadJson()), job(body, ("Content-Type", "application/json"), dest=(PARTNER,)))
    assert out.action == Action.QUARANTINE and out.codes[0] == "not-redactable"
    assert out.body is None and out.payload is not None


def test_worker_deadline_stops_a_slow_inspection(monkeypatch):
    monkeypatch.setattr(workers, "_STATE", workers._WorkerState(runtime()))
    out = workers.run_request(job(b"SLEEP:10"), time.time() + 0.3, 0.3)
    assert out.error == "timeout" and out.action == Action.QUARANTINE


def test_worker_without_inspector_fails_closed(monkeypatch):
    monkeypatch.setattr(workers, "_STATE", workers._WorkerState(None, "RuleError: rules/x.yaml:id: missing"))
    out = workers.run_request(job(b"anything"), time.time() + 5, 5)
    assert out.error == "internal" and out.action == Action.QUARANTINE


def test_inspector_exception_fails_closed(monkeypatch):
    monkeypatch.setattr(workers, "_STATE", workers._WorkerState(runtime()))
    out = workers.run_request(job(b"RAISE"), time.time() + 5, 5)
    assert out.error == "internal" and "detector exploded" not in " ".join(out.reasons)


# ------------------------------------------------------------------ real worker processes


@pytest.fixture
def pool_factory():
    pools: list[WorkerPool] = []

    def make(factory: str = FAKE_FACTORY, timeout: float = 30.0, workers: int = 2) -> WorkerPool:
        pool = WorkerPool(Settings(), workers=workers, timeout=timeout, factory=factory, grace=0.5)
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


@pytest.mark.e2e
async def test_pool_judges_requests_in_worker_processes(pool_factory):
    pool = pool_factory()
    assert await pool.warm_up() == []
    clean, held = await __import__("asyncio").gather(
        pool.inspect_request(job(b"fine")), pool.inspect_request(job(NINO.encode())))
    assert clean.action == Action.ALLOW and held.action == Action.QUARANTINE and held.payload


@pytest.mark.e2e
async def test_pool_timeout_fails_closed_and_pool_keeps_working(pool_factory):
    pool = pool_factory(timeout=1.0)
    out = await pool.inspect_request(job(b"SLEEP:30"))
    assert out.error == "timeout" and out.action == Action.QUARANTINE
    assert (await pool.inspect_request(job(b"fine"))).action == Action.ALLOW


@pytest.mark.e2e
async def test_pool_kills_a_worker_deaf_to_the_deadline(pool_factory):
    pool = pool_factory(timeout=1.0)
    out = await pool.inspect_request(job(b"STUCK"))
    assert out.error == "timeout"
    assert (await pool.inspect_request(job(b"fine"))).action == Action.ALLOW


@pytest.mark.e2e
async def test_pool_worker_crash_fails_closed_and_pool_restarts(pool_factory):
    pool = pool_factory()
    out = await pool.inspect_request(job(b"CRASH"))
    assert out.error == "worker_crash" and out.action == Action.QUARANTINE and out.payload is None
    assert (await pool.inspect_request(job(b"fine"))).action == Action.ALLOW


@pytest.mark.e2e
async def test_pool_with_broken_inspector_reports_it_and_holds(pool_factory):
    pool = pool_factory("tests.gateway.channels.http_fakes:build_broken_runtime", workers=1)
    problems = await pool.warm_up()
    assert problems and "rules folder is broken" in problems[0]
    out = await pool.inspect_request(job(b"fine"))
    assert out.error == "internal" and out.action == Action.QUARANTINE
