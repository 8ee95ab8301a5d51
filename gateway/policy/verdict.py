"""The decision policy hands back: what to do with a transfer, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from gateway.content.model import RedactionPlan


class Action(IntEnum):
    """Actions ordered by severity; the most severe applicable action wins.

    The integer values are the `dlp-gateway scan` exit codes (contract section 2).
    """

    ALLOW = 0
    REDACT = 10
    QUARANTINE = 20
    BLOCK = 30

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Action:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown action {text!r}; expected allow, redact, quarantine or block") from None


@dataclass(frozen=True)
class Reason:
    """One plain-English sentence for a reviewer, with the action it argues for."""

    action: Action
    text: str
    code: str = ""


@dataclass
class Verdict:
    """The outcome for one transfer.

    `action` is what the gateway does. In monitor mode it is ALLOW while
    `would_action` records what enforcement would have done. `plan` is set when
    `action` is REDACT and says what to cut; `allowed_categories` is None when
    no agreement applied (the default policy has no field list).
    """

    action: Action
    agreement: str | None
    reasons: list[Reason] = field(default_factory=list)
    excess_fields: list[str] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    plan: RedactionPlan | None = None
    allowed_categories: frozenset[str] | None = None
    monitor: bool = False
    would_action: Action | None = None

    def reason_texts(self) -> list[str]:
        """Reasons, most severe first (stable within a severity)."""
        ordered = sorted(self.reasons, key=lambda r: -int(r.action))
        return [r.text for r in ordered]
