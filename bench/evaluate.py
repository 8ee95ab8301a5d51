"""Detection quality on the labelled evaluation set: the gateway against presidio out of the box.

    .venv/bin/python -m bench.evaluate [SET] [--seed 7] [--scale 1] [--json] [--json-out FILE] [--misses N]

SET is a folder written by `bench.evalset.generate` (generated there first if it
has no labels.jsonl); without it the set is generated into a temporary folder
from the seed. Every document is read once with the gateway's readers and run
through the full pipeline (`gateway.bootstrap.build_inspector`, destination
unknown, no EDM index); the same extracted text then goes through the gateway's
detector without NER and through presidio out of the box
(`bench/evalset/presidio_baseline.py`). Scoring rules are in
`bench/evalset/scoring.py`.

Prints precision, recall and support per entity type for the three, the
table-level and prose figures the issue names, the look-alikes each reported,
and the actions taken on clean documents. Exits 1 when the gateway (with NER,
the default configuration) misses a threshold of issue 3:

* recall >= 0.98 for every checksum-validated identifier (NHS, PNC, CRO, IBAN, card);
* recall >= 0.95 for names, dates of birth and addresses (street or postcode) in tables;
* recall >= 0.90 for names in prose;
* precision >= 0.95 for every entity type;
* no clean document quarantined or blocked.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.evalset.generate import generate
from bench.evalset.scoring import (
    CellLoc,
    Counts,
    Item,
    Score,
    TextLoc,
    align_labels,
    is_unscored,
    negatives_flagged,
    score_document,
)
from gateway.detect.model import Finding
from gateway.policy.verdict import Action

CHECKSUM_TYPES = ("UK_NHS", "UK_PNC_ID", "UK_CRO", "IBAN_CODE", "CREDIT_CARD")
ADDRESS_TYPES = ("STREET_ADDRESS", "UK_POSTCODE")
CHECKSUM_RECALL = 0.98
TABLE_RECALL = 0.95
PROSE_NAME_RECALL = 0.90
PRECISION = 0.95
SYSTEMS = ("gateway", "gateway_no_ner", "presidio")
TITLES = {"gateway": "gateway (NER)", "gateway_no_ner": "gateway (no NER)", "presidio": "presidio out of the box"}


@dataclass
class SystemRun:
    score: Score = field(default_factory=Score)
    seconds: float = 0.0
    negatives: list[dict[str, Any]] = field(default_factory=list)
    misses: list[tuple[str, Item]] = field(default_factory=list)
    false_positives: list[tuple[str, Item]] = field(default_factory=list)


def finding_items(findings: list[Finding]) -> list[Item]:
    """Gateway findings as scoring items (cells for tables, spans for text)."""
    out = []
    for f in findings:
        if f.table is not None and f.row is not None and f.column_index is not None:
            out.append(Item(f.entity_type, CellLoc(f.part_name, f.table, f.row, f.column_index), f.text))
        elif f.segment is not None and f.start is not None and f.end is not None:
            out.append(Item(f.entity_type, TextLoc(f.part_name, f.segment, f.start, f.end), f.text))
    return out


def _errors(labels: list[Item], predictions: list[Item], doc: str, run: SystemRun) -> None:
    """Keep the misses and false positives of one document, for --misses."""

    def overlap(a: Item, b: Item) -> bool:
        if isinstance(a.loc, CellLoc) or isinstance(b.loc, CellLoc):
            return a.loc == b.loc
        return (
            a.loc is not None
            and b.loc is not None
            and a.loc.part == b.loc.part
            and a.loc.segment == b.loc.segment
            and a.loc.start < b.loc.end
            and b.loc.start < a.loc.end
        )

    for label in labels:
        if not any(p.type == label.type and overlap(p, label) for p in predictions):
            run.misses.append((doc, label))
    for p in predictions:
        if not any(label.type == p.type and overlap(p, label) for label in labels):
            run.false_positives.append((doc, p))


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def gates(score: Score, clean_failures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def gate(name: str, value: float | None, threshold: float, support: int) -> None:
        passed = value is None or value >= threshold
        out.append({"gate": name, "value": value, "threshold": threshold, "support": support, "passed": passed})

    for t in CHECKSUM_TYPES:
        c = score.total(t)
        gate(f"recall {t}", c.recall, CHECKSUM_RECALL, c.labels)
    for name, types in (("PERSON", ("PERSON",)), ("DATE_OF_BIRTH", ("DATE_OF_BIRTH",)), ("address", ADDRESS_TYPES)):
        c = score.combined(types, "table")
        gate(f"recall {name} in tables", c.recall, TABLE_RECALL, c.labels)
    c = score.total("PERSON", "text")
    gate("recall PERSON in prose", c.recall, PROSE_NAME_RECALL, c.labels)
    for t in score.types():
        c = score.total(t)
        if c.predicted:
            gate(f"precision {t}", c.precision, PRECISION, c.predicted)
    out.append(
        {
            "gate": "no clean document quarantined or blocked",
            "value": len(clean_failures),
            "threshold": 0,
            "support": None,
            "passed": not clean_failures,
        }
    )
    return out


def evaluate(set_dir: Path, with_presidio: bool, config: str | None, rules: str | None) -> dict[str, Any]:
    # Presidio first: its registry finds recognizer classes by name among every loaded
    # EntityRecognizer subclass, so building it before the gateway's recognizers are
    # imported keeps the baseline presidio's own, whatever the gateway names its classes.
    baseline = None
    load_seconds: dict[str, float] = {}
    if with_presidio:
        from bench.evalset.presidio_baseline import PresidioBaseline

        started = time.perf_counter()
        baseline = PresidioBaseline()
        load_seconds["presidio"] = time.perf_counter() - started

    from gateway import settings as settings_mod
    from gateway.bootstrap import build_inspector
    from gateway.detect import Detector, DetectorConfig
    from gateway.telemetry.logs import quiet_libraries

    quiet_libraries()
    labels = [json.loads(line) for line in (set_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    state = Path(tempfile.mkdtemp(prefix="dlp-eval-state-"))
    settings = settings_mod.load(config).with_overrides(rules_dir=rules, state_dir=state, with_ner=True)
    started = time.perf_counter()
    inspector = build_inspector(settings)
    load_seconds["gateway"] = time.perf_counter() - started
    started = time.perf_counter()
    no_ner = Detector(DetectorConfig(config_dir=settings.config_dir, with_ner=False, edm_dir=None))
    load_seconds["gateway_no_ner"] = time.perf_counter() - started
    runs = {name: SystemRun() for name in SYSTEMS if name != "presidio" or baseline is not None}
    actions: dict[str, Counter[str]] = defaultdict(Counter)
    clean_failures: list[dict[str, Any]] = []
    uninspectable: list[dict[str, Any]] = []
    total_bytes = 0
    for doc in labels:
        path = set_dir / doc["doc"]
        data = path.read_bytes()
        total_bytes += len(data)
        inspection = inspector.inspect(data, path.name, None)
        runs["gateway"].seconds += inspection.seconds
        document = inspection.document
        actions[doc["category"]][inspection.action.label] += 1
        for part_name, reason in inspection.detection.uninspectable:
            uninspectable.append({"doc": doc["doc"], "part": part_name, "reason": reason})
        if doc["clean"] and inspection.action >= Action.QUARANTINE:
            clean_failures.append(
                {"doc": doc["doc"], "action": inspection.action.label, "reasons": inspection.verdict.reason_texts()}
            )
        gold, unscored = align_labels(document, doc)
        predictions = {"gateway": finding_items(inspection.detection.findings)}
        started = time.perf_counter()
        predictions["gateway_no_ner"] = finding_items(no_ner.detect(document).findings)
        runs["gateway_no_ner"].seconds += time.perf_counter() - started
        if baseline is not None:
            started = time.perf_counter()
            predictions["presidio"] = baseline.predict(document)
            runs["presidio"].seconds += time.perf_counter() - started
        for name, predicted in predictions.items():
            scored = [p for p in predicted if p.type not in ("STAFF_RECORD", "OFFENDER_RECORD")]
            scored = [p for p in scored if not (isinstance(p.loc, CellLoc) and is_unscored(p.loc, unscored))]
            runs[name].score.add(score_document(gold, scored, unscored))
            runs[name].negatives.extend(negatives_flagged(document, doc, scored))
            _errors(gold, scored, doc["doc"], runs[name])
    return {
        "set": {
            "folder": str(set_dir),
            "documents": len(labels),
            "bytes": total_bytes,
            "labels": sum(len(d["entities"]) for d in labels),
            "clean_documents": sum(1 for d in labels if d["clean"]),
            "manifest": _manifest(set_dir),
        },
        "runs": runs,
        "load_seconds": load_seconds,
        "actions": {k: dict(v) for k, v in sorted(actions.items())},
        "clean_failures": clean_failures,
        "uninspectable": uninspectable,
        "gates": gates(runs["gateway"].score, clean_failures),
    }


def _manifest(set_dir: Path) -> dict[str, Any]:
    try:
        loaded = json.loads((set_dir / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _negative_summary(negatives: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: {"total": 0, "flagged": 0})
    for n in negatives:
        out[n["type"]]["total"] += 1
        out[n["type"]]["flagged"] += int(n["flagged"])
    return dict(sorted(out.items()))


def to_json(result: dict[str, Any]) -> dict[str, Any]:
    systems: dict[str, Any] = {}
    for name, run in result["runs"].items():
        score: Score = run.score
        per_type = {t: score.total(t).to_json() for t in score.types()}
        systems[name] = {
            "title": TITLES[name],
            "seconds": round(run.seconds, 2),
            "load_seconds": round(result["load_seconds"].get(name, 0.0), 2),
            "per_type": per_type,
            "text": {
                t: score.total(t, "text").to_json()
                for t in score.types()
                if score.total(t, "text").labels or score.total(t, "text").predicted
            },
            "table": {
                t: score.total(t, "table").to_json()
                for t in score.types()
                if score.total(t, "table").labels or score.total(t, "table").predicted
            },
            "address_in_tables": score.combined(ADDRESS_TYPES, "table").to_json(),
            "lookalikes": _negative_summary(run.negatives),
        }
    return {
        "set": result["set"],
        "systems": systems,
        "actions": result["actions"],
        "clean_failures": result["clean_failures"],
        "uninspectable": result["uninspectable"],
        "gates": result["gates"],
        "passed": all(g["passed"] for g in result["gates"]),
    }


def print_report(result: dict[str, Any], misses: int) -> None:
    runs: dict[str, SystemRun] = result["runs"]
    s = result["set"]
    print(
        f"Evaluation set: {s['documents']} documents ({s['bytes'] / 1024:.0f} KB), {s['labels']} labels, "
        f"{s['clean_documents']} clean documents; {s['folder']}"
    )
    names = list(runs)
    types = sorted({t for run in runs.values() for t in run.score.types()})
    head = f"{'entity type':<22}{'support':>8}" + "".join(f"  {TITLES[n]:>24}" for n in names)
    print("\n" + head)
    print(f"{'':<30}" + "".join(f"  {'P':>7} {'R':>7} {'pred':>8}" for _ in names))
    for t in types:
        support = max(runs[n].score.total(t).labels for n in names)
        line = f"{t:<22}{support:>8}"
        for n in names:
            c = runs[n].score.total(t)
            line += f"  {_fmt(c.precision):>7} {_fmt(c.recall):>7} {c.predicted:>8}"
        print(line)
    print("\nTables and prose (recall, support):")
    rows: list[tuple[str, list[Counts]]] = [
        ("PERSON in tables", [runs[n].score.total("PERSON", "table") for n in names]),
        ("DATE_OF_BIRTH in tables", [runs[n].score.total("DATE_OF_BIRTH", "table") for n in names]),
        ("address in tables", [runs[n].score.combined(ADDRESS_TYPES, "table") for n in names]),
        ("  STREET_ADDRESS", [runs[n].score.total("STREET_ADDRESS", "table") for n in names]),
        ("  UK_POSTCODE", [runs[n].score.total("UK_POSTCODE", "table") for n in names]),
        ("PERSON in prose", [runs[n].score.total("PERSON", "text") for n in names]),
        ("DATE_OF_BIRTH in prose", [runs[n].score.total("DATE_OF_BIRTH", "text") for n in names]),
    ]
    for label, counts in rows:
        print(
            f"  {label:<28}{counts[0].labels:>6}"
            + "".join(
                f"  {TITLES[n]}: P {_fmt(c.precision)} R {_fmt(c.recall)}" for n, c in zip(names, counts, strict=True)
            )
        )
    unaligned = sum(c.unaligned for c in runs["gateway"].score.counts.values())
    if unaligned:
        print(f"  ({unaligned} labels could not be found in the extracted text; they count as misses)")
    print("\nLook-alikes reported as the entity they imitate (flagged / total):")
    for n in names:
        summary = _negative_summary(runs[n].negatives)
        print(f"  {TITLES[n]}: " + ", ".join(f"{t} {v['flagged']}/{v['total']}" for t, v in summary.items()))
    print("\nGateway actions by category (destination unknown, default policy):")
    for category, counts in result["actions"].items():
        print(f"  {category:<24}" + ", ".join(f"{a} {n}" for a, n in sorted(counts.items())))
    if result["uninspectable"]:
        print(f"\n{len(result['uninspectable'])} parts could not be inspected:")
        for u in result["uninspectable"][:10]:
            print(f"  {u['doc']} {u['part']}: {u['reason']}")
    print("\nTime spent detecting (documents read once; model loading not included):")
    for n in names:
        print(
            f"  {TITLES[n]:<26}{runs[n].seconds:8.1f} s  ({s['bytes'] / 1024 / max(runs[n].seconds, 1e-9):.0f} KB/s)"
            f"   load {result['load_seconds'].get(n, 0.0):.1f} s"
        )
    if misses:
        for n in names:
            _print_errors(TITLES[n], runs[n], misses)
    print("\nThresholds (gateway with NER):")
    for g in result["gates"]:
        value = g["value"] if isinstance(g["value"], int) else _fmt(g["value"])
        print(
            f"  {'PASS' if g['passed'] else 'FAIL'}  {g['gate']}: {value} (needs {g['threshold']}"
            + (f", n={g['support']})" if g["support"] is not None else ")")
        )
    for failure in result["clean_failures"]:
        print(f"  clean document {failure['doc']} -> {failure['action']}: {'; '.join(failure['reasons'][:2])}")


def _print_errors(title: str, run: SystemRun, limit: int) -> None:
    print(f"\nErrors of {title} (synthetic values), up to {limit} per type:")
    for kind, errors in (("missed", run.misses), ("false positive", run.false_positives)):
        by_type: dict[str, list[tuple[str, Item]]] = defaultdict(list)
        for doc, item in errors:
            by_type[item.type].append((doc, item))
        for t, items in sorted(by_type.items()):
            for doc, item in items[:limit]:
                where = "cell" if isinstance(item.loc, CellLoc) else "text" if item.loc else "lost"
                print(f"  {kind:<15}{t:<22}{where:<5} {doc}: {item.text!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Detection quality: gateway vs presidio out of the box.")
    parser.add_argument("set", nargs="?", type=Path, help="evaluation set folder (default: generate a fresh one)")
    parser.add_argument("--seed", type=int, default=7, help="seed when generating (default 7)")
    parser.add_argument("--scale", type=float, default=1.0, help="set size when generating (default 1)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--no-presidio", action="store_true", help="skip the presidio baseline")
    parser.add_argument("--json-out", type=Path, metavar="FILE", help="also write the JSON figures to FILE")
    parser.add_argument("--misses", type=int, default=0, metavar="N", help="print up to N errors per type")
    parser.add_argument("--config", help="gateway config file (default: $DLP_CONFIG)")
    parser.add_argument("--rules", help="sharing agreements folder (default: the installation's rules/)")
    args = parser.parse_args(argv)
    set_dir = args.set or Path(tempfile.mkdtemp(prefix="dlp-evalset-"))
    if not (set_dir / "labels.jsonl").exists():
        generate(set_dir, args.seed, args.scale)
    result = evaluate(set_dir, not args.no_presidio, args.config, args.rules)
    if args.json_out:
        args.json_out.write_text(json.dumps(to_json(result), indent=2) + "\n")
    if args.json:
        print(json.dumps(to_json(result), indent=2))
    else:
        print_report(result, args.misses)
    return 0 if all(g["passed"] for g in result["gates"]) else 1


if __name__ == "__main__":
    sys.exit(main())
