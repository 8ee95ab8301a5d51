"""What crosses the process boundary for one HTTP request: the job going out, the `Outcome` coming back.

Both are small and picklable. `failed` is the fail-closed outcome every
failure ends in (action quarantine, or block when the body is too large),
carrying a reason code from `metrics.ERROR_REASONS` and a text a sender can read.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from gateway.channels.verdicts import failed_verdict
from gateway.policy.verdict import Action

_HOP_BY_HOP_SECRETS = frozenset({"proxy-authorization", "proxy-connection"})

FAIL_TEXT = {
    "timeout": "Inspection did not finish within {timeout:g} seconds, so the upload is held for review.",
    "worker_crash": "The inspection process stopped unexpectedly, so the upload is held for review.",
    "parse_error": "The request body could not be read ({detail}), so the upload is held for review.",
    "internal": "The gateway could not inspect this upload (internal error), so it is held for review.",
    "too_large": "The upload is larger than the gateway can inspect ({detail}).",
}


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
    """A fail-closed outcome: the upload is held, with a reason a sender can read.

    Outcomes made in the proxy process pass `with_payload=False`: serialising a
    large body is CPU work, which the addon does in a thread when it stores the upload.
    """
    text = FAIL_TEXT[reason].format(timeout=timeout, detail=detail or "unknown problem")
    action = Action.BLOCK if reason == "too_large" else Action.QUARANTINE
    destination = job.destinations[0] if job else None
    verdict = failed_verdict(action, destination, text, reason)
    payload = request_payload(job) if job is not None and with_payload and reason != "too_large" else None
    return Outcome(action, reasons=[text], codes=[reason], verdict=verdict, payload=payload, error=reason)
