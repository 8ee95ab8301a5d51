"""The mitmdump command line `dlp-gateway run` starts."""

from __future__ import annotations

from pathlib import Path

from gateway.channels.proxy_process import ADDON_SCRIPT, mitmdump_command
from gateway.settings import Settings


def opts(cmd: list[str]) -> dict[str, str]:
    return dict(cmd[i + 1].split("=", 1) for i, a in enumerate(cmd) if a == "--set")


def test_command_listens_where_configured_and_never_streams(tmp_path: Path):
    settings = Settings(state_dir=tmp_path, proxy_port=18080, listen_host="127.0.0.1", max_body_bytes=5_000_000)
    cmd = mitmdump_command(settings, tmp_path / "gateway.yaml")
    assert Path(cmd[0]).name == "mitmdump" or "mitmproxy.tools.main" in " ".join(cmd)
    assert cmd[cmd.index("--mode") + 1] == "regular@18080"
    assert cmd[cmd.index("--listen-host") + 1] == "127.0.0.1"
    assert cmd[cmd.index("-s") + 1] == str(ADDON_SCRIPT)
    o = opts(cmd)
    assert o["confdir"] == str(tmp_path / "mitmproxy") and (tmp_path / "mitmproxy").is_dir()
    assert o["body_size_limit"] == "5000000"
    assert o["connection_strategy"] == "lazy"
    assert o["dlp_config"] == str((tmp_path / "gateway.yaml").resolve())
    assert "stream_large_bodies" not in o and "proxyauth" not in o


def test_transparent_mode_and_proxy_auth_from_config(tmp_path: Path):
    settings = Settings(state_dir=tmp_path, proxy_mode="transparent", proxy_auth="@/etc/dlp/htpasswd")
    cmd = mitmdump_command(settings, None)
    assert cmd[cmd.index("--mode") + 1] == "transparent@8080"
    assert opts(cmd)["proxyauth"] == "@/etc/dlp/htpasswd"
    assert "dlp_config" not in opts(cmd)


def test_the_proxy_logs_no_flows_or_client_addresses(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gateway.channels.proxy_process import mitmdump_command
    from gateway.settings import Settings

    command = mitmdump_command(Settings(state_dir=tmp_path), None)
    assert "flow_detail=0" in command
