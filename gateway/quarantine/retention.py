"""Retention: payloads are deleted when an item's time is up; its metadata stays for the audit trail.

Held items past `retention_days` and blocked items past
`evidence_retention_days` become `expired`; released and rejected items keep
their state but lose their payload at the same point. Each expiry is audited.
The sweep is safe to run from several processes at once (each expiry is one
atomic script that re-checks the item's time).
"""

from __future__ import annotations

import asyncio
import logging
import time

from gateway.quarantine.errors import StoreUnavailable
from gateway.quarantine.store import QuarantineStore

log = logging.getLogger(__name__)
SWEEP_INTERVAL_SECONDS = 300.0


def sweep(store: QuarantineStore, now: float | None = None, batch: int = 500) -> list[str]:
    """Expire every item that is due; return their references."""
    now = time.time() if now is None else now
    done: list[str] = []
    while True:
        due = [ref for ref in store.due_for_expiry(now, limit=batch) if ref not in done]
        if not due:
            break
        for ref in due:
            previous = store.expire(ref, now)
            if previous in ("held", "blocked"):
                store.audit.append("expired", "retention", ref, {"previous_state": previous, "payload": "deleted"})
            elif previous in ("released", "rejected", "expired"):
                store.audit.append("purged", "retention", ref, {"state": previous, "payload": "deleted"})
            done.append(ref)
    return done


async def run_sweeper(store: QuarantineStore, stop: asyncio.Event, interval: float = SWEEP_INTERVAL_SECONDS) -> None:
    """Sweep every `interval` seconds until `stop` is set.

    A Redis outage is logged and retried at the next interval; it never stops the loop.
    """
    while not stop.is_set():
        try:
            expired = await asyncio.to_thread(sweep, store)
            if expired:
                log.info("quarantine retention: %d item(s) expired or purged", len(expired))
        except StoreUnavailable as exc:
            log.warning("quarantine retention sweep skipped: %s", exc)
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            continue


def sweep_expired(store: QuarantineStore, settings: object | None = None) -> list[str]:
    """`sweep(store)` in the shape `dlp-gateway run`'s retention loop calls (store, settings).

    Retention periods are the store's own (taken from the settings when the
    store was built), so `settings` is accepted for the caller's convenience only.
    """
    return sweep(store)
