"""The reviewer's rules, shared by the console and the CLI so both enforce exactly the same.

- Auditors read; they never release, reject, reveal or replay.
- Nobody may release or replay a transfer they sent themselves (the item's
  sender against the account's name and e-mail address).
- Blocked transfers are evidence and are never released.
- Special category and offender items need two approvals from two different
  people, the second a senior reviewer; the second approval releases.
- Every action is audited, with the reason given, before its effect is shown
  (a reveal that cannot be audited does not happen).
- Actions are idempotent: releasing a released item answers "already
  released" and delivers nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gateway.quarantine import options, release
from gateway.quarantine.errors import QuarantineError
from gateway.quarantine.items import Approval, Item
from gateway.quarantine.store import QuarantineStore
from gateway.quarantine.users import Account, UserStore
from gateway.settings import Settings

MIN_REVEAL_REASON = 5


class Refused(QuarantineError):
    """The rules forbid this action to this person now; the message says which rule."""


@dataclass
class ActionResult:
    ref: str
    outcome: str  # released | approval-recorded | already-released | rejected | already-rejected |
    #               delivery-failed | replayed | replay-failed | already-replayed
    state: str
    message: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.outcome not in ("delivery-failed", "replay-failed")

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "outcome": self.outcome, "state": self.state, "message": self.message, **self.detail}


@dataclass
class Outside:
    """The network actions, replaceable in unit tests of the rules."""

    deliver: Callable[..., dict[str, Any]] = release.deliver_email
    replay: Callable[..., dict[str, Any]] = release.replay_http
    notify: Callable[..., dict[str, Any]] = release.notify_sender


class Review:
    def __init__(
        self,
        store: QuarantineStore,
        users: UserStore,
        next_hop: str,
        *,
        notify_from: str | None = None,
        outside: Outside | None = None,
    ) -> None:
        self.store = store
        self.users = users
        self.next_hop = next_hop
        self.notify_from = notify_from
        self.outside = outside or Outside()

    @classmethod
    def from_settings(cls, settings: Settings, store: QuarantineStore) -> Review:
        return cls(
            store,
            UserStore(store.redis, store.prefix),
            settings.smtp_next_hop,
            notify_from=options.option(settings, "quarantine_notify_from") or None,
        )

    # --- helpers --------------------------------------------------------------------
    def account(self, name: str) -> Account:
        account = self.users.get(name)
        if account is None or account.disabled:
            raise Refused(f"no enabled console account named {name!r}")
        return account

    @staticmethod
    def _require_decider(account: Account, what: str) -> None:
        if not account.can_decide:
            raise Refused(f"the {account.role} role may not {what}")

    @staticmethod
    def _require_not_sender(item: Item, account: Account, what: str) -> None:
        if item.is_sender(account.name, account.email):
            raise Refused(f"nobody may {what} a transfer they sent themselves")

    def _disclosure(self, item: Item) -> dict[str, Any]:
        """Who it went to and under what agreement: the facts a disclosure log needs."""
        return {
            "channel": item.channel,
            "destination": item.destination,
            "recipients": list(item.recipients),
            "sender": item.sender,
            "agreement": item.agreement,
        }

    # --- reveal ---------------------------------------------------------------------
    def reveal(self, ref: str, account: Account, reason: str, via: str = "console") -> list[dict[str, Any]]:
        """The findings with their values, once the reveal and its reason are on the audit log."""
        self._require_decider(account, "reveal matched values")
        reason = (reason or "").strip()
        if len(reason) < MIN_REVEAL_REASON:
            raise Refused("revealing values needs a stated reason")
        item = self.store.get(ref, with_history=False)
        findings = self.store.revealed_findings(ref)
        self.store.audit.append(
            "reveal", account.name, ref, {"reason": reason, "findings": len(findings), "via": via, "state": item.state}
        )
        self.store.add_history(ref, "revealed", account.name, reason)
        return findings

    # --- release --------------------------------------------------------------------
    def release(
        self, ref: str, account: Account, *, redacted: bool = False, reason: str = "", via: str = "console"
    ) -> ActionResult:
        self._require_decider(account, "release items")
        item = self.store.get(ref, with_history=False)
        mode = "redacted" if redacted else "original"
        if item.state == "released":
            return ActionResult(ref, "already-released", item.state, f"{ref} was already released; nothing sent again")
        if item.state == "blocked":
            raise Refused("blocked transfers are kept as evidence and can never be released")
        if item.state != "held":
            raise Refused(f"{ref} is {item.state} and can no longer be released")
        self._require_not_sender(item, account, "release")
        if redacted and not item.has_redacted:
            raise Refused(f"{ref} has no redacted copy")
        if item.channel == "smtp" and not item.recipients:
            raise Refused(f"{ref} has no recipients to deliver to")
        reason = (reason or "").strip()
        mine = Approval(actor=account.name, role=account.role, mode=mode, at=time.time(), reason=reason)
        approvals = list(item.approvals)
        if item.special:
            seconded = [a for a in approvals if a.actor != account.name and a.mode == mode]
            if not (seconded and account.is_senior):
                return self._approve(item, account, mine, approvals, via)
        approvals.append(mine)
        return self._release(item, account, mode=mode, reason=reason, approvals=approvals, via=via)

    def _approve(
        self, item: Item, account: Account, mine: Approval, approvals: list[Approval], via: str
    ) -> ActionResult:
        """First of the two approvals a special item needs."""
        if any(a.actor == account.name for a in approvals):
            raise Refused(
                "you have already approved this item; a different senior reviewer must give the second approval"
            )
        if any(a.mode == mine.mode for a in approvals):
            raise Refused("this item already has one approval; the second must come from a senior reviewer")
        status = self.store.approve(item.ref, mine)
        if status == "duplicate":
            raise Refused("you have already approved this item")
        if status == "busy":
            raise Refused("another reviewer is acting on this item right now; try again shortly")
        if status == "released":
            return ActionResult(item.ref, "already-released", status, f"{item.ref} was already released")
        if status != "ok":
            raise Refused(f"{item.ref} is {status} and can no longer be approved")
        self.store.audit.append(
            "approve",
            account.name,
            item.ref,
            {"mode": mine.mode, "reason": mine.reason, "role": account.role, "via": via, **self._disclosure(item)},
        )
        return ActionResult(
            item.ref,
            "approval-recorded",
            "held",
            "Approval recorded. This item holds special category or offender data: a second, different "
            "senior reviewer must approve before it is released.",
            {"approvals": len(approvals) + 1},
        )

    def _release(
        self, item: Item, account: Account, *, mode: str, reason: str, approvals: list[Approval], via: str
    ) -> ActionResult:
        ref = item.ref
        status, token = self.store.claim(ref, account.name, "release", "held")
        if status == "released":
            return ActionResult(ref, "already-released", status, f"{ref} was already released; nothing was sent again")
        if status == "busy":
            raise Refused("another reviewer is releasing this item right now")
        if status != "ok":
            raise Refused(f"{ref} is {status} and can no longer be released")
        grant: str | None = None
        try:
            payload = self.store.payload(ref, redacted=(mode == "redacted"))
            if item.channel == "smtp":
                outcome = self.outside.deliver(self.next_hop, item.sender, item.recipients, payload, ref)
            elif mode == "original" and item.grant_key:
                grant = item.grant_key
                minutes = max(1, self.store.grant_ttl_seconds // 60)
                outcome = {
                    "ok": True,
                    "summary": f"release grant issued: the sender's identical retry passes for the next {minutes} min",
                }
            else:
                outcome = {"ok": True, "summary": "released; a reviewer may replay the request to its destination"}
        except BaseException:
            self.store.unclaim(ref, token, account.name)
            raise
        if not outcome.get("ok"):
            self.store.unclaim(ref, token, account.name, "delivery-failed", str(outcome.get("summary", "")))
            self.store.audit.append(
                "release-failed",
                account.name,
                ref,
                {"mode": mode, "reason": reason, "outcome": outcome.get("summary"), "via": via},
            )
            return ActionResult(
                ref, "delivery-failed", "held", f"Delivery failed: {outcome.get('summary')}. The item is still held."
            )
        decision = {"action": "release", "mode": mode, "actor": account.name, "reason": reason, "at": time.time()}
        status = self.store.finish_release(
            ref, actor=account.name, decision=decision, outcome=outcome, approvals=approvals, grant=grant
        )
        if status != "ok":  # only possible if the claim went stale mid-delivery; record and report
            raise Refused(f"{ref} changed to {status} while it was being released")
        self.store.audit.append(
            "release",
            account.name,
            ref,
            {
                "mode": mode,
                "reason": reason,
                "approved_by": [a.actor for a in approvals],
                "outcome": outcome.get("summary"),
                "via": via,
                **self._disclosure(item),
            },
        )
        return ActionResult(ref, "released", "released", f"Released ({mode}): {outcome.get('summary')}", {"mode": mode})

    # --- reject ---------------------------------------------------------------------
    def reject(
        self, ref: str, account: Account, *, reason: str = "", notify_sender: bool = False, via: str = "console"
    ) -> ActionResult:
        self._require_decider(account, "reject items")
        item = self.store.get(ref, with_history=False)
        if item.state == "rejected":
            return ActionResult(ref, "already-rejected", item.state, f"{ref} was already rejected")
        if item.state == "blocked":
            raise Refused("blocked transfers were never sent and are kept as evidence; there is nothing to reject")
        if item.state != "held":
            raise Refused(f"{ref} is {item.state} and can no longer be rejected")
        reason = (reason or "").strip()
        decision = {"action": "reject", "actor": account.name, "reason": reason, "at": time.time()}
        status = self.store.reject(ref, account.name, decision)
        if status == "rejected":
            return ActionResult(ref, "already-rejected", status, f"{ref} was already rejected")
        if status == "busy":
            raise Refused("another reviewer is releasing this item right now")
        if status != "ok":
            raise Refused(f"{ref} is {status} and can no longer be rejected")
        details: dict[str, Any] = {"reason": reason, "via": via, **self._disclosure(item)}
        message = f"Rejected {ref}."
        if notify_sender:
            note = self._notify(item, reason)
            details["sender_notified"] = note.get("ok", False)
            details["notification"] = note.get("summary")
            message += " " + str(note.get("summary"))
        self.store.audit.append("reject", account.name, ref, details)
        return ActionResult(ref, "rejected", "rejected", message, {"notified": details.get("sender_notified", False)})

    def _notify(self, item: Item, reason: str) -> dict[str, Any]:
        if item.channel != "smtp" or not item.sender or "@" not in item.sender:
            return {"ok": False, "summary": "the sender has no e-mail address to notify"}
        note = self.outside.notify(
            self.next_hop, item.sender, item.ref, item.recipients, reason, from_address=self.notify_from
        )
        self.store.add_history(
            item.ref, "sender-notified" if note.get("ok") else "notify-failed", "gateway", str(note.get("summary"))
        )
        return note

    # --- replay ---------------------------------------------------------------------
    def replay(self, ref: str, account: Account, via: str = "console") -> ActionResult:
        """Send a released HTTP upload to its destination on the sender's behalf, once."""
        self._require_decider(account, "replay requests")
        item = self.store.get(ref, with_history=False)
        if item.channel != "http":
            raise Refused("only HTTP uploads can be replayed; released e-mail is delivered on release")
        if item.state != "released":
            raise Refused(f"{ref} is {item.state}; only released uploads can be replayed")
        self._require_not_sender(item, account, "replay")
        if item.replay and item.replay.get("ok"):
            return ActionResult(ref, "already-replayed", item.state, f"{ref} was already replayed", {**item.replay})
        status, token = self.store.claim(ref, account.name, "replay", "released")
        if status == "busy":
            raise Refused("another reviewer is replaying this item right now")
        if status != "ok":
            raise Refused(f"{ref} is {status}; only released uploads can be replayed")
        mode = (item.decision or {}).get("mode", "original")
        try:
            payload = self.store.payload(ref, redacted=(mode == "redacted"))
            outcome = self.outside.replay(payload)
        except BaseException:
            self.store.unclaim(ref, token, account.name)
            raise
        self.store.record_replay(ref, token, account.name, outcome)
        self.store.audit.append(
            "replay",
            account.name,
            ref,
            {"mode": mode, "ok": bool(outcome.get("ok")), "outcome": outcome.get("summary"), "via": via,
             **self._disclosure(item)},
        )  # fmt: skip
        return ActionResult(
            ref,
            "replayed" if outcome.get("ok") else "replay-failed",
            "released",
            f"Replay: {outcome.get('summary')}",
            {"status": outcome.get("status")},
        )
