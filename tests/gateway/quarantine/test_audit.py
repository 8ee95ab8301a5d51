"""The audit log on a real Redis: chained, keyed, tamper-evident, free of matched values."""

from __future__ import annotations

import csv
import io
import json

import pytest

from gateway.quarantine.audit import AuditLog
from gateway.quarantine.crypto import Keyring, new_key_line
from gateway.quarantine.store import connect

from .qfixtures import NINO, REDIS_URL, make_keyring


@pytest.fixture
def log(prefix: str) -> AuditLog:
    audit = AuditLog(connect(REDIS_URL), make_keyring(), prefix=prefix)
    audit.append("verdict", "gateway", "Q-20261121-AAAAAAA1", {"action": "quarantine", "channel": "http"})
    audit.append("reveal", "alice", "Q-20261121-AAAAAAA1", {"reason": "checking the NI column"})
    audit.append("release", "bob", "Q-20261121-AAAAAAA1", {"reason": "agreement covers it", "mode": "original"})
    audit.append("verdict", "gateway", None, {"action": "allow"})
    return audit


def test_intact_log_verifies(log: AuditLog) -> None:
    assert log.verify() == []
    records = log.records()
    assert [r.seq for r in records] == [1, 2, 3, 4]
    assert records[1].prev == records[0].hash
    assert [r.event for r in log.records(ref="Q-20261121-AAAAAAA1", newest_first=True)] == [
        "release", "reveal", "verdict"]  # fmt: skip


def test_editing_one_record_is_detected_and_named(log: AuditLog) -> None:
    raw = json.loads(log.redis.lindex(log.log_key, 1))
    raw["details"]["reason"] = "a different story"
    log.redis.lset(log.log_key, 1, json.dumps(raw))
    problems = log.verify()
    assert len(problems) == 1
    assert problems[0].startswith("record 2 (reveal Q-20261121-AAAAAAA1 by alice at ")
    assert "content altered" in problems[0]


def test_recomputing_a_plain_hash_does_not_help_without_the_key(log: AuditLog) -> None:
    import hashlib

    from gateway.quarantine.audit import canonical

    raw = json.loads(log.redis.lindex(log.log_key, 2))
    raw["actor"] = "mallory"
    raw["hash"] = hashlib.sha256(canonical(raw)).hexdigest()
    log.redis.lset(log.log_key, 2, json.dumps(raw))
    problems = log.verify()
    assert any(p.startswith("record 3 (release") and "content altered" in p for p in problems)
    assert any(p.startswith("record 4") and "chain broken" in p for p in problems)


def test_deleting_a_record_in_the_middle_is_detected(log: AuditLog) -> None:
    log.redis.lrem(log.log_key, 1, log.redis.lindex(log.log_key, 1))
    problems = log.verify()
    assert any(p.startswith("record 3") and "position 2" in p for p in problems)
    assert any("chain broken" in p for p in problems)


def test_cutting_records_off_the_end_is_detected(log: AuditLog) -> None:
    log.redis.rpop(log.log_key)
    assert any(p.startswith("log head") for p in log.verify())


def test_a_garbled_record_is_named_by_position(log: AuditLog) -> None:
    log.redis.lset(log.log_key, 0, b"not json")
    problems = log.verify()
    assert problems[0] == "record at position 1: not a valid audit record"


def test_matched_values_never_enter_the_log(log: AuditLog) -> None:
    log.append("verdict", "gateway", None, {"findings": [{"entity_type": "UK_NINO", "text": NINO}]})
    assert NINO.encode() not in b"".join(log.redis.lrange(log.log_key, 0, -1))
    assert log.records()[-1].details == {"findings": [{"entity_type": "UK_NINO"}]}


def test_a_rotated_keyring_still_verifies_old_records(prefix: str) -> None:
    first = new_key_line("k1")
    client = connect(REDIS_URL)
    AuditLog(client, Keyring.parse(first, "t"), prefix=prefix).append("verdict", "gateway", None, {})
    rotated = AuditLog(client, Keyring.parse(first + "\n" + new_key_line("k2"), "t"), prefix=prefix)
    rotated.append("verdict", "gateway", None, {})
    assert [r.kid for r in rotated.records()] == ["k1", "k2"]
    assert rotated.verify() == []
    stranger = AuditLog(client, make_keyring(), prefix=prefix)
    assert any("not in the keyring" in p for p in stranger.verify())


def test_concurrent_appends_keep_one_chain(prefix: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    audit = AuditLog(connect(REDIS_URL), make_keyring(), prefix=prefix)
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda i: audit.append("verdict", "gateway", None, {"n": i}), range(60)))
    assert len(audit) == 60
    assert audit.verify() == []


def test_csv_export(log: AuditLog) -> None:
    rows = list(csv.reader(io.StringIO(log.export_csv())))
    assert rows[0] == ["seq", "time", "event", "actor", "ref", "details", "prev", "hash"]
    assert [r[2] for r in rows[1:]] == ["verdict", "reveal", "release", "verdict"]
    assert json.loads(rows[2][5]) == {"reason": "checking the NI column"}


def test_pages_newest_first_and_the_per_item_index(log: AuditLog) -> None:
    assert [r.seq for r in log.latest(0, 2)] == [4, 3]
    assert [r.seq for r in log.latest(2, 2)] == [2, 1]
    assert log.latest(4, 2) == []
    assert [r.seq for r in log.for_ref("Q-20261121-AAAAAAA1")] == [1, 2, 3]
    assert log.for_ref("Q-20261121-ZZZZZZZZ") == []
    assert [r.seq for r in log.chunk(1, 2)] == [2, 3]
