"""The quarantine store: held and blocked transfers in Redis, payloads sealed with AES-GCM.

Each item is one Redis hash (`<prefix>q:item:<ref>`) holding clear metadata
(channel, state, destination, agreement, reasons, counts of entity types; never
a matched value) and four sealed blobs: the original transfer, its redacted
copy, the verdict and the findings with their values. Sorted sets index the
items by state and by expiry; a list per item keeps its state history.

Every state change is one Lua script, so it is atomic against other gateway
processes and idempotent: a second release of a released item changes nothing
and says so. A reviewer action that has to talk to the outside world (deliver
an e-mail, replay a request) first *claims* the item, does the work, then
finishes the transition, so two reviewers clicking at once cannot deliver a
message twice.

Redis being unreachable is `StoreUnavailable`, raised within about a second
(short socket timeouts, no retries), so a channel can refuse the transfer
(HTTP 503, SMTP 451) instead of forwarding it.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from gateway.quarantine import options
from gateway.quarantine.audit import AuditLog
from gateway.quarantine.crypto import Keyring, KeyringError
from gateway.quarantine.errors import (
    ItemNotFound,
    PayloadGone,
    QuarantineError,
    StoreUnavailable,
    text,
    unavailable_on_redis_error,
)
from gateway.quarantine.items import CHANNELS, PAYLOAD_KINDS, STATES, Approval, Item, Transfer, new_reference
from gateway.settings import Settings

CLAIM_STALE_SECONDS = 300  # a delivery that has not finished by then is presumed crashed
REFERENCE = re.compile(r"^Q-\d{8}-[0-9A-Z]{6,16}$")
_SEALED_FIELDS = ("enc:payload", "enc:redacted", "enc:verdict", "enc:findings")
_META_FIELDS = (
    "meta",
    "state",
    "created",
    "updated",
    "expires",
    "approvals",
    "decision",
    "outcome",
    "replay",
    "purged",
    "has_redacted",
)


@dataclass
class NewItem(Transfer):
    """A transfer to hold or keep as evidence, as a channel hands it over: with what was sent."""

    verdict: dict[str, Any]
    findings_revealed: list[dict[str, Any]]
    payload: bytes
    redacted: bytes | None


def grant_key(method: str, host: str, path: str, body: bytes) -> str:
    """What identifies "the same upload again": method, host, path without query, and body.

    The query string is left out because clients often add cache-busters or
    timestamps to a retry; the body must be byte-identical.
    """
    digest = hashlib.sha256()
    for piece in (method.upper(), host.lower().rstrip("."), path.split("?", 1)[0]):
        digest.update(piece.encode("utf-8"))
        digest.update(b"\x00")
    digest.update(body)
    return digest.hexdigest()


def connect(url: str) -> redis.Redis:
    """A Redis client that fails fast: an outage must become a refusal, not a hung transfer."""
    return redis.Redis.from_url(
        url,
        socket_timeout=2.0,
        socket_connect_timeout=1.0,
        retry=Retry(NoBackoff(), 0),
        retry_on_timeout=False,
        health_check_interval=0,
    )


def store_url(settings: Settings) -> str:
    """The Redis URL the quarantine lives at; StoreUnavailable when none is configured."""
    url = settings.effective_redis_url()
    if not url:
        raise StoreUnavailable(
            "no quarantine store configured: set REDIS_URL or start `dlp-gateway run` "
            f"with state dir {settings.state_dir}"
        )
    return url


def describe_url(url: str) -> str:
    """A Redis URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _j(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# Functions the state-changing scripts share (prepended to each that needs them).
_COMMON = """
local function claim_is_live(key, now, stale)
  local claim = redis.call('HGET', key, 'claim')
  if not claim then return false end
  local c = cjson.decode(claim)
  return (tonumber(now) - tonumber(c.at)) < tonumber(stale)
end

-- Why the item cannot change now: 'missing', the state it is in instead of
-- `expected`, or 'busy' while someone else's live claim holds it; nil when it
-- can. Without `stale` the claim is not looked at (the caller holds it).
local function refusal(key, expected, now, stale)
  local st = redis.call('HGET', key, 'state')
  if not st then return 'missing' end
  if st ~= expected then return st end
  if stale and claim_is_live(key, now, stale) then return 'busy' end
  return nil
end

-- Move the item from one state index to another (scored by creation time, as
-- every index is); the claim, if any, ends with the state it was taken for.
local function reindex(key, ref, from_index, to_index)
  local created = redis.call('HGET', key, 'created')
  redis.call('HDEL', key, 'claim')
  redis.call('ZREM', from_index, ref)
  redis.call('ZADD', to_index, created, ref)
end
"""

_PUT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('RPUSH', KEYS[2], ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[1])
redis.call('ZADD', KEYS[5], ARGV[3], ARGV[1])
return 1
"""

# KEYS item, hist; ARGV approval_json, actor, hist_json, now, stale
_APPROVE = (
    _COMMON
    + """
local why = refusal(KEYS[1], 'held', ARGV[4], ARGV[5])
if why then return why end
local approvals = cjson.decode(redis.call('HGET', KEYS[1], 'approvals') or '[]')
for _, a in ipairs(approvals) do
  if a.actor == ARGV[2] then return 'duplicate' end
end
table.insert(approvals, cjson.decode(ARGV[1]))
redis.call('HSET', KEYS[1], 'approvals', cjson.encode(approvals), 'updated', ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[3])
return 'ok'
"""
)

# KEYS item; ARGV claim_json, now, stale, expected_state
_CLAIM = (
    _COMMON
    + """
local why = refusal(KEYS[1], ARGV[4], ARGV[2], ARGV[3])
if why then return why end
redis.call('HSET', KEYS[1], 'claim', ARGV[1])
return 'ok'
"""
)

# KEYS item, hist; ARGV claim_token, hist_json (may be empty)
_UNCLAIM = """
local claim = redis.call('HGET', KEYS[1], 'claim')
if claim and cjson.decode(claim).token == ARGV[1] then redis.call('HDEL', KEYS[1], 'claim') end
if ARGV[2] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[2]) end
return 'ok'
"""

# KEYS item, hist, zheld, zreleased, grant; ARGV ref, now, decision, outcome, hist_json, grant_ttl, approvals
_FINISH_RELEASE = (
    _COMMON
    + """
