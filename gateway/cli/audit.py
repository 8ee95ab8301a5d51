"""`dlp-gateway audit verify|show|export`: check and read the disclosure log.

`verify` exits 0 when the hash chain is intact and 1 when it is not, printing
one line per problem that names the broken record.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from gateway.cli.main import UsageError
from gateway.cli.quarantine import load_settings, open_store, run_guarded
from gateway.quarantine.errors import unavailable_on_redis_error
from gateway.quarantine.items import iso


def _verify(args: argparse.Namespace) -> int:
    def action() -> int:
        store = open_store(load_settings(args))
        with unavailable_on_redis_error():
            problems = store.audit.verify()
            count = len(store.audit)
        if problems:
            for problem in problems:
                print(problem)
            print(f"audit log NOT intact: {len(problems)} problem(s) in {count} record(s)", file=sys.stderr)
            return 1
        print(f"audit log intact: {count} record(s)")
        return 0

    return run_guarded(action)


def _show(args: argparse.Namespace) -> int:
    def action() -> int:
        store = open_store(load_settings(args))
        with unavailable_on_redis_error():
            records = store.audit.records(ref=args.ref, newest_first=True, limit=args.limit)
        for r in records:
            if args.json:
                print(json.dumps({"seq": r.seq, "at": iso(r.at), "event": r.event, "actor": r.actor,
                                  "ref": r.ref, "details": r.details}, ensure_ascii=False))  # fmt: skip
            else:
                reason = r.details.get("reason")
                why = f" - {reason}" if reason else ""
                print(f"{r.seq:>6} {iso(r.at)} {r.event:<14} {r.actor:<16} {r.ref or '':<20}{why}")
        return 0

    return run_guarded(action)


def _export(args: argparse.Namespace) -> int:
    def action() -> int:
        store = open_store(load_settings(args))
        audit = store.audit
        records = audit.records(ref=args.ref) if args.ref else audit.iter_records()
        try:
            handle = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout  # noqa: SIM115
        except OSError as exc:
            raise UsageError(f"{args.out}: cannot write: {exc.strerror}") from None
        try:
            with unavailable_on_redis_error():
                handle.write(audit.csv_line())
                for record in records:
                    handle.write(audit.csv_line(record))
        finally:
            if args.out:
                handle.close()
        return 0

    return run_guarded(action)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("audit", help="verify and read the audit (disclosure) log")
    sub = parser.add_subparsers(dest="audit_command", required=True, parser_class=type(parser))

    p = sub.add_parser("verify", help="check the audit log's hash chain")
    p.set_defaults(handler=_verify)

    p = sub.add_parser("show", help="recent records, newest first")
    p.add_argument("--ref", help="only records about this item")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_show)

    p = sub.add_parser("export", help="the whole log (or one item's records) as CSV")
    p.add_argument("--ref")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(handler=_export)
