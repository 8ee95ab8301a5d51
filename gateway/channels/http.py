"""The HTTP channel: a mitmproxy addon that judges every request with a body before it leaves.

Hooks stay thin: they build a `RequestJob`, hand it to the worker pool (so the
event loop never does CPU work), and turn the `Outcome` into a protocol action:
forward untouched (allow), forward the rewritten body (redact), or answer 403
without contacting the destination (quarantine, block), 503 when the
quarantine cannot be written, 413 when the body is too large to inspect.

Streaming is refused: a streamed body reaches the destination before it can be
judged, so `stream_large_bodies` stops the proxy from starting and every
request is buffered, bounded by `body_size_limit` (set to the inspection limit).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, Protocol

from mitmproxy import ctx, exceptions, http, tls
from mitmproxy.utils import human

from gateway.channels import responses
from gateway.channels.http_audit import AuditWriter
from gateway.channels.http_flow import Transfer, apply_redaction, request_job, transfer
from gateway.channels.http_inspect import Pooling, judge
from gateway.channels.http_job import Outcome, request_payload
from gateway.channels.http_passthrough import passthrough_name
from gateway.channels.pool import WorkerPool
from gateway.policy.verdict import Action
from gateway.settings import Settings, SettingsError, load
from gateway.telemetry import metrics

log = logging.getLogger("gateway.channels.http")


class Storing(Protocol):
    def put(self, item: Any) -> str: ...


@functools.lru_cache(maxsize=4096)
def _domain(host: str) -> str:
    return metrics.registrable_domain(host)


class DlpHttp:
    """Inspects request bodies at the force's egress; see the module docstring."""

    def __init__(self, *, pool: Pooling | None = None, store: Storing | None = None,
                 settings: Settings | None = None) -> None:
        self.pool = pool
        self.store = store
        self.base_settings = settings
        self.settings = settings or Settings()
        self.max_body = self.settings.max_body_bytes
        self.passthrough: tuple[str, ...] = tuple(self.settings.passthrough_hosts)
        self._own_pool: WorkerPool | None = None
        self._io = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dlp-store")
        self._audit = AuditWriter()
        self._background: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------ options

    def load(self, loader: Any) -> None:
        # mitmproxy logs every connection with the client's address at INFO; addresses
        # are personal data and stay out of the gateway's log (errors still show).
        logging.getLogger("mitmproxy.proxy.server").setLevel(logging.WARNING)
        loader.add_option(
            "dlp_config", str | None, None,
            "Gateway config file (YAML, as for `dlp-gateway run --config`). Environment variables "
            "(DLP_*, REDIS_URL) apply on top, as they do for every dlp-gateway command.",
        )
        loader.add_option(
            "dlp_max_body", int | None, None,
            "Largest request body, in bytes, the gateway buffers and inspects (default: the "
            "max_body_bytes setting, 100 MB). Larger uploads are refused with 413, never forwarded.",
        )
        loader.add_option(
            "dlp_passthrough_hosts", Sequence[str], [],
            "Host globs (e.g. *.apple.com) whose TLS connections pass uninspected because their apps "
            "pin certificates. Added to the passthrough_hosts setting. Each such connection is counted "
            "in dlp_passthrough_flows_total. Plain HTTP to these hosts is still inspected.",
        )
        loader.add_option(
            "dlp_workers", int | None, None,
            "Inspection worker processes (default: the workers setting). Each loads the analyzer once.",
        )
        loader.add_option(
            "dlp_timeout", float, 0.0,
            "Seconds an inspection may take, queueing included, before the upload is held "
            "(0: the inspection_timeout setting).",
        )

    def configure(self, updated: set[str]) -> None:
        if "stream_large_bodies" in ctx.options and ctx.options.stream_large_bodies:
            raise exceptions.OptionsError(
                "stream_large_bodies cannot be used with the DLP gateway: streamed uploads reach the "
                "destination before they can be inspected. Use body_size_limit instead."
            )
        if any(name.startswith("dlp_") for name in updated) or not updated:
            self._load_settings()
        if "body_size_limit" not in ctx.options:
            return
        limit = human.parse_size(ctx.options.body_size_limit)
        if limit is None or limit > self.max_body:
            # Bodies above the inspection limit are refused (413) as they arrive, so memory stays bounded.
            ctx.options.update(body_size_limit=str(self.max_body))

    def _load_settings(self) -> None:
        try:
            settings = self.base_settings or load(ctx.options.dlp_config or None)
        except SettingsError as exc:
            raise exceptions.OptionsError(f"Cannot load dlp_config: {exc}") from exc
        if ctx.options.dlp_max_body is not None:
            if ctx.options.dlp_max_body <= 0:
                raise exceptions.OptionsError("dlp_max_body must be a positive number of bytes")
            settings = replace(settings, max_body_bytes=ctx.options.dlp_max_body)
        if ctx.options.dlp_workers is not None:
            settings = replace(settings, workers=max(1, ctx.options.dlp_workers))
        if ctx.options.dlp_timeout > 0:
            settings = replace(settings, inspection_timeout=float(ctx.options.dlp_timeout))
        self.settings = settings
        self.max_body = settings.max_body_bytes
        self.passthrough = tuple(dict.fromkeys([*settings.passthrough_hosts, *ctx.options.dlp_passthrough_hosts]))

    # ------------------------------------------------------------ lifecycle

    async def running(self) -> None:
        if self.pool is None:
            self._own_pool = WorkerPool(self.settings, workers=self.settings.workers,
                                        timeout=self.settings.inspection_timeout)
            self.pool = self._own_pool
            task = asyncio.get_running_loop().create_task(self._warm_up(self._own_pool))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        if self.store is None:
            self.store = self._open_store()
        metrics.initialise()

    def _open_store(self) -> Storing | None:
        from gateway.quarantine.store import QuarantineStore

        try:
            return QuarantineStore.from_settings(self.settings)
        except Exception as exc:  # noqa: BLE001 - without a store every hold is refused (503), never forwarded
            log.error("quarantine store not available (%s): uploads that must be held will be refused",
                      type(exc).__name__)
            return None

    async def _warm_up(self, pool: WorkerPool) -> None:
        problems = await pool.warm_up()
        for problem in problems:
            log.error("inspection worker not ready: %s; uploads will be held until this is fixed", problem)
        if not problems:
            log.info("%d inspection workers ready", pool.workers)

    def done(self) -> None:
        if self._own_pool is not None:
            self._own_pool.close()
        self._io.shutdown(wait=False)
        self._audit.close()  # records of forwarded transfers still queued are written

    # ------------------------------------------------------------ hooks

    def tls_clienthello(self, data: tls.ClientHelloData) -> None:
        """Let pinned apps through untouched: the CONNECT target (if a name) and the SNI must both match."""
        address = data.context.server.address[0] if data.context.server.address else None
        name = passthrough_name(self.passthrough, address, data.client_hello.sni)
        if name is not None:
            data.ignore_connection = True
            metrics.PASSTHROUGH_FLOWS.inc()
            log.info("passthrough (not inspected): %s", _domain(name))

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        # A streamed body is forwarded before the request hook sees it: never stream.
        flow.request.stream = False
        # mitmproxy answers "Expect: 100-continue" itself. For a body of unknown length
        # (chunked) that interim 100 would stop the 413 for an oversized body from ever
        # being sent, leaving the client hanging; without it the client just sends.
        headers = flow.request.headers
        if "content-length" not in headers and headers.get("expect", "").lower() == "100-continue":
            del headers["expect"]

    async def request(self, flow: http.HTTPFlow) -> None:
        if flow.response or flow.error or not flow.live:
            return
        if not flow.request.raw_content:
            return  # requests without a body are neither inspected nor counted
        job = request_job(flow.request, self.max_body)
        if self.pool is None:  # running() has not happened: nothing can judge this upload
            outcome = Outcome(Action.QUARANTINE, error="internal")
        else:
            outcome = await judge(self.pool, job)
        await self._act(transfer(flow, job), outcome)

    def error(self, flow: http.HTTPFlow) -> None:
        """Count uploads mitmproxy refused (413) because they exceed the inspection limit."""
        if flow.error and "body_size_limit" in flow.error.msg and flow.request is not None:
            metrics.INSPECTION_ERRORS.labels(reason="too_large").inc()
            log.warning("refused an upload larger than %d bytes to %s (413)", self.max_body,
                        _domain(flow.request.pretty_host))

    # ------------------------------------------------------------ acting on the outcome

    async def _act(self, t: Transfer, outcome: Outcome) -> None:
        if outcome.error:
            metrics.INSPECTION_ERRORS.labels(reason=outcome.error).inc()
        if outcome.error == "too_large":
            page = responses.too_large(self.max_body, t.accept)
            t.flow.response = http.Response.make(page.status, page.body, page.headers)
            await self._audit.write(self.store, "refused", None, t, outcome)
            return
        if outcome.grant_ref:
            metrics.TRANSFERS.labels(channel="http", action="allow").inc()
            log.info("released retry forwarded: ref=%s", outcome.grant_ref)
            return  # the store has already audited the use of the grant
        self._observe(outcome)
        if outcome.action == Action.ALLOW:
            self._audit.write_later(self.store, "verdict", t, outcome)
        elif outcome.action == Action.REDACT:
            apply_redaction(t.flow.request, outcome)
            metrics.SUBJECTS_PROTECTED.labels(agreement=metrics.agreement_label(outcome.agreement)).inc(
                outcome.subjects)
            self._audit.write_later(self.store, "verdict", t, outcome)
        else:
            await self._hold(t, outcome)
        log.info("http %s agreement=%s to=%s kind=%s items=%d", outcome.action.label,
                 metrics.agreement_label(outcome.agreement), _domain(t.job.destinations[0]),
                 outcome.content_kind, outcome.items)

    async def _hold(self, t: Transfer, outcome: Outcome) -> None:
        """Store the whole request and answer 403 with the reference; 503 when it cannot be stored."""
        from gateway.quarantine.store import NewItem

        loop = asyncio.get_running_loop()
        agreement = metrics.agreement_label(outcome.agreement)
        for entity, count in outcome.entities.items():
            metrics.BLOCKED_DISCLOSURES.labels(channel="http", agreement=agreement, entity_type=entity).inc(count)
        metrics.SUBJECTS_PROTECTED.labels(agreement=agreement).inc(outcome.subjects)
        state = "blocked" if outcome.action == Action.BLOCK else "held"
        reasons = outcome.reasons or ["The upload could not be inspected, so it is held for review."]
        try:
            if self.store is None:
                raise OSError("no quarantine store")
            payload = outcome.payload
            if payload is None:
                payload = await loop.run_in_executor(self._io, request_payload, t.job)
            item = NewItem(
                channel="http", state=state, destination=t.job.destinations[0], sender=t.user or t.client,
                client=t.client, recipients=[t.job.destinations[0]], agreement=outcome.agreement,
                action=outcome.action.label, reasons=reasons, verdict=outcome.verdict or {"reasons": reasons},
                findings_revealed=outcome.findings, payload=payload, payload_kind="http-request",
                redacted=outcome.redacted_payload, special=outcome.special, grant_key=outcome.grant_key,
            )  # fmt: skip
            ref = await loop.run_in_executor(self._io, self.store.put, item)
        except Exception as exc:  # noqa: BLE001 - StoreUnavailable or worse: refuse, never forward
            metrics.INSPECTION_ERRORS.labels(reason="store_unavailable").inc()
            log.error("upload to %s refused (503): quarantine store not writable (%s)",
                      _domain(t.job.destinations[0]), type(exc).__name__)
            page = responses.unavailable(reasons, t.accept)
            t.flow.response = http.Response.make(page.status, page.body, page.headers)
            await self._audit.write(self.store, "refused", None, t, outcome)
            return
        page = responses.refused(outcome.action.label, ref, reasons, t.accept)
        t.flow.response = http.Response.make(page.status, page.body, page.headers)
        log.info("http %s ref=%s", state, ref)
        await self._audit.write(self.store, "verdict", ref, t, outcome)

    def _observe(self, outcome: Outcome) -> None:
        metrics.TRANSFERS.labels(channel="http", action=outcome.action.label).inc()
        if outcome.seconds > 0:
            metrics.INSPECTION_SECONDS.labels(channel="http", content_kind=outcome.content_kind).observe(
                outcome.seconds)
        metrics.INSPECTED_BYTES.labels(channel="http").inc(outcome.inspected_bytes)
        if outcome.action == Action.REDACT:
            agreement = metrics.agreement_label(outcome.agreement)
            for category, count in outcome.redacted_categories.items():
                metrics.REDACTED_FIELDS.labels(agreement=agreement, category=category).inc(count)

    def flush_audit(self) -> None:
        """Wait until every audit record handed over so far has been written (or has failed)."""
        self._audit.flush()
