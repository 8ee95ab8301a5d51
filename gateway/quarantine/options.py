"""Quarantine settings that are not (yet) first-class fields of `Settings`.

Each is read from a `Settings` attribute of the same name when the settings
object has one, else from `Settings.extra` (the config file's `extra:` mapping),
else from the environment, else the default. Keeping the lookup here means the
rest of the quarantine code never cares where a value came from.
"""

from __future__ import annotations

import os
from typing import Any

from gateway.settings import Settings

DEFAULTS: dict[str, Any] = {
    # Blocked transfers are evidence; forces usually keep evidence longer than held items.
    "evidence_retention_days": 90,
    # Every Redis key the quarantine writes starts with this, so a shared Redis stays tidy.
    "quarantine_key_prefix": "dlp:",
    # Secure cookies need HTTPS; set true whenever the console is reached over TLS.
    "console_cookie_secure": False,
    "console_session_minutes": 480,
    "console_login_max_failures": 5,
    "console_login_max_failures_per_client": 20,
    "console_login_window_seconds": 900,
    # From: of the note telling a sender their message was rejected ("" = postmaster@<sender's domain>).
    "quarantine_notify_from": "",
}

ENV_NAMES: dict[str, str] = {
    "evidence_retention_days": "DLP_EVIDENCE_RETENTION_DAYS",
    "quarantine_key_prefix": "DLP_QUARANTINE_KEY_PREFIX",
    "console_cookie_secure": "DLP_CONSOLE_COOKIE_SECURE",
    "console_session_minutes": "DLP_CONSOLE_SESSION_MINUTES",
    "console_login_max_failures": "DLP_CONSOLE_LOGIN_MAX_FAILURES",
    "console_login_max_failures_per_client": "DLP_CONSOLE_LOGIN_MAX_FAILURES_PER_CLIENT",
    "console_login_window_seconds": "DLP_CONSOLE_LOGIN_WINDOW_SECONDS",
    "quarantine_notify_from": "DLP_QUARANTINE_NOTIFY_FROM",
}


def option(settings: Settings, name: str) -> Any:
    default = DEFAULTS[name]
    value: Any = getattr(settings, name, None)
    if value is None:
        value = settings.extra.get(name)
    if value is None:
        value = os.environ.get(ENV_NAMES[name])
    if value is None:
        return default
    if isinstance(default, bool):
        return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(value)
    return str(value)
