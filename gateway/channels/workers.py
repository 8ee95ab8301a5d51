"""Inspection off the event loop: worker processes that each build the Inspector once.

The proxy's event loop must answer a GET while twenty large uploads are being
inspected, so everything that costs CPU (decompressing, splitting the body,
detection, redaction, re-assembly, serialising the payload for the quarantine)
happens in `run_request`, in a worker process. What crosses back is small and
picklable: an `Outcome`.

Every way an inspection can fail ends in a fail-closed `Outcome` (action
quarantine) carrying a reason code from `metrics.ERROR_REASONS`:

- the deadline passes: the worker stops itself (SIGALRM) and says `timeout`; if
  it is stuck in C code and cannot, the pool is killed and restarted;
- a worker dies (BrokenProcessPool): `worker_crash`, and the pool is restarted;
- the body cannot be decoded or split: `parse_error` (or `too_large` when
  decoding would exceed the limit);
- anything else: `internal`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import importlib
import json
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol

from gateway.channels import http_bodies
from gateway.detect.model import OFFENDER_FIELD_CATEGORIES, SPECIAL_FIELD_CATEGORIES
from gateway.policy.verdict import Action
from gateway.settings import Settings

log = logging.getLogger("gateway.channels.workers")

DEFAULT_FACTORY = "gateway.channels.workers:build_runtime"
_HOP_BY_HOP_SECRETS = frozenset({"proxy-authorization", "proxy-connection"})

FAIL_TEXT = {
    "timeout": "Inspection did not finish within {timeout:g} seconds, so the upload is held for review.",
    "worker_crash": "The inspection process stopped unexpectedly, so the upload is held for review.",
    "parse_error": "The request body could not be read ({detail}), so the upload is held for review.",
    "internal": "The gateway could not inspect this upload (internal error), so it is held for review.",
    "too_large": "The upload is larger than the gateway can inspect ({detail}).",
}


# ---------------------------------------------------------------- what crosses the process boundary


@dataclass(frozen=True)
class RequestJob:
    """One HTTP request to judge. `destinations[0]` is the host the client addressed."""

    method: str
    url: str
    path: str
    http_version: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    destinations: tuple[str, ...]
    max_decoded: int


@dataclass
class Outcome:
    """What a worker sends back: the decision, and only the bytes the proxy needs to act on it.

    `verdict` is the contract's JSON verdict without values; `findings` (with
    values) is filled only for transfers that go to the quarantine. `body` and
    `headers` replace the request's body and headers when redacting; `payload`
    and `redacted_payload` are the quarantine's copies of the whole request.
    """

    action: Action
    agreement: str | None = None
    reasons: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    verdict: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    removed: int = 0
    payload: bytes | None = None
    redacted_payload: bytes | None = None
    special: bool = False
    subjects: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    redacted_categories: dict[str, int] = field(default_factory=dict)
    content_kind: str = "unknown"
    inspected_bytes: int = 0
    seconds: float = 0.0
    error: str | None = None
    grant_ref: str | None = None
    grant_key: str | None = None
    items: int = 0


def request_payload(job: RequestJob, body: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
    """The whole request as the quarantine keeps it (UTF-8 JSON), without proxy credentials."""
    pairs = [[k, v] for k, v in job.headers if k.lower() not in _HOP_BY_HOP_SECRETS]
    if headers:
        lower = {k.lower(): v for k, v in headers.items()}
        pairs = [[k, lower.pop(k.lower(), v)] for k, v in pairs] + [[k, v] for k, v in lower.items()]
    doc = {
        "method": job.method,
        "url": job.url,
        "http_version": job.http_version,
        "headers": pairs,
        "body_b64": base64.b64encode(job.body if body is None else body).decode("ascii"),
    }
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def failed(reason: str, job: RequestJob | None, *, timeout: float = 0.0, detail: str = "",
           with_payload: bool = True) -> Outcome:
    """A fail-closed outcome: the upload is held, with a reason a sender can read."""
    text = FAIL_TEXT[reason].format(timeout=timeout, detail=detail or "unknown problem")
    action = Action.BLOCK if reason == "too_large" else Action.QUARANTINE
    destination = job.destinations[0] if job else None
    verdict = {
        "action": action.label, "agreement": None, "destination": destination, "reasons": [text],
        "findings": [], "fields": [], "excess_fields": [], "missing_fields": [], "subjects": 0,
        "content_kind": "unknown", "error": reason,
    }  # fmt: skip
    payload = request_payload(job) if job is not None and with_payload and reason != "too_large" else None
    return Outcome(action, reasons=[text], codes=[reason], verdict=verdict, payload=payload, error=reason)


# ---------------------------------------------------------------- inside a worker process


class Inspecting(Protocol):
    def inspect(self, data: bytes, name: str, destination: str | None) -> Any: ...


@dataclass
class Runtime:
    """What a worker builds once: the Inspector and, when the store is reachable, release grants."""

    inspector: Inspecting
    take_grant: Callable[[str], str | None] | None = None
    grant_key: Callable[[str, str, str, bytes], str] | None = None


def build_runtime(settings: Settings) -> Runtime:
    """The real runtime: `bootstrap.build_inspector` (analyzer and agreements loaded once) and the store."""
    from gateway.bootstrap import build_inspector
    from gateway.quarantine.store import QuarantineStore, grant_key

    inspector = build_inspector(settings)
    try:
        store = QuarantineStore.from_settings(settings)
    except Exception as exc:  # noqa: BLE001 - no store: grants cannot be honoured, inspection still runs
        log.warning("release grants unavailable in this worker: %s", type(exc).__name__)
        return Runtime(inspector)
    return Runtime(inspector, store.take_grant, grant_key)


@dataclass
class _WorkerState:
    runtime: Runtime | None = None
    error: str | None = None


_STATE = _WorkerState()  # one per worker process, set by the pool's initializer


class DeadlineExceeded(BaseException):
    """Raised inside a worker by SIGALRM when the job's deadline passes.

    A BaseException, so that no library's `except Exception` can swallow it.
    """


def _initialise(settings: Settings, factory: str) -> None:
    """Process initializer: build the runtime once. A failure is remembered and reported per job."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the proxy, which shuts us down
    try:
        module, _, name = factory.partition(":")
        _STATE.runtime = getattr(importlib.import_module(module), name)(settings)
    except Exception as exc:  # noqa: BLE001 - remembered; every job then fails closed with it
        _STATE.error = f"{type(exc).__name__}: {exc}"
        log.error("worker %d could not build the inspector: %s", os.getpid(), _STATE.error)


