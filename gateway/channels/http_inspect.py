"""Judging one HTTP request: the worker-pool job, and how the proxy runs it.

Everything that costs CPU (decompressing, splitting the body, detection,
redaction, re-assembly, serialising the payload for the quarantine) happens in
`inspect_request`, in a worker process. `judge` runs it in the pool and turns
every failure into a fail-closed `Outcome`: `timeout`, `worker_crash` and
`internal` from the pool; `parse_error` (or `too_large` when decoding would
exceed the limit) when the body cannot be decoded or split.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from gateway.channels import bodies
from gateway.channels.http_combine import combine
from gateway.channels.http_job import Outcome, RequestJob, failed
from gateway.channels.pool import Inspecting, Runtime
from gateway.policy.verdict import Action

log = logging.getLogger("gateway.channels.http_inspect")

R = TypeVar("R")


class Pooling(Protocol):
    """What the addon needs from a `pool.WorkerPool` (tests pass an in-process stand-in)."""

    timeout: float

    async def run(self, job: Callable[..., R], *args: Any, on_failure: Callable[[str], R]) -> R: ...


async def judge(pool: Pooling, job: RequestJob) -> Outcome:
    """Judge one request in the pool within its deadline; every failure is a fail-closed Outcome.

    Outcomes made here carry no payload: serialising a large body is CPU
    work, which the addon does in a thread when it stores the upload.
    """

    def fail(reason: str) -> Outcome:
        return failed(reason, job, timeout=pool.timeout, with_payload=False)

    return await pool.run(inspect_request, job, on_failure=fail)


def inspect_request(runtime: Runtime, job: RequestJob) -> Outcome:
    """The worker's job: split the body, honour a release grant, inspect every item, put the answer together."""
    started = time.perf_counter()
    try:
        body = bodies.parse(list(job.headers), job.body, job.path, job.max_decoded)
    except bodies.BodyError as exc:
        return _unreadable(runtime, job, exc)
    key = _grant_key(runtime, job, body.canonical())
    ref = _take_grant(runtime, key) if key else None
    if ref is not None:
        return Outcome(Action.ALLOW, reasons=["released by a reviewer"], codes=["grant"], grant_ref=ref,
                       grant_key=key, content_kind=body.kind, items=len(body.items))
    results = [_inspect_item(runtime.inspector, item, job.destinations) for item in body.items]
    outcome = combine(job, body, results)
    outcome.grant_key = key
    outcome.seconds = time.perf_counter() - started
    outcome.inspected_bytes = sum(len(item.data) for item in body.items)
    return outcome


def _unreadable(runtime: Runtime, job: RequestJob, exc: bodies.BodyError) -> Outcome:
    """A body that cannot be decoded is held; a reviewer can still release it (keyed on its raw bytes)."""
    if exc.reason == "too_large":
        return failed(exc.reason, job, detail=str(exc))
    key = _grant_key(runtime, job, hashlib.sha256(job.body).hexdigest().encode())
    ref = _take_grant(runtime, key) if key else None
    if ref is not None:
        return Outcome(Action.ALLOW, reasons=["released by a reviewer"], codes=["grant"], grant_ref=ref, grant_key=key)
    outcome = failed(exc.reason, job, detail=str(exc))
    outcome.grant_key = key
    return outcome


def _grant_key(runtime: Runtime, job: RequestJob, canonical: bytes) -> str | None:
    """What a reviewer's release of this upload is keyed on (boundaries and compression ignored)."""
    if runtime.grant_key is None:
        return None
    return runtime.grant_key(job.method, job.destinations[0], job.path, canonical)


def _take_grant(runtime: Runtime, key: str) -> str | None:
    if runtime.take_grant is None:
        return None
    try:
        return runtime.take_grant(key)
    except Exception as exc:  # noqa: BLE001 - store down: no grant can be confirmed, so inspect as usual
        log.warning("release grant not checked: %s", type(exc).__name__)
        return None


def _inspect_item(inspector: Inspecting, item: bodies.Item, destinations: Sequence[str]) -> Any:
    """Judge one item for each destination the request could really reach; the most severe wins.

    There is more than one destination only when the Host header and the host
    the proxy connects to disagree (domain fronting): both must be allowed.
    """
    # One read and one detection, one decision per destination.
    return max(inspector.inspect_for(item.data, item.name, destinations), key=lambda inspection: inspection.action)
