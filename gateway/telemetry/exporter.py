"""The metrics endpoint (port 9102): `/metrics`, `/healthz` and `/readyz`.

The proxy runs in its own process (mitmdump) and inspection in worker
processes, so counters are aggregated with prometheus_client's multiprocess
mode: every process writes to files under `PROMETHEUS_MULTIPROC_DIR`, and this
endpoint merges them. Quarantine counts come from the shared Redis at scrape
time, so every node behind a load balancer reports the same store.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Iterator, Mapping

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from gateway.telemetry import metrics

log = logging.getLogger(__name__)

# A readiness check returns None when fine, or a short reason when not.
Check = Callable[[], Awaitable[str | None]]


class QuarantineCollector(Collector):
    """Reads item counts per state from the quarantine store at scrape time."""

    def __init__(self, counts: Callable[[], Mapping[str, int]]) -> None:
        self._counts = counts

    def collect(self) -> Iterator[GaugeMetricFamily]:
        items = GaugeMetricFamily(metrics.QUARANTINE_ITEMS_NAME, "Items in the quarantine store, by state.",
                                  labels=["state"])
        up = GaugeMetricFamily("dlp_store_up", "1 if the quarantine store (Redis) answered the last scrape.")
        try:
            counts = self._counts()
        except Exception:  # noqa: BLE001 - any store failure is reported as store down, not a 500
            log.warning("quarantine store unreachable while collecting metrics")
            up.add_metric([], 0)
            yield up
            return
        for state in metrics.QUARANTINE_STATES:
            items.add_metric([state], counts.get(state, 0))
        up.add_metric([], 1)
        yield items
        yield up


def build_registry(store_counts: Callable[[], Mapping[str, int]] | None) -> CollectorRegistry:
    """The registry the endpoint serves: multiprocess files if configured, else this process."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = metrics.REGISTRY
    if store_counts is not None:
        registry.register(QuarantineCollector(store_counts))
    return registry


def create_app(registry: CollectorRegistry, checks: Mapping[str, Check]) -> web.Application:
    async def serve_metrics(_: web.Request) -> web.Response:
        body = generate_latest(registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_: web.Request) -> web.Response:
        problems: dict[str, str] = {}
        for name, check in checks.items():
            try:
                problem = await check()
            except Exception as exc:  # noqa: BLE001 - a failing check means not ready, with its type
                problem = f"check failed: {type(exc).__name__}"
            if problem:
                problems[name] = problem
        status = 503 if problems else 200
        return web.json_response({"ready": not problems, "problems": problems}, status=status)

    app = web.Application()
    app.router.add_get("/metrics", serve_metrics)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    return app
