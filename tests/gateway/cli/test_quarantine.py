"""`dlp-gateway quarantine ...` against a real Redis, with the same rules as the console."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/gateway: the quarantine test helpers
from quarantine.qfixtures import (
    MARKER,
    NINO,
    PASSWORD,
    Received,
    cli_env,
    new_http_item,
    new_mail_item,
    prefix,
    run_cli,
    smtp_sink,
)

from gateway.quarantine.store import QuarantineStore

__all__ = ["cli_env", "prefix", "smtp_sink"]
run = run_cli


def test_list_json_has_the_contract_keys(cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str]) -> None:
    held = cli_env.put(new_http_item())
    blocked = cli_env.put(new_mail_item(state="blocked"))
    code, out, _ = run(capsys, "quarantine", "list", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["ref"] for r in rows] == [blocked, held]
    for row in rows:
        assert {"ref", "state", "channel", "destination", "agreement", "created"} <= set(row)
    assert rows[1]["state"] == "held" and rows[1]["agreement"] == "g4s-support-services"
    code, out, _ = run(capsys, "quarantine", "list", "--json", "--state", "blocked")
    assert [json.loads(line)["ref"] for line in out.splitlines()] == [blocked]
    code, out, _ = run(capsys, "quarantine", "list")
    assert held in out and blocked in out and "STATE" in out
    assert MARKER not in out and NINO not in out


def test_show_masks_values_unless_revealed_with_a_reason(
    cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = cli_env.put(new_mail_item())
    code, out, _ = run(capsys, "quarantine", "show", ref)
    assert code == 0 and "UK_NINO" in out and "NI Number" in out and "NOT allowed" in out
    assert NINO not in out
    code, out, _ = run(capsys, "quarantine", "show", ref, "--json")
    data = json.loads(out)
    assert data["ref"] == ref and data["verdict"]["fields"][1]["allowed"] is False
    assert NINO not in out
    code, _, err = run(capsys, "quarantine", "show", ref, "--reveal")
    assert code == 2 and "--as" in err
    code, _, err = run(capsys, "quarantine", "show", ref, "--reveal", "--as", "alice")
    assert code == 1 and "reason" in err
    code, out, _ = run(capsys, "quarantine", "show", ref, "--reveal", "--as", "alice", "--reason", "check NI")
    assert code == 0 and NINO in out
    assert [(r.event, r.actor) for r in cli_env.audit.records(ref=ref)] == [("reveal", "alice")]


def test_release_follows_the_console_rules(
    cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str], smtp_sink: tuple[str, Received]
) -> None:
    ref = cli_env.put(new_mail_item(special=True))
    code, _, err = run(capsys, "quarantine", "release", ref, "--as", "erin")
    assert code == 1 and "auditor role may not release" in err
    code, out, _ = run(capsys, "quarantine", "release", ref, "--as", "alice", "--reason", "needed", "--json")
    assert code == 0 and json.loads(out)["outcome"] == "approval-recorded"
    assert smtp_sink[1].messages == []
    code, out, _ = run(capsys, "quarantine", "release", ref, "--as", "bob", "--redacted", "--reason", "ok")
    assert code == 0 and "Approval recorded" in out  # an approval of the redacted copy is a different approval
    code, _, err = run(capsys, "quarantine", "release", ref, "--as", "alice", "--redacted", "--reason", "x")
    assert code == 1 and "already approved" in err
    # bob is senior and alice approved the original: bob's approval of the original releases it
    code, out, _ = run(capsys, "quarantine", "release", ref, "--as", "bob", "--reason", "agreed", "--json")
    assert code == 0 and json.loads(out)["outcome"] == "released"
    assert len(smtp_sink[1].messages) == 1 and NINO.encode() in smtp_sink[1].messages[0]["data"]


def test_two_person_release_from_the_shell(
    cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str], smtp_sink: tuple[str, Received]
) -> None:
    ref = cli_env.put(new_mail_item(special=True))
    assert run(capsys, "quarantine", "release", ref, "--as", "alice", "--reason", "needed")[0] == 0
    code, out, _ = run(capsys, "quarantine", "release", ref, "--as", "bob", "--reason", "agreed", "--json")
    assert code == 0 and json.loads(out)["outcome"] == "released"
    assert len(smtp_sink[1].messages) == 1
    code, out, _ = run(capsys, "quarantine", "release", ref, "--as", "bob", "--json")
    assert code == 0 and json.loads(out)["outcome"] == "already-released"
    assert len(smtp_sink[1].messages) == 1
    record = cli_env.audit.records(ref=ref)[-1]
    assert (record.event, record.actor, record.details["via"]) == ("release", "bob", "cli")


def test_reject_and_input_errors(cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str]) -> None:
    ref = cli_env.put(new_http_item())
    code, out, _ = run(capsys, "quarantine", "reject", ref, "--as", "alice", "--reason", "not covered")
    assert code == 0 and "Rejected" in out
    assert cli_env.get(ref).state == "rejected"
    code, _, err = run(capsys, "quarantine", "reject", "Q-20260101-AAAAAAAA", "--as", "alice")
    assert code == 2 and "no quarantine item" in err
    code, _, err = run(capsys, "quarantine", "reject", ref, "--as", "ghost")
    assert code == 2 and "no enabled console account" in err
    code, _, err = run(capsys, "quarantine", "list", "--newer-than", "soon")
    assert code == 2 and "invalid duration" in err
    code, _, err = run(capsys, "quarantine", "release", ref)
    assert code == 2 and "--as" in err


def test_store_unreachable_is_exit_1(cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    from quarantine.qfixtures import free_port

    monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    code, _, err = run(capsys, "quarantine", "list")
    assert code == 1 and "unreachable" in err


def test_sweep(cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "quarantine", "sweep")
    assert code == 0 and "0 item(s)" in out


def test_password_stdin_is_read(cli_env: QuarantineStore, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert run(capsys, "users", "add", "zed", "--role", "reviewer", "--password-stdin")[0] == 0
