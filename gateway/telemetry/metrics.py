"""Prometheus metrics of contract section 5, defined once for every part of the gateway.

Labels never carry personal data: channels, actions, agreement ids, entity
types and field categories only. A destination, where one is ever needed, is
reduced to its registrable domain by `registrable_domain`.
"""

from __future__ import annotations

import functools
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

TRANSFERS = Counter(
    "dlp_transfers_total",
    "Transfers inspected (one HTTP request with a body, or one recipient's copy of an e-mail), by action.",
    ["channel", "action"],
    registry=REGISTRY,
)
BLOCKED_DISCLOSURES = Counter(
    "dlp_blocked_disclosures_total",
    "Entity types found in transfers that were quarantined or blocked.",
    ["channel", "agreement", "entity_type"],
    registry=REGISTRY,
)
REDACTED_FIELDS = Counter(
    "dlp_redacted_fields_total",
    "Table columns and text spans removed by redaction, by agreement and field category.",
    ["agreement", "category"],
    registry=REGISTRY,
)
# `dlp_quarantine_items` is not a Gauge object: the store is shared by every
# node, so the exporter reads the counts from Redis at scrape time
# (telemetry/exporter.py, QuarantineCollector). A process-local gauge would
# disagree between nodes behind a load balancer.
QUARANTINE_ITEMS_NAME = "dlp_quarantine_items"
INSPECTION_SECONDS = Histogram(
    "dlp_inspection_seconds",
    "Time to inspect one transfer, from bytes to verdict.",
    ["channel", "content_kind"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0),
    registry=REGISTRY,
)
INSPECTED_BYTES = Counter(
    "dlp_inspected_bytes_total",
    "Bytes of transfer content inspected.",
    ["channel"],
    registry=REGISTRY,
)
INSPECTION_ERRORS = Counter(
    "dlp_inspection_errors_total",
    "Inspections that could not finish and failed closed, by reason.",
    ["reason"],
    registry=REGISTRY,
)
SUBJECTS_PROTECTED = Counter(
    "dlp_subjects_protected_total",
    "Data subjects whose data was held, blocked or redacted instead of leaving.",
    ["agreement"],
    registry=REGISTRY,
)
PASSTHROUGH_FLOWS = Counter(
    "dlp_passthrough_flows_total",
    "Flows to hosts listed as uninspectable (certificate pinning) that passed without inspection.",
    [],
    registry=REGISTRY,
)

QUARANTINE_STATES = ("held", "blocked", "released", "rejected", "expired")
ERROR_REASONS = ("timeout", "worker_crash", "parse_error", "too_large", "store_unavailable", "internal")


def agreement_label(agreement: str | None) -> str:
    """The contract's `agreement` label value: the id, or `none`."""
    return agreement or "none"


def registrable_domain(host: str) -> str:
    """Reduce a host or e-mail address to its registrable domain, offline.

    Uses tldextract's bundled public suffix snapshot only, never the network.
    """
    host = host.rsplit("@", 1)[-1].strip().lower().rstrip(".")
    parts = _suffix_extractor()(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return parts.domain or host


@functools.cache
def _suffix_extractor() -> Any:
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def initialise() -> None:
    """Create every labelled series an operator would graph, at zero, so rates work from the start."""
    for channel in ("http", "smtp"):
        for action in ("allow", "redact", "quarantine", "block"):
            TRANSFERS.labels(channel=channel, action=action)
        INSPECTED_BYTES.labels(channel=channel)
    for reason in ERROR_REASONS:
        INSPECTION_ERRORS.labels(reason=reason)


def enable_multiprocess(directory: str) -> None:
    """Make this process, and the processes it starts, write metrics to files in `directory`.

    `dlp-gateway run` calls this before any labelled series exists, so its own
    series and those of the proxy and worker processes are merged by the
    exporter. prometheus_client picks its value class when a series is
    created, which is why setting the class here is enough.
    """
    import os

    from prometheus_client import values

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    values.ValueClass = values.get_value_class()
