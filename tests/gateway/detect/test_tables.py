from __future__ import annotations

from detectors.checks import pnc_check_letter
from gateway.detect.detector import Detector
from gateway.detect.model import Finding

from .parts import table_part


def _pnc(year: str, serial: str) -> str:
    return f"{year}/{serial}{pnc_check_letter(year, serial)}"


def _cells(findings: list[Finding], column: str) -> list[tuple[int | None, str, str]]:
    return [(f.row, f.entity_type, f.text) for f in findings if f.column == column]


def test_identifier_cells_are_validated_one_by_one_with_row_numbers(detector: Detector) -> None:
    good1, good2 = _pnc("2002", "0073319"), _pnc("1998", "0045678")
    bad = good2[:-1] + ("A" if good2[-1] != "A" else "B")  # wrong check letter
    part = table_part(["PNC ID", "Surname"], [[good1, "SMITH"], [bad, "JONES"], ["", "OKAFOR"], [good2, "NOWAK"]])
    findings = detector.detect(part).findings
    assert _cells(findings, "PNC ID") == [(1, "UK_PNC_ID", good1), (4, "UK_PNC_ID", good2)]
    assert _cells(findings, "Surname") == [
        (1, "PERSON", "SMITH"), (2, "PERSON", "JONES"), (3, "PERSON", "OKAFOR"), (4, "PERSON", "NOWAK"),
    ]  # fmt: skip
    first = findings[0]
    assert (first.part, first.part_name, first.table, first.column_index) == ("staff.csv/Sheet1", "staff.csv", 0, 0)
    assert (first.start, first.end) == (0, len(good1))


def test_fields_describe_every_column_with_hidden_flags(detector: Detector) -> None:
    part = table_part(
        ["Surname", "NI Number", "Station"],
        [["SMITH", "AB123456C", "Central"], ["JONES", "", "North"]],
        hidden_columns={1},
    )
    fields = detector.detect(part).fields
    assert [(f.column, f.category, f.hidden, f.values) for f in fields] == [
        ("Surname", "PERSON", False, 2),
        ("NI Number", "UK_NINO", True, 1),
        ("Station", "WORK_LOCATION", False, 2),
    ]
    assert all(f.part == "staff.csv/Sheet1" and f.table == 0 for f in fields)


def test_hidden_sheets_columns_and_rows_are_reported_as_such(detector: Detector) -> None:
    rows = [["SMITH", "AB123456C"], ["JONES", "JK456789A"]]
    sheet = detector.detect(table_part(["Surname", "NINO"], rows, hidden=True)).findings
    assert {f.where for f in sheet} == {"hidden-sheet"}
    hidden_row = detector.detect(table_part(["Surname", "NINO"], rows, hidden_rows={1})).findings
    assert {(f.row, f.where) for f in hidden_row} == {(1, "body"), (2, "hidden-row")}
    hidden_col = detector.detect(table_part(["Surname", "NINO"], rows, hidden_columns={1})).findings
    assert {(f.column, f.where) for f in hidden_col} == {("Surname", "body"), ("NINO", "hidden-column")}


def test_dates_of_birth_are_reported_only_where_the_cell_is_a_date(detector: Detector) -> None:
    part = table_part(["Surname", "DOB"], [["SMITH", "01/02/1980"], ["JONES", "unknown"], ["LOWE", "not given"]])
    assert _cells(detector.detect(part).findings, "DOB") == [(1, "DATE_OF_BIRTH", "01/02/1980")]


def test_free_text_cells_are_scanned_with_offsets_inside_the_cell(detector: Detector) -> None:
    notes = [
        "Spoke to the occupant about the noise complaint at length.",
        "",
        "Occupant gave NI number AB123456C and a mobile of 07700 900123 for contact.",
    ]
    part = table_part(["Incident", "Notes"], [["A1", notes[0]], ["A2", notes[1]], ["A3", notes[2]]])
    detection = detector.detect(part)
    assert next(f.category for f in detection.fields if f.column == "Notes") == "FREE_TEXT"
    found = [(f.row, f.entity_type, notes[2][f.start : f.end]) for f in detection.findings if f.column == "Notes"]
    assert found == [(3, "UK_NINO", "AB123456C"), (3, "PHONE_NUMBER", "07700 900123")]


