"""The one function every channel calls: bytes and a destination in, a verdict out.

content.read -> detect -> policy.decide -> content.write (when redacting).
Channels (CLI, HTTP, SMTP) never call the stages directly, so a transfer is
judged the same way whichever way it leaves.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from gateway import content
from gateway.content.formats.base import Limits
from gateway.content.model import NotRedactable, Part
from gateway.detect.model import Detection
from gateway.policy.verdict import Action, Reason, Verdict


class Detecting(Protocol):
    def detect(self, document: Part) -> Detection: ...


class Deciding(Protocol):
    def decide(self, detection: Detection, destination: str | None, today: date) -> Verdict: ...


@dataclass
class Inspection:
    """The full outcome of inspecting one transfer (or one file of it)."""

    name: str
    destination: str | None
    document: Part
    detection: Detection
    verdict: Verdict
    redacted: bytes | None
    seconds: float

    @property
    def action(self) -> Action:
        return self.verdict.action

    @property
    def content_kind(self) -> str:
        return self.document.kind

    def to_json(self, reveal: bool = False) -> dict[str, Any]:
        """The contract's JSON verdict (section 2). Values only with `reveal`."""
        v = self.verdict
        out: dict[str, Any] = {
            "action": v.action.label,
            "agreement": v.agreement,
            "destination": self.destination,
            "reasons": v.reason_texts(),
            "findings": [f.to_json(reveal) for f in self.detection.findings],
            "fields": [f.to_json(self._field_allowed(f.category)) for f in self.detection.fields],
            "excess_fields": list(v.excess_fields),
            "missing_fields": list(v.missing_fields),
            "subjects": self.detection.subjects,
            "content_kind": self.content_kind,
        }
        if v.monitor:
            out["mode"] = "monitor"
            out["would_action"] = (v.would_action or v.action).label
        return out

    def redacted_categories(self) -> dict[str, int]:
        """Columns and text spans removed by redaction, per field category (for `dlp_redacted_fields_total`)."""
        plan = self.verdict.plan
        if self.action is not Action.REDACT or plan is None:
            return {}
        by_column = {(f.part_name, f.table, f.column_index): f.category for f in self.detection.fields}
        counts: Counter[str] = Counter()
        for part_name, part in plan.parts.items():
            for table, columns in part.drop_columns.items():
                for index in columns:
                    counts[by_column.get((part_name, table, index), "FREE_TEXT")] += 1
            for spans in part.spans.values():
                counts.update(span.label for span in spans)
        return dict(counts)

    def _field_allowed(self, category: str) -> bool:
        allowed = self.verdict.allowed_categories
        if category == "NON_PERSONAL":
            return True
        if allowed is None:
            return False
        return category in allowed


def hold_unredactable(verdict: Verdict, why: str) -> None:
    """Turn a redact verdict into a hold when the format cannot be rewritten safely.

    The policy's redact reasons promised a trimmed copy; they are replaced by
    one that says what would have been cut and why it could not be.
    """
    fields = ", ".join(f"“{f}”" for f in verdict.excess_fields) or "the excess data"
    verdict.reasons = [r for r in verdict.reasons if r.action is not Action.REDACT]
    where = f" under agreement {verdict.agreement}" if verdict.agreement else ""
    verdict.reasons.append(Reason(
        Action.QUARANTINE,
        f"Data not allowed{where} ({fields}) would have to be removed, but {why.rstrip('.')}; "
        "it is held for a reviewer instead.",
        "not-redactable",
    ))
    verdict.action = Action.QUARANTINE
    verdict.plan = None


class Inspector:
    """Holds what is expensive to build (the analyzer, the agreements); build once per process."""

    def __init__(self, detector: Detecting, policy: Deciding, limits: Limits | None = None) -> None:
        self.detector = detector
        self.policy = policy
        self.limits = limits or Limits()

    def inspect(self, data: bytes, name: str, destination: str | None, today: date | None = None) -> Inspection:
        return self.inspect_for(data, name, [destination], today)[0]

    def inspect_for(
        self, data: bytes, name: str, destinations: Sequence[str | None], today: date | None = None
    ) -> list[Inspection]:
        """One verdict per destination, reading and detecting only once.

        An e-mail to five recipients is five transfers (one per recipient's
        copy), each judged under its own agreement, but the content and what
        is in it are the same for all of them.
        """
        started = time.perf_counter()
        document = content.read(data, name, self.limits)
        detection = self.detector.detect(document)
        shared = time.perf_counter() - started
        return [self._decide(document, detection, name, dest, today=today, shared=shared) for dest in destinations]

    def _decide(
        self, document: Part, detection: Detection, name: str, destination: str | None, *, today: date | None,
        shared: float,
    ) -> Inspection:
        started = time.perf_counter()
        verdict = self.policy.decide(detection, destination, today or date.today())
        redacted = None
        if verdict.action is Action.REDACT and verdict.plan is not None:
            try:
                redacted = content.write(document, verdict.plan)
            except NotRedactable as exc:
                hold_unredactable(verdict, str(exc))
        return Inspection(
            name=name,
            destination=destination,
            document=document,
            detection=detection,
            verdict=verdict,
            redacted=redacted,
            seconds=shared + time.perf_counter() - started,
        )
