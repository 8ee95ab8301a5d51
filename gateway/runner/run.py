"""`dlp-gateway run`: every part of the gateway in the foreground, stopped cleanly together.

Order matters for failing closed: the agreements are validated and the
quarantine store reached before the proxy starts listening, so the gateway
never accepts a transfer it could not judge or hold.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from aiohttp import web

from gateway.channels.pool import WorkerPool
from gateway.channels.smtp import ContentFilter, start_smtp_server
from gateway.channels.smtp_judge import CopyOutcome, failed_copies, judge_job
from gateway.channels.smtp_relay import Ledger, NextHop
from gateway.quarantine.store import QuarantineStore
from gateway.runner.redis_server import ManagedRedis
from gateway.runner.supervisor import Supervised
from gateway.settings import Settings
from gateway.telemetry import exporter, metrics

log = logging.getLogger("gateway.runner")

RETENTION_SWEEP_SECONDS = 60.0


class StartupError(Exception):
    """The gateway cannot start; the message says what to fix."""


def prepare_state(settings: Settings) -> Settings:
    """Create the state folder and make every path absolute, since children run elsewhere."""
    state = settings.state_dir.resolve()
    state.mkdir(parents=True, exist_ok=True)
    return replace(settings, state_dir=state, rules_dir=settings.rules_dir.resolve(),
                   config_dir=settings.config_dir.resolve())


def check_rules(settings: Settings) -> None:
    """Refuse to start on an invalid agreement or a damaged EDM index, naming the file."""
    from gateway.detect.edm import EdmError, EdmIndex
    from gateway.policy import RuleError, load_policy

    try:
        load_policy(settings.rules_dir)
    except RuleError as exc:
        raise StartupError(f"invalid sharing agreement: {exc}") from None
    try:
        EdmIndex.load(settings.state_dir / "edm")
    except EdmError as exc:
        raise StartupError(f"exact data match index unusable: {exc}") from None


def child_env(settings: Settings, config_file: str | None) -> dict[str, str]:
    """The environment that carries the resolved settings to the proxy process."""
    env = dict(os.environ)
    env.update({
        "DLP_STATE_DIR": str(settings.state_dir),
        "DLP_RULES_DIR": str(settings.rules_dir),
        "DLP_CONFIG_DIR": str(settings.config_dir),
        "DLP_WITH_NER": "1" if settings.with_ner else "0",
    })
    if settings.redis_url:
        env["REDIS_URL"] = settings.redis_url
    if settings.key_file:
        env["DLP_KEY_FILE"] = str(settings.key_file)
    if config_file:
        env["DLP_CONFIG"] = str(Path(config_file).resolve())
    return env


async def _tcp_open(host: str, port: int) -> str | None:
    connect_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(connect_host, port), 2)
    except (OSError, TimeoutError):
        return f"not accepting connections on port {port}"
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return None


async def serve(settings: Settings, config_file: str | None) -> int:
    """Start everything, wait for SIGTERM/SIGINT, stop everything. Returns the exit status."""
    from gateway.channels.proxy_process import mitmdump_command
    from gateway.quarantine.console.app import start_console
    from gateway.quarantine.crypto import ensure_key
    from gateway.quarantine.retention import sweep_expired

    settings = prepare_state(settings)
    check_rules(settings)

    metrics_dir = settings.state_dir / "metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True)
    metrics.enable_multiprocess(str(metrics_dir))
    metrics.initialise()

    managed: ManagedRedis | None = None
    if not settings.redis_url:
        managed = ManagedRedis(settings.state_dir)
        settings = replace(settings, redis_url=managed.start())
        log.info("started the gateway's own Redis (data in %s)", managed.data_dir)
    if settings.key_file is None:
        settings = replace(settings, key_file=ensure_key(settings))

    store = QuarantineStore.from_settings(settings)
    if not store.ping():
        if managed:
            managed.stop()
        raise StartupError("the quarantine store (Redis) cannot be reached; check REDIS_URL")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)

    proxy = Supervised("proxy", mitmdump_command(settings, config_file), child_env(settings, config_file))
    runners: list[web.AppRunner] = []
    servers: list[asyncio.Server] = []
    pools: list[WorkerPool] = []
    tasks: list[asyncio.Task[None]] = []
    try:
        console_runner = await start_console(settings, store)
        runners.append(console_runner)
        smtp_pool, smtp_server = await start_mail_filter(settings, store)
        pools.append(smtp_pool)
        servers.append(smtp_server)

        async def store_ready() -> str | None:
            ok = await asyncio.to_thread(store.ping)
            return None if ok else "quarantine store (Redis) unreachable"

        async def proxy_ready() -> str | None:
            if not proxy.running:
                return "proxy process not running"
            return await _tcp_open(settings.listen_host, settings.proxy_port)

        async def console_ready() -> str | None:
            return await _tcp_open(settings.console_host, settings.console_port)

        async def smtp_ready() -> str | None:
            return await _tcp_open(settings.listen_host, settings.smtp_port)

        registry = exporter.build_registry(store.counts)
        checks = {"store": store_ready, "proxy": proxy_ready, "smtp": smtp_ready, "console": console_ready}
        app = exporter.create_app(registry, checks)
        metrics_runner = web.AppRunner(app, access_log=None)
        await metrics_runner.setup()
        await web.TCPSite(metrics_runner, settings.listen_host, settings.metrics_port).start()
        runners.append(metrics_runner)

        await proxy.start()
        tasks.append(asyncio.create_task(_retention_loop(settings, store, sweep_expired, stop)))
        log.info(
            "gateway up: proxy %s:%d, smtp %s:%d -> %s, console %s:%d, metrics %s:%d, rules %s",
            settings.listen_host, settings.proxy_port, settings.listen_host, settings.smtp_port,
            settings.smtp_next_hop, settings.console_host, settings.console_port,
            settings.listen_host, settings.metrics_port, settings.rules_dir,
        )
        await stop.wait()
        log.info("stopping")
        return 0
    finally:
        for task in tasks:
            task.cancel()
        for server in servers:
            server.close()
        await proxy.stop()
        for pool in pools:
            pool.close()
        for runner in reversed(runners):
            await runner.cleanup()
        if managed:
            managed.stop()


async def start_mail_filter(settings: Settings, store: QuarantineStore) -> tuple[WorkerPool, asyncio.Server]:
    """The SMTP content filter on this process's event loop, judging in worker processes of its own."""
    try:
        next_hop = NextHop.parse(settings.smtp_next_hop)
    except ValueError as exc:
        raise StartupError(f"smtp_next_hop: {exc}") from None
    pool = WorkerPool(settings, workers=settings.workers, timeout=settings.inspection_timeout)
    problems = await pool.warm_up()
    if problems:
        pool.close()
        raise StartupError(f"inspection workers for mail could not start: {'; '.join(problems)}")

    async def judge(raw: bytes, recipients: list[str]) -> list[CopyOutcome]:
        def fail(reason: str) -> list[CopyOutcome]:
            return failed_copies(recipients, reason)

        return await pool.run(judge_job, raw, recipients, on_failure=fail)

    handler = ContentFilter(judge, store, next_hop, Ledger(store.redis, store.prefix), hostname=socket.getfqdn())
    try:
        server = await start_smtp_server(handler, settings.listen_host, settings.smtp_port, settings.max_body_bytes)
    except OSError as exc:
        pool.close()
        raise StartupError(f"cannot listen for mail on port {settings.smtp_port}: {exc.strerror}") from None
    return pool, server


async def _retention_loop(
    settings: Settings, store: QuarantineStore, sweep: Callable[[QuarantineStore, Settings], object],
    stop: asyncio.Event,
) -> None:
    """Expire items past their retention: payloads deleted, metadata kept for the audit trail."""
    while not stop.is_set():
        try:
            await asyncio.to_thread(sweep, store, settings)
        except Exception:
            log.exception("retention sweep failed; will retry")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), RETENTION_SWEEP_SECONDS)


def main(settings: Settings, config_file: str | None) -> int:
    from gateway.telemetry.logs import configure

    configure()
    try:
        return asyncio.run(serve(settings, config_file))
    except StartupError as exc:
        print(f"dlp-gateway: {exc}", file=sys.stderr)
        return 2
