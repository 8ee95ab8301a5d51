"""Verdicts under an agreement, from hand-built Detections."""

from __future__ import annotations

import pytest

from gateway.content.model import Span
from gateway.detect.model import Finding
from gateway.policy.decide import decide_agreement, monitored
from gateway.policy.default import BUILTIN
from gateway.policy.markings import parse_level_name
from gateway.policy.match import parse_destination
from gateway.policy.verdict import Action, Reason, Verdict

DEST = parse_destination("sftp.g4s.com")


def _decide(detection, agreement):  # type: ignore[no-untyped-def]
    return decide_agreement(detection, agreement, BUILTIN, DEST)


def _no_values(verdict: Verdict) -> None:
    for text in verdict.reason_texts():
        assert "SECRETVAL" not in text and "CELLVALUE" not in text, text


def _hr(build):  # type: ignore[no-untyped-def]
    return build().column("Name", "PERSON").column("Job Title", "JOB_TITLE").subjects(12)


def test_allowed_columns_only(build, agreement) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(_hr(build).column("Grade", "PAY_GRADE").detection, agreement)
    assert verdict.action is Action.ALLOW
    assert verdict.agreement == "g4s-support-services"
    assert verdict.excess_fields == [] and verdict.missing_fields == [] and verdict.plan is None
    assert verdict.allowed_categories == agreement.allowed_fields
    (reason,) = verdict.reason_texts()
    assert reason.startswith("Covered by agreement g4s-support-services (Support services outsourcing")
    assert "sftp.g4s.com" in reason and "names, job titles and pay grades" in reason


def test_excess_columns_are_redacted_with_a_plan(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).column("NI Number", "UK_NINO").column("Home Address", "STREET_ADDRESS")
    b.column("DOB", "DATE_OF_BIRTH")
    sheet2 = "staff.xlsx/Sheet2"
    b.column("Name", "PERSON", part=sheet2, table=1).column("Mobile", "PHONE_NUMBER", part=sheet2, table=1)
    b.column("Role", "JOB_TITLE", part=sheet2, table=1)
    b.cell("UK_NINO", "NI Number", 2)
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.REDACT
    assert verdict.excess_fields == ["NI Number", "Home Address", "DOB", "Mobile"]
    assert verdict.plan is not None
    assert verdict.plan.parts["staff.csv"].drop_columns == {0: {2, 3, 4}}
    assert verdict.plan.parts["staff.xlsx/Sheet2"].drop_columns == {1: {1}}
    (reason,) = verdict.reason_texts()
    assert reason == (
        "The agreement g4s-support-services does not allow NI numbers, street addresses, dates of birth and "
        "phone numbers, so 4 columns (“NI Number”, “Home Address”, “DOB” and “Mobile”) are removed from the "
        "copy that is sent."
    )
    _no_values(verdict)


def test_excess_values_in_text_become_spans(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).text("UK_NINO", 10, 19, segment=2).text("PHONE_NUMBER", 30, 43, segment=2)
    b.text("EMAIL_ADDRESS", 5, 25, part="mail.eml/body", segment=0)
    b.text("PERSON", 0, 4)  # allowed, stays
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.REDACT
    assert verdict.plan is not None
    assert verdict.plan.parts["memo.txt"].spans == {2: [Span(10, 19, "UK_NINO"), Span(30, 43, "PHONE_NUMBER")]}
    assert verdict.plan.parts["mail.eml/body"].spans == {0: [Span(5, 25, "EMAIL_ADDRESS")]}
    assert verdict.excess_fields == ["UK_NINO", "PHONE_NUMBER", "EMAIL_ADDRESS"]
    assert "3 values in the text of “memo.txt” and “mail.eml/body”" in verdict.reason_texts()[0]
    _no_values(verdict)


def test_excess_value_that_cannot_be_located_holds_the_transfer(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).text("UK_NINO", segment=None)
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.QUARANTINE and verdict.plan is None
    assert "could not be located precisely enough to cut out" in verdict.reason_texts()[0]


