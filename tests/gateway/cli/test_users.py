"""`dlp-gateway users ...` on a real Redis."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/gateway: the quarantine test helpers
from quarantine.qfixtures import PASSWORD, cli_env, prefix, run_cli, smtp_sink

from gateway.quarantine.store import QuarantineStore
from gateway.quarantine.users import UserStore

__all__ = ["cli_env", "prefix", "smtp_sink"]


def add(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, password: str, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    return run_cli(capsys, "users", "add", *argv, "--password-stdin")


def test_add_hashes_with_argon2_and_the_account_signs_in(
    cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = add(
        capsys, monkeypatch, PASSWORD, "Grace", "--role", "senior-reviewer", "--email", "g@force.police.uk"
    )
    assert code == 0 and "grace (senior-reviewer) created" in out
    users = UserStore(cli_env.redis, cli_env.prefix)
    stored = cli_env.redis.hget(f"{cli_env.prefix}user:grace", "password")
    assert stored.startswith(b"$argon2id$")
    account = users.authenticate("grace", PASSWORD)
    assert account is not None and account.is_senior and account.email == "g@force.police.uk"


def test_add_refuses_bad_input(
    cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = add(capsys, monkeypatch, "short", "henry", "--role", "reviewer")
    assert code == 2 and "at least 12" in err
    code, _, err = add(capsys, monkeypatch, PASSWORD, "alice", "--role", "reviewer")
    assert code == 2 and "already exists" in err
    code, _, err = add(capsys, monkeypatch, PASSWORD, "henry", "--role", "admin")
    assert code == 2 and "invalid choice" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code, _, err = run_cli(capsys, "users", "add", "henry", "--role", "reviewer")
    assert code == 2 and "--password-stdin" in err


def test_list_disable_remove(cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "users", "list", "--json")
    assert code == 0
    assert {json.loads(line)["name"]: json.loads(line)["role"] for line in out.splitlines()} == {
        "alice": "reviewer", "bob": "senior-reviewer", "erin": "auditor"}  # fmt: skip
    assert "password" not in out and "argon2" not in out
    assert run_cli(capsys, "users", "disable", "erin")[0] == 0
    assert "(disabled)" in run_cli(capsys, "users", "list")[1]
    assert run_cli(capsys, "users", "remove", "erin")[0] == 0
    code, _, err = run_cli(capsys, "users", "remove", "erin")
    assert code == 2 and "no account" in err
