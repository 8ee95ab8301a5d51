"""`dlp-gateway quarantine list|show|release|reject|replay|sweep`: the console's work from a shell.

`--as` names a console account and the same rules apply as in the console:
roles, two-person release of special items, nobody releasing their own
transfer; the action is audited under that name with `via: cli`.

Exit status: 0 done (including "already released" and "approval recorded"),
1 refused by the rules, delivery failed, or the store is unreachable,
2 usage or input error (unknown reference or account, bad option).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from typing import Any

from gateway import settings as settings_mod
from gateway.cli.main import UsageError
from gateway.quarantine.crypto import KeyringError
from gateway.quarantine.errors import ItemNotFound, PayloadGone, StoreUnavailable
from gateway.quarantine.items import STATES, iso, location_text, masked
from gateway.quarantine.review import Refused, Review
from gateway.quarantine.store import QuarantineStore
from gateway.quarantine.users import Account
from gateway.settings import Settings, SettingsError

_DURATION = re.compile(r"^(\d+)([smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """`90m`, `24h`, `7d` -> seconds."""
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise UsageError(f"invalid duration {text!r}: use a number and s, m, h, d or w, e.g. 24h")
    return int(match.group(1)) * _UNITS[match.group(2)]


def load_settings(args: argparse.Namespace) -> Settings:
    try:
        return settings_mod.load(getattr(args, "config", None))
    except SettingsError as exc:
        raise UsageError(str(exc)) from None


def open_store(settings: Settings) -> QuarantineStore:
    try:
        return QuarantineStore.from_settings(settings)
    except KeyringError as exc:
        raise UsageError(f"quarantine key: {exc}") from None


def run_guarded(action: Callable[[], int]) -> int:
    """Map the quarantine's errors to the exit statuses every command shares."""
    try:
        return action()
    except StoreUnavailable as exc:
        print(f"dlp-gateway: {exc}", file=sys.stderr)
        return 1
    except Refused as exc:
        print(f"dlp-gateway: refused: {exc}", file=sys.stderr)
        return 1
    except PayloadGone as exc:
        print(f"dlp-gateway: {exc}", file=sys.stderr)
        return 1
    except ItemNotFound as exc:
        raise UsageError(str(exc)) from None


def _account(review: Review, name: str) -> Account:
    try:
        return review.account(name)
    except Refused as exc:
        raise UsageError(str(exc)) from None


# --- handlers -------------------------------------------------------------------------
def _list(args: argparse.Namespace) -> int:
    def action() -> int:
        store = open_store(load_settings(args))
        now = time.time()
        items = store.find(
            state=args.state,
            channel=args.channel,
            agreement=args.agreement,
            newer_than=now - parse_duration(args.newer_than) if args.newer_than else None,
            older_than=now - parse_duration(args.older_than) if args.older_than else None,
            limit=args.limit,
        )
        if args.json:
            for item in items:
                print(json.dumps(item.to_json(), ensure_ascii=False))
            return 0
        if not items:
            print("no items")
            return 0
        print(f"{'REF':<20} {'STATE':<9} {'CHAN':<5} {'CREATED':<21} {'AGREEMENT':<24} DESTINATION")
        for item in items:
            print(
                f"{item.ref:<20} {item.state:<9} {item.channel:<5} {iso(item.created) or '':<21} "
                f"{(item.agreement or 'none'):<24} {item.destination or ''}"
            )
        return 0

    return run_guarded(action)


def _show(args: argparse.Namespace) -> int:
    def action() -> int:
        settings = load_settings(args)
        store = open_store(settings)
        item = store.get(args.ref)
        verdict = store.verdict(args.ref)
        revealed: list[dict[str, Any]] | None = None
        if args.reveal:
            if not args.as_user:
                raise UsageError("--reveal needs --as USER and --reason TEXT")
            review = Review.from_settings(settings, store)
            revealed = review.reveal(args.ref, _account(review, args.as_user), args.reason or "", via="cli")
        if args.json:
            out = item.to_json()
            out["verdict"] = verdict
            if revealed is not None:
                out["revealed_findings"] = revealed
            print(json.dumps(out, ensure_ascii=False, indent=2))
            return 0
        _print_item(item.to_json(), verdict, revealed)
        return 0

    return run_guarded(action)