def ping() -> tuple[int, str | None]:
    """Warm-up probe: this worker's pid, and None when its inspector is ready, else why not."""
    time.sleep(0.05)  # let the other workers take their share of the probes
    return os.getpid(), (_STATE.error or "no inspector") if _STATE.runtime is None else None


@contextlib.contextmanager
def _deadline(deadline: float) -> Iterator[None]:
    remaining = deadline - time.time()
    if remaining <= 0:
        raise DeadlineExceeded

    def _alarm(signum: int, frame: object) -> None:
        raise DeadlineExceeded

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, remaining)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_request(job: RequestJob, deadline: float, timeout: float) -> Outcome:
    """The worker's job: judge one request before `deadline` (wall clock), or fail closed."""
    if _STATE.runtime is None:
        log.error("inspection refused: the worker has no inspector (%s)", _STATE.error)
        return failed("internal", job)
    try:
        with _deadline(deadline):
            return inspect_request(_STATE.runtime, job)
    except DeadlineExceeded:
        return failed("timeout", job, timeout=timeout)
    except Exception as exc:
        log.exception("inspection failed with %s", type(exc).__name__)
        return failed("internal", job)


def inspect_request(runtime: Runtime, job: RequestJob) -> Outcome:
    """Split the body, honour a release grant, inspect every item, and put the answer together."""
    started = time.perf_counter()
    try:
        body = http_bodies.parse(list(job.headers), job.body, job.path, job.max_decoded)
    except http_bodies.BodyError as exc:
        return _unreadable(runtime, job, exc)
    key = _grant_key(runtime, job, body.canonical())
    ref = _take_grant(runtime, key) if key else None
    if ref is not None:
        return Outcome(Action.ALLOW, reasons=["released by a reviewer"], codes=["grant"], grant_ref=ref,
                       grant_key=key, content_kind=body.kind, items=len(body.items))
    results = [_inspect_item(runtime.inspector, item, job.destinations) for item in body.items]
    outcome = _combine(job, body, results)
    outcome.grant_key = key
    outcome.seconds = time.perf_counter() - started
    outcome.inspected_bytes = sum(len(item.data) for item in body.items)
    return outcome


def _unreadable(runtime: Runtime, job: RequestJob, exc: http_bodies.BodyError) -> Outcome:
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


def _inspect_item(inspector: Inspecting, item: http_bodies.Item, destinations: Sequence[str]) -> Any:
    """Judge one item for each destination the request could really reach; the most severe wins.

    There is more than one destination only when the Host header and the host
    the proxy connects to disagree (domain fronting): both must be allowed.
    """
    best = None
    for destination in destinations:
        inspection = inspector.inspect(item.data, item.name, destination)
        if best is None or inspection.action > best.action:
            best = inspection
    return best