def test_an_identifier_straying_into_an_unclassified_column_is_found(detector: Detector) -> None:
    rows = [[f"Item {i}", "ok"] for i in range(50)] + [["Item 50", "AB123456C"]]
    findings = detector.detect(table_part(["Product", "Status"], rows)).findings
    assert _cells(findings, "Status") == [(51, "UK_NINO", "AB123456C")]


def test_identifiers_in_the_header_row_are_found(detector: Detector) -> None:
    # A CSV without a header row: its first record becomes the header.
    part = table_part(["SMITH", "AB123456C"], [["JONES", "JK456789A"]])
    findings = detector.detect(part).findings
    assert ("UK_NINO", 0, "AB123456C") in [(f.entity_type, f.row, f.text) for f in findings]


def test_special_category_cells_are_findings_even_when_they_say_no(detector: Detector) -> None:
    # "DNA taken: N" and "Religion: None" still state something about biometrics and belief.
    part = table_part(["Surname", "DNA Taken", "Religion"], [["SMITH", "Y", "Muslim"], ["JONES", "N", "None"]])
    findings = detector.detect(part).findings
    assert [(f.column, f.row) for f in findings if f.entity_type == "SPECIAL_CATEGORY"] == [
        ("DNA Taken", 1),
        ("DNA Taken", 2),
        ("Religion", 1),
    ]


def test_an_asset_register_is_not_about_people(detector: Detector) -> None:
    part = table_part(
        ["Asset Tag", "Model", "IP Address", "Location"],
        [["WP-1", "Surface Pro 9", "10.241.44.217", "Poole - Custody"], ["WP-2", "OptiPlex", "10.4.2.1", "Bath"]],
    )
    detection = detector.detect(part)
    assert detection.findings == []
    assert {f.category for f in detection.fields} == {"NON_PERSONAL"}


def test_a_large_table_is_handled_in_full(detector: Detector) -> None:
    rows = [[f"SURNAME{chr(65 + i % 26)}", f"{(i % 28) + 1:02d}/03/1985", "Central"] for i in range(5000)]
    detection = detector.detect(table_part(["Surname", "Date of Birth", "Station"], rows))
    rows_by_type: dict[str, set[int | None]] = {}
    for f in detection.findings:
        rows_by_type.setdefault(f.entity_type, set()).add(f.row)
    assert rows_by_type == {"PERSON": set(range(1, 5001)), "DATE_OF_BIRTH": set(range(1, 5001))}


def test_call_signs_in_a_vehicle_column_are_not_registrations() -> None:
    from pathlib import Path

    from gateway.content.model import Part, Table
    from gateway.detect import Detector, DetectorConfig

    detector = Detector(DetectorConfig(config_dir=Path(__file__).resolve().parents[3] / "config", with_ner=False,
                                       edm_dir=None))
    rota = Table("t", ["Shift", "Team", "Vehicle"],
                 [["Earlies", "Response A", "Car 12"], ["Lates", "Response B", "Van 3"]])
    detection = detector.detect(Part(name="rota.csv", kind="csv", tables=[rota]))
    assert not [f for f in detection.findings if f.entity_type == "UK_VEHICLE_REG"]
    assert [f.category for f in detection.fields if f.column == "Vehicle"] != ["UK_VEHICLE_REG"]
    plates = Table("t", ["Name", "Vehicle Reg"], [["John SMITH", "AB51 ABC"], ["Anne LEE", "car 12"]])
    found = detector.detect(Part(name="stops.csv", kind="csv", tables=[plates])).findings
    assert [f.text for f in found if f.entity_type == "UK_VEHICLE_REG"] == ["AB51 ABC"]


def test_group_labels_of_a_table_of_counts_are_not_findings(detector: Detector) -> None:
    rows = [
        ["Constable", "White British", "812"], ["Constable", "Asian or Asian British", "64"],
        ["Sergeant", "Black or Black British", "9"], ["Sergeant", "Muslim", "12"],
    ]  # fmt: skip
    detection = detector.detect(table_part(["Rank", "Ethnicity", "Headcount"], rows))
    assert detection.findings == []
    assert {f.category for f in detection.fields} == {"NON_PERSONAL"}
    # The same labels beside names are special category data about each person.
    named = detector.detect(table_part(["Surname", "Ethnicity"], [["SMITH", "White British"], ["KAUR", "Sikh"]]))
    assert "SPECIAL_CATEGORY" in {f.entity_type for f in named.findings}