@pytest.mark.parametrize("on_excess", [Action.QUARANTINE, Action.BLOCK])
def test_excess_hold_or_block(build, make, on_excess: Action) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).column("NI Number", "UK_NINO").text("UK_NHS", part="notes.txt")
    verdict = _decide(b.detection, make(on_excess=on_excess))
    assert verdict.action is on_excess and verdict.plan is None
    assert verdict.excess_fields == ["NI Number", "UK_NHS"]
    (reason,) = verdict.reason_texts()
    assert "does not allow NI numbers and NHS numbers, found in 1 column (“NI Number”) and 1 value in" in reason


def test_column_category_covers_values_found_in_its_cells(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).column("Station", "WORK_LOCATION").cell("UK_POSTCODE", "Station", 2)
    assert _decide(b.detection, agreement).action is Action.ALLOW


def test_values_in_free_text_columns_are_judged_one_by_one(build, make) -> None:  # type: ignore[no-untyped-def]
    agreement = make(allowed_fields=frozenset({"PERSON", "JOB_TITLE", "FREE_TEXT"}))
    b = _hr(build).column("Notes", "FREE_TEXT").cell("UK_NINO", "Notes", 2).cell("PERSON", "Notes", 2)
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.REDACT
    assert verdict.excess_fields == ["Notes"]
    assert verdict.plan is not None and verdict.plan.parts["staff.csv"].drop_columns == {0: {2}}
    assert "does not allow NI numbers, so 1 column (“Notes”) is removed" in verdict.reason_texts()[0]


def test_free_text_column_must_itself_be_allowed(build, agreement) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(_hr(build).column("Notes", "FREE_TEXT").detection, agreement)
    assert verdict.action is Action.ALLOW  # an empty notes column holds nothing personal


def test_an_ni_number_in_an_allowed_column_is_still_excess(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).cell("UK_NINO", "Job Title", 1, row=4)
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.REDACT and verdict.excess_fields == ["Job Title"]


def test_cell_value_in_unclassified_column(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).cell("UK_NINO", "Ref", 7)
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.REDACT and verdict.excess_fields == ["Ref"]
    assert verdict.plan is not None and verdict.plan.parts["staff.csv"].drop_columns == {0: {7}}


def test_non_personal_columns_are_never_excess(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).column("Cost centre", "NON_PERSONAL")
    assert _decide(b.detection, agreement).action is Action.ALLOW


def test_special_category_column_cut_by_redaction_is_not_held(build, agreement) -> None:  # type: ignore[no-untyped-def]
    # The seed incident: sickness columns the contractor never needed are trimmed, not held.
    b = _hr(build).column("Sickness reason", "SICKNESS")
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.REDACT
    assert verdict.excess_fields == ["Sickness reason"]
    assert verdict.plan is not None and verdict.plan.parts["staff.csv"].drop_columns == {0: {2}}
    assert not any(r.code == "special-category" for r in verdict.reasons)


def test_special_category_column_held_when_excess_is_not_cut(build, make) -> None:  # type: ignore[no-untyped-def]
    agreement = make(on_excess=Action.QUARANTINE, special_category=Action.BLOCK)
    b = _hr(build).column("Sickness reason", "SICKNESS")
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.BLOCK and verdict.plan is None
    assert any(r.code == "special-category" for r in verdict.reasons)


def test_special_category_in_text_is_held_even_when_excess_is_cut(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).text("SPECIAL_CATEGORY", 3, 12)
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.QUARANTINE and verdict.plan is None
    assert verdict.reason_texts()[0] == (
        "Special category data that agreement g4s-support-services does not allow was found "
        "in 1 value in the text of “memo.txt”; under the agreement it is held for a reviewer."
    )


def test_excess_wording_when_something_else_holds_the_transfer(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).column("NI Number", "UK_NINO").column("Sickness reason", "SICKNESS").marking("SECRET")
    texts = _decide(b.detection, agreement).reason_texts()
    assert texts[-1] == (
        "The agreement g4s-support-services does not allow NI numbers and sickness records, so 2 columns "
        "(“NI Number” and “Sickness reason”) would have to be removed before it could go."
    )


def test_special_category_allowed_explicitly_is_covered(build, make) -> None:  # type: ignore[no-untyped-def]
    agreement = make(id="oh-provider", allowed_fields=frozenset({"PERSON", "JOB_TITLE", "SICKNESS"}))
    b = _hr(build).column("Sickness reason", "SICKNESS")
    assert _decide(b.detection, agreement).action is Action.ALLOW