def _combine(job: RequestJob, body: http_bodies.Body, results: list[Any]) -> Outcome:
    items = body.items
    action = max((r.action for r in results), default=Action.ALLOW)
    lead = next((r for r in results if r.action == action), None)
    agreement = lead.verdict.agreement if lead is not None else None
    # Marking words ("SECRET") are labels, not personal data; reasons may name them.
    secrets_seen = {f.text for r in results for f in r.detection.findings
                    if len(f.text.strip()) >= 3 and f.entity_type != "PROTECTIVE_MARKING"}
    reasons, codes = _reasons(items, results, secrets_seen)
    entities = Counter(f.entity_type for r in results for f in r.detection.findings)
    outcome = Outcome(
        action, agreement, reasons, codes,
        verdict=_verdict(job, body, results, action=action, agreement=agreement, reasons=reasons),
        special=any(_special(r) for r in results),
        subjects=sum(r.detection.subjects for r in results),
        entities=dict(entities),
        content_kind=_content_kind(body, results),
        items=len(items),
    )  # fmt: skip
    if action == Action.REDACT:
        _apply_redaction(job, body, results, outcome)
    if outcome.action >= Action.QUARANTINE:
        outcome.findings = [f.to_json(True) for r in results for f in r.detection.findings]
        outcome.payload = request_payload(job)
    return outcome


def _content_kind(body: http_bodies.Body, results: list[Any]) -> str:
    """The metrics label for a request: the kind of its largest item (the file, usually)."""
    if not results:
        return body.kind
    largest = max(range(len(results)), key=lambda i: len(body.items[i].data))
    return str(results[largest].content_kind)


def _reasons(items: list[http_bodies.Item], results: list[Any], secrets_seen: set[str]) -> tuple[list[str], list[str]]:
    """Reasons of every item that is not simply allowed, most severe first, matched values scrubbed."""
    ranked: list[tuple[int, str, str]] = []
    for item, result in zip(items, results, strict=True):
        if result.action == Action.ALLOW:
            continue
        for reason in result.verdict.reasons:
            text = _scrub(reason.text, secrets_seen)
            if len(items) > 1:
                text = f"{item.name}: {text}"
            ranked.append((-int(reason.action), text, reason.code))
    ranked.sort(key=lambda r: r[0])
    texts = list(dict.fromkeys(t for _, t, _ in ranked))
    codes = list(dict.fromkeys(c for _, _, c in ranked if c))
    return texts, codes


def _scrub(text: str, secrets_seen: set[str]) -> str:
    """Belt and braces: a reason must never quote a matched value, whatever policy wrote."""
    for secret in sorted(secrets_seen, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "[value withheld]")
    return text


def _special(result: Any) -> bool:
    categories = result.detection.categories()
    return bool(categories & (SPECIAL_FIELD_CATEGORIES | OFFENDER_FIELD_CATEGORIES))


def _verdict(job: RequestJob, body: http_bodies.Body, results: list[Any], *, action: Action,
             agreement: str | None, reasons: list[str]) -> dict[str, Any]:
    """The contract's JSON verdict for the whole request (no values), with one entry per item."""
    parts = [r.to_json(False) for r in results]
    doc: dict[str, Any] = {
        "action": action.label,
        "agreement": agreement,
        "destination": job.destinations[0],
        "reasons": reasons,
        "findings": [f for p in parts for f in p.get("findings", [])],
        "fields": [f for p in parts for f in p.get("fields", [])],
        "excess_fields": list(dict.fromkeys(x for p in parts for x in p.get("excess_fields", []))),
        "missing_fields": list(dict.fromkeys(x for p in parts for x in p.get("missing_fields", []))),
        "subjects": sum(int(p.get("subjects") or 0) for p in parts),
        "content_kind": _content_kind(body, results),
        "items": [
            {"name": item.name, "where": item.where, "action": p.get("action"), "agreement": p.get("agreement"),
             "content_kind": p.get("content_kind")}
            for item, p in zip(body.items, parts, strict=True)
        ],
    }
    if any(p.get("mode") == "monitor" for p in parts):
        doc["mode"] = "monitor"
        doc["would_action"] = max(Action.parse(p.get("would_action", "allow")) for p in parts).label
    return doc


def _apply_redaction(job: RequestJob, body: http_bodies.Body, results: list[Any], outcome: Outcome) -> None:
    """Put every redacted item back in its place; if that cannot be done safely, hold instead."""
    replacements = {i: r.redacted for i, r in enumerate(results) if r.action == Action.REDACT}
    if any(data is None for data in replacements.values()):
        return _hold_instead(outcome, "A redacted copy could not be produced")
    try:
        rebuilt = body.rebuild({i: data for i, data in replacements.items() if data is not None})
    except http_bodies.BodyError as exc:
        return _hold_instead(outcome, f"The redacted file cannot be put back into the request ({exc})")
    categories: Counter[str] = Counter()
    for i in replacements:
        categories.update(_redacted_categories(results[i]))
    removed = sum(categories.values())
    outcome.body = rebuilt.body
    outcome.headers = {**rebuilt.headers, "X-DLP-Redacted": (
        f"{removed} field(s) removed under agreement {outcome.agreement or 'none'}")}
    outcome.removed = removed
    outcome.redacted_categories = dict(categories)
    return None


