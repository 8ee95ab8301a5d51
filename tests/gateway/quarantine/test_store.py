"""The store on a real Redis: sealed payloads, states, indexes, grants, restarts and outages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import redis

from gateway.quarantine.errors import ItemNotFound, PayloadGone, StoreUnavailable
from gateway.quarantine.items import Approval
from gateway.quarantine.store import QuarantineStore, connect, grant_key
from gateway.settings import Settings

from .qfixtures import (
    CSV_BODY,
    MARKER,
    NINO,
    REDIS_URL,
    OwnRedis,
    make_keyring,
    new_http_item,
    new_mail_item,
)


def all_values(client: redis.Redis, prefix: str) -> list[bytes]:
    """Every byte the store wrote under its prefix, read back by type."""
    out: list[bytes] = []
    for key in client.scan_iter(match=prefix + "*"):
        out.append(key)
        kind = client.type(key).decode()
        if kind == "string":
            out.append(client.get(key))
        elif kind == "hash":
            for field, value in client.hgetall(key).items():
                out += [field, value]
        elif kind == "list":
            out += client.lrange(key, 0, -1)
        elif kind == "zset":
            out += [m for m, _ in client.zrange(key, 0, -1, withscores=True)]
        elif kind == "set":
            out += list(client.smembers(key))
        else:
            pytest.fail(f"unexpected key type {kind}")
    return out


def assert_nothing_in_clear(values: list[bytes]) -> None:
    for value in values:
        for secret in (MARKER.encode(), NINO.encode(), b"Jane Marple"):
            assert secret not in value


def test_put_and_get_keep_metadata_and_seal_the_rest(store: QuarantineStore) -> None:
    ref = store.put(new_http_item())
    assert re.fullmatch(r"Q-\d{8}-[0-9A-Z]{8}", ref)
    item = store.get(ref)
    assert (item.state, item.channel, item.destination, item.sender) == ("held", "http", "sftp.g4s.com", "pc1234")
    assert item.entity_counts == {"UK_NINO": 1, "PERSON": 1}
    assert item.has_redacted and not item.special
    assert [h["event"] for h in item.history] == ["held"]
    assert json.loads(store.payload(ref))["body_b64"]
    assert store.revealed_findings(ref)[0]["text"] == NINO
    assert "text" not in store.verdict(ref)["findings"][0]


def test_no_payload_byte_or_matched_value_in_clear(store: QuarantineStore) -> None:
    refs = [store.put(new_http_item()), store.put(new_mail_item()), store.put(new_mail_item(state="blocked"))]
    store.audit.append("verdict", "gateway", refs[0], {"action": "quarantine", "findings": [{"text": NINO}]})
    values = all_values(store.redis, store.prefix)
    assert len(values) > 20
    assert_nothing_in_clear(values)
    assert MARKER.encode() in store.payload(refs[1])  # ...yet it is all there for a reviewer


def test_references_are_random_not_sequential(store: QuarantineStore) -> None:
    refs = {store.put(new_mail_item()) for _ in range(20)}
    assert len(refs) == 20
    tails = sorted(r.rsplit("-", 1)[1] for r in refs)
    assert len({t[:4] for t in tails}) > 5


def test_list_filters_and_counts(store: QuarantineStore) -> None:
    held_http = store.put(new_http_item())
    held_mail = store.put(new_mail_item())
    blocked = store.put(new_mail_item(state="blocked"))
    assert [i.ref for i in store.find()] == [blocked, held_mail, held_http]
    assert {i.ref for i in store.find(state="held")} == {held_http, held_mail}
    assert [i.ref for i in store.find(channel="http")] == [held_http]
    assert [i.ref for i in store.find(agreement="none")] == [blocked, held_mail]
    assert [i.ref for i in store.find(agreement="g4s-support-services")] == [held_http]
    created = store.get(held_mail).created
    assert store.find(older_than=created - 3600) == []
    assert len(store.find(newer_than=created - 3600)) == 3
    assert store.counts() == {"held": 2, "blocked": 1, "released": 0, "rejected": 0, "expired": 0}
    with pytest.raises(ValueError, match="unknown state"):
        store.find(state="pending")


def test_unknown_and_malformed_references(store: QuarantineStore) -> None:
    with pytest.raises(ItemNotFound):
        store.get("Q-20260101-AAAAAAAA")
    with pytest.raises(ItemNotFound, match="not a quarantine reference"):
        store.get("Q-1*")


def test_put_rejects_nonsense(store: QuarantineStore) -> None:
    item = new_mail_item()
    item.state = "released"
    with pytest.raises(ValueError, match="held or blocked"):
        store.put(item)


def test_grant_is_issued_on_release_and_lets_identical_retries_through(store: QuarantineStore) -> None:
    item = new_http_item()
    ref = store.put(item)
    assert item.grant_key == grant_key("POST", "SFTP.G4S.COM", "/upload?other=2", CSV_BODY)
    assert store.take_grant(item.grant_key) is None  # held: nothing passes yet
    status, _token = store.claim(ref, "alice", "release", "held")
    assert status == "ok"
    decision = {"action": "release", "mode": "original"}
    assert store.finish_release(ref, actor="alice", decision=decision, outcome={"ok": True}, approvals=[],
                                grant=item.grant_key) == "ok"  # fmt: skip
    assert store.redis.ttl(store._k("grant", item.grant_key)) > 0
    assert store.take_grant(item.grant_key) == ref
    assert store.take_grant(item.grant_key) == ref  # for the grant's lifetime, each use recorded
    assert store.take_grant(grant_key("POST", "sftp.g4s.com", "/upload", CSV_BODY + b"x")) is None
    assert store.take_grant("not-a-key") is None
    assert [h["event"] for h in store.get(ref).history].count("grant-used") == 2
    assert [r.event for r in store.audit.records()] == ["grant-used", "grant-used"]
    store.redis.delete(store._k("grant", item.grant_key))  # as its TTL would
    assert store.take_grant(item.grant_key) is None


def test_transitions_are_idempotent_and_exclusive(store: QuarantineStore) -> None:
    ref = store.put(new_mail_item())
    status, token = store.claim(ref, "alice", "release", "held")
    assert status == "ok"
    assert store.claim(ref, "bob", "release", "held")[0] == "busy"
    assert store.reject(ref, "bob", {"action": "reject"}) == "busy"
    assert store.approve(ref, Approval("bob", "reviewer", "original", 0.0)) == "busy"
    store.unclaim(ref, token, "alice", "delivery-failed", "next hop down")
    assert store.reject(ref, "bob", {"action": "reject", "reason": "no"}) == "ok"
    assert store.reject(ref, "bob", {"action": "reject"}) == "rejected"
    assert store.claim(ref, "alice", "release", "held")[0] == "rejected"
    assert store.get(ref).state == "rejected"
    assert store.counts()["rejected"] == 1 and store.counts()["held"] == 0


def test_approvals_are_recorded_once_per_person(store: QuarantineStore) -> None:
    ref = store.put(new_mail_item(special=True))
    assert store.approve(ref, Approval("alice", "reviewer", "original", 1.0, "fine")) == "ok"
    assert store.approve(ref, Approval("alice", "reviewer", "redacted", 2.0)) == "duplicate"
    assert [a.actor for a in store.get(ref).approvals] == ["alice"]
    assert store.approve("Q-20260101-AAAAAAAA", Approval("x", "reviewer", "original", 1.0)) == "missing"


def test_expire_deletes_payload_but_keeps_metadata(store: QuarantineStore) -> None:
    ref = store.put(new_mail_item())
    item = store.get(ref)
    assert store.expire(ref, now=item.created) == "not-due"
    assert store.expire(ref, now=item.expires + 1) == "held"
    expired = store.get(ref)
    assert expired.state == "expired" and expired.purged
    with pytest.raises(PayloadGone):
        store.payload(ref)
    with pytest.raises(PayloadGone):
        store.revealed_findings(ref)
    assert store.verdict(ref)["agreement"] == "g4s-support-services"
    assert store.counts()["expired"] == 1


def test_blocked_items_are_kept_longer_as_evidence(prefix: str) -> None:
    s = QuarantineStore(connect(REDIS_URL), make_keyring(), prefix=prefix, retention_days=1,
                        evidence_retention_days=365)  # fmt: skip
    held, blocked = s.get(s.put(new_mail_item())), s.get(s.put(new_mail_item(state="blocked")))
    assert round((held.expires - held.created) / 86400) == 1
    assert round((blocked.expires - blocked.created) / 86400) == 365


def test_from_settings_without_redis_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="no quarantine store configured"):
        QuarantineStore.from_settings(Settings(state_dir=tmp_path))


def test_from_settings_finds_the_gateway_managed_redis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DLP_QUARANTINE_KEYS", raising=False)
    (tmp_path / "redis.json").write_text(json.dumps({"url": REDIS_URL}))
    from gateway.quarantine.crypto import ensure_key

    ensure_key(Settings(state_dir=tmp_path))
    s = QuarantineStore.from_settings(Settings(state_dir=tmp_path))
    assert s.ping() and s.location == "redis://127.0.0.1:6379/0"


@pytest.mark.e2e
def test_held_items_survive_a_redis_restart_and_aof_has_no_clear_payload(own_redis: OwnRedis) -> None:
    keyring = make_keyring()
    s = QuarantineStore(connect(own_redis.url), keyring, prefix="dlp:")
    assert s.persistence()["aof_enabled"] and s.persistence_warning() is None
    refs = [s.put(new_http_item()), s.put(new_mail_item()), s.put(new_mail_item(state="blocked"))]
    s.audit.append("verdict", "gateway", refs[0], {"action": "quarantine"})
    own_redis.shutdown()
    assert not s.ping()
    own_redis.start()
    again = QuarantineStore(connect(own_redis.url), keyring, prefix="dlp:")
    assert [again.get(r).state for r in refs] == ["held", "held", "blocked"]
    assert MARKER.encode() in again.payload(refs[1])
    assert again.audit.verify() == []
    # The append-only file on disk holds every write Redis received: still nothing in clear.
    files = [p for p in own_redis.data_dir.rglob("*") if p.is_file() and p.name != "redis.log"]
    assert any("aof" in p.name for p in files)
    on_disk = b"".join(p.read_bytes() for p in files)
    assert refs[0].encode() in on_disk
    assert_nothing_in_clear([on_disk])


@pytest.mark.e2e
def test_put_raises_store_unavailable_when_redis_is_down_and_nothing_is_lost(own_redis: OwnRedis) -> None:
    keyring = make_keyring()
    s = QuarantineStore(connect(own_redis.url), keyring, prefix="dlp:")
    kept = s.put(new_mail_item())
    own_redis.shutdown()
    with pytest.raises(StoreUnavailable, match="unreachable"):
        s.put(new_mail_item())
    with pytest.raises(StoreUnavailable):
        s.take_grant("0" * 64)
    with pytest.raises(StoreUnavailable):
        s.audit.append("verdict", "gateway", None, {})
    assert not s.ping()
    own_redis.start()
    assert s.get(kept).state == "held"
    assert s.put(new_mail_item()) != kept


@pytest.mark.e2e
def test_a_hung_redis_becomes_unavailable_instead_of_hanging_the_transfer(own_redis: OwnRedis) -> None:
    import os
    import signal

    s = QuarantineStore(connect(own_redis.url), make_keyring(), prefix="dlp:")
    s.put(new_mail_item())
    assert own_redis.process is not None
    os.kill(own_redis.process.pid, signal.SIGSTOP)
    try:
        with pytest.raises(StoreUnavailable, match="unreachable"):
            s.put(new_mail_item())
    finally:
        os.kill(own_redis.process.pid, signal.SIGCONT)


@pytest.mark.e2e
def test_persistence_warning_names_what_is_wrong(own_redis: OwnRedis) -> None:
    s = QuarantineStore(connect(own_redis.url), make_keyring(), prefix="dlp:")
    assert s.persistence_warning() is None
    s.redis.config_set("appendonly", "no")
    s.redis.config_set("maxmemory-policy", "allkeys-lru")
    warning = s.persistence_warning() or ""
    assert "appendonly is off" in warning and "allkeys-lru" in warning
