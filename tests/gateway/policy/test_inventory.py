"""What policy judges: columns by their category, stray values one by one, markings apart."""

from __future__ import annotations

from gateway.detect.model import Finding
from gateway.policy.inventory import found_markings, items, present_categories


def test_columns_then_text_values(build) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Name", "PERSON").column("Notes", "FREE_TEXT").column("Cost", "NON_PERSONAL")
    b.text("UK_NINO")
    judged = items(b.detection)
    assert [(i.category, i.column.label if i.column else None) for i in judged] == [
        ("PERSON", "Name"),
        ("UK_NINO", None),
    ]


def test_cell_values(build) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Name", "PERSON").column("Notes", "FREE_TEXT").column("Cost", "NON_PERSONAL")
    b.cell("PERSON", "Name", 0)  # covered by the PERSON column
    b.cell("UK_NINO", "Notes", 1)  # judged on its own, located in its column
    b.cell("EMAIL_ADDRESS", "Cost", 2)  # NON_PERSONAL says nothing about it
    b.cell("PHONE_NUMBER", "Extra", 5)  # no FieldInfo for this column
    judged = items(b.detection)
    assert [(i.category, i.column.label if i.column else None) for i in judged] == [
        ("PERSON", "Name"),
        ("UK_NINO", "Notes"),
        ("EMAIL_ADDRESS", "Cost"),
        ("PHONE_NUMBER", "Extra"),
    ]


def test_first_column_cells_are_matched_to_their_field(build) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Station", "WORK_LOCATION").cell("UK_POSTCODE", "Station", 0)
    assert [i.category for i in items(b.detection)] == ["WORK_LOCATION"]


def test_markings_are_not_items(build) -> None:  # type: ignore[no-untyped-def]
    b = build().text("PROTECTIVE_MARKING").marking("OFFICIAL-SENSITIVE")
    assert items(b.detection) == []
    assert present_categories(b.detection) == set()


def test_found_markings_prefers_the_normalised_list(build) -> None:  # type: ignore[no-untyped-def]
    b = build().marking("OFFICIAL-SENSITIVE: PERSONAL").marking("gibberish")
    b.detection.findings.append(Finding("PROTECTIVE_MARKING", 0.9, "m.txt", "m.txt", "Secret", 0, 6, 0))
    readable, unreadable = found_markings(b.detection)
    assert [m.name for m in readable] == ["OFFICIAL-SENSITIVE"]
    assert unreadable == 1


def test_found_markings_falls_back_to_findings(build) -> None:  # type: ignore[no-untyped-def]
    b = build()
    b.detection.findings.append(Finding("PROTECTIVE_MARKING", 0.9, "m.txt", "m.txt", "Top-Secret", 0, 10, 0))
    readable, unreadable = found_markings(b.detection)
    assert [m.name for m in readable] == ["TOP SECRET"] and unreadable == 0


def test_self_evident_identifiers_are_judged_in_any_column(build) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Job", "JOB_TITLE").column("NI", "UK_NINO")
    b.cell("UK_NINO", "Job", 0).cell("UK_NINO", "NI", 1).cell("UK_POSTCODE", "Job", 0)
    assert [(i.category, i.column.label if i.column else None) for i in items(b.detection)] == [
        ("JOB_TITLE", "Job"),
        ("UK_NINO", "NI"),
        ("UK_NINO", "Job"),
    ]


def test_special_items(build) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Sick", "SICKNESS").text("SPECIAL_CATEGORY").text("PERSON")
    assert [i.special for i in items(b.detection)] == [True, True, False]


def test_a_header_that_is_data_is_never_used_as_a_label(build) -> None:  # type: ignore[no-untyped-def]
    b = build().column("JR548217C", "UK_NINO").column("Aisha", "PERSON")
    b.detection.findings.append(
        Finding("UK_NINO", 0.9, "staff.csv", "staff.csv", "JR548217C", 0, 9, table=0, column="JR548217C",
                column_index=0, row=0, where="header-row")
    )
    labels = [i.column.label for i in items(b.detection) if i.column]
    assert labels == ["column 1", "Aisha"]
