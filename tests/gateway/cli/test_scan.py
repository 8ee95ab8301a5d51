"""`dlp-gateway scan` exactly as contract section 2 describes it, run as a real subprocess.

The analyzer runs without spaCy here (DLP_WITH_NER=0) so the suite stays fast;
NER is covered by the detector's own marked tests.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from faker import Faker

ROOT = Path(__file__).resolve().parents[3]
ALLOWED_HR = ["Surname", "Forename", "Job Title", "Rank", "Station", "Pay Grade"]
EXCESS_HR = ["NI Number", "Date of Birth", "Home Address", "Postcode", "Sickness Days", "Sickness Reason"]
HR_HEADER = [*ALLOWED_HR[:3], "NI Number", "Rank", "Date of Birth", *ALLOWED_HR[4:], *EXCESS_HR[2:]]


def scan(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "DLP_WITH_NER": "0", "DLP_STATE_DIR": str(ROOT / "var" / "test-scan")}
    full_env.pop("DLP_RULES_DIR", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "gateway.cli", "scan", *map(str, args)],
        check=False, capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=300,
    )


def _nino(rng: random.Random) -> str:
    return f"{rng.choice('ABCEGHJKLMNPRSTWXYZ')}{rng.choice('ABCEGHJKLMNPRSTWXYZ')}{rng.randrange(10**6):06d}" \
           f"{rng.choice('ABCD')}"


def hr_rows(n: int = 400, seed: int = 3) -> list[list[str]]:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    reasons = ["Depression", "Back injury", "Stress", "Surgery recovery", "Migraine", "Pregnancy related"]
    rows = []
    for _ in range(n):
        by_name = {
            "Surname": fake.last_name().upper(), "Forename": fake.first_name(), "Job Title": fake.job(),
            "Rank": rng.choice(["PC", "PS", "Inspector", "Police Staff"]), "Station": fake.city(),
            "Pay Grade": f"SCP {rng.randrange(10, 40)}", "NI Number": _nino(rng),
            "Date of Birth": fake.date_of_birth(minimum_age=19, maximum_age=65).strftime("%d/%m/%Y"),
            "Home Address": fake.street_address().replace("\n", ", "), "Postcode": fake.postcode(),
            "Sickness Days": str(rng.randrange(1, 60)), "Sickness Reason": rng.choice(reasons),
        }
        rows.append([by_name[h] for h in HR_HEADER])
    return rows


def removed_values(rows: list[list[str]]) -> set[str]:
    """Every distinctive value of the excess columns (short numbers excluded: they occur by chance)."""
    idx = [HR_HEADER.index(h) for h in EXCESS_HR if h not in ("Sickness Days",)]
    return {row[i] for row in rows for i in idx if len(row[i]) >= 6}


@pytest.fixture(scope="module")
def hr_export() -> list[list[str]]:
    return hr_rows()


def test_hr_export_csv_to_contractor_keeps_exactly_the_allowed_columns(tmp_path: Path, hr_export) -> None:
    src = tmp_path / "hr_export.csv"
    with src.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([HR_HEADER, *hr_export])
    out = tmp_path / "out.csv"
    result = scan(src, "--to", "sftp.g4s.com", "--json", "--redacted-out", out)
    assert result.returncode == 10, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["action"] == "redact"
    assert verdict["agreement"] == "g4s-support-services"
    assert set(verdict["excess_fields"]) == set(EXCESS_HR)
    assert verdict["subjects"] == 400
    text = out.read_text(encoding="utf-8")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == [h for h in HR_HEADER if h in ALLOWED_HR]
    assert len(table) == 401
    for value in removed_values(hr_export):
        assert value not in text


def test_hr_export_xlsx_with_hidden_sheet_loses_values_everywhere(tmp_path: Path, hr_export) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws.append(HR_HEADER)
    for row in hr_export:
        ws.append(row)
    ws.column_dimensions["D"].hidden = True  # the NI Number column is hidden: still content
    summary = wb.create_sheet("Summary")
    summary.append(["Grade", "Headcount"])
    summary.append(["SCP 20", "12"])
    wb.properties.title = "Establishment list"
    src = tmp_path / "hr_export.xlsx"
    wb.save(src)
    out = tmp_path / "out.xlsx"

    result = scan(src, "--to", "sftp.g4s.com", "--json", "--redacted-out", out)
    assert result.returncode == 10, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["action"] == "redact"
    assert set(verdict["excess_fields"]) == set(EXCESS_HR)

    redacted = openpyxl.load_workbook(out)
    assert redacted.sheetnames == ["Staff", "Summary"]
    header = [c.value for c in next(redacted["Staff"].iter_rows(max_row=1))]
    assert header == [h for h in HR_HEADER if h in ALLOWED_HR]
    assert redacted["Staff"].max_row == 401
    assert redacted["Summary"]["B2"].value == "12"
    with zipfile.ZipFile(out) as z:
        blob = b"".join(z.read(name) for name in z.namelist())
    for value in removed_values(hr_export):
        assert value.encode("utf-8") not in blob, "a removed value survived in the workbook"


def test_exit_codes_and_verdict_shape(tmp_path: Path) -> None:
    clean = tmp_path / "minutes.txt"
    clean.write_text("Minutes of the estates meeting. The boiler in block C will be replaced in March.\n")
    result = scan(clean, "--json")
    assert result.returncode == 0, result.stderr
    verdict = json.loads(result.stdout)
    assert verdict["action"] == "allow"
    for key in ("action", "agreement", "destination", "reasons", "findings", "fields", "excess_fields",
                "missing_fields", "subjects"):
        assert key in verdict
    assert verdict["agreement"] is None and verdict["destination"] is None

    secret = tmp_path / "briefing.txt"
    secret.write_text("SECRET\n\nOperation briefing for the tactical firearms unit.\n")
    assert scan(secret, "--to", "drop.example.org").returncode == 30

    nominals = tmp_path / "nominals.csv"
    nominals.write_text("Name,PNC ID\nJohn SMITH,2002/0073319Z\n")
    result = scan(nominals, "--to", "partner.example.org", "--json")
    assert result.returncode == 20
    assert json.loads(result.stdout)["action"] == "quarantine"


def test_values_only_with_reveal(tmp_path: Path) -> None:
    src = tmp_path / "note.txt"
    src.write_text("Please update the record for PNC ID 2002/0073319Z before Friday.\n")
    hidden = scan(src, "--json")
    assert "0073319Z" not in hidden.stdout
    finding = json.loads(hidden.stdout)["findings"][0]
    assert "text" not in finding
    revealed = json.loads(scan(src, "--json", "--reveal").stdout)
    assert any(f.get("text") == "2002/0073319Z" for f in revealed["findings"])
    human = scan(src)
    assert "0073319Z" not in human.stdout and "QUARANTINE" in human.stdout


def test_folder_gives_json_lines_and_worst_exit(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    (outbox / "sub").mkdir(parents=True)
    (outbox / "a.txt").write_text("Lunch on Friday at noon.\n")
    (outbox / "sub" / "b.csv").write_text("Name,PNC ID\nJohn SMITH,2002/0073319Z\nAnne Lee,02/73319Z\n")
    (outbox / "sub" / "c.csv").write_text("Surname,Forename,Job Title,NI Number\nSMITH,John,PC,AB123456C\n")
    out = tmp_path / "redacted"
    result = scan(outbox, "--to", "sftp.g4s.com", "--json", "--redacted-out", out)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == ["a.txt", "sub/b.csv", "sub/c.csv"]
    assert [line["action"] for line in lines] == ["allow", "quarantine", "redact"]
    assert result.returncode == 20
    assert (out / "sub" / "c.csv").read_text().splitlines()[0] == "Surname,Forename,Job Title"
    assert not (out / "a.txt").exists()


def test_usage_and_input_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    missing = scan(tmp_path / "nope.txt")
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "no such file" in missing.stderr

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "broken.yaml").write_text("id: broken\non_excess: shred\n")
    src = tmp_path / "a.txt"
    src.write_text("hello\n")
    bad = scan(src, "--rules", rules)
    assert bad.returncode == 2
    assert "broken.yaml" in bad.stderr

    assert scan("--no-such-flag", src).returncode == 2


def test_rules_folder_without_default_uses_the_built_in_default(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    src = tmp_path / "nominals.csv"
    src.write_text("Name,PNC ID\nJohn SMITH,2002/0073319Z\n")
    result = scan(src, "--rules", rules, "--json", "--to", "x.example.com")
    assert result.returncode == 20, result.stderr
    assert json.loads(result.stdout)["agreement"] is None


def test_rules_from_environment(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "partner.yaml").write_text(
        "id: partner\ntitle: Partner\nowner: SIRO\npurpose: testing\nvalid_from: 2020-01-01\n"
        "valid_until: 2099-12-31\ndestinations: ['*.partner.example']\nallowed_fields: [PERSON, UK_PNC_ID]\n"
        "required_fields: []\non_excess: block\non_incomplete: allow\nspecial_category: block\n"
        "max_marking: OFFICIAL\n"
    )
    src = tmp_path / "nominals.csv"
    src.write_text("Name,PNC ID\nJohn SMITH,2002/0073319Z\n")
    result = scan(src, "--to", "up.partner.example", "--json", env={"DLP_RULES_DIR": str(rules)})
    assert json.loads(result.stdout)["agreement"] == "partner"
    assert result.returncode == 0, result.stderr


def test_unparseable_file_is_never_a_silent_pass(tmp_path: Path) -> None:
    src = tmp_path / "export.xlsx"
    src.write_bytes(b"PK\x03\x04" + os.urandom(200))
    result = scan(src, "--json")
    assert result.returncode == 20
    verdict = json.loads(result.stdout)
    assert verdict["action"] == "quarantine"
    assert any("export.xlsx" in r for r in verdict["reasons"])


def test_a_damaged_edm_index_is_a_one_line_input_error(tmp_path: Path) -> None:
    state = tmp_path / "state"
    (state / "edm").mkdir(parents=True)
    (state / "edm" / "offender.edm").write_bytes(b"truncated")
    src = tmp_path / "a.txt"
    src.write_text("hello\n")
    result = scan(src, env={"DLP_STATE_DIR": str(state)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_reader_that_goes_away_ends_the_scan_quietly(tmp_path: Path) -> None:
    folder = tmp_path / "outbox"
    folder.mkdir()
    for i in range(400):  # ~100 KB of reports: more than a pipe buffer holds
        (folder / f"note{i:03d}.txt").write_text("Lunch on Friday at noon.\n")
    env = {**os.environ, "DLP_WITH_NER": "0"}
    result = subprocess.run(
        f"{sys.executable} -m gateway.cli scan {folder} | head -n 1", shell=True, cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.stdout.count("\n") == 1
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr
