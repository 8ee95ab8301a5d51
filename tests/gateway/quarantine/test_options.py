from __future__ import annotations

from pathlib import Path

import pytest

from gateway.quarantine.options import option
from gateway.settings import Settings, load


def test_defaults() -> None:
    settings = Settings()
    assert option(settings, "evidence_retention_days") == 90
    assert option(settings, "console_cookie_secure") is False
    assert option(settings, "quarantine_key_prefix") == "dlp:"


def test_config_file_extra_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "gateway.yaml"
    config.write_text("extra:\n  evidence_retention_days: 365\n  console_cookie_secure: true\n")
    settings = load(config, environ={})
    assert option(settings, "evidence_retention_days") == 365
    assert option(settings, "console_cookie_secure") is True
    monkeypatch.setenv("DLP_CONSOLE_SESSION_MINUTES", "30")
    assert option(settings, "console_session_minutes") == 30
