"""One `Outcome` for a whole request from the inspections of its items (runs in a worker).

The most severe item decides the action; reasons name the item they come from
and never quote a matched value; a redaction is put back into the request body
in the original format, or, when that cannot be done safely, the upload is held.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from gateway.channels import bodies
from gateway.channels.http_job import Outcome, RequestJob, request_payload
from gateway.detect.model import OFFENDER_FIELD_CATEGORIES, SPECIAL_FIELD_CATEGORIES
from gateway.policy.verdict import Action


def combine(job: RequestJob, body: bodies.Body, results: list[Any]) -> Outcome:
    """The request's outcome; `results[i]` is the (most severe) inspection of `body.items[i]`."""
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
        _apply_redaction(body, results, outcome)
    if outcome.action >= Action.QUARANTINE:
        outcome.findings = [f.to_json(True) for r in results for f in r.detection.findings]
        outcome.payload = request_payload(job)
    return outcome


def _content_kind(body: bodies.Body, results: list[Any]) -> str:
    """The metrics label for a request: the kind of its largest item (the file, usually)."""
    if not results:
        return body.kind
    largest = max(range(len(results)), key=lambda i: len(body.items[i].data))
    return str(results[largest].content_kind)


def _reasons(items: list[bodies.Item], results: list[Any], secrets_seen: set[str]) -> tuple[list[str], list[str]]:
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


def _verdict(job: RequestJob, body: bodies.Body, results: list[Any], *, action: Action,
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


# ---------------------------------------------------------------- redaction


def _apply_redaction(body: bodies.Body, results: list[Any], outcome: Outcome) -> None:
    """Put every redacted item back in its place; if that cannot be done safely, hold instead."""
    replacements = {i: r.redacted for i, r in enumerate(results) if r.action == Action.REDACT}
    if any(data is None for data in replacements.values()):
        return _hold_instead(outcome, "A redacted copy could not be produced")
    try:
        rebuilt = body.rebuild({i: data for i, data in replacements.items() if data is not None})
    except bodies.BodyError as exc:
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
