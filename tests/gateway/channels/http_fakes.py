"""In-memory stand-ins for the HTTP channel's unit tests: an inspector with a tiny fixed policy,
a quarantine store and audit log in a dict, and a pool that runs the real worker job inline.

The fake inspector returns real `pipeline.Inspection` objects, so the worker's
merging, redaction and scrubbing code runs exactly as it does with the real one.
Importable as `tests.gateway.channels.http_fakes` from spawned worker processes, which inherit sys.path.
"""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from gateway.channels.http_job import RequestJob
from gateway.channels.pool import Runtime
from gateway.content.model import Part, PartRedaction, RedactionPlan, Span
from gateway.detect.model import Detection, Finding
from gateway.pipeline import Inspection
from gateway.policy.verdict import Action, Reason, Verdict
from gateway.settings import Settings

R = TypeVar("R")

NINO = re.compile(rb"\b[A-CEGHJ-PR-TW-Z]{2}\d{6}[A-D]\b")
PARTNER = "partner.example"
AGREEMENT = "partner-dsa"
REF = "Q-20260101-ABCDEFGH"


class FakeInspector:
    """NI numbers: redacted for partner.example, held elsewhere. SECRET: blocked. SICK: special, held.

    Test hooks in the content: SLEEP:<seconds>, CRASH (the process exits), STUCK (ignores the
    deadline signal), RAISE, LEAKY (a reason that quotes the matched value, which the worker must scrub).
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []
        self.reads = 0  # inspect_for calls: how often an item was read and detected

    def inspect_for(self, data: bytes, name: str, destinations: Sequence[str | None]) -> list[Inspection]:
        self.reads += 1
        return [self.inspect(data, name, destination) for destination in destinations]

    def inspect(self, data: bytes, name: str, destination: str | None) -> Inspection:
        self.calls.append((name, destination))
        sleep = re.search(rb"SLEEP:(\d+(?:\.\d+)?)", data)
        if sleep:
            time.sleep(float(sleep.group(1)))
        if b"CRASH" in data:
            os._exit(3)
        if b"STUCK" in data:  # like C code that never returns to the interpreter: deaf to SIGALRM
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(60)
        if b"RAISE" in data:
            raise RuntimeError("detector exploded")
        text = data.decode("utf-8", "replace")
        findings = [
            Finding("UK_NINO", 0.95, name, name, m.group().decode(), start=m.start(), end=m.end(), segment=0)
            for m in NINO.finditer(data)
        ]
        reasons: list[Reason] = []
        plan = None
        redacted = None
        agreement = AGREEMENT if destination == PARTNER else None
        action = Action.ALLOW
        if b"SECRET" in data:
            findings.append(Finding("PROTECTIVE_MARKING", 1.0, name, name, "SECRET", segment=0))
            action = Action.BLOCK
            reasons.append(Reason(Action.BLOCK, "A SECRET marking may not leave the force.", "marking"))
        elif b"SICK" in data:
            findings.append(Finding("SPECIAL_CATEGORY", 0.9, name, name, "SICK", segment=0))
            action = Action.QUARANTINE
            reasons.append(Reason(Action.QUARANTINE, "Health data needs a reviewer.", "special"))
        elif findings and destination == PARTNER:
            action = Action.REDACT
            spans = [Span(f.start or 0, f.end or 0, "UK_NINO") for f in findings]
            plan = RedactionPlan({name: PartRedaction(spans={0: spans})})
            redacted = NINO.sub(b"[REDACTED:UK_NINO]", data)
            reasons.append(Reason(Action.REDACT, "NI numbers are not covered by the agreement.", "excess"))
        elif findings:
            action = Action.QUARANTINE
            text_reason = "NI numbers sent where no agreement applies."
            if b"LEAKY" in data:
                text_reason += f" First one: {findings[0].text}."
            reasons.append(Reason(Action.QUARANTINE, text_reason, "no-agreement"))
        detection = Detection(findings=findings, subjects=len({f.text for f in findings if f.entity_type == "UK_NINO"}))
        verdict = Verdict(action, agreement, reasons, plan=plan)
        return Inspection(name, destination, Part(name, "text", data, meta={"chars": len(text)}), detection,
                          verdict, redacted, 0.001)


def build_fake_runtime(settings: Settings) -> Runtime:
    """Worker factory for pool tests (`tests.gateway.channels.http_fakes:build_fake_runtime`)."""
    return Runtime(FakeInspector())


@dataclass
class FakeAudit:
    records: list[tuple[str, str, str | None, dict[str, Any]]] = field(default_factory=list)

    def append(self, event: str, actor: str, ref: str | None, details: dict[str, Any]) -> None:
        self.records.append((event, actor, ref, details))


@dataclass
class FakeStore:
    """Puts items in a list; `down=True` behaves like Redis being unreachable."""

    down: bool = False
    items: list[Any] = field(default_factory=list)
    grants: dict[str, str] = field(default_factory=dict)
    audit: FakeAudit = field(default_factory=FakeAudit)

    def put(self, item: Any) -> str:
        from gateway.quarantine.errors import StoreUnavailable

        if self.down:
            raise StoreUnavailable("quarantine store unreachable: ConnectionError")
        self.items.append(item)
        return REF

    def take_grant(self, key: str) -> str | None:
        return self.grants.pop(key, None)


class InlinePool:
    """What the addon sees from a `pool.WorkerPool`, with the job run in this process (no deadline)."""

    timeout = 30.0

    def __init__(self, store: FakeStore | None = None, grant_key: Any = None) -> None:
        self.inspector = FakeInspector()
        self.runtime = Runtime(self.inspector, store.take_grant if store else None, grant_key)
        self.jobs: list[RequestJob] = []

    async def run(self, job: Callable[..., R], *args: Any, on_failure: Callable[[str], R]) -> R:
        self.jobs.append(args[0])
        try:
            return job(self.runtime, *args)
        except Exception:
            return on_failure("internal")


def form(*parts: tuple[str, str | None, bytes], boundary: str = "xYz") -> tuple[tuple[str, str], bytes]:
    """A multipart/form-data body: (field name, file name or None, data) per part."""
    out = []
    for name, filename, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out.append(f"--{boundary}\r\nContent-Disposition: {disp}\r\n\r\n".encode() + data + b"\r\n")
    return ("Content-Type", f"multipart/form-data; boundary={boundary}"), b"".join(out) + f"--{boundary}--\r\n".encode()


def request_job(body: bytes, *headers: tuple[str, str], dest: tuple[str, ...] = ("files.example.net",)) -> RequestJob:
    """A POST as the addon would hand it over, proxy credentials included (they must never be stored)."""
    return RequestJob("POST", f"https://{dest[0]}/upload?x=1", "/upload?x=1", "HTTP/1.1",
                      (("Host", dest[0]), ("Proxy-Authorization", "Basic c2VjcmV0"), *headers), body, dest,
                      10_000_000)
