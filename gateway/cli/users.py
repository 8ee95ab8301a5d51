"""`dlp-gateway users add|list|remove|disable|enable`: the reviewer console's local accounts.

Passwords are read from standard input (`--password-stdin`, first line) or
prompted for without echo, never taken from the command line where `ps` and
shell history would keep them. They are stored as argon2 hashes.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from typing import Any

from gateway.cli.main import UsageError
from gateway.cli.quarantine import load_settings, run_guarded
from gateway.quarantine import options
from gateway.quarantine.items import iso
from gateway.quarantine.store import connect, store_url
from gateway.quarantine.users import ROLES, AccountError, UserStore


def open_users(args: argparse.Namespace) -> UserStore:
    settings = load_settings(args)
    return UserStore(connect(store_url(settings)), options.option(settings, "quarantine_key_prefix"))


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageError("give the password on standard input with --password-stdin")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise UsageError("the two passwords differ")
    return first


def _add(args: argparse.Namespace) -> int:
    password = _read_password(args)

    def action() -> int:
        users = open_users(args)
        try:
            account = users.add(args.name, args.role, password, args.email, replace=args.replace)
        except AccountError as exc:
            raise UsageError(str(exc)) from None
        print(f"account {account.name} ({account.role}) {'updated' if args.replace else 'created'}")
        return 0

    return run_guarded(action)


def _list(args: argparse.Namespace) -> int:
    def action() -> int:
        for account in open_users(args).list():
            row: dict[str, Any] = {
                "name": account.name,
                "role": account.role,
                "email": account.email,
                "created": iso(account.created),
                "disabled": account.disabled,
            }
            if args.json:
                print(json.dumps(row))
            else:
                flag = " (disabled)" if account.disabled else ""
                print(f"{account.name:<24} {account.role:<16} {account.email or '':<32}{flag}")
        return 0

    return run_guarded(action)


def _change(change: Callable[[UserStore, str], bool], done: str) -> Callable[[argparse.Namespace], int]:
    """A handler applying `change` to the named account (False: no such account), then saying `done`."""

    def handler(args: argparse.Namespace) -> int:
        def action() -> int:
            try:
                changed = change(open_users(args), args.name)
            except AccountError as exc:
                raise UsageError(str(exc)) from None
            if not changed:
                raise UsageError(f"no account named {args.name!r}")
            print(f"account {args.name} {done}")
            return 0

        return run_guarded(action)

    return handler


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("users", help="reviewer console accounts")
    sub = parser.add_subparsers(dest="users_command", required=True, parser_class=type(parser))

    p = sub.add_parser("add", help="create an account")
    p.add_argument("name")
    p.add_argument("--role", choices=ROLES, required=True)
    p.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.add_argument("--email", help="the account's e-mail address (stops its owner releasing mail they sent)")
    p.add_argument("--replace", action="store_true", help="reset an existing account's role, e-mail and password")
    p.set_defaults(handler=_add)

    p = sub.add_parser("list", help="list accounts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_list)

    p = sub.add_parser("remove", help="delete an account")
    p.add_argument("name")
    p.set_defaults(handler=_change(UserStore.remove, "removed"))

    p = sub.add_parser("disable", help="stop an account signing in or acting")
    p.add_argument("name")
    p.set_defaults(handler=_change(lambda users, name: users.set_disabled(name, True), "disabled"))

    p = sub.add_parser("enable", help="let a disabled account sign in again")
    p.add_argument("name")
    p.set_defaults(handler=_change(lambda users, name: users.set_disabled(name, False), "enabled"))
