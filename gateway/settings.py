"""Gateway settings: one place that resolves config file, environment and flags.

Precedence, lowest first: built-in defaults, the YAML config file
(`--config` / `DLP_CONFIG`), environment variables (`DLP_*`, `REDIS_URL`),
then command-line flags. Every command finds the running gateway the same way
`run` does, including a Redis that `run` manages itself (recorded in
`<state_dir>/redis.json`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

INSTALL_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(Exception):
    """A config file or variable is invalid; the message names it."""


@dataclass(frozen=True)
class Settings:
    rules_dir: Path = INSTALL_ROOT / "rules"
    config_dir: Path = INSTALL_ROOT / "config"
    state_dir: Path = Path("var")
    redis_url: str | None = None
    listen_host: str = "0.0.0.0"
    console_host: str = "127.0.0.1"
    proxy_port: int = 8080
    smtp_port: int = 8025
    smtp_next_hop: str = "127.0.0.1:2525"
    console_port: int = 8081
    metrics_port: int = 9102
    # HTTP proxy: mitmproxy's --mode (regular, transparent, ...) and proxyauth spec (htpasswd, LDAP)
    proxy_mode: str = "regular"
    proxy_auth: str | None = None
    # Quarantine
    key_file: Path | None = None
    retention_days: int = 30
    grant_ttl_seconds: int = 3600
    console_sso_header: str | None = None
    # Inspection
    workers: int = 2
    inspection_timeout: float = 120.0
    max_body_bytes: int = 100 * 1024 * 1024
    passthrough_hosts: tuple[str, ...] = ()
    with_ner: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def redis_record(self) -> Path:
        """Where a gateway-managed Redis writes how to reach it."""
        return self.state_dir / "redis.json"

    def effective_redis_url(self) -> str | None:
        """The configured Redis, else the one a running `dlp-gateway run` manages."""
        if self.redis_url:
            return self.redis_url
        try:
            record = json.loads(self.redis_record.read_text())
        except (OSError, ValueError):
            return None
        url = record.get("url")
        return url if isinstance(url, str) else None

    def with_overrides(self, **overrides: Any) -> Settings:
        """Apply command-line flags; `None` means "flag not given"."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return replace(self, **_coerce(given))


ENV_VARS: dict[str, str] = {
    "DLP_RULES_DIR": "rules_dir",
    "DLP_CONFIG_DIR": "config_dir",
    "DLP_STATE_DIR": "state_dir",
    "REDIS_URL": "redis_url",
    "DLP_LISTEN_HOST": "listen_host",
    "DLP_CONSOLE_HOST": "console_host",
    "DLP_PROXY_PORT": "proxy_port",
    "DLP_SMTP_PORT": "smtp_port",
    "DLP_SMTP_NEXT_HOP": "smtp_next_hop",
    "DLP_CONSOLE_PORT": "console_port",
    "DLP_METRICS_PORT": "metrics_port",
    "DLP_PROXY_MODE": "proxy_mode",
    "DLP_PROXY_AUTH": "proxy_auth",
    "DLP_KEY_FILE": "key_file",
    "DLP_RETENTION_DAYS": "retention_days",
    "DLP_GRANT_TTL_SECONDS": "grant_ttl_seconds",
    "DLP_CONSOLE_SSO_HEADER": "console_sso_header",
    "DLP_WORKERS": "workers",
    "DLP_INSPECTION_TIMEOUT": "inspection_timeout",
    "DLP_MAX_BODY_BYTES": "max_body_bytes",
    "DLP_PASSTHROUGH_HOSTS": "passthrough_hosts",
    "DLP_WITH_NER": "with_ner",
}

_FIELD_TYPES = {f.name: f.type for f in fields(Settings)}


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in _FIELD_TYPES:
            raise SettingsError(f"unknown setting {key!r}")
        kind = str(_FIELD_TYPES[key])
        try:
            if "Path" in kind:
                out[key] = Path(value) if value not in ("", None) else None
            elif kind.startswith("int"):
                out[key] = int(value)
            elif kind.startswith("float"):
                out[key] = float(value)
            elif kind.startswith("bool"):
                out[key] = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
            elif kind.startswith("tuple"):
                items = value.split(",") if isinstance(value, str) else list(value)
                out[key] = tuple(str(i).strip() for i in items if str(i).strip())
            else:
                out[key] = value
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"setting {key!r}: cannot use {value!r}: {exc}") from None
    return out


def load(config_file: str | Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Defaults, then the config file, then the environment."""
    env = dict(os.environ if environ is None else environ)
    values: dict[str, Any] = {}
    path = config_file or env.get("DLP_CONFIG")
    if path:
        try:
            loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise SettingsError(f"{path}: cannot read config file: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise SettingsError(f"{path}: not valid YAML: {exc}") from None
        if not isinstance(loaded, dict):
            raise SettingsError(f"{path}: the config file must be a mapping of setting: value")
        unknown = sorted(set(loaded) - set(_FIELD_TYPES))
        if unknown:
            raise SettingsError(f"{path}: {unknown[0]}: unknown setting")
        values.update(loaded)
    for var, key in ENV_VARS.items():
        if env.get(var):
            values[key] = env[var]
    return Settings(**_coerce(values))
