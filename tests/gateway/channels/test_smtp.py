"""The SMTP content filter over real SMTP: a client sends through the filter to a real next hop.

The judge is a fake here (the decision logic is the policy's, tested elsewhere)
so each reply rule of contract section 7 can be driven exactly; the store is the
real Redis-backed quarantine. `test_smtp_e2e.py` runs the real inspector.
"""

from __future__ import annotations

import asyncio
import smtplib
import threading
from collections.abc import Iterator
from email.message import EmailMessage

import pytest

from gateway.channels.smtp import ContentFilter, start_smtp_server
from gateway.channels.smtp_judge import CopyOutcome
from gateway.channels.smtp_relay import Ledger, NextHop
from gateway.policy.verdict import Action
from gateway.quarantine.store import QuarantineStore, connect
from tests.gateway.quarantine.qfixtures import (  # noqa: F401 - fixtures
    Received,
    free_port,
    keyring,
    prefix,
    smtp_sink,
    store,
)

SENDER = "pc.jones@force.pnn.police.uk"


def message(body: str = "Minutes attached.") -> bytes:
    msg = EmailMessage()
    msg["From"] = SENDER
    msg["To"] = "someone@example.org"
    msg["Subject"] = "Weekly note"
    msg.set_content(body)
    return msg.as_bytes()


class FakeJudge:
    """Decides per recipient from a table; records what it was asked."""

    def __init__(self, actions: dict[str, Action], redacted: bytes | None = None) -> None:
        self.actions = actions
        self.redacted = redacted
        self.calls = 0

    async def __call__(self, raw: bytes, recipients: list[str]) -> list[CopyOutcome]:
        self.calls += 1
        out = []
        for rcpt in recipients:
            action = self.actions.get(rcpt, Action.ALLOW)
            out.append(CopyOutcome(
                recipient=rcpt, action=action, agreement=None, reasons=[f"Decided {action.label} for the test."],
                verdict={"action": action.label, "reasons": [], "findings": []},
                redacted=self.redacted if action is Action.REDACT else None,
                entities={"UK_NINO": 1} if action >= Action.QUARANTINE else {},
                redacted_categories={"UK_NINO": 1} if action is Action.REDACT else {},
            ))
        return out


class FilterServer:
    """Runs the filter on its own event loop in a thread, as `dlp-gateway run` does on the main loop."""

    def __init__(self, handler: ContentFilter) -> None:
        self.handler = handler
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            start_smtp_server(self.handler, "127.0.0.1", self.port, data_size_limit=10_000_000))
        self.ready.set()
        self.loop.run_forever()

    def __enter__(self) -> FilterServer:
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def send(self, recipients: list[str], data: bytes) -> tuple[int, str]:
        """Send as the force's mail server would; returns the final reply to DATA."""
        with smtplib.SMTP("127.0.0.1", self.port, timeout=30) as client:
            client.ehlo()
            client.mail(SENDER)
            for r in recipients:
                client.rcpt(r)
            code, text = client.data(data)
            return code, text.decode()


def make_filter(judge: FakeJudge, quarantine: QuarantineStore, hop: str) -> ContentFilter:
    ledger = Ledger(quarantine.redis, quarantine.prefix)
    return ContentFilter(judge, quarantine, NextHop.parse(hop), ledger, hostname="gw.test")


@pytest.fixture
def hop(smtp_sink) -> Iterator[tuple[str, Received]]:  # noqa: F811
    yield smtp_sink


def test_allowed_copies_are_relayed_once_with_all_recipients(store, hop) -> None:  # noqa: F811
    address, received = hop
    judge = FakeJudge({})
    with FilterServer(make_filter(judge, store, address)) as server:
        code, text = server.send(["a@partner.example", "b@partner.example"], message())
    assert code == 250 and text.startswith("2.0.0")
    assert len(received.messages) == 1
    assert received.messages[0]["to"] == ["a@partner.example", "b@partner.example"]
    assert b"Minutes attached." in received.messages[0]["data"]
    assert store.counts().get("held", 0) == 0


def test_held_copy_is_stored_not_relayed_and_reply_names_the_reference(store, hop) -> None:  # noqa: F811
    address, received = hop
    judge = FakeJudge({"x@gmail.example": Action.QUARANTINE})
    with FilterServer(make_filter(judge, store, address)) as server:
        code, text = server.send(["x@gmail.example"], message("NI AB123456C"))
    assert code == 250
    ref = text.rsplit(" ", 1)[-1]
    assert ref.startswith("Q-")
    item = store.get(ref)
    assert item.state == "held" and item.channel == "smtp" and item.destination == "x@gmail.example"
    assert b"AB123456C" in store.payload(ref)
    assert received.messages == []


def test_mixed_recipients_relay_store_and_notify_the_sender(store, hop) -> None:  # noqa: F811
    address, received = hop
    judge = FakeJudge({"held@x.example": Action.QUARANTINE, "blocked@y.example": Action.BLOCK})
    with FilterServer(make_filter(judge, store, address)) as server:
        code, text = server.send(["ok@partner.example", "held@x.example", "blocked@y.example"], message())
    assert code == 250 and "held for review" in text
    relayed = [m for m in received.messages if m["to"] == ["ok@partner.example"]]
    notices = [m for m in received.messages if m["to"] == [SENDER]]
    assert len(relayed) == 1
    assert len(notices) == 1
    notice = notices[0]["data"].decode()
    assert "blocked@y.example" in notice and "Q-" in notice
    assert notices[0]["from"] == "<>"  # a notice is never bounced back: null sender
    assert store.counts()["held"] == 1 and store.counts()["blocked"] == 1


def test_every_recipient_blocked_is_550_with_reference(store, hop) -> None:  # noqa: F811
    address, received = hop
    judge = FakeJudge({"a@y.example": Action.BLOCK, "b@y.example": Action.BLOCK})
    with FilterServer(make_filter(judge, store, address)) as server:
        code, text = server.send(["a@y.example", "b@y.example"], message())
    assert code == 550
    assert text.startswith("5.7.1") and "Q-" in text
    assert received.messages == []
    assert store.counts()["blocked"] == 2


def test_redacted_copy_goes_with_a_header(store, hop) -> None:  # noqa: F811
    address, received = hop
    redacted = message("NI [REDACTED:UK_NINO]")
    judge = FakeJudge({"bids@g4s.example": Action.REDACT}, redacted=redacted)
    with FilterServer(make_filter(judge, store, address)) as server:
        code, _ = server.send(["bids@g4s.example", "ok@partner.example"], message("NI AB123456C"))
    assert code == 250
    by_rcpt = {tuple(m["to"]): m["data"] for m in received.messages}
    assert b"X-DLP-Redacted: 1 field(s)" in by_rcpt[("bids@g4s.example",)]
    assert b"AB123456C" not in by_rcpt[("bids@g4s.example",)]
    assert b"AB123456C" in by_rcpt[("ok@partner.example",)]


def test_store_down_defers_and_relays_nothing(keyring, hop) -> None:  # noqa: F811
    address, received = hop
    dead = QuarantineStore(connect(f"redis://127.0.0.1:{free_port()}/0"), keyring, prefix="dlptest:dead:")
    judge = FakeJudge({"held@x.example": Action.QUARANTINE})
    with FilterServer(make_filter(judge, dead, address)) as server:
        code, text = server.send(["ok@partner.example", "held@x.example"], message())
    assert code == 451 and text.startswith("4.3.0")
    assert received.messages == []


def test_allowed_mail_still_flows_when_the_store_is_down(keyring, hop) -> None:  # noqa: F811
    address, received = hop
    dead = QuarantineStore(connect(f"redis://127.0.0.1:{free_port()}/0"), keyring, prefix="dlptest:dead:")
    with FilterServer(make_filter(FakeJudge({}), dead, address)) as server:
        code, _ = server.send(["ok@partner.example"], message())
    assert code == 250 and len(received.messages) == 1


def test_next_hop_down_defers_and_the_retry_neither_relays_nor_holds_twice(store, hop) -> None:  # noqa: F811
    address, received = hop
    judge = FakeJudge({"held@x.example": Action.QUARANTINE})
    data = message()
    with FilterServer(make_filter(judge, store, f"127.0.0.1:{free_port()}")) as server:
        code, text = server.send(["ok@partner.example", "held@x.example"], data)
    assert code == 451 and text.startswith("4.4.1")
    assert store.counts()["held"] == 1  # stored before relaying was attempted
    with FilterServer(make_filter(judge, store, address)) as server:
        code, first = server.send(["ok@partner.example", "held@x.example"], data)
        assert code == 250
        code, again = server.send(["ok@partner.example", "held@x.example"], data)
    assert code == 250
    assert store.counts()["held"] == 1
    assert first == again  # the same reference both times
    assert len(received.messages) == 1


def test_metrics_count_one_transfer_per_recipient(store, hop) -> None:  # noqa: F811
    from gateway.telemetry import metrics

    def value(action: str) -> float:
        return metrics.REGISTRY.get_sample_value("dlp_transfers_total", {"channel": "smtp", "action": action}) or 0

    before = value("allow"), value("quarantine")
    address, _ = hop
    judge = FakeJudge({"held@x.example": Action.QUARANTINE})
    with FilterServer(make_filter(judge, store, address)) as server:
        server.send(["a@partner.example", "b@partner.example", "held@x.example"], message())
    assert value("allow") - before[0] == 2
    assert value("quarantine") - before[1] == 1

