from __future__ import annotations

import asyncio

import pytest

from gateway.quarantine.errors import PayloadGone
from gateway.quarantine.retention import run_sweeper, sweep
from gateway.quarantine.review import Review
from gateway.quarantine.store import QuarantineStore, connect
from gateway.quarantine.users import UserStore

from .qfixtures import PASSWORD, REDIS_URL, make_keyring, new_http_item, new_mail_item


@pytest.fixture
def short_store(prefix: str) -> QuarantineStore:
    return QuarantineStore(connect(REDIS_URL), make_keyring(), prefix=prefix, retention_days=7,
                           evidence_retention_days=90)  # fmt: skip


def test_sweep_expires_held_items_and_keeps_evidence_longer(short_store: QuarantineStore) -> None:
    s = short_store
    held = s.put(new_mail_item())
    blocked = s.put(new_mail_item(state="blocked"))
    created = s.get(held).created
    assert sweep(s, now=created + 3600) == []
    assert sweep(s, now=created + 8 * 86400) == [held]
    assert s.get(held).state == "expired" and s.get(blocked).state == "blocked"
    with pytest.raises(PayloadGone):
        s.payload(held)
    assert sweep(s, now=created + 91 * 86400) == [blocked]
    assert s.get(blocked).state == "expired"
    assert [(r.event, r.actor, r.ref) for r in s.audit.records()] == [
        ("expired", "retention", held), ("expired", "retention", blocked)]  # fmt: skip
    assert s.audit.verify() == []


def test_decided_items_keep_their_state_but_lose_the_payload(short_store: QuarantineStore) -> None:
    s = short_store
    users = UserStore(s.redis, s.prefix)
    alice = users.add("alice", "reviewer", PASSWORD)
    ref = s.put(new_http_item())
    Review(s, users, "127.0.0.1:1").release(ref, alice, reason="fine")
    sweep(s, now=s.get(ref).expires + 1)
    item = s.get(ref)
    assert item.state == "released" and item.purged
    assert item.history[-1]["event"] == "purged"
    with pytest.raises(PayloadGone):
        s.payload(ref)


async def test_the_sweeper_loop_stops_on_request(short_store: QuarantineStore) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(run_sweeper(short_store, stop, interval=0.05))
    await asyncio.sleep(0.2)
    stop.set()
    await asyncio.wait_for(task, timeout=5)
    assert task.done() and task.exception() is None
