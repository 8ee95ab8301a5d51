from __future__ import annotations

from gateway.content.model import Table
from gateway.detect.columns import ColumnClass
from gateway.detect.model import Finding
from gateway.detect.subjects import SubjectCounter


def _classes(*categories: str) -> list[ColumnClass]:
    return [ColumnClass(c, 0.9, "header") for c in categories]


def _finding(entity: str, text: str) -> Finding:
    return Finding(entity_type=entity, score=0.9, part="a.txt", part_name="a.txt", text=text)


def test_rows_are_counted_distinct_by_their_strongest_identifier() -> None:
    counter = SubjectCounter()
    table = Table("Staff", ["Surname", "NI", "Collar"], [
        ["SMITH", "AB123456C", "1234"],
        ["SMITH", "AB 12 34 56 C", "99"],   # same NINO written differently: same person
        ["JONES", "JK456789A", "1234"],     # shares a collar number only: a different person
        ["", "", ""],                       # nobody
    ])  # fmt: skip
    counter.add_table(table, _classes("PERSON", "UK_NINO", "POLICE_COLLAR_NUMBER"))
    assert counter.count() == 2


def test_a_hidden_copy_of_the_same_people_counts_once() -> None:
    counter = SubjectCounter()
    rows = [["SMITH", "AB123456C"], ["JONES", "JK456789A"]]
    counter.add_table(Table("Visible", ["Surname", "NI"], rows), _classes("PERSON", "UK_NINO"))
    counter.add_table(Table("Hidden", ["Surname", "NI"], rows, hidden=True), _classes("PERSON", "UK_NINO"))
    assert counter.count() == 2


def test_rows_without_identifiers_are_distinct_by_name_and_date_of_birth() -> None:
    counter = SubjectCounter()
    table = Table("T", ["Name", "DOB"], [
        ["John Smith", "01/02/1980"], ["SMITH, John", "01/02/1980"], ["John Smith", "05/05/1990"],
    ])  # fmt: skip
    counter.add_table(table, _classes("PERSON", "DATE_OF_BIRTH"))
    assert counter.count() == 2


def test_tables_without_person_columns_add_nobody() -> None:
    counter = SubjectCounter()
    counter.add_table(Table("T", ["Rank", "Count"], [["PC", "4"]]), _classes("RANK", "NON_PERSONAL"))
    assert counter.count() == 0


def test_text_counts_names_or_identifiers_whichever_is_larger() -> None:
    counter = SubjectCounter()
    counter.add_findings([
        _finding("PERSON", "John Smith"), _finding("PERSON", "SMITH, John"), _finding("UK_NINO", "AB123456C"),
        _finding("UK_NHS", "943 476 5919"), _finding("PHONE_NUMBER", "07700 900123"),
    ])  # fmt: skip
    assert counter.count() == 1
    counter.add_findings([_finding("UK_NINO", "JK456789A"), _finding("UK_NINO", "ST987654D")])
    assert counter.count() == 3


def test_a_surname_alone_is_not_a_new_person_when_a_full_name_has_it() -> None:
    counter = SubjectCounter()
    counter.add_findings([_finding("PERSON", "John Smith"), _finding("PERSON", "Smith"), _finding("PERSON", "Patel")])
    assert counter.count() == 2


def test_people_named_in_text_and_listed_in_a_table_count_once() -> None:
    counter = SubjectCounter()
    counter.add_table(Table("T", ["Name", "NI"], [["John Smith", "AB123456C"]]), _classes("PERSON", "UK_NINO"))
    counter.add_findings([_finding("PERSON", "Mr John SMITH"), _finding("UK_NINO", "AB 12 34 56 C")])
    assert counter.count() == 1


def test_a_given_name_alone_is_a_greeting_not_a_person() -> None:
    counter = SubjectCounter()
    counter.add_findings([_finding("PERSON", "Dave"), _finding("PERSON", "Sarah Whitfield")])
    assert counter.count() == 1
