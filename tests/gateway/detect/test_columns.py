from __future__ import annotations

from pathlib import Path

import pytest

from gateway.content.model import Table
from gateway.detect.columns import (
    HeaderSynonyms,
    classify_column,
    classify_table,
    normalise_header,
    sample_values,
)
from gateway.detect.detector import Detector
from gateway.detect.model import FIELD_CATEGORIES

from .conftest import CONFIG_DIR

NINOS = ["AB123456C", "JK 45 67 89 A", "ST987654D", "WX112233B", "HT246802C"]
NAMES = ["John Smith", "Sarah Jenkins", "David Okafor", "Amy Lowe", "Priya Patel"]


@pytest.mark.parametrize(
    "header,words",
    [
        ("D.O.B", ("dob",)),
        ("DateOfBirth", ("date", "of", "birth")),
        ("date_of_birth", ("date", "of", "birth")),
        ("Sex/Gender", ("sex", "gender")),
        ("N.I. No.", ("ni", "no")),
        ("IPAddress", ("ip", "address")),
    ],
)
def test_normalise_header(header: str, words: tuple[str, ...]) -> None:
    assert normalise_header(header) == words


def test_shipped_synonyms_cover_every_field_category() -> None:
    synonyms = HeaderSynonyms.load(CONFIG_DIR / "columns.yaml")
    covered = {m.category for h in _all_synonyms(CONFIG_DIR / "columns.yaml") if (m := synonyms.match(h))}
    # Exact Data Match alone reports register records; no header can say a column is one.
    assert covered == set(FIELD_CATEGORIES) - {"STAFF_RECORD", "OFFENDER_RECORD"}


def _all_synonyms(path: Path) -> list[str]:
    import yaml

    data = yaml.safe_load(path.read_text())
    return [s for words in data["synonyms"].values() for s in words]


# fmt: off
HEADER_SYNONYMS_CASES = [
    ("Surname", "PERSON", True),
    ("Forename(s)", "PERSON", True),
    ("Family name", "PERSON", True),
    ("NI No", "UK_NINO", True),
    ("NINO", "UK_NINO", True),
    ("National Insurance Number", "UK_NINO", True),
    ("D.O.B", "DATE_OF_BIRTH", True),
    ("Home Address Line 1", "STREET_ADDRESS", False),
    ("Post Code", "UK_POSTCODE", True),
    ("Collar No", "POLICE_COLLAR_NUMBER", True),
    ("Shoulder Number", "POLICE_COLLAR_NUMBER", True),
    ("Officer Defined Ethnicity", "SPECIAL_CATEGORY", True),
    ("Sickness Days", "SICKNESS", True),
    ("Absence Reason", "SICKNESS", True),
    ("Pay Point", "PAY_GRADE", True),
    ("Station Name", "WORK_LOCATION", False),   # longest synonym wins over "name"
    ("Custody Ref", "CUSTODY_REFERENCE", True),
    ("Occurrence No", "CRIME_REFERENCE", True),
    ("PNC ID", "UK_PNC_ID", True),
    ("CRO No", "UK_CRO", True),
    ("HO Classification", "OFFENCE", True),
    ("Warning Markers", "WARNING_MARKER", True),
    ("Sex/Gender", "GENDER", True),
    ("Notes", "FREE_TEXT", True),
    ("Abs Days", "SICKNESS", True),
    ("Grade/Spine Point", "PAY_GRADE", False),
    ("Pay No", "POLICE_COLLAR_NUMBER", True),
    ("Payroll", "POLICE_COLLAR_NUMBER", True),
    ("Subject Officer", "PERSON", True),
    ("Complainant", "PERSON", True),
    ("Overtime Amount", "SALARY", True),
]
# fmt: on


@pytest.mark.parametrize("header,category,exact", HEADER_SYNONYMS_CASES)
def test_header_synonyms(detector: Detector, header: str, category: str, exact: bool) -> None:
    match = detector.synonyms.match(header)
    assert match is not None
    assert (match.category, match.exact) == (category, exact)


def test_unknown_header_matches_nothing(detector: Detector) -> None:
    assert detector.synonyms.match("Widget colour") is None


