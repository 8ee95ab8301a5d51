"""`dlp-gateway edm build`: from a CSV or XLSX export to an index the gateway loads."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import openpyxl
import pytest

from gateway.cli.main import main
from gateway.content.model import Part, Segment, Table
from gateway.detect.edm import EdmIndex

HEADER = ["Staff Number", "Surname", "Forename", "DOB", "NI Number", "Rank", "Team"]
ROWS = [
    ["W200101", "Ashworth", "Imogen", "09/06/1984", "JG103759A", "PC", "Response"],
    ["W200102", "Okafor", "Daniel", "27/01/1991", "CE482011D", "DC", "CID"],
]


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DLP_CONFIG", raising=False)
    monkeypatch.setenv("DLP_STATE_DIR", str(tmp_path / "var"))
    return tmp_path / "var"


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _doc(name: str, dob: str) -> Part:
    return Part(name="out.txt", kind="text", segments=[Segment(f"Please see {name}, date of birth {dob}.")])


def test_build_from_csv(tmp_path: Path, state_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _csv(tmp_path / "staff.csv", HEADER, ROWS)
    assert main(["edm", "build", "--kind", "staff", str(source)]) == 0
    out = capsys.readouterr().out
    assert "Indexed 2 staff records" in out
    assert "NI Number: ni_number" in out
    assert "Rank" in out  # listed as not indexed
    for row in ROWS:
        for value in row[:5]:
            assert value not in out
    key = state_dir / "edm" / "staff.key"
    assert (state_dir / "edm" / "staff.edm").is_file()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    index = EdmIndex.load(state_dir / "edm")
    assert index is not None
    found = index.match(_doc("Imogen Ashworth", "9 June 1984"))
    assert {f.text for f in found} == {"Imogen", "Ashworth", "9 June 1984"}
    assert {f.entity_type for f in found} == {"STAFF_RECORD"}


def test_build_from_xlsx_reads_hidden_sheets(tmp_path: Path, state_dir: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["Team", "Officers"])
    ws.append(["Response", 2])
    hidden = wb.create_sheet("Nominals")
    hidden.sheet_state = "hidden"
    hidden.append(["Name", "Date of Birth", "PNC ID"])
    hidden.append(["CARVER, Luke", "1993-04-12", "2012/0045678K"])
    source = tmp_path / "nominals.xlsx"
    wb.save(source)
    assert main(["edm", "build", "--kind", "offender", str(source)]) == 0
    index = EdmIndex.load(state_dir / "edm")
    assert index is not None
    found = index.match(_doc("Luke Carver", "12/04/1993"))
    assert {f.entity_type for f in found} == {"OFFENDER_RECORD"}
    table = Part(name="x.csv", kind="csv", tables=[Table("x.csv", ["PNC"], [["12/45678K"]])])
    assert [f.text for f in index.match(table)] == ["12/45678K"]


def test_rebuild_replaces_the_index(tmp_path: Path, state_dir: Path) -> None:
    source = _csv(tmp_path / "staff.csv", HEADER, ROWS)
    assert main(["edm", "build", "--kind", "staff", str(source)]) == 0
    first_key = (state_dir / "edm" / "staff.key").read_text()
    _csv(source, HEADER, ROWS[:1])
    assert main(["edm", "build", "--kind", "staff", str(source)]) == 0
    assert (state_dir / "edm" / "staff.key").read_text() != first_key
    index = EdmIndex.load(state_dir / "edm")
    assert index is not None
    assert index.match(_doc("Daniel Okafor", "27/01/1991")) == []
    assert index.match(_doc("Imogen Ashworth", "09/06/1984")) != []


def test_column_option(tmp_path: Path, state_dir: Path) -> None:
    source = _csv(tmp_path / "odd.csv", ["Who", "Born"], [["Imogen Ashworth", "09/06/1984"]])
    assert main(["edm", "build", "--kind", "staff", "--column", "Who=full_name", "--column", "Born=date_of_birth",
                 str(source)]) == 0  # fmt: skip
    index = EdmIndex.load(state_dir / "edm")
    assert index is not None and index.match(_doc("Imogen Ashworth", "09/06/1984"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "staff", "missing.csv"], "no such file"),
        (["--kind", "staff", "--column", "Who", "staff.csv"], "expected HEADER=FIELD"),
        (["--kind", "staff", "--column", "Who=nickname", "staff.csv"], "unknown field 'nickname'"),
        (["--kind", "staff", "nothing.csv"], "no column could be classified"),
    ],
)
def test_bad_input_exits_2_with_a_reason(
    tmp_path: Path,
    state_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    _csv(tmp_path / "staff.csv", HEADER, ROWS)
    _csv(tmp_path / "nothing.csv", ["Rank", "Team"], [["PC", "Response"]])
    monkeypatch.chdir(tmp_path)
    assert main(["edm", "build", *args]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not (state_dir / "edm" / "staff.edm").exists()


def test_unknown_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["edm", "build", "--kind", "visitors", "x.csv"])
    assert exc.value.code == 2