local why = refusal(KEYS[1], 'held')
if why then return why end
redis.call('HSET', KEYS[1], 'state', 'released', 'updated', ARGV[2], 'decision', ARGV[3],
           'outcome', ARGV[4], 'approvals', ARGV[7])
reindex(KEYS[1], ARGV[1], KEYS[3], KEYS[4])
if tonumber(ARGV[6]) > 0 then redis.call('SET', KEYS[5], ARGV[1], 'EX', ARGV[6]) end
redis.call('RPUSH', KEYS[2], ARGV[5])
return 'ok'
"""
)

# KEYS item, hist, zheld, zrejected; ARGV ref, now, decision, hist_json, stale
_REJECT = (
    _COMMON
    + """
local why = refusal(KEYS[1], 'held', ARGV[2], ARGV[5])
if why then return why end
redis.call('HSET', KEYS[1], 'state', 'rejected', 'updated', ARGV[2], 'decision', ARGV[3])
reindex(KEYS[1], ARGV[1], KEYS[3], KEYS[4])
redis.call('RPUSH', KEYS[2], ARGV[4])
return 'ok'
"""
)

# KEYS item, hist; ARGV claim_token, replay_json, hist_json, now
_RECORD_REPLAY = """
local claim = redis.call('HGET', KEYS[1], 'claim')
if claim and cjson.decode(claim).token == ARGV[1] then redis.call('HDEL', KEYS[1], 'claim') end
redis.call('HSET', KEYS[1], 'replay', ARGV[2], 'updated', ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[3])
return 'ok'
"""

# KEYS item, hist, zexpiry, zheld, zblocked, zexpired; ARGV ref, now, expired_hist, stale, purged_hist
_EXPIRE = (
    _COMMON
    + """
local st = redis.call('HGET', KEYS[1], 'state')
if not st then redis.call('ZREM', KEYS[3], ARGV[1]) return 'missing' end
local expires = tonumber(redis.call('HGET', KEYS[1], 'expires'))
if expires > tonumber(ARGV[2]) then return 'not-due' end
if claim_is_live(KEYS[1], ARGV[2], ARGV[4]) then return 'busy' end
redis.call('HDEL', KEYS[1], 'enc:payload', 'enc:redacted', 'enc:findings', 'claim')
redis.call('HSET', KEYS[1], 'purged', '1', 'updated', ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[1])
if st == 'held' or st == 'blocked' then
  redis.call('HSET', KEYS[1], 'state', 'expired')
  if st == 'held' then reindex(KEYS[1], ARGV[1], KEYS[4], KEYS[6]) else reindex(KEYS[1], ARGV[1], KEYS[5], KEYS[6]) end
  redis.call('RPUSH', KEYS[2], ARGV[3])
