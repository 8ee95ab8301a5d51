"""The quarantine's errors, the one place Redis failures become `StoreUnavailable`, and reply decoding."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis


class QuarantineError(Exception):
    """Base of the quarantine's own errors."""


class StoreUnavailable(QuarantineError):
    """Redis cannot be reached or refused a write: transfers that must be held are refused."""


class ItemNotFound(QuarantineError):
    """No item has this reference."""


class PayloadGone(QuarantineError):
    """The item's payload was deleted at the end of its retention period (or never existed)."""


@contextmanager
def unavailable_on_redis_error() -> Iterator[None]:
    """Turn every Redis failure into StoreUnavailable, with a message free of data."""
    try:
        yield
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as exc:
        raise StoreUnavailable(f"quarantine store unreachable: {type(exc).__name__}") from None
    except redis.exceptions.ResponseError as exc:
        # MISCONF (cannot persist), OOM, READONLY replica: the write did not happen.
        first = str(exc).split(" ", 1)[0]
        raise StoreUnavailable(f"quarantine store refused the operation ({first})") from None
    except redis.exceptions.RedisError as exc:
        raise StoreUnavailable(f"quarantine store error: {type(exc).__name__}") from None


def text(value: bytes | str | Any) -> str:
    """A Redis reply as text (clients are built without decode_responses: payloads are bytes)."""
    return value.decode() if isinstance(value, bytes) else str(value)
