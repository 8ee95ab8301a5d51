"""`dlp-gateway scan`: judge a file, or every file of a folder, as the gateway would.

An officer can check an outbox folder before sending; an administrator can
test an agreement against sample files. The analyzer is loaded once per run,
whatever the number of files (contract section 2).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from gateway.cli.main import UsageError
from gateway.pipeline import Inspection
from gateway.policy.verdict import Action


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scan", help="inspect a file or folder and print the verdict")
    p.add_argument("path", metavar="PATH", help="file or folder to inspect")
    p.add_argument("--to", dest="destination", metavar="DESTINATION", help="host name or e-mail recipient")
    p.add_argument("--rules", metavar="DIR", help="folder of sharing agreements (default: $DLP_RULES_DIR)")
    p.add_argument("--json", action="store_true", help="print the JSON verdict (JSON Lines for a folder)")
    p.add_argument("--reveal", action="store_true", help="include matched values in findings")
    p.add_argument("--redacted-out", metavar="OUT", help="write the redacted file (or folder) here")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from gateway import settings as settings_mod
    from gateway.bootstrap import build_inspector
    from gateway.detect.edm import EdmError
    from gateway.policy import RuleError
    from gateway.telemetry.logs import quiet_libraries

    quiet_libraries()
    source = Path(args.path)
    if not source.exists():
        raise UsageError(f"{source}: no such file or folder")
    files = list(_files(source)) if source.is_dir() else [source]
    try:
        settings = settings_mod.load(args.config).with_overrides(rules_dir=args.rules)
    except settings_mod.SettingsError as exc:
        raise UsageError(str(exc)) from None
    if not settings.rules_dir.is_dir():
        raise UsageError(f"{settings.rules_dir}: rules folder not found")
    try:
        inspector = build_inspector(settings)
    except (RuleError, EdmError) as exc:
        raise UsageError(str(exc)) from None

    out_root = Path(args.redacted_out) if args.redacted_out else None
    worst = Action.ALLOW
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
        inspection = inspector.inspect(data, path.name, args.destination)
        worst = max(worst, inspection.action)
        rel = path.relative_to(source) if source.is_dir() else Path(path.name)
        if out_root is not None and inspection.redacted is not None:
            _write_redacted(out_root, rel, inspection.redacted, folder=source.is_dir())
        if args.json:
            record = inspection.to_json(reveal=args.reveal)
            if source.is_dir():
                record = {"path": str(rel), **record}
            print(json.dumps(record, ensure_ascii=False))
        else:
            print_report(inspection, str(rel) if source.is_dir() else str(path), args.reveal, sys.stdout)
    return int(worst)


def _files(folder: Path) -> Iterator[Path]:
    """Every regular file below `folder`, in a stable order; symlinks are not followed out."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _write_redacted(out_root: Path, rel: Path, data: bytes, folder: bool) -> None:
    target = out_root / rel if folder else out_root
    if not folder and out_root.is_dir():
        target = out_root / rel.name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def print_report(inspection: Inspection, label: str, reveal: bool, out: TextIO) -> None:
    """A short report a person can read at a terminal."""
    doc = inspection.to_json(reveal=reveal)
    verdict = doc["action"].upper()
    if doc.get("mode") == "monitor":
        verdict += f" (monitor mode: would {doc['would_action']})"
    print(f"{label}: {verdict}", file=out)
    print(f"  destination: {doc['destination'] or 'unknown external'}", file=out)
    print(f"  agreement:   {doc['agreement'] or 'none (default policy)'}", file=out)
    print(f"  subjects:    {doc['subjects']}", file=out)
    for reason in doc["reasons"]:
        print(f"  - {reason}", file=out)
    if doc["fields"]:
        print("  columns:", file=out)
        for f in doc["fields"]:
            mark = "allowed" if f.get("allowed") else "NOT allowed"
            print(f"    {f['part']} / {f['column']}: {f['category']} ({mark})", file=out)
    if doc["findings"]:
        counts = Counter(f["entity_type"] for f in doc["findings"])
        summary = ", ".join(f"{t} x{n}" for t, n in counts.most_common())
        print(f"  findings: {summary}", file=out)
        if reveal:
            for f in doc["findings"][:50]:
                print(f"    {f['entity_type']} at {_where(f['location'])}: {f['text']}", file=out)
    if doc["excess_fields"]:
        print(f"  excess fields: {', '.join(doc['excess_fields'])}", file=out)
    if doc["missing_fields"]:
        print(f"  missing fields: {', '.join(doc['missing_fields'])}", file=out)


def _where(loc: dict[str, object]) -> str:
    bits = [str(loc["part"])]
    if "column" in loc:
        bits.append(f"column {loc['column']}")
    if "row" in loc:
        bits.append(f"row {loc['row']}")
    if "start" in loc:
        bits.append(f"chars {loc['start']}-{loc['end']}")
    return ", ".join(bits)