def _hold_instead(outcome: Outcome, text: str) -> None:
    outcome.action = Action.QUARANTINE
    outcome.reasons.insert(0, text + ", so the upload is held for review.")
    outcome.codes.insert(0, "not-redactable")
    outcome.verdict["action"] = Action.QUARANTINE.label
    outcome.verdict["reasons"] = outcome.reasons


def _redacted_categories(result: Any) -> Counter[str]:
    """What redaction removed, by category: one per dropped column, one per replaced span."""
    counts: Counter[str] = Counter()
    plan = result.verdict.plan
    if plan is None:
        return counts
    columns = {(f.part_name, f.table, f.column_index): f.category for f in result.detection.fields}
    for part_name, redaction in plan.parts.items():
        for table, cols in redaction.drop_columns.items():
            for col in cols:
                counts[columns.get((part_name, table, col), "UNKNOWN")] += 1
        for spans in redaction.spans.values():
            for span in spans:
                counts[span.label] += 1
    return counts


# ---------------------------------------------------------------- the pool, in the proxy process


class WorkerPool:
    """A process pool whose workers each hold an Inspector; `inspect_request` never raises.

    At most `2 × workers` jobs are handed to the pool at once, so a burst of
    large uploads waits in the proxy (holding only the body mitmproxy already
    has) instead of being copied into the pool's queues all at once.
    """

    def __init__(self, settings: Settings, *, workers: int, timeout: float, factory: str = DEFAULT_FACTORY,
                 grace: float = 5.0) -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self.timeout = timeout
        self.factory = factory
        self.grace = grace
        self._executor: ProcessPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            _repair_sys_path()
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_initialise,
                initargs=(self.settings, self.factory),
            )
        return self._executor

    async def warm_up(self, rounds: int = 20) -> list[str]:
        """Start the workers and wait until each has built its inspector; returns the problems found."""
        loop = asyncio.get_running_loop()
        seen: dict[int, str | None] = {}
        for _round in range(rounds):
            futures = [loop.run_in_executor(self._pool(), ping) for _ in range(self.workers)]
            for result in await asyncio.gather(*futures, return_exceptions=True):
                if isinstance(result, BaseException):
                    return [f"inspection workers did not start: {type(result).__name__}"]
                pid, problem = result
                seen[pid] = problem
            if len(seen) >= self.workers:
                break
        return sorted({p for p in seen.values() if p})

    async def inspect_request(self, job: RequestJob) -> Outcome:
        """Judge one request within the deadline; every failure is a fail-closed Outcome.

        Outcomes made here carry no payload: serialising a large body is CPU
        work, which the addon does in a thread when it stores the upload.
        """
        deadline = time.time() + self.timeout
        if self._slots is None:
            self._slots = asyncio.Semaphore(2 * self.workers)
        async with self._slots:
            for _attempt in range(2):
                remaining = deadline - time.time()
                if remaining <= 0:
                    return failed("timeout", job, timeout=self.timeout, with_payload=False)
                pool = self._pool()
                try:
                    future: Future[Outcome] = pool.submit(run_request, job, deadline, self.timeout)
                    return await asyncio.wait_for(asyncio.wrap_future(future), remaining + self.grace)
                except TimeoutError:
                    log.error("a worker missed the inspection deadline and did not stop; restarting the pool")
                    self._restart(pool)
                    return failed("timeout", job, timeout=self.timeout, with_payload=False)
                except BrokenProcessPool:
                    if getattr(pool, "dlp_retired", False):
                        continue  # we killed that pool for another job's sake: try once more on the new one
                    log.error("an inspection worker died; restarting the pool")
                    self._restart(pool)
                    return failed("worker_crash", job, with_payload=False)
                except Exception as exc:  # noqa: BLE001 - whatever it is, the upload is held, not sent
                    log.error("inspection could not be run: %s", type(exc).__name__)
                    return failed("internal", job, with_payload=False)
        return failed("worker_crash", job, with_payload=False)

    def _restart(self, pool: ProcessPoolExecutor) -> None:
        """Kill a pool's processes (a stuck worker cannot be stopped any other way) and start afresh."""
        if self._executor is not pool:
            return
        pool.dlp_retired = True  # type: ignore[attr-defined]
        self._executor = None
        _kill(pool)

    def close(self) -> None:
        """Stop every worker now; used at proxy shutdown."""
        if self._executor is not None:
            pool, self._executor = self._executor, None
            _kill(pool)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _repair_sys_path() -> None:
    """Workers inherit sys.path; this package's folder on it would let `http.py` shadow the stdlib `http`."""
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _PACKAGE_DIR]


def _kill(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
