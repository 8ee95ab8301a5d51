"""What a quarantine item is, as reviewers and scripts see it: metadata only, never values.

The payload, the redacted copy, the verdict and the findings with their values
live encrypted in the store and are fetched separately, on purpose, so that a
listing or a `--json` dump cannot leak them by accident.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

STATES: tuple[str, ...] = ("held", "blocked", "released", "rejected", "expired")
CHANNELS: tuple[str, ...] = ("http", "smtp")
PAYLOAD_KINDS: tuple[str, ...] = ("http-request", "email")

# Crockford base32 without I, L, O, U: easy to read over the phone, no look-alikes.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_RANDOM_CHARS = 8  # 40 random bits per day: not guessable, not sequential


def new_reference(now: float) -> str:
    """A reference like `Q-20261121-7F3K2M9P`: the day it was held, then random characters.

    Random rather than a counter so a reference shown to a sender (403 page,
    SMTP reply) reveals nothing about how many other transfers were held.
    """
    day = datetime.fromtimestamp(now, UTC).strftime("%Y%m%d")
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(REFERENCE_RANDOM_CHARS))
    return f"Q-{day}-{tail}"


def iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Approval:
    """One reviewer's approval of a release of a special-category item."""

    actor: str
    role: str
    mode: str  # "original" | "redacted"
    at: float
    reason: str = ""


@dataclass
class Transfer:
    """What a held or blocked transfer is: where it came from and went, and why it stopped.

    A channel hands these over with the payload (`store.NewItem`) and the store
    gives them back as an item's clear metadata (`Item`): one definition for
    both, so a field added for one is not forgotten in the other.
    """

    channel: str
    state: str
    destination: str | None
    sender: str | None
    client: str | None
    recipients: list[str]
    agreement: str | None
    action: str
    reasons: list[str]
    payload_kind: str
    special: bool
    grant_key: str | None


@dataclass
class Item(Transfer):
    """A stored item as reviewers and scripts see it: the transfer, counts and its history."""

    ref: str
    content_kind: str | None
    has_redacted: bool
    entity_counts: dict[str, int]
    subjects: int
    payload_bytes: int
    created: float
    updated: float
    expires: float
    approvals: list[Approval] = field(default_factory=list)
    decision: dict[str, Any] | None = None
    outcome: dict[str, Any] | None = None
    replay: dict[str, Any] | None = None
    purged: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        """Still waiting for a reviewer."""
        return self.state == "held"

    def is_sender(self, account_name: str, account_email: str | None) -> bool:
        """Whether this account sent the transfer (nobody may release their own item)."""
        if not self.sender:
            return False
        sender = self.sender.strip().lower()
        names = {account_name.strip().lower()}
        if account_email:
            names.add(account_email.strip().lower())
        return sender in names

    def to_json(self) -> dict[str, Any]:
        """The CLI's `--json` shape: every metadata field, times in ISO 8601 UTC, no values."""
        out: dict[str, Any] = {
            "ref": self.ref,
            "state": self.state,
            "channel": self.channel,
            "destination": self.destination,
            "agreement": self.agreement,
            "created": iso(self.created),
            "updated": iso(self.updated),
            "expires": iso(self.expires),
            "sender": self.sender,
            "client": self.client,
            "recipients": list(self.recipients),
            "action": self.action,
            "reasons": list(self.reasons),
            "payload_kind": self.payload_kind,
            "content_kind": self.content_kind,
            "special": self.special,
            "has_redacted": self.has_redacted,
            "entity_counts": dict(self.entity_counts),
            "subjects": self.subjects,
            "payload_bytes": self.payload_bytes,
            "approvals": [{**asdict(a), "at": iso(a.at)} for a in self.approvals],
            "decision": self.decision,
            "outcome": self.outcome,
            "replay": self.replay,
            "purged": self.purged,
        }
        if self.history:
            out["history"] = [{**h, "at": iso(h.get("at"))} for h in self.history]
        return out


def masked(finding: dict[str, Any]) -> str:
    """How a finding's value is shown before anyone reveals it: its length and a hash prefix.

    The length comes from the location offsets where there are some; the hash
    prefix lets a reviewer see that two findings are the same value without
    seeing it. No character of the value itself is shown.
    """
    loc = finding.get("location") or {}
    start, end = loc.get("start"), loc.get("end")
    width = end - start if isinstance(start, int) and isinstance(end, int) and end > start else 8
    dots = "•" * max(3, min(width, 16))
    digest = finding.get("hash")
    return f"{dots} #{str(digest)[:8]}" if digest else dots


def location_text(finding: dict[str, Any]) -> str:
    """A one-line place for a finding: part, then column and row, or character offsets."""
    loc = finding.get("location") or {}
    bits = [str(loc.get("part", ""))]
    if "column" in loc:
        bits.append(f"column {loc['column']}")
    if "row" in loc:
        bits.append(f"row {loc['row']}")
    if "start" in loc and "end" in loc and "column" not in loc:
        bits.append(f"chars {loc['start']}-{loc['end']}")
    if loc.get("where"):
        bits.append(str(loc["where"]))
    return ", ".join(b for b in bits if b)