def test_special_category_in_text_with_special_allow_is_still_excess(build, make) -> None:  # type: ignore[no-untyped-def]
    agreement = make(special_category=Action.ALLOW)
    b = _hr(build).text("SPECIAL_CATEGORY", 3, 12)
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.REDACT
    assert verdict.plan is not None and verdict.plan.parts["memo.txt"].spans == {0: [Span(3, 12, "SPECIAL_CATEGORY")]}


def test_special_category_block(build, make) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).text("SPECIAL_CATEGORY")
    verdict = _decide(b.detection, make(special_category=Action.BLOCK))
    assert verdict.action is Action.BLOCK


def test_missing_required_fields(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Name", "PERSON").column("Rank", "RANK").subjects(3)
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.QUARANTINE
    assert verdict.missing_fields == ["JOB_TITLE"]
    assert verdict.reason_texts() == [
        "The agreement g4s-support-services requires job titles, which “staff.csv” lacks; it is held for "
        "a reviewer rather than sent incomplete with nobody checking it."
    ]


def test_each_table_of_records_must_be_complete(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).column("Name", "PERSON", part="b.csv").column("Grade", "PAY_GRADE", part="b.csv")
    b.column("Headcount", "NON_PERSONAL", part="summary.csv").column("Grade", "PAY_GRADE", part="summary.csv")
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.QUARANTINE and verdict.missing_fields == ["JOB_TITLE"]
    assert "requires job titles, which “b.csv” lacks" in verdict.reason_texts()[0]


def test_prose_is_checked_for_what_prose_can_show(build, make) -> None:  # type: ignore[no-untyped-def]
    agreement = make(
        allowed_fields=frozenset({"PERSON", "DATE_OF_BIRTH", "OFFENCE"}),
        required_fields=frozenset({"PERSON", "DATE_OF_BIRTH", "OFFENCE"}),
    )
    verdict = _decide(build().text("PERSON").detection, agreement)
    assert verdict.action is Action.QUARANTINE
    assert verdict.missing_fields == ["DATE_OF_BIRTH"]  # OFFENCE is a column category, never seen in prose
    assert "which this transfer lacks" in verdict.reason_texts()[0]
    assert _decide(build().text("PERSON").text("DATE_OF_BIRTH").detection, agreement).action is Action.ALLOW


def test_no_personal_data_is_not_an_incomplete_record(build, agreement) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(build().detection, agreement)
    assert verdict.action is Action.ALLOW and verdict.missing_fields == []


def test_required_field_found_in_text_counts(build, make) -> None:  # type: ignore[no-untyped-def]
    agreement = make(required_fields=frozenset({"PERSON"}))
    assert _decide(build().text("PERSON").detection, agreement).action is Action.ALLOW


@pytest.mark.parametrize("on_incomplete", [Action.ALLOW, Action.BLOCK])
def test_on_incomplete(build, make, on_incomplete: Action) -> None:  # type: ignore[no-untyped-def]
    detection = build().column("Grade", "RANK").column("Name", "PERSON").detection
    verdict = _decide(detection, make(on_incomplete=on_incomplete))
    assert verdict.action is on_incomplete
    assert verdict.missing_fields == ["JOB_TITLE"]


@pytest.mark.parametrize(
    "marking,max_marking,expected",
    [
        ("OFFICIAL", "OFFICIAL", Action.ALLOW),
        ("OFFICIAL-SENSITIVE", "OFFICIAL", Action.BLOCK),
        ("RESTRICTED", "OFFICIAL", Action.BLOCK),
        ("PROTECT – PERSONAL", "OFFICIAL", Action.ALLOW),
        ("OFFICIAL-SENSITIVE: PERSONAL", "OFFICIAL-SENSITIVE", Action.ALLOW),
        ("SECRET", "OFFICIAL-SENSITIVE", Action.BLOCK),
        ("CONFIDENTIAL", "OFFICIAL-SENSITIVE", Action.BLOCK),
        ("TOP SECRET", "SECRET", Action.BLOCK),
        ("IN CONFIDENCE-ISH", "OFFICIAL", Action.QUARANTINE),  # cannot be placed on the scale
    ],
)
def test_markings(build, make, marking: str, max_marking: str, expected: Action) -> None:  # type: ignore[no-untyped-def]
    agreement = make(max_marking=parse_level_name(max_marking))
    verdict = _decide(_hr(build).marking(marking).detection, agreement)
    assert verdict.action is expected


def test_marking_reason_names_both_levels(build, make) -> None:  # type: ignore[no-untyped-def]
    agreement = make(max_marking=parse_level_name("OFFICIAL-SENSITIVE"))
    verdict = _decide(_hr(build).marking("CONFIDENTIAL").detection, agreement)
    assert verdict.reason_texts()[0] == (
        "Marked CONFIDENTIAL (old GPMS marking, treated as SECRET), above the OFFICIAL-SENSITIVE that "
        "agreement g4s-support-services allows."
    )


def test_marking_findings_count_too(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build)
    b.detection.findings.append(
        Finding("PROTECTIVE_MARKING", 0.9, "memo.txt", "memo.txt", "SECRET", start=0, end=6, segment=0)
    )
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.BLOCK
    assert verdict.excess_fields == []  # a marking is not an excess field


def test_uninspectable_part(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).uninspectable("mail.eml/payroll.zip", "password-protected ZIP archive")
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.QUARANTINE
    assert verdict.reason_texts()[0] == (
        "“mail.eml/payroll.zip” could not be inspected: password-protected ZIP archive. Content nobody has "
        "inspected is never passed; it is held for a reviewer."
    )


def test_precedence_block_over_quarantine_over_redact(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).column("NI Number", "UK_NINO")  # redact
    assert _decide(b.detection, agreement).action is Action.REDACT
    b.text("SPECIAL_CATEGORY", 3, 12)  # special category in running text: quarantine
    v = _decide(b.detection, agreement)
    assert v.action is Action.QUARANTINE and v.plan is None
    b.marking("SECRET")  # block
    v = _decide(b.detection, agreement)
    assert v.action is Action.BLOCK
    assert v.reason_texts()[0].startswith("Marked SECRET")
    assert len(v.reasons) == 3


def test_monitor_mode_allows_but_reports(build, make) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).column("NI Number", "UK_NINO").column("Sickness", "SICKNESS").text("SPECIAL_CATEGORY", 3, 12)
    verdict = _decide(b.detection, make(mode="monitor"))
    assert verdict.action is Action.ALLOW
    assert verdict.monitor and verdict.would_action is Action.QUARANTINE
    assert verdict.plan is None
    assert verdict.excess_fields == ["NI Number", "Sickness", "SPECIAL_CATEGORY"]
    texts = verdict.reason_texts()
    assert texts[0] == (
        "The agreement g4s-support-services is in monitor mode: the gateway would have held this transfer, "
        "but nothing was enforced: it goes through unchanged."
    )
    assert all(t.startswith("Monitor mode, not enforced: ") for t in texts[1:])
    assert len(texts) == 3


