"""Console accounts: who may review, with which role, and their argon2 password hashes.

Accounts live in the same Redis as the quarantine (one hash per account), so
the CLI and the console see the same list. Roles:

- `reviewer`: may reveal values, release ordinary items, reject, approve
  special items (the first of the two approvals);
- `senior-reviewer`: everything a reviewer may, and the second approval that
  releases a special-category or offender item;
- `auditor`: reads items and the audit log; changes nothing and reveals nothing.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

import redis
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from gateway.quarantine.errors import text, unavailable_on_redis_error

ROLES: tuple[str, ...] = ("reviewer", "senior-reviewer", "auditor")
MIN_PASSWORD_LENGTH = 12
_NAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")


class AccountError(ValueError):
    """An account cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    email: str | None
    created: float
    disabled: bool = False

    @property
    def can_decide(self) -> bool:
        """Release, reject, reveal, replay."""
        return self.role in ("reviewer", "senior-reviewer") and not self.disabled

    @property
    def is_senior(self) -> bool:
        return self.role == "senior-reviewer" and not self.disabled


def normalise_name(name: str) -> str:
    name = name.strip().lower()
    if not _NAME.match(name):
        raise AccountError(
            "an account name is 1-64 characters: letters, digits, '.', '_', '@', '-', starting with a letter or digit"
        )
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if password.strip() != password:
        raise AccountError("a password must not start or end with white space")


class UserStore:
    """Accounts in Redis. `hasher` defaults to argon2id with the library's recommended cost."""

    def __init__(self, client: redis.Redis, prefix: str = "dlp:", hasher: PasswordHasher | None = None) -> None:
        self.redis = client
        self.prefix = prefix
        self.index_key = f"{prefix}users"
        self.hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None

    def _dummy(self) -> str:
        """Verified against when the account does not exist, so a sign-in takes as long for an
        unknown name as for a wrong password (no account enumeration by timing)."""
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash("dlp-gateway-no-such-account")
        return self._dummy_hash

    def _key(self, name: str) -> str:
        return f"{self.prefix}user:{name}"

    def add(self, name: str, role: str, password: str, email: str | None = None, *, replace: bool = False) -> Account:
        """Create an account (or, with `replace`, reset its role, e-mail and password)."""
        name = normalise_name(name)
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
        check_password(password)
        if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+", email.strip()):
            raise AccountError("the e-mail address is not valid")
        now = time.time()
        email_value = (email or "").strip().lower()
        mapping: dict[Any, Any] = {
            "name": name,
            "role": role,
            "email": email_value,
            "password": self.hasher.hash(password),
            "created": repr(now),
            "disabled": "0",
        }
        with unavailable_on_redis_error():
            if not replace and not self.redis.hsetnx(self._key(name), "name", name):
                raise AccountError(f"account {name!r} already exists")
            pipe = self.redis.pipeline()
            pipe.hset(self._key(name), mapping=mapping)
            pipe.sadd(self.index_key, name)
            pipe.execute()
        return Account(name=name, role=role, email=email_value or None, created=now)

    def get(self, name: str) -> Account | None:
        try:
            name = normalise_name(name)
        except AccountError:
            return None
        with unavailable_on_redis_error():
            row = self.redis.hgetall(self._key(name))
        if not row or b"role" not in row:
            return None
        return Account(
            name=text(row[b"name"]),
            role=text(row[b"role"]),
            email=text(row.get(b"email", b"")) or None,
            created=float(row.get(b"created", b"0")),
            disabled=row.get(b"disabled") == b"1",
        )

    def authenticate(self, name: str, password: str) -> Account | None:
        """The account when the password is right and the account enabled; None otherwise."""
        try:
            key = self._key(normalise_name(name))
        except AccountError:
            key = None
        stored = None
        if key is not None:
            with unavailable_on_redis_error():
                stored = self.redis.hget(key, "password")
        try:
            self.hasher.verify(text(stored) if stored else self._dummy(), password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if stored is None or key is None:
            return None
        if self.hasher.check_needs_rehash(text(stored)):
            with unavailable_on_redis_error():
                self.redis.hset(key, "password", self.hasher.hash(password))
        account = self.get(name)
        return account if account is not None and not account.disabled else None

    def list(self) -> list[Account]:
        with unavailable_on_redis_error():
            names = sorted(text(n) for n in self.redis.smembers(self.index_key))
        return [a for a in (self.get(n) for n in names) if a is not None]

    def remove(self, name: str) -> bool:
        name = normalise_name(name)
        with unavailable_on_redis_error():
            pipe = self.redis.pipeline()
            pipe.delete(self._key(name))
            pipe.srem(self.index_key, name)
            deleted, _ = pipe.execute()
        return bool(deleted)

    def set_disabled(self, name: str, disabled: bool) -> bool:
        name = normalise_name(name)
        with unavailable_on_redis_error():
            if not self.redis.exists(self._key(name)):
                return False
            self.redis.hset(self._key(name), "disabled", "1" if disabled else "0")
        return True
