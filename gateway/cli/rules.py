"""`dlp-gateway rules check [DIR]`: validate the sharing agreements before deploying them.

Prints every problem as `file:key: reason` on stderr and exits 1, so the same
lines a gateway would refuse to start with can be fixed in one go (and checked
in CI). On success it prints what the gateway would load: each agreement's id,
owner, destinations, validity and mode, with warnings for agreements that are
expired or not yet valid and for destinations two agreements share.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from gateway.cli.main import UsageError
from gateway.policy import PolicySet


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="work with the sharing agreements under rules/")
    actions = p.add_subparsers(dest="rules_command", required=True)
    check = actions.add_parser("check", help="validate agreements; file:key: reason on error")
    check.add_argument("dir", nargs="?", metavar="DIR", help="rules folder (default: $DLP_RULES_DIR, else rules/)")
    check.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=_day,
        help="judge validity windows as of this date (default: today)",
    )
    check.set_defaults(handler=run_check)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date written YYYY-MM-DD") from None


def run_check(args: argparse.Namespace) -> int:
    from gateway import settings as settings_mod
    from gateway.policy import RuleError, load_policy

    if args.dir:
        rules_dir = Path(args.dir)
    else:
        try:
            rules_dir = settings_mod.load(getattr(args, "config", None)).rules_dir
        except settings_mod.SettingsError as exc:
            raise UsageError(str(exc)) from None
    if not rules_dir.is_dir():
        raise UsageError(f"{rules_dir}: rules folder not found")
    try:
        policy = load_policy(rules_dir)
    except RuleError as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        count = len(exc.errors)
        print(f"{rules_dir}: {count} problem{'s' if count != 1 else ''}; the gateway will not start with these rules",
              file=sys.stderr)
        return 1
    today = args.today or date.today()
    for line in policy.warnings(today):
        print(f"warning: {line}", file=sys.stderr)
    print_summary(policy, rules_dir, today, sys.stdout)
    return 0


def print_summary(policy: PolicySet, rules_dir: Path, today: date, out: TextIO) -> None:
    """What the gateway would load, one block per agreement."""
    source = policy.default_source or "built-in default (no default.yaml)"
    count = len(policy.agreements)
    out.write(f"{rules_dir}: valid. {count} agreement{'s' if count != 1 else ''}; default policy: {source}\n")
    for a in policy.agreements:
        status = a.window_status(today)
        state = "in force" if status is None else ("expired" if today > a.valid_until else "not yet valid")
        out.write(f"\n{a.id}  ({a.source})\n")
        out.write(f"  title:        {a.title}\n")
        out.write(f"  owner:        {a.owner}\n")
        out.write(f"  destinations: {', '.join(a.destinations)}\n")
        out.write(f"  valid:        {a.valid_from.isoformat()} to {a.valid_until.isoformat()} ({state})\n")
        out.write(f"  allowed:      {', '.join(sorted(a.allowed_fields)) or '(nothing personal)'}\n")
        if a.required_fields:
            out.write(f"  required:     {', '.join(sorted(a.required_fields))}\n")
        out.write(
            f"  on excess: {a.on_excess.label}; incomplete: {a.on_incomplete.label}; "
            f"special category: {a.special_category.label}; max marking: {a.max_marking.name}"
            f"{'; MONITOR MODE' if a.monitor else ''}\n"
        )
