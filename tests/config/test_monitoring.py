"""The shipped dashboard and alert rules only use metrics the gateway exports, with their real labels."""

import json
import re
from pathlib import Path

import yaml
from prometheus_client import generate_latest

from gateway.telemetry import metrics

CONFIG = Path(__file__).resolve().parents[2] / "config"
EXTRA = {"dlp_quarantine_items", "dlp_store_up"}  # exported by the exporter's collector, not a metric object


def exported() -> set[str]:
    metrics.initialise()
    text = generate_latest(metrics.REGISTRY).decode()
    names = set(re.findall(r"^# TYPE (\w+) ", text, re.M))
    out = set(names)
    for n in names:
        out.update({f"{n}_total", f"{n}_bucket", f"{n}_count", f"{n}_sum"})
    return out | EXTRA


def referenced(expr: str) -> set[str]:
    return set(re.findall(r"\b(dlp_\w+)", expr))


def test_dashboard_queries_use_exported_metrics() -> None:
    dash = json.loads((CONFIG / "grafana" / "dlp-gateway.json").read_text())
    exprs = [t["expr"] for p in dash["panels"] for t in p["targets"]]
    assert exprs
    known = exported()
    for expr in exprs:
        assert referenced(expr) <= known, expr


def test_alert_rules_are_well_formed_and_use_exported_metrics() -> None:
    rules = yaml.safe_load((CONFIG / "prometheus" / "alerts.yml").read_text())
    known = exported()
    alerts = [r for g in rules["groups"] for r in g["rules"]]
    assert len(alerts) >= 5
    for rule in alerts:
        assert {"alert", "expr", "labels", "annotations"} <= rule.keys()
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert referenced(rule["expr"]) <= known, rule["alert"]


def test_no_label_could_carry_personal_data() -> None:
    """Contract section 5: labels are channels, actions, agreements, categories, reasons, states."""
    allowed = {"channel", "action", "agreement", "entity_type", "category", "state", "content_kind", "reason", "le"}
    for metric in metrics.REGISTRY.collect():
        for sample in metric.samples:
            assert set(sample.labels) <= allowed, (metric.name, sample.labels)
