from pathlib import Path

import pytest

from gateway.settings import Settings, SettingsError, load


def test_defaults_without_file_or_environment() -> None:
    s = load(environ={})
    assert s.proxy_port == 8080 and s.smtp_port == 8025 and s.console_port == 8081 and s.metrics_port == 9102
    assert s.redis_url is None
    assert s.state_dir == Path("var")


def test_file_then_environment_then_flags(tmp_path: Path) -> None:
    cfg = tmp_path / "gw.yaml"
    cfg.write_text("proxy_port: 3128\nconsole_port: 9000\npassthrough_hosts: [a.example, b.example]\n")
    s = load(cfg, environ={"DLP_CONSOLE_PORT": "9001", "REDIS_URL": "redis://r:6379/2"})
    assert s.proxy_port == 3128
    assert s.console_port == 9001
    assert s.passthrough_hosts == ("a.example", "b.example")
    assert s.redis_url == "redis://r:6379/2"
    assert s.with_overrides(console_port=9002, proxy_port=None).console_port == 9002


def test_config_file_from_environment_variable(tmp_path: Path) -> None:
    cfg = tmp_path / "gw.yaml"
    cfg.write_text("metrics_port: 9200\n")
    assert load(environ={"DLP_CONFIG": str(cfg)}).metrics_port == 9200


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("proxy_port: [1, 2]\n", "proxy_port"),
        ("no_such_setting: 1\n", "no_such_setting: unknown setting"),
        ("- a list\n", "must be a mapping"),
        ("proxy_port: 80\n  bad: indent\n", "not valid YAML"),
    ],
)
def test_bad_config_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "gw.yaml"
    cfg.write_text(text)
    with pytest.raises(SettingsError, match=message):
        load(cfg, environ={})


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot read config file"):
        load(tmp_path / "absent.yaml", environ={})


def test_bad_environment_value() -> None:
    with pytest.raises(SettingsError, match="proxy_port"):
        load(environ={"DLP_PROXY_PORT": "eighty"})


def test_effective_redis_url_reads_the_managed_record(tmp_path: Path) -> None:
    s = Settings(state_dir=tmp_path)
    assert s.effective_redis_url() is None
    (tmp_path / "redis.json").write_text('{"url": "redis://:pw@127.0.0.1:7000/0"}')
    assert s.effective_redis_url() == "redis://:pw@127.0.0.1:7000/0"
    assert Settings(state_dir=tmp_path, redis_url="redis://x:1/0").effective_redis_url() == "redis://x:1/0"


def test_proxy_mode_and_auth_from_file_then_environment(tmp_path: Path) -> None:
    assert (load(environ={}).proxy_mode, load(environ={}).proxy_auth) == ("regular", None)
    cfg = tmp_path / "gw.yaml"
    cfg.write_text('proxy_mode: transparent\nproxy_auth: "@/etc/dlp-gateway/htpasswd"\n')
    s = load(cfg, environ={})
    assert (s.proxy_mode, s.proxy_auth) == ("transparent", "@/etc/dlp-gateway/htpasswd")
    s = load(cfg, environ={"DLP_PROXY_MODE": "regular", "DLP_PROXY_AUTH": "@/srv/htpasswd"})
    assert (s.proxy_mode, s.proxy_auth) == ("regular", "@/srv/htpasswd")
