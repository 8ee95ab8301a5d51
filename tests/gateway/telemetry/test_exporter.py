from collections.abc import Mapping

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client import CollectorRegistry, Counter

from gateway.telemetry import exporter


def _registry(counts: Mapping[str, int] | Exception) -> CollectorRegistry:
    def read() -> Mapping[str, int]:
        if isinstance(counts, Exception):
            raise counts
        return counts

    registry = CollectorRegistry()
    Counter("dlp_transfers_total", "t", ["channel", "action"], registry=registry).labels("http", "allow").inc(3)
    registry.register(exporter.QuarantineCollector(read))
    return registry


async def _client(registry: CollectorRegistry, checks: dict) -> TestClient:
    client = TestClient(TestServer(exporter.create_app(registry, checks)))
    await client.start_server()
    return client


async def test_metrics_include_quarantine_counts_from_the_store() -> None:
    client = await _client(_registry({"held": 4, "blocked": 1}), {})
    try:
        body = await (await client.get("/metrics")).text()
    finally:
        await client.close()
    assert 'dlp_transfers_total{action="allow",channel="http"} 3.0' in body
    assert 'dlp_quarantine_items{state="held"} 4.0' in body
    assert 'dlp_quarantine_items{state="expired"} 0.0' in body
    assert "dlp_store_up 1.0" in body


async def test_store_down_is_reported_not_a_server_error() -> None:
    client = await _client(_registry(ConnectionError("down")), {})
    try:
        resp = await client.get("/metrics")
        body = await resp.text()
    finally:
        await client.close()
    assert resp.status == 200
    assert "dlp_store_up 0.0" in body
    assert "dlp_quarantine_items{" not in body


@pytest.mark.parametrize(
    ("results", "status"),
    [({"store": None, "proxy": None}, 200), ({"store": "unreachable", "proxy": None}, 503)],
)
async def test_readiness_reports_each_problem(results: dict, status: int) -> None:
    def check(value: str | None):
        async def run() -> str | None:
            return value

        return run

    client = await _client(CollectorRegistry(), {k: check(v) for k, v in results.items()})
    try:
        resp = await client.get("/readyz")
        data = await resp.json()
        health = await client.get("/healthz")
    finally:
        await client.close()
    assert resp.status == status
    assert data["ready"] is (status == 200)
    assert data["problems"] == {k: v for k, v in results.items() if v}
    assert health.status == 200


async def test_a_crashing_check_means_not_ready() -> None:
    async def broken() -> str | None:
        raise RuntimeError("boom")

    client = await _client(CollectorRegistry(), {"proxy": broken})
    try:
        resp = await client.get("/readyz")
        data = await resp.json()
    finally:
        await client.close()
    assert resp.status == 503
    assert data["problems"]["proxy"] == "check failed: RuntimeError"