def _print_item(item: dict[str, Any], verdict: dict[str, Any], revealed: list[dict[str, Any]] | None) -> None:
    for key in ("ref", "state", "channel", "created", "expires", "sender", "client", "destination", "agreement",
                "action", "special", "subjects", "payload_kind", "content_kind", "has_redacted"):  # fmt: skip
        value = item.get(key)
        if isinstance(value, list):
            value = ", ".join(value)
        if value is None:
            value = "none" if key == "agreement" else ""
        print(f"{key:>13}: {value}")
    if item.get("recipients"):
        print(f"{'recipients':>13}: {', '.join(item['recipients'])}")
    print("\nreasons:")
    for reason in item.get("reasons") or []:
        print(f"  - {reason}")
    findings = revealed if revealed is not None else verdict.get("findings") or []
    print(f"\nfindings ({len(findings)}):")
    for finding in findings:
        value = finding.get("text") if revealed is not None else masked(finding)
        print(f"  {finding.get('entity_type', ''):<22} {value:<30} {location_text(finding)}")
    if verdict.get("fields"):
        print("\ncolumns:")
        for col in verdict["fields"]:
            allowed = "allowed" if col.get("allowed") else "NOT allowed"
            print(f"  {col.get('part', '')}: {col.get('column', '')} [{col.get('category', '')}] {allowed}")
    if item.get("approvals"):
        print("\napprovals:")
        for appr in item["approvals"]:
            print(f"  {appr['at']} {appr['actor']} ({appr['role']}, {appr['mode']}) {appr.get('reason', '')}")
    print("\nhistory:")
    for entry in item.get("history") or []:
        note = f" - {entry['note']}" if entry.get("note") else ""
        print(f"  {entry['at']} {entry['event']} by {entry['actor']}{note}")


def _decide(kind: str) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        def action() -> int:
            settings = load_settings(args)
            store = open_store(settings)
            review = Review.from_settings(settings, store)
            account = _account(review, args.as_user)
            if kind == "release":
                result = review.release(args.ref, account, redacted=args.redacted, reason=args.reason or "", via="cli")
            elif kind == "reject":
                result = review.reject(
                    args.ref, account, reason=args.reason or "", notify_sender=args.notify, via="cli"
                )
            else:
                result = review.replay(args.ref, account, via="cli")
            if args.json:
                print(json.dumps(result.to_json(), ensure_ascii=False))
            else:
                print(result.message)
            return 0 if result.ok else 1

        return run_guarded(action)

    return handler


def _sweep(args: argparse.Namespace) -> int:
    from gateway.quarantine.retention import sweep

    def action() -> int:
        store = open_store(load_settings(args))
        done = sweep(store)
        print(f"{len(done)} item(s) expired or purged")
        return 0

    return run_guarded(action)


# --- parser ---------------------------------------------------------------------------
def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("quarantine", help="list, inspect, release and reject held transfers")
    sub = parser.add_subparsers(dest="quarantine_command", required=True, parser_class=type(parser))

    p = sub.add_parser("list", help="list items, newest first")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--state", choices=STATES)
    p.add_argument("--channel", choices=("http", "smtp"))
    p.add_argument("--agreement", help="agreement id, or 'none'")
    p.add_argument("--newer-than", metavar="AGE", help="only items held within AGE (e.g. 24h, 7d)")
    p.add_argument("--older-than", metavar="AGE", help="only items held longer ago than AGE")
    p.add_argument("--limit", type=int, default=1000)
    p.set_defaults(handler=_list)

    p = sub.add_parser("show", help="one item: metadata, reasons, masked findings, columns, history")
    p.add_argument("ref")
    p.add_argument("--json", action="store_true")
    p.add_argument("--reveal", action="store_true", help="show matched values (needs --as and --reason; audited)")
    p.add_argument("--as", dest="as_user", metavar="USER")
    p.add_argument("--reason")
    p.set_defaults(handler=_show)

    p = sub.add_parser("release", help="release a held item (delivers e-mail, or grants an upload's retry)")
    p.add_argument("ref")
    p.add_argument("--as", dest="as_user", metavar="USER", required=True)
    p.add_argument("--redacted", action="store_true", help="release the redacted copy instead of the original")
    p.add_argument("--reason")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_decide("release"))

    p = sub.add_parser("reject", help="reject a held item")
    p.add_argument("ref")
    p.add_argument("--as", dest="as_user", metavar="USER", required=True)
    p.add_argument("--reason")
    p.add_argument("--notify", action="store_true", help="tell the e-mail sender it was not sent, with the reason")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_decide("reject"))

    p = sub.add_parser("replay", help="send a released HTTP upload to its destination on the sender's behalf")
    p.add_argument("ref")
    p.add_argument("--as", dest="as_user", metavar="USER", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_decide("replay"))

    p = sub.add_parser("sweep", help="expire items past their retention now (the gateway also does this itself)")
    p.set_defaults(handler=_sweep)
