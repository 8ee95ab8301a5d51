"""`dlp-gateway rules check`: errors on stderr with exit 1, a summary with exit 0."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gateway.cli.main import main

REPO = Path(__file__).resolve().parents[3]

AGREEMENT = textwrap.dedent(
    """\
    id: cps-case-files
    title: Case files to the CPS
    owner: Head of Criminal Justice
    valid_from: 2024-04-01
    valid_until: 2029-03-31
    destinations: ["*@cps.gov.uk"]
    allowed_fields: [PERSON, DATE_OF_BIRTH]
    """
)


def test_valid_folder_prints_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cps.yaml").write_text(AGREEMENT, encoding="utf-8")
    assert main(["rules", "check", str(tmp_path), "--today", "2026-11-21"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert f"{tmp_path}: valid. 1 agreement; default policy: built-in default (no default.yaml)" in out
    assert "cps-case-files" in out and "Head of Criminal Justice" in out and "*@cps.gov.uk" in out
    assert "2024-04-01 to 2029-03-31 (in force)" in out


def test_expired_and_not_yet_valid_are_warned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cps.yaml").write_text(AGREEMENT, encoding="utf-8")
    assert main(["rules", "check", str(tmp_path), "--today", "2030-01-01"]) == 0
    out, err = capsys.readouterr()
    assert "(expired)" in out
    assert f"warning: {tmp_path}/cps.yaml:valid_until: agreement cps-case-files expired on 2029-03-31" in err
    assert main(["rules", "check", str(tmp_path), "--today", "2020-01-01"]) == 0
    out, err = capsys.readouterr()
    assert "(not yet valid)" in out and "is not valid until 2024-04-01" in err


def test_invalid_folder_prints_file_key_reason_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cps.yaml").write_text(AGREEMENT.replace("DATE_OF_BIRTH", "DOB") + "colour: blue\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    assert main(["rules", "check", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"{tmp_path}/broken.yaml:line ")
    assert f"{tmp_path}/cps.yaml:allowed_fields[1]: unknown field category 'DOB'; did you mean DATE_OF_BIRTH?" in lines
    assert f"{tmp_path}/cps.yaml:colour: unknown key" in lines
    assert lines[-1] == f"{tmp_path}: 3 problems; the gateway will not start with these rules"


def test_missing_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", str(tmp_path / "nope")]) == 2
    assert "rules folder not found" in capsys.readouterr().err


def test_bad_today_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["rules", "check", str(tmp_path), "--today", "tomorrow"])
    assert raised.value.code == 2


def test_default_folder_comes_from_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "cps.yaml").write_text(AGREEMENT, encoding="utf-8")
    monkeypatch.setenv("DLP_RULES_DIR", str(tmp_path))
    monkeypatch.delenv("DLP_CONFIG", raising=False)
    assert main(["rules", "check"]) == 0
    assert f"{tmp_path}: valid." in capsys.readouterr().out


def test_shipped_rules_pass_as_a_real_command() -> None:
    """The installed entry point, on the rules the project ships."""
    result = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "rules", "check", str(REPO / "rules"), "--today", "2026-11-21"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for agreement in ("g4s-support-services", "cps-case-files", "pnd-upload"):
        assert agreement in result.stdout
    assert result.stderr == ""