def test_monitor_mode_with_nothing_to_report(build, make) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(_hr(build).detection, make(mode="monitor"))
    assert verdict.action is Action.ALLOW and verdict.monitor and verdict.would_action is Action.ALLOW
    assert verdict.reason_texts()[0].startswith("Covered by")


def test_monitored_keeps_redact_as_would_action() -> None:
    v = monitored(Verdict(Action.REDACT, "x", [Reason(Action.REDACT, "cut", "excess")]), "The agreement x")
    assert v.action is Action.ALLOW and v.would_action is Action.REDACT
    assert "would have sent a redacted copy of this transfer" in v.reason_texts()[0]


def test_email_destination_is_named_by_domain(build, agreement) -> None:  # type: ignore[no-untyped-def]
    verdict = decide_agreement(_hr(build).detection, agreement, BUILTIN, parse_destination("jane.bidder@g4s.com"))
    assert "recipients at g4s.com" in verdict.reason_texts()[0]
    assert "jane.bidder" not in verdict.reason_texts()[0]


def test_a_hidden_partial_copy_does_not_make_the_transfer_incomplete(agreement) -> None:  # type: ignore[no-untyped-def]
    from gateway.detect.model import Detection, FieldInfo

    def field(table: int, column: str, category: str, index: int, hidden: bool) -> FieldInfo:
        label = "hr.xlsx/pivot cache 1" if hidden else "hr.xlsx/Staff"
        return FieldInfo(label, "hr.xlsx", table, column, index, category, 0.9, hidden=hidden, derived=hidden)

    visible = [field(0, "Name", "PERSON", 0, False), field(0, "Job Title", "JOB_TITLE", 1, False)]
    cache = [field(1, "Name", "PERSON", 0, True)]  # a pivot cache holding names only
    assert _decide(Detection(fields=visible + cache, subjects=3), agreement).action is Action.ALLOW
    only_hidden = Detection(fields=cache, subjects=3)
    assert _decide(only_hidden, agreement).missing_fields == ["JOB_TITLE"]