def test_bad_synonym_files_are_named_in_the_error(tmp_path: Path) -> None:
    bad = tmp_path / "columns.yaml"
    bad.write_text("synonyms:\n  NOT_A_CATEGORY: [x]\n")
    with pytest.raises(ValueError, match=r"columns.yaml:synonyms.NOT_A_CATEGORY"):
        HeaderSynonyms.load(bad)
    bad.write_text("synonyms: [1, 2]\n")
    with pytest.raises(ValueError, match=r"columns.yaml:synonyms: must map"):
        HeaderSynonyms.load(bad)
    bad.write_text("synonyms: {PERSON: [name]}\nneeds_values: name\n")
    with pytest.raises(ValueError, match=r"columns.yaml:needs_values"):
        HeaderSynonyms.load(bad)
    with pytest.raises(ValueError, match="cannot read"):
        HeaderSynonyms.load(tmp_path / "missing.yaml")


def _classify(detector: Detector, header: str, values: list[str]) -> tuple[str, float]:
    cls = classify_column(header, values, detector.synonyms, detector.analyzer)
    return cls.category, cls.confidence


def test_valid_identifiers_override_a_misleading_header(detector: Detector) -> None:
    category, confidence = _classify(detector, "Ref", NINOS * 4)
    assert category == "UK_NINO"
    assert confidence >= 0.9


def test_a_name_column_of_product_names_is_not_person(detector: Detector) -> None:
    products = ["Widget Pro", "Blue Mug", "Desk Lamp", "Steel Kettle", "Garden Hose", "Paper Tray"]
    assert _classify(detector, "Name", products)[0] == "NON_PERSONAL"


def test_a_name_column_of_people_is_person(detector: Detector) -> None:
    assert _classify(detector, "Name", NAMES) == ("PERSON", 0.95)


def test_surname_first_layout_without_a_header_is_person(detector: Detector) -> None:
    values = ["SMITH, John", "JONES, Amy", "OKAFOR, David", "NOWAK, Tomasz"]
    assert _classify(detector, "column 3", values)[0] == "PERSON"


def test_mixed_case_surname_comma_forename_under_a_vague_header_is_person(detector: Detector) -> None:
    values = ["Smith, John", "Jenkins, Sarah", "Okafor, David", "Lowe, Amy", "Patel, Priya"]
    assert _classify(detector, "Employee", values)[0] == "PERSON"
    assert _classify(detector, "Employee", ["Leeds, West", "Fleet, Workshop", "Stores, Central"])[0] != "PERSON"


def test_all_caps_surnames_under_a_surname_header(detector: Detector) -> None:
    assert _classify(detector, "Surname", ["SMITH", "JONES", "OKAFOR", "O'NEILL"]) == ("PERSON", 0.95)


def test_dates_are_birth_dates_only_in_a_birth_date_column(detector: Detector) -> None:
    dates = ["01/02/1980", "12/11/1975", "30/06/1992", "07/07/1966"]
    assert _classify(detector, "D.O.B", dates) == ("DATE_OF_BIRTH", 0.95)
    assert _classify(detector, "Arrest date", dates)[0] == "NON_PERSONAL"


def test_long_text_without_a_header_is_free_text(detector: Detector) -> None:
    notes = ["Attended the address and spoke to the occupant about the noise complaint."] * 3
    assert _classify(detector, "column 9", notes)[0] == "FREE_TEXT"


def test_a_header_without_values_still_classifies(detector: Detector) -> None:
    assert _classify(detector, "NI Number", ["", "", "N/A"]) == ("UK_NINO", 0.6)
    assert _classify(detector, "Name", ["", ""]) == ("NON_PERSONAL", 0.5)


def test_counts_by_rank_are_an_aggregate_not_personal_data(detector: Detector) -> None:
    table = Table("Sheet1", ["Rank", "Ethnicity", "Headcount"], [
        ["PC", "White British", "420"], ["PC", "Asian British", "31"], ["PS", "White British", "80"],
    ])  # fmt: skip
    classes = classify_table(table, detector.synonyms, detector.analyzer)
    assert [c.category for c in classes] == ["NON_PERSONAL", "NON_PERSONAL", "NON_PERSONAL"]


def test_the_same_attributes_with_names_are_personal(detector: Detector) -> None:
    table = Table("Sheet1", ["Surname", "Rank", "Ethnicity", "Sickness Days"], [
        ["SMITH", "PC", "White British", "4"], ["OKAFOR", "PS", "Black British", "0"],
    ])  # fmt: skip
    classes = classify_table(table, detector.synonyms, detector.analyzer)
    assert [c.category for c in classes] == ["PERSON", "RANK", "SPECIAL_CATEGORY", "SICKNESS"]


def test_sample_spreads_over_a_large_column_and_skips_nulls_and_repeats() -> None:
    values = ["N/A", ""] + [f"value {i % 500}" for i in range(100_000)]
    sample = sample_values(values, size=50)
    assert len(sample) == 50
    assert len(set(sample)) == 50
    assert "N/A" not in sample
