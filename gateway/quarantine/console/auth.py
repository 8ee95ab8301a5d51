"""Who is at the console: sessions, CSRF tokens, sign-in rate limits, the trusted SSO header.

- Sessions are random 256-bit tokens in an HttpOnly, SameSite=Strict cookie
  (Secure, with the `__Host-` prefix, when the console is served over HTTPS).
  Redis holds only the token's SHA-256, so a copy of Redis cannot be replayed
  as a cookie. Sessions expire after an idle period and an absolute maximum.
- Every session has its own CSRF token, checked on every POST; the sign-in
  form, which comes before any session, uses a double-submit cookie.
- Failed sign-ins are counted per account and per client address in Redis;
  past the limit the password is not even checked until the window passes.
- The SSO header is honoured only when `console_sso_header` is configured,
  and then only for existing, enabled local accounts (roles stay local). The
  fronting proxy MUST strip that header from client requests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import redis

from gateway.quarantine.errors import unavailable_on_redis_error

ABSOLUTE_SESSION_SECONDS = 12 * 3600


@dataclass
class Session:
    token_hash: str
    user: str
    csrf: str
    created: float
    via: str  # password | sso
    flash: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {"user": self.user, "csrf": self.csrf, "created": self.created, "via": self.via, "flash": self.flash}
        )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison that treats a missing value as a mismatch."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class SessionStore:
    def __init__(self, client: redis.Redis, prefix: str, idle_seconds: int) -> None:
        self.redis = client
        self.prefix = prefix
        self.idle_seconds = idle_seconds

    def _key(self, digest: str) -> str:
        return f"{self.prefix}session:{digest}"

    def create(self, user: str, via: str) -> tuple[str, Session]:
        """A new session (a fresh token on every sign-in, so a planted cookie is useless)."""
        token = secrets.token_urlsafe(32)
        session = Session(token_hash(token), user, secrets.token_urlsafe(32), time.time(), via)
        with unavailable_on_redis_error():
            self.redis.set(self._key(session.token_hash), session.to_json(), ex=self.idle_seconds)
        return token, session

    def get(self, token: str | None) -> Session | None:
        if not token or len(token) > 128:
            return None
        digest = token_hash(token)
        with unavailable_on_redis_error():
            raw = self.redis.get(self._key(digest))
            if raw is None:
                return None
            data: dict[str, Any] = json.loads(raw)
            if time.time() - float(data["created"]) > ABSOLUTE_SESSION_SECONDS:
                self.redis.delete(self._key(digest))
                return None
            self.redis.expire(self._key(digest), self.idle_seconds)  # sliding idle timeout
        return Session(digest, data["user"], data["csrf"], float(data["created"]), data["via"], data.get("flash", []))

    def save(self, session: Session) -> None:
        with unavailable_on_redis_error():
            self.redis.set(self._key(session.token_hash), session.to_json(), ex=self.idle_seconds)

    def delete(self, session: Session) -> None:
        with unavailable_on_redis_error():
            self.redis.delete(self._key(session.token_hash))


class SignInLimiter:
    """Failed sign-ins per account and per client address, in a fixed window."""

    def __init__(
        self, client: redis.Redis, prefix: str, per_account: int, per_client: int, window_seconds: int
    ) -> None:
        self.redis = client
        self.prefix = prefix
        self.per_account = per_account
        self.per_client = per_client
        self.window = window_seconds

    def _keys(self, account: str, client: str) -> tuple[str, str]:
        # Hashed so attacker-chosen names never become Redis key names verbatim.
        acct = hashlib.sha256(account.strip().lower().encode()).hexdigest()[:32]
        addr = hashlib.sha256(client.encode()).hexdigest()[:32]
        return f"{self.prefix}signin:acct:{acct}", f"{self.prefix}signin:addr:{addr}"

    def blocked_for(self, account: str, client: str) -> int:
        """Seconds until this account or address may try again; 0 when allowed now."""
        acct_key, addr_key = self._keys(account, client)
        with unavailable_on_redis_error():
            pipe = self.redis.pipeline(transaction=False)
            pipe.get(acct_key)
            pipe.ttl(acct_key)
            pipe.get(addr_key)
            pipe.ttl(addr_key)
            acct, acct_ttl, addr, addr_ttl = pipe.execute()
        wait = 0
        if acct is not None and int(acct) >= self.per_account:
            wait = max(wait, int(acct_ttl), 1)
        if addr is not None and int(addr) >= self.per_client:
            wait = max(wait, int(addr_ttl), 1)
        return wait

    def failed(self, account: str, client: str) -> None:
        with unavailable_on_redis_error():
            for key in self._keys(account, client):
                # The window starts at the first failure and is not extended by later ones.
                if self.redis.incr(key) == 1 or self.redis.ttl(key) < 0:
                    self.redis.expire(key, self.window)

    def succeeded(self, account: str, client: str) -> None:
        with unavailable_on_redis_error():
            self.redis.delete(self._keys(account, client)[0])