def test_personal_data_in_a_hidden_sheet_is_held_even_when_allowed(agreement) -> None:  # type: ignore[no-untyped-def]
    from gateway.detect.model import Detection, FieldInfo

    visible = [FieldInfo("hr.xlsx/Summary", "hr.xlsx", 0, "Grade", 0, "NON_PERSONAL", 0.9)]
    hidden = [FieldInfo("hr.xlsx/Data", "hr.xlsx", 1, "Name", 0, "PERSON", 0.9, hidden=True),
              FieldInfo("hr.xlsx/Data", "hr.xlsx", 1, "Job Title", 1, "JOB_TITLE", 0.9, hidden=True)]
    verdict = _decide(Detection(fields=visible + hidden, subjects=30), agreement)
    assert verdict.action is Action.QUARANTINE
    assert any(r.code == "hidden-content" and "“hr.xlsx/Data”" in r.text for r in verdict.reasons)


def test_a_hidden_excess_column_that_redaction_removes_does_not_hold(build, agreement) -> None:  # type: ignore[no-untyped-def]
    from gateway.detect.model import FieldInfo

    b = _hr(build)
    b.detection.fields.append(FieldInfo("staff.csv", "staff.csv", 0, "NI Number", 9, "UK_NINO", 0.9, hidden=True))
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.REDACT
    assert not any(r.code == "hidden-content" for r in verdict.reasons)


def test_offender_data_under_a_staff_agreement_is_held_not_trimmed(build, agreement) -> None:  # type: ignore[no-untyped-def]
    b = _hr(build).column("PNC ID", "UK_PNC_ID").column("Offence", "OFFENCE")
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.QUARANTINE and verdict.plan is None
    assert any(r.code == "offender-data" for r in verdict.reasons)


def test_offender_data_under_an_agreement_that_allows_some_is_excess_as_usual(build, make) -> None:  # type: ignore[no-untyped-def]
    agreement = make(allowed_fields=frozenset({"PERSON", "JOB_TITLE", "UK_PNC_ID"}), on_excess=Action.REDACT)
    b = _hr(build).column("PNC ID", "UK_PNC_ID").column("Offence", "OFFENCE")
    verdict = _decide(b.detection, agreement)
    assert verdict.action is Action.REDACT
    assert not any(r.code == "offender-data" for r in verdict.reasons)


def test_a_hidden_derived_copy_is_not_hidden_content(agreement) -> None:  # type: ignore[no-untyped-def]
    from gateway.detect.model import Detection, FieldInfo

    visible = [FieldInfo("hr.xlsx/Staff", "hr.xlsx", 0, "Name", 0, "PERSON", 0.9),
               FieldInfo("hr.xlsx/Staff", "hr.xlsx", 0, "Job Title", 1, "JOB_TITLE", 0.9)]
    # Named like an ordinary sheet: it is the reader's `derived` flag that matters, not the name.
    copy = [FieldInfo("hr.xlsx/Copy", "hr.xlsx", 1, "Name", 0, "PERSON", 0.9, hidden=True, derived=True)]
    assert _decide(Detection(fields=visible + copy, subjects=3), agreement).action is Action.ALLOW
    hidden = [FieldInfo("hr.xlsx/Copy", "hr.xlsx", 1, "Name", 0, "PERSON", 0.9, hidden=True)]
    assert _decide(Detection(fields=visible + hidden, subjects=3), agreement).action is Action.QUARANTINE
