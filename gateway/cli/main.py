"""`dlp-gateway`: one entry point, one module per command group under gateway/cli/.

Each command module exposes `register(subparsers)`, which adds its parser and
sets `handler` to a function taking the parsed arguments and returning the
exit status. Usage and input errors exit 2 with a one-line message on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

# Command modules, in the order `--help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "scan",
    "run",
    "rules",
    "edm",
    "users",
    "quarantine",
    "audit",
)


class UsageError(Exception):
    """Bad arguments or unreadable input: exit 2 with the message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"dlp-gateway: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dlp-gateway", description="Outbound data loss prevention gateway.")
    parser.add_argument("--config", dest="global_config", metavar="FILE",
                        help="gateway config file (default: $DLP_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"gateway.cli.{name}").register(sub)
    _add_config_option(parser, top=True)
    return parser


def _add_config_option(parser: argparse.ArgumentParser, top: bool = False) -> None:
    """Every command and sub-command accepts `--config FILE` after its own name too."""
    if not top and "--config" not in parser._option_string_actions:
        parser.add_argument("--config", metavar="FILE", help="gateway config file (default: $DLP_CONFIG)")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _add_config_option(child)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.config = getattr(args, "config", None) or args.global_config
    try:
        return int(args.handler(args))
    except UsageError as exc:
        print(f"dlp-gateway: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`dlp-gateway scan ... | head`): stop quietly, as Python's docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
