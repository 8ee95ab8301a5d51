"""`dlp-gateway run`: start every part in the foreground (contract section 6)."""

from __future__ import annotations

import argparse

from gateway.cli.main import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="start the proxy, console and metrics endpoint in the foreground")
    p.add_argument("--rules", metavar="DIR", help="folder of sharing agreements (default: $DLP_RULES_DIR)")
    p.add_argument("--redis-url", metavar="URL", help="shared Redis (default: $REDIS_URL, else a Redis of its own)")
    p.add_argument("--proxy-port", type=int, metavar="N")
    p.add_argument("--smtp-port", type=int, metavar="N")
    p.add_argument("--smtp-next-hop", metavar="HOST:PORT")
    p.add_argument("--console-port", type=int, metavar="N")
    p.add_argument("--metrics-port", type=int, metavar="N")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from gateway import settings as settings_mod
    from gateway.runner.run import main

    config_file = args.config
    try:
        settings = settings_mod.load(config_file).with_overrides(
            rules_dir=args.rules,
            redis_url=args.redis_url,
            proxy_port=args.proxy_port,
            smtp_port=args.smtp_port,
            smtp_next_hop=args.smtp_next_hop,
            console_port=args.console_port,
            metrics_port=args.metrics_port,
        )
    except settings_mod.SettingsError as exc:
        raise UsageError(str(exc)) from None
    return main(settings, config_file)