else
  redis.call('RPUSH', KEYS[2], ARGV[5])
end
return st
"""
)


class QuarantineStore:
    """Held and blocked transfers over a real Redis. Thread-safe (redis-py pools connections)."""

    def __init__(
        self,
        client: redis.Redis,
        keyring: Keyring,
        *,
        prefix: str = "dlp:",
        retention_days: int = 30,
        evidence_retention_days: int = 90,
        grant_ttl_seconds: int = 3600,
        location: str = "redis",
    ) -> None:
        self.redis = client
        self.keyring = keyring
        self.prefix = prefix
        self.retention_days = retention_days
        self.evidence_retention_days = evidence_retention_days
        self.grant_ttl_seconds = grant_ttl_seconds
        self.location = location
        self.audit = AuditLog(client, keyring, prefix=prefix)
        self._scripts = {
            name: client.register_script(source)
            for name, source in {
                "put": _PUT,
                "approve": _APPROVE,
                "claim": _CLAIM,
                "unclaim": _UNCLAIM,
                "finish_release": _FINISH_RELEASE,
                "reject": _REJECT,
                "record_replay": _RECORD_REPLAY,
                "expire": _EXPIRE,
            }.items()
        }

    @classmethod
    def from_settings(cls, settings: Settings) -> QuarantineStore:
        """The store the running gateway uses; StoreUnavailable when no Redis is known.

        KeyringError (no key, or an unsafe key file) is raised as it is: that is
        a configuration fault, not an outage.
        """
        url = store_url(settings)
        keyring = Keyring.from_settings(settings)
        return cls(
            connect(url),
            keyring,
            prefix=options.option(settings, "quarantine_key_prefix"),
            retention_days=settings.retention_days,
            evidence_retention_days=options.option(settings, "evidence_retention_days"),
            grant_ttl_seconds=settings.grant_ttl_seconds,
            location=describe_url(url),
        )

    # --- keys -----------------------------------------------------------------------
    def _k(self, *parts: str) -> str:
        return self.prefix + "q:" + ":".join(parts)

    def _item_key(self, ref: str) -> str:
        if not REFERENCE.match(ref):
            raise ItemNotFound(f"{ref!r} is not a quarantine reference")
        return self._k("item", ref)

    def _run(self, name: str, keys: list[str], args: list[Any]) -> str:
        with unavailable_on_redis_error():
            result = self._scripts[name](keys=keys, args=args)
        return text(result)

    @staticmethod
    def _hist(event: str, actor: str, now: float, note: str = "", **extra: Any) -> bytes:
        entry: dict[str, Any] = {"at": now, "event": event, "actor": actor}
        if note:
            entry["note"] = note
        entry.update({k: v for k, v in extra.items() if v is not None})
        return _j(entry)

    # --- health ---------------------------------------------------------------------
    def ping(self) -> bool:
        try:
            return bool(self.redis.ping())
        except redis.exceptions.RedisError:
            return False
        except OSError:
            return False

    def persistence(self) -> dict[str, Any]:
        """How the Redis behind the store keeps data: AOF on, and no eviction, are what it needs."""
        with unavailable_on_redis_error():
            info = self.redis.info("persistence")
            memory = self.redis.info("memory")
        return {
            "aof_enabled": bool(int(info.get("aof_enabled", 0))),
            "rdb_last_save": info.get("rdb_last_save_time"),
            "maxmemory_policy": str(memory.get("maxmemory_policy", "")),
        }

    def persistence_warning(self) -> str | None:
        """A sentence for the operator when held items could be lost; None when all is well."""
        try:
            state = self.persistence()
        except StoreUnavailable as exc:
            return str(exc)
        problems = []
        if not state["aof_enabled"]:
            problems.append("appendonly is off: held items written since the last snapshot are lost on a restart")
        if state["maxmemory_policy"] not in ("", "noeviction"):
            problems.append(f"maxmemory-policy is {state['maxmemory_policy']}: Redis may evict held items")
        if not problems:
            return None
        return f"Redis at {self.location}: " + "; ".join(problems) + " (see docs/console.md, 'Redis persistence')"

    def counts(self) -> dict[str, int]:
        with unavailable_on_redis_error():
            pipe = self.redis.pipeline(transaction=False)
            for state in STATES:
                pipe.zcard(self._k("state", state))
            values = pipe.execute()
        return dict(zip(STATES, (int(v) for v in values), strict=True))

    # --- writing --------------------------------------------------------------------
    def put(self, item: NewItem) -> str:
        """Store a transfer sealed; return its reference. Raises StoreUnavailable."""
        if item.channel not in CHANNELS:
            raise ValueError(f"unknown channel {item.channel!r}")
        if item.state not in ("held", "blocked"):
            raise ValueError(f"a new item is held or blocked, not {item.state!r}")
        if item.payload_kind not in PAYLOAD_KINDS:
            raise ValueError(f"unknown payload kind {item.payload_kind!r}")
        now = time.time()
        days = self.retention_days if item.state == "held" else self.evidence_retention_days
        expires = now + days * 86400
        verdict = item.verdict or {}
        counts: dict[str, int] = {}
        for finding in verdict.get("findings") or []:
            etype = str(finding.get("entity_type", "UNKNOWN"))
            counts[etype] = counts.get(etype, 0) + 1
        meta = {
            "channel": item.channel,
            "destination": item.destination,
            "sender": item.sender,
            "client": item.client,
            "recipients": list(item.recipients),
            "agreement": item.agreement,
            "action": item.action,
            "reasons": list(item.reasons),
            "payload_kind": item.payload_kind,
            "content_kind": verdict.get("content_kind"),
            "special": bool(item.special),
            "grant_key": item.grant_key,
            "entity_counts": counts,
            "subjects": int(verdict.get("subjects") or 0),
            "payload_bytes": len(item.payload),
        }
        for _attempt in range(8):
            ref = new_reference(now)
            fields: list[Any] = [
                "meta", _j(meta),
                "state", item.state,
                "created", repr(now),
                "updated", repr(now),
                "expires", repr(expires),
                "approvals", "[]",
                "has_redacted", "1" if item.redacted is not None else "0",
                "enc:payload", self.keyring.encrypt(item.payload, f"{ref}/payload"),
                "enc:verdict", self.keyring.encrypt(_j(verdict), f"{ref}/verdict"),
                "enc:findings", self.keyring.encrypt(_j(item.findings_revealed), f"{ref}/findings"),
            ]  # fmt: skip
            if item.redacted is not None:
                fields += ["enc:redacted", self.keyring.encrypt(item.redacted, f"{ref}/redacted")]
            hist = self._hist(item.state, "gateway", now, item.action)
            created = self._run(
                "put",
                [self._k("item", ref), self._k("hist", ref), self._k("all"), self._k("state", item.state),
                 self._k("expiry")],
                [ref, repr(now), repr(expires), item.state, hist, *fields],
            )  # fmt: skip
            if created == "1":
                return ref
        raise StoreUnavailable("could not allocate a unique quarantine reference")

    def take_grant(self, grant_key: str) -> str | None:
        """The item's reference when a live release grant covers this retry, else None.

        A grant lets the sender's identical retry through for `grant_ttl_seconds`
        after release: sending the same bytes to the same place again discloses
        nothing the reviewer did not approve, and a client whose first retry
        failed on the network can try again. Every use is recorded in the
        item's history and the audit log.
        """
        if not re.fullmatch(r"[0-9a-f]{64}", grant_key or ""):
            return None
        with unavailable_on_redis_error():
            raw = self.redis.get(self._k("grant", grant_key))
        if raw is None:
            return None
        ref = text(raw)
        now = time.time()
        with unavailable_on_redis_error():
            self.redis.rpush(self._k("hist", ref), self._hist("grant-used", "gateway", now))
        self.audit.append("grant-used", "gateway", ref, {"note": "the sender's identical retry was let through"})
        return ref

    def approve(self, ref: str, approval: Approval) -> str:
        """Record one approval of a special item: ok | duplicate | busy | missing | <state>."""
        now = time.time()
        hist = self._hist("approved", approval.actor, now, approval.reason, mode=approval.mode, role=approval.role)
        return self._run(
            "approve",
            [self._item_key(ref), self._k("hist", ref)],
            [_j(approval.__dict__), approval.actor, hist, repr(now), CLAIM_STALE_SECONDS],
        )

    def claim(self, ref: str, actor: str, purpose: str, expect_state: str) -> tuple[str, str]:
        """Reserve an item for an outside action (delivery, replay): (status, token)."""
        now = time.time()
        token = new_reference(now).rsplit("-", 1)[1]
        claim = _j({"actor": actor, "at": now, "purpose": purpose, "token": token})
        status = self._run("claim", [self._item_key(ref)], [claim, repr(now), CLAIM_STALE_SECONDS, expect_state])
        return status, token

    def unclaim(self, ref: str, token: str, actor: str, event: str = "", note: str = "", **extra: Any) -> None:
        hist = self._hist(event, actor, time.time(), note, **extra) if event else b""
        self._run("unclaim", [self._item_key(ref), self._k("hist", ref)], [token, hist])

    def finish_release(
        self,
        ref: str,
        *,
        actor: str,
        decision: dict[str, Any],
        outcome: dict[str, Any],
        approvals: list[Approval],
        grant: str | None,
    ) -> str:
        now = time.time()
        hist = self._hist("released", actor, now, decision.get("reason", ""), mode=decision.get("mode"))
        ttl = self.grant_ttl_seconds if grant else 0
        return self._run(
            "finish_release",
            [self._item_key(ref), self._k("hist", ref), self._k("state", "held"), self._k("state", "released"),
             self._k("grant", grant or "-")],
            [ref, repr(now), _j(decision), _j(outcome), hist, ttl, _j([a.__dict__ for a in approvals])],
        )  # fmt: skip

    def reject(self, ref: str, actor: str, decision: dict[str, Any]) -> str:
        now = time.time()
        hist = self._hist("rejected", actor, now, decision.get("reason", ""))
        return self._run(
            "reject",
            [self._item_key(ref), self._k("hist", ref), self._k("state", "held"), self._k("state", "rejected")],
            [ref, repr(now), _j(decision), hist, CLAIM_STALE_SECONDS],
        )

    def record_replay(self, ref: str, token: str, actor: str, outcome: dict[str, Any]) -> None:
        now = time.time()
        hist = self._hist("replayed", actor, now, str(outcome.get("summary", "")))
        self._run(
            "record_replay",
            [self._item_key(ref), self._k("hist", ref)],
            [token, _j({**outcome, "actor": actor, "at": now}), hist, repr(now)],
        )

    def add_history(self, ref: str, event: str, actor: str, note: str = "", **extra: Any) -> None:
        with unavailable_on_redis_error():
            self.redis.rpush(self._k("hist", ref), self._hist(event, actor, time.time(), note, **extra))

    def expire(self, ref: str, now: float | None = None) -> str:
        """Delete the payload of an item past its retention; held and blocked items become expired."""
        now = time.time() if now is None else now
        return self._run(
            "expire",
            [self._item_key(ref), self._k("hist", ref), self._k("expiry"), self._k("state", "held"),
             self._k("state", "blocked"), self._k("state", "expired")],
            [ref, repr(now), self._hist("expired", "retention", now), CLAIM_STALE_SECONDS,
             self._hist("purged", "retention", now, "payload deleted at the end of retention")],
        )  # fmt: skip

    def due_for_expiry(self, now: float, limit: int = 500) -> list[str]:
        with unavailable_on_redis_error():
            refs = self.redis.zrangebyscore(self._k("expiry"), "-inf", repr(now), start=0, num=limit)
        return [text(r) for r in refs]

    # --- reading --------------------------------------------------------------------
    def get(self, ref: str, with_history: bool = True) -> Item:
        key = self._item_key(ref)
        with unavailable_on_redis_error():
            pipe = self.redis.pipeline(transaction=False)
            pipe.hmget(key, list(_META_FIELDS))
            if with_history:
                pipe.lrange(self._k("hist", ref), 0, -1)
            results = pipe.execute()
        item = self._item(ref, results[0])
        if item is None:
            raise ItemNotFound(f"no quarantine item {ref}")
        if with_history:
            item.history = [json.loads(h) for h in results[1]]
        return item

    def _item(self, ref: str, values: list[bytes | None]) -> Item | None:
        row = dict(zip(_META_FIELDS, values, strict=True))
        if row["meta"] is None or row["state"] is None:
            return None
        meta = json.loads(row["meta"])

        def loads(name: str) -> Any:
            raw = row[name]
            return json.loads(raw) if raw else None

        return Item(
            ref=ref,
            channel=meta["channel"],
            state=text(row["state"]),
            destination=meta.get("destination"),
            sender=meta.get("sender"),
            client=meta.get("client"),
            recipients=list(meta.get("recipients") or []),
            agreement=meta.get("agreement"),
            action=meta.get("action", ""),
            reasons=list(meta.get("reasons") or []),
            payload_kind=meta.get("payload_kind", ""),
            content_kind=meta.get("content_kind"),
            special=bool(meta.get("special")),
            grant_key=meta.get("grant_key"),
            has_redacted=row["has_redacted"] == b"1",
            entity_counts=dict(meta.get("entity_counts") or {}),
            subjects=int(meta.get("subjects") or 0),
            payload_bytes=int(meta.get("payload_bytes") or 0),
            created=float(row["created"] or 0),
            updated=float(row["updated"] or 0),
            expires=float(row["expires"] or 0),
            approvals=[Approval(**a) for a in (loads("approvals") or [])],
            decision=loads("decision"),
            outcome=loads("outcome"),
            replay=loads("replay"),
            purged=row["purged"] == b"1",
        )

    def find(
        self,
        *,
        state: str | None = None,
        channel: str | None = None,
        agreement: str | None = None,
        newer_than: float | None = None,
        older_than: float | None = None,
        limit: int = 200,
    ) -> list[Item]:
        """Items newest first, filtered; `agreement="none"` selects items no agreement covered."""
        if state is not None and state not in STATES:
            raise ValueError(f"unknown state {state!r}; expected one of {', '.join(STATES)}")
        index = self._k("state", state) if state else self._k("all")
        high = repr(older_than) if older_than is not None else "+inf"
        low = repr(newer_than) if newer_than is not None else "-inf"
        found: list[Item] = []
        offset, batch = 0, 500
        while len(found) < limit:
            with unavailable_on_redis_error():
                refs = [text(r) for r in self.redis.zrevrangebyscore(index, high, low, start=offset, num=batch)]
                if not refs:
                    break
                pipe = self.redis.pipeline(transaction=False)
                for ref in refs:
                    pipe.hmget(self._k("item", ref), list(_META_FIELDS))
                rows = pipe.execute()
            offset += len(refs)
            for ref, row in zip(refs, rows, strict=True):
                item = self._item(ref, row)
                if item is None:
                    continue
                if channel and item.channel != channel:
                    continue
                if agreement and (item.agreement or "none") != agreement:
                    continue
                found.append(item)
                if len(found) >= limit:
                    break
        return found

    def agreements(self) -> list[str]:
        """Agreement ids seen on stored items, for the console's filter."""
        seen = {(i.agreement or "none") for i in self.find(limit=2000)}
        return sorted(seen)

    def _sealed(self, ref: str, field: str) -> bytes | None:
        with unavailable_on_redis_error():
            pipe = self.redis.pipeline(transaction=False)
            pipe.exists(self._item_key(ref))
            pipe.hget(self._item_key(ref), f"enc:{field}")
            exists, blob = pipe.execute()
        if not exists:
            raise ItemNotFound(f"no quarantine item {ref}")
        if blob is None:
            return None
        return self.keyring.decrypt(blob, f"{ref}/{field}")

    def verdict(self, ref: str) -> dict[str, Any]:
        """The stored verdict (findings carry hashes, never values)."""
        raw = self._sealed(ref, "verdict")
        return json.loads(raw) if raw else {}

    def revealed_findings(self, ref: str) -> list[dict[str, Any]]:
        """Findings with their values. Callers must audit the reveal before showing them."""
        raw = self._sealed(ref, "findings")
        if raw is None:
            raise PayloadGone(f"the findings of {ref} were deleted at the end of retention")
        return list(json.loads(raw))

    def payload(self, ref: str, redacted: bool = False) -> bytes:
        raw = self._sealed(ref, "redacted" if redacted else "payload")
        if raw is None:
            if redacted and not self.get(ref, with_history=False).purged:
                raise PayloadGone(f"{ref} has no redacted copy")
            raise PayloadGone(f"the payload of {ref} was deleted at the end of retention")
        return raw


__all__ = [
    "ItemNotFound",
    "KeyringError",
    "NewItem",
    "PayloadGone",
    "QuarantineError",
    "QuarantineStore",
    "StoreUnavailable",
    "connect",
    "grant_key",
]
