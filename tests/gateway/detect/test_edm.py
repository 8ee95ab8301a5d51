"""Exact Data Match: normalisation, the index on disk, and the record-match rule."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gateway.content.model import Part, Segment, Table
from gateway.detect.edm import EdmError, EdmIndex, build_index, classify_header
from gateway.detect.edm.match import TEXT_WINDOW
from gateway.detect.edm.normalise import (
    fold_collar,
    fold_cro,
    fold_phone,
    fold_pnc,
    parse_date,
    split_full_name,
)

STAFF_HEADER = ["Staff No", "Surname", "Forename(s)", "Date of Birth", "NI Number", "Home Postcode", "Collar",
                "Work Email", "Rank", "Next of Kin Name"]  # fmt: skip
STAFF_ROWS = [
    ["W104233", "Okonkwo-Hale", "Bethany Jane", "14/02/1986", "JG 10 37 59 A", "BA2 7QT", "4521",
     "bethany.okonkwo-hale@wessex.police.uk", "PC", "Marcus Hale"],
    ["W104234", "Smith", "John", "03/11/1979", "AB123456C", "SO15 2JX", "1187", "john.smith@wessex.police.uk",
     "PS", "Mary Smith"],
    ["W104235", "Van der Berg", "Anneliese", "1990-07-21", "CE 48 20 11 D", "BH1 3AA", "812",
     "anneliese.vanderberg@wessex.police.uk", "DC", ""],
    ["W104236", "Smith", "Priya", "22 March 1992", "HT552901B", "SP4 6GG", "2290", "priya.smith@wessex.police.uk",
     "PC", ""],
]  # fmt: skip
OFFENDER_HEADER = ["Nominal ID", "Name", "DOB", "PNC ID", "CRO No", "Address"]
OFFENDER_ROWS = [
    ["WP/N/0012345", "KESTREL, Darren Lee", "05/05/1988", "1988/0163001T", "065656/91H", "12 Mill Lane, Bath"],
    ["WP/N/0012346", "Carla Mendes", "30/09/1995", "2011/0520011K", "", "Flat 3, 9 Quay Road, Poole"],
]


def _register(header: list[str], rows: list[list[str]], name: str = "register.csv") -> Part:
    return Part(name=name, kind="csv", tables=[Table(name="register", header=header, rows=rows)])


@pytest.fixture(scope="module")
def edm_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("edm")
    build_index(_register(STAFF_HEADER, STAFF_ROWS), "staff", out)
    build_index(_register(OFFENDER_HEADER, OFFENDER_ROWS), "offender", out)
    return out


@pytest.fixture(scope="module")
def index(edm_dir: Path) -> EdmIndex:
    loaded = EdmIndex.load(edm_dir)
    assert loaded is not None
    return loaded


def _table(header: list[str], *rows: list[str], hidden: bool = False) -> Part:
    return Part(name="out.xlsx", kind="xlsx", tables=[Table(name="Sheet1", header=header, rows=list(rows),
                                                             hidden=hidden)])  # fmt: skip


def _text(text: str) -> Part:
    return Part(name="report.txt", kind="text", segments=[Segment(text)])


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Surname", "surname"),
        ("Last Name", "surname"),
        ("Forename(s)", "forename"),
        ("First name", "forename"),
        ("Name", "full_name"),
        ("Officer name", "full_name"),
        ("D.O.B.", "date_of_birth"),
        ("Date of Birth", "date_of_birth"),
        ("NI Number", "ni_number"),
        ("National Insurance No", "ni_number"),
        ("Collar No", "collar_number"),
        ("Warrant Number", "warrant_number"),
        ("Staff Number", "staff_number"),
        ("Payroll ID", "staff_number"),
        ("PNC ID", "pnc_id"),
        ("CRO Number", "cro_number"),
        ("Postcode", "postcode"),
        ("Home Address", "address"),
        ("Personal Email", "email"),
        ("Work Email", "work_email"),
        ("Mobile", "phone"),
        ("Desk phone", "work_phone"),
        ("Nominal ID", "nominal_id"),
        ("Next of Kin Name", None),
        ("Victim surname", None),
        ("OIC name", None),
        ("Team name", None),
        ("Rank", None),
        ("Department", None),
    ],
)
def test_headers_are_classified(header: str, field: str | None) -> None:
    assert classify_header(header) == field


def test_pnc_layouts_normalise_alike() -> None:
    assert fold_pnc("1979/0163001B") == fold_pnc("79/163001B") == fold_pnc("19790163001B") == "790163001B"


def test_cro_serial_is_padded() -> None:
    assert fold_cro("65656/91H") == fold_cro("065656/91h") == "065656/91H"
    assert fold_cro("SF05/482703J") == "SF05/482703J"


@pytest.mark.parametrize("text", ["14/02/1986", "14-02-1986", "14.02.1986", "1986-02-14", "14 February 1986",
                                  "14th Feb 1986", "1986-02-14 00:00:00", "14/02/86"])  # fmt: skip
def test_uk_date_layouts_parse_alike(text: str) -> None:
    assert parse_date(text) is not None
    assert parse_date(text).isoformat() == "1986-02-14"  # type: ignore[union-attr]


def test_not_dates() -> None:
    assert parse_date("31/02/1986") is None
    assert parse_date("14 Mayor 1986") is None
    assert parse_date("W104233") is None


def test_phone_layouts_normalise_alike() -> None:
    forms = ["07700 900123", "+44 7700 900123", "+44 (0)7700 900123", "07700900123", "7700900123", "0044 7700 900123"]
    assert {fold_phone(f) for f in forms} == {"07700900123"}
    assert fold_phone("+33 1 23 45 67 89") is None


def test_collar_rank_prefix_is_ignored() -> None:
    assert fold_collar("PC 4521") == fold_collar("4521") == "4521"


@pytest.mark.parametrize(
    ("name", "surname", "forenames"),
    [
        ("KESTREL, Darren Lee", ["kestrel"], ["darren", "lee"]),
        ("Darren Lee KESTREL", ["kestrel"], ["darren", "lee"]),
        ("Carla Mendes", ["mendes"], ["carla"]),
        ("Anneliese van der Berg", ["vanderberg"], ["anneliese"]),
    ],
)
def test_full_names_are_split(name: str, surname: list[str], forenames: list[str]) -> None:
    assert split_full_name(name) == (surname, forenames)


# --------------------------------------------------------------------------- the index on disk


def test_index_holds_no_register_value_in_clear(edm_dir: Path) -> None:
    blob = b"".join(p.read_bytes() for p in edm_dir.iterdir())
    for row in STAFF_ROWS + OFFENDER_ROWS:
        for value in row:
            for form in {value, value.upper(), value.lower(), value.replace(" ", "")}:
                if len(form) >= 4:
                    assert form.encode() not in blob


def test_key_file_is_private_and_separate(edm_dir: Path) -> None:
    key = edm_dir / "staff.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text().strip() not in (edm_dir / "staff.edm").read_bytes().decode("latin-1")


def test_load_without_index_is_none(tmp_path: Path) -> None:
    assert EdmIndex.load(tmp_path) is None
    assert EdmIndex.load(tmp_path / "missing") is None


def test_missing_key_is_an_error(tmp_path: Path) -> None:
    build_index(_register(STAFF_HEADER, STAFF_ROWS), "staff", tmp_path)
    (tmp_path / "staff.key").unlink()
    with pytest.raises(EdmError, match="key file missing"):
        EdmIndex.load(tmp_path)


def test_key_from_another_build_is_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build_index(_register(STAFF_HEADER, STAFF_ROWS), "staff", first)
    build_index(_register(STAFF_HEADER, STAFF_ROWS), "staff", second)
    os.replace(second / "staff.key", first / "staff.key")
    with pytest.raises(EdmError, match="rebuild"):
        EdmIndex.load(first)


def test_truncated_index_is_refused(tmp_path: Path) -> None:
    build_index(_register(STAFF_HEADER, STAFF_ROWS), "staff", tmp_path)
    index_file = tmp_path / "staff.edm"
    index_file.write_bytes(index_file.read_bytes()[:-5])
    with pytest.raises(EdmError, match="corrupt"):
        EdmIndex.load(tmp_path)


def test_register_without_known_columns_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EdmError, match="no column could be classified"):
        build_index(_register(["Rank", "Team"], [["PC", "Response"]]), "staff", tmp_path)
    assert not (tmp_path / "staff.edm").exists()


def test_column_override(tmp_path: Path) -> None:
    register = _register(["Who", "Born"], [["Bethany Okonkwo-Hale", "14/02/1986"]])
    with pytest.raises(EdmError, match="unknown field"):
        build_index(register, "staff", tmp_path, {"Who": "nickname"})
    report = build_index(register, "staff", tmp_path, {"who": "full_name", "BORN": "date_of_birth"})
    assert report.records == 1
    index = EdmIndex.load(tmp_path)
    assert index is not None
    found = index.match(_table(["Person", "DOB"], ["Bethany Okonkwo-Hale", "1986-02-14"]))
    assert {f.column for f in found} == {"Person", "DOB"}


def test_third_party_columns_are_not_indexed(tmp_path: Path) -> None:
    report = build_index(_register(STAFF_HEADER, STAFF_ROWS), "staff", tmp_path)
    assert not any("Next of Kin" in column for column in report.columns)
    assert any("Next of Kin" in column for column in report.ignored)


# --------------------------------------------------------------------------- matching tables


def test_name_and_date_of_birth_match_one_record(index: EdmIndex) -> None:
    doc = _table(["Name", "DOB", "Team"], ["Bethany Okonkwo-Hale", "1986-02-14", "Response"])
    found = index.match(doc)
    assert {(f.entity_type, f.column, f.row) for f in found} == {
        ("STAFF_RECORD", "Name", 1),
        ("STAFF_RECORD", "DOB", 1),
    }
    assert all(f.score == 1.0 and f.part == "out.xlsx/Sheet1" and f.part_name == "out.xlsx" for f in found)
    assert {f.text for f in found} == {"Bethany Okonkwo-Hale", "1986-02-14"}


def test_common_surname_alone_never_matches(index: EdmIndex) -> None:
    doc = _table(["Surname", "Team"], ["Smith", "Response"], ["SMITH", "CID"])
    assert index.match(doc) == []


def test_name_alone_and_public_details_do_not_match(index: EdmIndex) -> None:
    doc = _table(
        ["Forename", "Surname", "Collar", "Email"],
        ["John", "Smith", "PS 1187", "john.smith@wessex.police.uk"],
    )
    assert index.match(doc) == []


def test_values_of_different_records_do_not_add_up(index: EdmIndex) -> None:
    # John Smith's name with Priya Smith's date of birth and Bethany's postcode.
    doc = _table(["Forename", "Surname", "DOB", "Postcode"], ["John", "Smith", "22/03/1992", "BA2 7QT"])
    assert index.match(doc) == []


def test_strong_identifier_alone_matches(index: EdmIndex) -> None:
    doc = _table(["Ref", "NI"], ["A1", "JG103759A"], ["A2", "JG103759B"])
    found = index.match(doc)
    assert [(f.column, f.row, f.entity_type) for f in found] == [("NI", 1, "STAFF_RECORD")]


def test_structured_staff_number_is_strong(index: EdmIndex) -> None:
    found = index.match(_table(["Payroll", "Hours"], ["w104235", "37.5"]))
    assert [(f.column, f.row) for f in found] == [("Payroll", 1)]


def test_two_private_attributes_match_without_name(index: EdmIndex) -> None:
    found = index.match(_table(["Born", "Home PC", "Notes"], ["03-11-1979", "so152jx", "none"]))
    assert {f.column for f in found} == {"Born", "Home PC"}


def test_offender_short_pnc_matches_long_form(index: EdmIndex) -> None:
    found = index.match(_table(["Subject", "PNC"], ["unknown", "88/163001T"]))
    assert [(f.entity_type, f.column) for f in found] == [("OFFENDER_RECORD", "PNC")]


def test_offender_full_name_and_address_line(index: EdmIndex) -> None:
    doc = _table(["Surname", "Forenames", "Address 1"], ["Kestrel", "Darren", "12 Mill Ln"])
    found = index.match(doc)
    assert {f.column for f in found} == {"Surname", "Forenames", "Address 1"}
    assert {f.entity_type for f in found} == {"OFFENDER_RECORD"}


def test_hidden_sheet_is_reported_as_such(index: EdmIndex) -> None:
    found = index.match(_table(["NINO"], ["CE482011D"], hidden=True))
    assert [f.where for f in found] == ["hidden-sheet"]


def test_uninspectable_parts_are_skipped(index: EdmIndex) -> None:
    doc = Part(name="x.zip", kind="zip", children=[Part(name="x.zip/a.csv", kind="csv", uninspectable="encrypted")])
    assert index.match(doc) == []


# --------------------------------------------------------------------------- matching text


def test_name_and_date_of_birth_in_prose(index: EdmIndex) -> None:
    text = "Intelligence suggests that Anneliese Van der Berg (born 21/07/1990) was present at the address."
    found = index.match(_text(text))
    assert {text[f.start : f.end] for f in found if f.start is not None} >= {"Anneliese", "21/07/1990"}
    assert all(f.entity_type == "STAFF_RECORD" and f.segment == 0 for f in found)
    assert any(f.text.startswith("Van") for f in found)


def test_signature_block_does_not_match(index: EdmIndex) -> None:
    text = "Regards,\nPC 4521 Bethany Okonkwo-Hale\nbethany.okonkwo-hale@wessex.police.uk"
    assert index.match(_text(text)) == []


def test_attributes_far_apart_do_not_match(index: EdmIndex) -> None:
    text = "Bethany Okonkwo-Hale attended." + " Nothing of note." * (TEXT_WINDOW // 8) + " Date 14/02/1986."
    assert index.match(_text(text)) == []


def test_strong_identifier_in_prose(index: EdmIndex) -> None:
    text = "Subject PNC 79/163001B refers; also nominal 88/163001T."
    found = index.match(_text(text))
    assert [(f.entity_type, f.text) for f in found] == [("OFFENDER_RECORD", "88/163001T")]


def test_both_registers_report_their_own_type(index: EdmIndex) -> None:
    text = "Officer NI AB 12 34 56 C dealt with Carla Mendes DOB 30/09/1995."
    found = index.match(_text(text))
    assert {(f.entity_type, f.text) for f in found} == {
        ("STAFF_RECORD", "AB 12 34 56 C"),
        ("OFFENDER_RECORD", "Carla"),
        ("OFFENDER_RECORD", "Mendes"),
        ("OFFENDER_RECORD", "30/09/1995"),
    }
