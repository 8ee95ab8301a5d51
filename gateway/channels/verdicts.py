"""The JSON verdict of a transfer whose inspection could not finish.

Every channel fails closed the same way: the transfer is held (or blocked),
and what the quarantine keeps and a reviewer sees is a verdict of the same
shape as `Inspection.to_json`, with no findings, one reason a sender can
read, and the failure's reason code (from `metrics.ERROR_REASONS`) as `error`.
Kept apart from `gateway.pipeline` so the proxy process can build one without
importing the content readers.
"""

from __future__ import annotations

from typing import Any

from gateway.policy.verdict import Action


def failed_verdict(
    action: Action, destination: str | None, text: str, error: str, *, content_kind: str = "unknown"
) -> dict[str, Any]:
    """The verdict for a failed inspection: what was sent could not be read, so its kind is unknown."""
    verdict: dict[str, Any] = {
        "action": action.label,
        "agreement": None,
        "destination": destination,
        "reasons": [text],
        "findings": [],
        "fields": [],
        "excess_fields": [],
        "missing_fields": [],
        "subjects": 0,
        "content_kind": content_kind,
        "error": error,
    }
    return verdict
