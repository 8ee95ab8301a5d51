"""`dlp-gateway audit verify|show|export` on a real Redis."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/gateway: the quarantine test helpers
from quarantine.qfixtures import cli_env, new_mail_item, prefix, run_cli, smtp_sink

from gateway.quarantine.store import QuarantineStore

__all__ = ["cli_env", "prefix", "smtp_sink"]


@pytest.fixture
def logged(cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str]) -> str:
    ref = cli_env.put(new_mail_item())
    cli_env.audit.append("verdict", "gateway", ref, {"action": "quarantine", "channel": "smtp"})
    assert run_cli(capsys, "quarantine", "reject", ref, "--as", "alice", "--reason", "not covered")[0] == 0
    cli_env.audit.append("verdict", "gateway", None, {"action": "allow", "channel": "http"})
    return ref


def test_verify_intact(logged: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "audit", "verify")
    assert code == 0 and "intact: 3 record(s)" in out


def test_tampering_with_one_record_fails_verify_and_names_it(
    logged: str, cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str]
) -> None:
    key = f"{cli_env.prefix}audit:log"
    record = json.loads(cli_env.redis.lindex(key, 1))
    assert record["event"] == "reject"
    record["details"]["reason"] = "approved by the chief"
    cli_env.redis.lset(key, 1, json.dumps(record))
    code, out, err = run_cli(capsys, "audit", "verify")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"record 2 (reject {logged} by alice at ")
    assert "content altered" in lines[0]
    assert "NOT intact" in err


def test_show_and_export(logged: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run_cli(capsys, "audit", "show", "--json", "--ref", logged)
    assert code == 0
    assert [json.loads(line)["event"] for line in out.splitlines()] == ["reject", "verdict"]
    target = tmp_path / "audit.csv"
    assert run_cli(capsys, "audit", "export", "--out", str(target))[0] == 0
    rows = list(csv.reader(io.StringIO(target.read_text())))
    assert [r[2] for r in rows[1:]] == ["verdict", "reject", "verdict"]
    assert run_cli(capsys, "audit", "show")[0] == 0
