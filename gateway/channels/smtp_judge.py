"""Judging one e-mail for each of its recipients, inside a worker process.

A transfer is one recipient's copy (contract section 5), and each recipient
may fall under a different agreement, so the message is read and detected once
and decided once per recipient (`Inspector.inspect_for`). What crosses back
to the SMTP filter is small and picklable: one `CopyOutcome` per recipient.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gateway.channels.verdicts import failed_verdict
from gateway.detect.model import OFFENDER_FIELD_CATEGORIES, SPECIAL_FIELD_CATEGORIES
from gateway.pipeline import Inspection, Inspector
from gateway.policy.verdict import Action

MESSAGE_NAME = "message.eml"


@dataclass
class CopyOutcome:
    """The decision for one recipient's copy."""

    recipient: str
    action: Action
    agreement: str | None = None
    reasons: list[str] = field(default_factory=list)
    verdict: dict[str, Any] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)
    redacted: bytes | None = None
    special: bool = False
    subjects: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    redacted_categories: dict[str, int] = field(default_factory=dict)
    content_kind: str = "eml"
    seconds: float = 0.0
    error: str | None = None


FAIL_TEXT = {
    "timeout": "Inspection did not finish in time, so this copy is held for review.",
    "worker_crash": "The inspection process stopped unexpectedly, so this copy is held for review.",
    "internal": "The gateway could not inspect this message (internal error), so this copy is held for review.",
    "parse_error": "The message could not be read, so this copy is held for review.",
    "too_large": "The message is larger than the gateway can inspect, so this copy is held for review.",
}


def judge_job(runtime: Any, raw: bytes, recipients: list[str]) -> list[CopyOutcome]:
    """The worker-pool job: runs in a worker process with the Inspector it built once."""
    return judge_message(runtime.inspector, raw, recipients)


def judge_message(inspector: Inspector, raw: bytes, recipients: list[str]) -> list[CopyOutcome]:
    inspections = inspector.inspect_for(raw, MESSAGE_NAME, recipients)
    return [outcome_of(rcpt, inspection) for rcpt, inspection in zip(recipients, inspections, strict=True)]


def outcome_of(recipient: str, inspection: Inspection) -> CopyOutcome:
    held = inspection.action >= Action.QUARANTINE
    verdict = inspection.to_json(reveal=False)
    categories = inspection.detection.categories()
    return CopyOutcome(
        recipient=recipient,
        action=inspection.action,
        agreement=inspection.verdict.agreement,
        reasons=verdict["reasons"],
        verdict=verdict,
        findings=inspection.to_json(reveal=True)["findings"] if held else [],
        redacted=inspection.redacted,
        special=bool(categories & (SPECIAL_FIELD_CATEGORIES | OFFENDER_FIELD_CATEGORIES)),
        subjects=inspection.detection.subjects,
        entities=dict(Counter(f.entity_type for f in inspection.detection.findings)),
        redacted_categories=inspection.redacted_categories(),
        content_kind=inspection.content_kind,
        seconds=inspection.seconds,
    )


def failed_copies(recipients: list[str], reason: str) -> list[CopyOutcome]:
    """Fail closed: every copy is held, with a reason a sender can read."""
    text = FAIL_TEXT.get(reason, FAIL_TEXT["internal"])
    return [
        CopyOutcome(
            recipient=r,
            action=Action.QUARANTINE,
            reasons=[text],
            verdict=failed_verdict(Action.QUARANTINE, r, text, reason),
            error=reason,
            content_kind="unknown",
        )
        for r in recipients
    ]
