"""`dlp-gateway run` refuses to start, with one clear line and exit 2, on what it cannot judge with."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.runner.redis_server import free_port

ROOT = Path(__file__).resolve().parents[3]


def run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "DLP_STATE_DIR": str(tmp_path / "state"), "DLP_WITH_NER": "0", "DLP_WORKERS": "1",
            "DLP_LISTEN_HOST": "127.0.0.1", **(env or {})}
    full.pop("REDIS_URL", None)
    ports = ["--proxy-port", str(free_port()), "--smtp-port", str(free_port()), "--console-port",
             str(free_port()), "--metrics-port", str(free_port())]
    return subprocess.run([sys.executable, "-m", "gateway.cli", "run", *ports, *args], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=180, check=False)


def test_an_invalid_agreement_stops_it_naming_the_file(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "partner.yaml").write_text("id: partner\non_excess: shred\n")
    result = run(tmp_path, "--rules", str(rules))
    assert result.returncode == 2
    assert "partner.yaml" in result.stderr and "invalid sharing agreement" in result.stderr
    assert not (tmp_path / "state" / "redis.json").exists()  # nothing was started


def test_a_damaged_edm_index_stops_it(tmp_path: Path) -> None:
    edm = tmp_path / "state" / "edm"
    edm.mkdir(parents=True)
    (edm / "staff.edm").write_bytes(b"not an index")
    result = run(tmp_path)
    assert result.returncode == 2
    assert "exact data match index unusable" in result.stderr


@pytest.mark.e2e
def test_a_bad_next_hop_stops_it_and_everything_it_started(tmp_path: Path) -> None:
    result = run(tmp_path, "--smtp-next-hop", "no-port-here")
    assert result.returncode == 2
    assert "smtp_next_hop" in result.stderr
    assert not (tmp_path / "state" / "redis.json").exists()  # its own Redis was stopped again
