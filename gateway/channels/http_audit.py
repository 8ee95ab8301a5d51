"""The audit record of every HTTP decision, with who sent it; never a matched value.

Records are written by one thread, so they stay in order. A held or refused
upload waits for its record; a forwarded one does not wait for Redis. A record
that cannot be written is logged and never changes the decision.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from gateway.channels.http_flow import Transfer
from gateway.channels.http_job import Outcome

log = logging.getLogger("gateway.channels.http")


def audit_details(t: Transfer, outcome: Outcome) -> dict[str, Any]:
    """What an audit record says about a decision: routing, sender and reasons, no content."""
    return {
        "channel": "http",
        "action": outcome.action.label,
        "agreement": outcome.agreement,
        "destination": t.job.destinations[0],
        "method": t.job.method,
        "client": t.client,
        "user": t.user,
        "bytes": len(t.job.body),
        "items": outcome.items,
        "content_kind": outcome.content_kind,
        "reasons": outcome.reasons,
        "codes": outcome.codes,
        "error": outcome.error,
    }


class AuditWriter:
    """Hands records to the store's audit log (`store.audit.append`) in a thread of its own."""

    def __init__(self) -> None:
        self._io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dlp-audit")

    async def write(self, store: Any, event: str, ref: str | None, t: Transfer, outcome: Outcome) -> None:
        """Write one record and wait for it."""
        future = self._submit(store, event, ref, t, outcome)
        if future is None:
            return
        try:
            await asyncio.wrap_future(future)
        except Exception as exc:  # noqa: BLE001 - a missing audit record must not change the decision
            log.error("audit record not written (%s) for an http %s", type(exc).__name__, outcome.action.label)

    def write_later(self, store: Any, event: str, t: Transfer, outcome: Outcome) -> None:
        """Audit a forwarded transfer without making it wait for Redis (records stay in order)."""
        future = self._submit(store, event, None, t, outcome)
        if future is not None:
            future.add_done_callback(functools.partial(_log_failure, outcome.action.label))

    def flush(self) -> None:
        """Wait until every record handed over so far has been written (or has failed)."""
        self._io.submit(lambda: None).result(timeout=60)

    def close(self) -> None:
        """Write the records still queued, then stop."""
        self._io.shutdown(wait=True)

    def _submit(self, store: Any, event: str, ref: str | None, t: Transfer, outcome: Outcome) -> Future[None] | None:
        audit = getattr(store, "audit", None)
        if audit is None:
            return None
        return self._io.submit(audit.append, f"http-{event}", "gateway", ref, audit_details(t, outcome))


def _log_failure(action: str, future: Future[None]) -> None:
    exc = future.exception()
    if exc is not None:
        log.error("audit record not written (%s) for an http %s", type(exc).__name__, action)
