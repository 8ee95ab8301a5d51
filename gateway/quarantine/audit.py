"""The disclosure log: every verdict, reveal, release and rejection, in a keyed hash chain.

Each record names who did what to which item, when and why, and carries
`prev`, the hash of the record before it, and `hash`, an HMAC-SHA256 over its
own canonical JSON keyed from the quarantine keyring. Editing, deleting or
reordering a record breaks the chain at that record; because the hash is keyed,
someone with write access to Redis but not the key file cannot recompute the
chain to hide an edit. A separately MACed head (sequence number and last hash)
catches records cut off the end.

Matched values never enter the log: any `text` key in `details` is dropped.
"""

from __future__ import annotations

import csv
import hmac
import io
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import redis
from redis.exceptions import WatchError

from gateway.quarantine.crypto import DecryptionError, Keyring
from gateway.quarantine.errors import StoreUnavailable, text, unavailable_on_redis_error
from gateway.quarantine.items import iso

CHAIN_PURPOSE = "dlp-audit-chain-v1"
HEAD_PURPOSE = "dlp-audit-head-v1"
GENESIS = "0" * 64
_BATCH = 1000


def scrub(value: Any) -> Any:
    """Drop matched values (`text` keys) wherever they appear in details."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if k != "text"}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def canonical(record: dict[str, Any]) -> bytes:
    body = {k: v for k, v in record.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: float
    event: str
    actor: str
    ref: str | None
    details: dict[str, Any]
    prev: str
    kid: str
    hash: str

    @classmethod
    def from_json(cls, raw: bytes | str) -> AuditRecord:
        data = json.loads(raw)
        return cls(
            seq=int(data["seq"]),
            at=float(data["at"]),
            event=str(data["event"]),
            actor=str(data["actor"]),
            ref=data.get("ref"),
            details=dict(data.get("details") or {}),
            prev=str(data["prev"]),
            kid=str(data["kid"]),
            hash=str(data["hash"]),
        )

    def label(self) -> str:
        """How a problem names this record: sequence, event, item and time, never details."""
        ref = f" {self.ref}" if self.ref else ""
        return f"record {self.seq} ({self.event}{ref} by {self.actor} at {iso(self.at)})"


class AuditLog:
    """Append-only, hash-chained log in a Redis list; safe for several writer processes."""

    def __init__(self, client: redis.Redis, keyring: Keyring, prefix: str = "dlp:") -> None:
        self.redis = client
        self.keyring = keyring
        self.log_key = f"{prefix}audit:log"
        self.head_key = f"{prefix}audit:head"
        self.ref_prefix = f"{prefix}audit:ref:"  # per item: the positions of its records (an index, not chained)

    def _head_mac(self, kid: str, seq: int, last: str) -> str:
        return self.keyring.mac(kid, HEAD_PURPOSE, f"{seq}:{last}".encode())

    def append(self, event: str, actor: str, ref: str | None, details: dict[str, Any]) -> None:
        """Add one record at the end of the chain. Raises StoreUnavailable when Redis is down."""
        kid = self.keyring.current
        with unavailable_on_redis_error():
            for _attempt in range(50):
                with self.redis.pipeline() as pipe:
                    try:
                        pipe.watch(self.head_key)
                        head = pipe.hgetall(self.head_key)
                        seq = int(head.get(b"seq", b"0")) + 1
                        prev = text(head.get(b"hash", GENESIS))
                        record: dict[str, Any] = {
                            "seq": seq,
                            "at": round(time.time(), 6),
                            "event": event,
                            "actor": actor,
                            "ref": ref,
                            "details": scrub(details),
                            "prev": prev,
                            "kid": kid,
                        }
                        record["hash"] = self.keyring.mac(kid, CHAIN_PURPOSE, canonical(record))
                        pipe.multi()
                        pipe.rpush(self.log_key, json.dumps(record, sort_keys=True, ensure_ascii=False))
                        if ref:
                            pipe.rpush(self.ref_prefix + ref, seq - 1)
                        pipe.hset(
                            self.head_key,
                            mapping={
                                "seq": seq,
                                "hash": record["hash"],
                                "kid": kid,
                                "mac": self._head_mac(kid, seq, record["hash"]),
                            },
                        )
                        pipe.execute()
                        return
                    except WatchError:
                        continue
        raise StoreUnavailable("audit log busy: could not append after 50 attempts")

    def __len__(self) -> int:
        return int(self.redis.llen(self.log_key))

    def raw_records(self, start: int = 0, end: int = -1) -> Iterator[tuple[int, bytes | str]]:
        """(position, raw JSON) pairs, fetched in batches."""
        total = self.redis.llen(self.log_key)
        stop = total - 1 if end < 0 else min(end, total - 1)
        pos = start
        while pos <= stop:
            chunk = self.redis.lrange(self.log_key, pos, min(pos + _BATCH - 1, stop))
            if not chunk:
                break
            for raw in chunk:
                yield pos, raw
                pos += 1

    @staticmethod
    def _parse(raws: list[bytes | str]) -> list[AuditRecord]:
        out = []
        for raw in raws:
            try:
                out.append(AuditRecord.from_json(raw))
            except (ValueError, KeyError, TypeError):
                continue  # verify() reports it; listings skip it
        return out

    def latest(self, offset: int = 0, limit: int = 100) -> list[AuditRecord]:
        """A page of records, newest first, read from the end of the list (cheap on a long log)."""
        with unavailable_on_redis_error():
            raws = self.redis.lrange(self.log_key, -(offset + limit), -(offset + 1))
        return list(reversed(self._parse(raws)))

    def for_ref(self, ref: str) -> list[AuditRecord]:
        """Every record about one item, oldest first, through the per-item index."""
        with unavailable_on_redis_error():
            positions = self.redis.lrange(self.ref_prefix + ref, 0, -1)
            if not positions:
                return []
            pipe = self.redis.pipeline(transaction=False)
            for pos in positions:
                pipe.lindex(self.log_key, int(pos))
            raws = [r for r in pipe.execute() if r is not None]
        return [r for r in self._parse(raws) if r.ref == ref]

    def chunk(self, start: int, count: int) -> list[AuditRecord]:
        """Records at positions start .. start+count-1, oldest first."""
        with unavailable_on_redis_error():
            return self._parse(self.redis.lrange(self.log_key, start, start + count - 1))

    def iter_records(self) -> Iterator[AuditRecord]:
        """Every record, oldest first, fetched in batches (for exports)."""
        for _pos, raw in self.raw_records():
            parsed = self._parse([raw])
            if parsed:
                yield parsed[0]

    def records(
        self, ref: str | None = None, newest_first: bool = False, limit: int | None = None
    ) -> list[AuditRecord]:
        """Records, optionally about one item; oldest first unless `newest_first`."""
        if ref is not None:
            out = self.for_ref(ref)
        elif newest_first and limit is not None:
            return self.latest(0, limit)
        else:
            out = list(self.iter_records())
        if newest_first:
            out.reverse()
        return out[:limit] if limit is not None else out

    def verify(self) -> list[str]:
        """Check the whole chain; each problem names the broken record. Empty when intact."""
        problems: list[str] = []
        prev = GENESIS
        last_seq = 0
        for pos, raw in self.raw_records():
            where = f"record at position {pos + 1}"
            try:
                record = AuditRecord.from_json(raw)
            except (ValueError, KeyError, TypeError):
                problems.append(f"{where}: not a valid audit record")
                prev = "?"
                continue
            where = record.label()
            if record.seq != pos + 1:
                problems.append(f"{where}: sequence number {record.seq} found at position {pos + 1}")
            try:
                expected = self.keyring.mac(record.kid, CHAIN_PURPOSE, canonical(json.loads(raw)))
            except DecryptionError:
                problems.append(f"{where}: signed with key {record.kid!r}, which is not in the keyring")
                expected = None
            if expected is not None and not hmac.compare_digest(expected, record.hash):
                problems.append(f"{where}: content altered (its hash does not match)")
            if prev not in ("?", record.prev):
                problems.append(f"{where}: does not follow the record before it (chain broken)")
            prev = record.hash
            last_seq = pos + 1
        head = self.redis.hgetall(self.head_key)
        if head or last_seq:
            head_seq = int(head.get(b"seq", b"0"))
            head_hash = text(head.get(b"hash", b""))
            head_kid = text(head.get(b"kid", b""))
            head_mac = text(head.get(b"mac", b""))
            try:
                good_head = hmac.compare_digest(self._head_mac(head_kid, head_seq, head_hash), head_mac)
            except DecryptionError:
                good_head = False
            if not good_head:
                problems.append("log head: altered (its MAC does not match)")
            if head_seq != last_seq or head_hash != (prev if last_seq else head_hash):
                problems.append(
                    f"log head: says {head_seq} records ending in {head_hash[:12]}, "
                    f"but the log holds {last_seq} (records removed or added outside the gateway)"
                )
        return problems

    CSV_HEADER = ("seq", "time", "event", "actor", "ref", "details", "prev", "hash")

    @staticmethod
    def csv_line(record: AuditRecord | None = None) -> str:
        """One CSV line (the header when `record` is None); details as JSON."""
        out = io.StringIO()
        writer = csv.writer(out)
        if record is None:
            writer.writerow(AuditLog.CSV_HEADER)
        else:
            writer.writerow(
                [record.seq, iso(record.at), record.event, record.actor, record.ref or "",
                 json.dumps(record.details, sort_keys=True, ensure_ascii=False), record.prev, record.hash]
            )  # fmt: skip
        return out.getvalue()

    def export_csv(self, records: Iterable[AuditRecord] | None = None) -> str:
        """CSV for regulators and SIEMs: one row per record."""
        rows = self.iter_records() if records is None else records
        return self.csv_line() + "".join(self.csv_line(r) for r in rows)
