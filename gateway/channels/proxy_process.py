"""How `dlp-gateway run` starts the HTTP proxy: the `mitmdump` command line, from settings.

The proxy runs as its own process (mitmproxy owns its event loop) with the
addon script, its CA in `<state_dir>/mitmproxy`, and a body size limit equal to
the inspection limit, so an oversized upload is refused with 413 as it arrives
instead of being buffered without bound. Request streaming is never enabled:
a streamed body would leave before it is judged.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from gateway.settings import Settings

ADDON_SCRIPT = Path(__file__).with_name("mitm_addon.py")


def confdir(settings: Settings) -> Path:
    """Where mitmproxy keeps the gateway's CA (`mitmproxy-ca-cert.pem` is what devices must trust)."""
    return settings.state_dir / "mitmproxy"


def mitmdump_executable() -> list[str]:
    """`mitmdump` from the same environment as this Python, else via the interpreter."""
    beside = Path(sys.executable).with_name("mitmdump")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("mitmdump")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from mitmproxy.tools.main import mitmdump; sys.exit(mitmdump())"]


def mitmdump_command(settings: Settings, config_file: str | Path | None) -> list[str]:
    """The full command line; the child also reads DLP_* / REDIS_URL from its environment."""
    conf = confdir(settings)
    conf.mkdir(parents=True, exist_ok=True)
    command = [
        *mitmdump_executable(),
        "--mode", f"{settings.proxy_mode}@{settings.proxy_port}",
        "--listen-host", settings.listen_host,
        "-s", str(ADDON_SCRIPT),
        "--set", f"confdir={conf}",
        "--set", f"body_size_limit={settings.max_body_bytes}",
        # Connect upstream only once a request has been allowed: a held or blocked
        # upload never opens a connection to its destination.
        "--set", "connection_strategy=lazy",
        # Flow lines would print URLs (which may carry personal data) to the log; the
        # addon also silences mitmproxy's per-connection lines (client addresses).
        "--set", "flow_detail=0",
    ]  # fmt: skip
    if settings.proxy_auth:
        command += ["--set", f"proxyauth={settings.proxy_auth}"]
    if config_file:
        command += ["--set", f"dlp_config={Path(config_file).resolve()}"]
    return command
