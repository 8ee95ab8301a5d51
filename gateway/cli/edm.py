"""`dlp-gateway edm build`: index the force's staff register or offender index for Exact Data Match.

The source (a CSV or spreadsheet export with a header row) is read with the same
readers the gateway inspects transfers with, so hidden sheets and columns are
indexed too. Only keyed hashes are written, under `<state_dir>/edm/`, where the
gateway looks for them at start-up; a running gateway picks up a rebuilt index
when it is restarted. Nothing printed names a register value.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gateway.cli.main import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("edm", help="Exact Data Match index of the staff register / offender index")
    edm_sub = p.add_subparsers(dest="edm_command", required=True, parser_class=type(p))
    b = edm_sub.add_parser("build", help="build the index from a CSV or XLSX export")
    b.add_argument("--kind", required=True, choices=("staff", "offender"), help="which register SOURCE is")
    b.add_argument("source", metavar="SOURCE", help="the register export (CSV or XLSX, with a header row)")
    b.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="HEADER=FIELD",
        help="classify a column by hand (FIELD '' ignores it); repeatable",
    )
    b.set_defaults(handler=build)


def _overrides(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        header, sep, field = pair.partition("=")
        if not sep or not header.strip():
            raise UsageError(f"--column {pair!r}: expected HEADER=FIELD")
        out[header.strip()] = field.strip()
    return out


def build(args: argparse.Namespace) -> int:
    from gateway import content
    from gateway import settings as settings_mod
    from gateway.detect.edm import EdmError, build_index

    source = Path(args.source)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{source}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{source}: cannot read: {exc.strerror}") from None
    try:
        settings = settings_mod.load(args.config)
    except settings_mod.SettingsError as exc:
        raise UsageError(str(exc)) from None
    document = content.read(data, source.name)
    try:
        report = build_index(document, args.kind, settings.state_dir / "edm", _overrides(args.column))
    except EdmError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{settings.state_dir / 'edm'}: cannot write the index: {exc.strerror}") from None
    out = sys.stdout
    print(f"Indexed {report.records} {args.kind} records ({report.entries} hashed values).", file=out)
    for column, field in report.columns.items():
        print(f"  {column}: {field}", file=out)
    counts = ", ".join(f"{field} {n}" for field, n in sorted(report.values_per_field.items()))
    print(f"Values per field: {counts}", file=out)
    if report.ignored:
        print(f"Not indexed ({len(report.ignored)}): {', '.join(report.ignored)}", file=out)
    print(f"Index: {report.index_file}  key: {report.key_file} (keep it readable by the gateway only)", file=out)
    return 0
