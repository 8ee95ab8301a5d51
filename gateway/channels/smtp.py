"""The SMTP channel: a content filter between the force's mail server and the next hop.

For each message, every recipient's copy is judged under its own agreement,
then, in this order so that nothing is lost and nothing goes twice:

1. copies to hold or block are stored in the quarantine; if the store cannot
   be written the whole message gets 451 and nothing is relayed;
2. allowed copies (and redacted copies) are relayed to the next hop, one
   transaction per distinct content; if that fails, 451 and the sending server
   retries, and the ledger keeps already relayed or stored copies from
   happening again;
3. the reply: 250 naming any held references; 550 5.7.1 when every copy was
   blocked; a notice to the sender when some recipients were blocked while
   others got the message (contract section 7).

Envelope and address headers are transport, not content: the content reader
never inspects them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from gateway.channels.smtp_judge import CopyOutcome
from gateway.channels.smtp_relay import Ledger, NextHop, RelayError, message_digest
from gateway.policy.verdict import Action
from gateway.telemetry import metrics

log = logging.getLogger("gateway.channels.smtp")

Judge = Callable[[bytes, list[str]], Awaitable[list[CopyOutcome]]]


class StoreDown(Exception):
    """The quarantine store could not take a copy that must be held."""


@dataclass
class MessageResult:
    """What happened to one message, for the reply and for tests."""

    held: list[str] = field(default_factory=list)
    blocked: dict[str, str] = field(default_factory=dict)  # recipient -> reference
    relayed: list[str] = field(default_factory=list)


class ContentFilter:
    """aiosmtpd handler: `handle_DATA` is called once per message with all its recipients."""

    def __init__(self, judge: Judge, store: Any, next_hop: NextHop, ledger: Ledger | None,
                 hostname: str = "dlp-gateway") -> None:
        self.judge = judge
        self.store = store
        self.next_hop = next_hop
        self.ledger = ledger
        self.hostname = hostname

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw: bytes = envelope.original_content or envelope.content
        recipients = list(envelope.rcpt_tos)
        sender = envelope.mail_from or ""
        client = f"{session.peer[0]}:{session.peer[1]}" if session.peer else None
        digest = message_digest(raw)
        outcomes = await self.judge(raw, recipients)
        for outcome in outcomes:
            self._count(outcome, len(raw))
        try:
            result = await self._act(raw, sender, client, digest, outcomes)
        except StoreDown:
            metrics.INSPECTION_ERRORS.labels(reason="store_unavailable").inc()
            log.error("quarantine store unavailable; message deferred")
            return "451 4.3.0 The data loss prevention store is unavailable; please try again later"
        except RelayError as exc:
            log.error("next hop failed: %s", exc)
            if exc.permanent:
                return f"554 5.0.0 The next hop refused the message: {exc}"
            return "451 4.4.1 The next hop is unavailable; please try again later"
        return self._reply(result, outcomes)

    async def _act(self, raw: bytes, sender: str, client: str | None, digest: str,
                   outcomes: list[CopyOutcome]) -> MessageResult:
        result = MessageResult()
        # 1. Hold and block first: if the store is down nothing may be relayed yet.
        for outcome in outcomes:
            if outcome.action < Action.QUARANTINE:
                continue
            ref = await asyncio.to_thread(self._store, raw, sender, client, digest, outcome)
            if outcome.action is Action.BLOCK:
                result.blocked[outcome.recipient] = ref
            else:
                result.held.append(ref)
        # 2. Relay what may go, grouped by the bytes each recipient gets.
        groups: dict[bytes, list[str]] = {}
        for outcome in outcomes:
            if outcome.action is Action.ALLOW:
                groups.setdefault(raw, []).append(outcome.recipient)
            elif outcome.action is Action.REDACT and outcome.redacted is not None:
                groups.setdefault(self._mark_redacted(outcome), []).append(outcome.recipient)
        for data, rcpts in groups.items():
            todo = [r for r in rcpts if not self._recalled(digest, r, "relayed")]
            if todo:
                await asyncio.to_thread(self.next_hop.send, sender, todo, data)
                for r in todo:
                    self._remember(digest, r, "relayed")
            result.relayed.extend(rcpts)
        # 3. Tell the sender about recipients who were blocked while others got it.
        if result.blocked and (result.relayed or result.held) and sender:
            await asyncio.to_thread(self._notify_sender, sender, result.blocked, outcomes)
        return result

    def _store(self, raw: bytes, sender: str, client: str | None, digest: str, outcome: CopyOutcome) -> str:
        from gateway.quarantine.store import NewItem, StoreUnavailable

        state = "blocked" if outcome.action is Action.BLOCK else "held"
        earlier = self._recall(digest, outcome.recipient)
        if earlier and earlier.startswith(f"{state}:"):
            return earlier.split(":", 1)[1]
        item = NewItem(
            channel="smtp", state=state, destination=outcome.recipient, sender=sender or None, client=client,
            recipients=[outcome.recipient], agreement=outcome.agreement, action=outcome.action.label,
            reasons=outcome.reasons, verdict=outcome.verdict, findings_revealed=outcome.findings, payload=raw,
            payload_kind="email", redacted=outcome.redacted, special=outcome.special, grant_key=None,
        )
        try:
            ref: str = self.store.put(item)
        except StoreUnavailable as exc:
            raise StoreDown(str(exc)) from None
        self._remember(digest, outcome.recipient, f"{state}:{ref}")
        try:
            self.store.audit.append("verdict", "gateway", ref, {
                "channel": "smtp", "action": outcome.action.label, "agreement": outcome.agreement,
                "destination": outcome.recipient, "subjects": outcome.subjects, "entities": outcome.entities,
            })
        except Exception:
            log.exception("could not append the verdict of %s to the audit log", ref)
        return ref

    def _mark_redacted(self, outcome: CopyOutcome) -> bytes:
        removed = sum(outcome.redacted_categories.values())
        header = f"X-DLP-Redacted: {removed} field(s) removed under agreement {outcome.agreement}\r\n"
        assert outcome.redacted is not None
        return header.encode("ascii", "replace") + outcome.redacted

    def _recall(self, digest: str, recipient: str) -> str | None:
        return self.ledger.recall(digest, recipient) if self.ledger else None

    def _recalled(self, digest: str, recipient: str, what: str) -> bool:
        return self._recall(digest, recipient) == what

    def _remember(self, digest: str, recipient: str, what: str) -> None:
        if self.ledger:
            self.ledger.record(digest, recipient, what)

    def _notify_sender(self, sender: str, blocked: dict[str, str], outcomes: list[CopyOutcome]) -> None:
        reasons = {o.recipient: o.reasons for o in outcomes}
        lines = ["Your message was delivered to some recipients, but not to these, under the force's data",
                 "sharing rules. Nothing further needs doing unless you believe this is wrong; if so, contact",
                 "the information security team and quote the reference.", ""]
        for rcpt, ref in blocked.items():
            lines.append(f"  {rcpt}: blocked, reference {ref}")
            lines.extend(f"    - {r}" for r in reasons.get(rcpt, [])[:3])
        notice = EmailMessage()
        notice["From"] = f"postmaster@{self.hostname}"
        notice["To"] = sender
        notice["Subject"] = "Message not delivered to some recipients (data loss prevention)"
        notice["Date"] = format_datetime(datetime.now(UTC))
        notice["Message-ID"] = make_msgid(domain=self.hostname)
        notice["Auto-Submitted"] = "auto-replied"
        notice.set_content("\n".join(lines) + "\n")
        try:
            self.next_hop.send("", [sender], notice.as_bytes())
        except RelayError as exc:
            log.warning("could not send the blocked-recipients notice: %s", exc)

    def _reply(self, result: MessageResult, outcomes: list[CopyOutcome]) -> str:
        if result.blocked and not result.relayed and not result.held:
            refs = ", ".join(dict.fromkeys(result.blocked.values()))
            reason = next((o.reasons[0] for o in outcomes if o.reasons), "data loss prevention policy")
            return f"550 5.7.1 Blocked by data loss prevention policy, reference {refs}: {_one_line(reason)}"
        if result.held:
            return f"250 2.0.0 Accepted; held for review under reference {', '.join(dict.fromkeys(result.held))}"
        return "250 2.0.0 OK"

    @staticmethod
    def _count(outcome: CopyOutcome, size: int) -> None:
        agreement = metrics.agreement_label(outcome.agreement)
        metrics.TRANSFERS.labels(channel="smtp", action=outcome.action.label).inc()
        metrics.INSPECTED_BYTES.labels(channel="smtp").inc(size)
        metrics.INSPECTION_SECONDS.labels(channel="smtp", content_kind=outcome.content_kind).observe(outcome.seconds)
        if outcome.error:
            metrics.INSPECTION_ERRORS.labels(reason=outcome.error).inc()
        if outcome.action >= Action.QUARANTINE:
            for entity in outcome.entities:
                metrics.BLOCKED_DISCLOSURES.labels(channel="smtp", agreement=agreement, entity_type=entity).inc()
        if outcome.action >= Action.REDACT:
            metrics.SUBJECTS_PROTECTED.labels(agreement=agreement).inc(outcome.subjects)
        for category, n in outcome.redacted_categories.items():
            metrics.REDACTED_FIELDS.labels(agreement=agreement, category=category).inc(n)


async def start_smtp_server(handler: ContentFilter, host: str, port: int, data_size_limit: int) -> asyncio.Server:
    """Listen on the running event loop; inspection itself happens in worker processes.

    Messages above `data_size_limit` are refused by aiosmtpd with 552 before any
    byte is relayed: a message too large to inspect never goes out uninspected.
    """
    from aiosmtpd.smtp import SMTP

    loop = asyncio.get_running_loop()
    return await loop.create_server(
        lambda: SMTP(handler, data_size_limit=data_size_limit, enable_SMTPUTF8=True, decode_data=False,
                     hostname=handler.hostname, ident="dlp-gateway content filter"),
        host, port,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]
