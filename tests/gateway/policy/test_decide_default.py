"""Verdicts where no agreement applies, under the built-in default policy."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from gateway.policy.decide_default import decide_default
from gateway.policy.default import BUILTIN
from gateway.policy.match import parse_destination
from gateway.policy.verdict import Action

WEBMAIL = parse_destination("someone@gmail.example")
HOST = parse_destination("sftp.example.com")


def _decide(detection, dest=HOST, default=BUILTIN, **kw):  # type: ignore[no-untyped-def]
    return decide_default(detection, default, dest, **kw)


def test_clean_content_is_allowed(build) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(build().detection)
    assert verdict.action is Action.ALLOW and verdict.agreement is None
    assert verdict.allowed_categories is None
    assert verdict.reason_texts() == [
        "No personal data, no protective marking above OFFICIAL and nothing uninspectable was found; it may go."
    ]


def test_an_email_signature_is_allowed(build) -> None:  # type: ignore[no-untyped-def]
    b = build().text("PERSON").text("RANK").text("POLICE_COLLAR_NUMBER").text("PHONE_NUMBER").text("EMAIL_ADDRESS")
    b.text("STREET_ADDRESS").text("UK_POSTCODE").subjects(1)
    verdict = _decide(b.detection, WEBMAIL)
    assert verdict.action is Action.ALLOW
    assert "one person's contact details" in verdict.reason_texts()[0]


def test_one_contact_card_row_is_allowed(build) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Name", "PERSON").column("Mobile", "PHONE_NUMBER").column("Email", "EMAIL_ADDRESS").subjects(1)
    assert _decide(b.detection).action is Action.ALLOW


def test_contact_details_of_two_people_are_held(build) -> None:  # type: ignore[no-untyped-def]
    b = build().text("PERSON").text("PHONE_NUMBER").subjects(2)
    verdict = _decide(b.detection, WEBMAIL)
    assert verdict.action is Action.QUARANTINE
    assert verdict.reason_texts() == [
        "The content holds personal data (names and phone numbers, about 2 people) and no data sharing "
        "agreement in force covers recipients at gmail.example; it is held for a reviewer."
    ]


def test_one_person_with_more_than_contact_details_is_held(build) -> None:  # type: ignore[no-untyped-def]
    b = build().text("PERSON").text("UK_VEHICLE_REG").subjects(1)
    assert _decide(b.detection).action is Action.QUARANTINE


@pytest.mark.parametrize(
    "entity",
    ["UK_PNC_ID", "UK_CRO", "OFFENDER_RECORD", "UK_NINO", "UK_NHS", "UK_PASSPORT", "UK_DRIVING_LICENCE",
     "UK_BANK_ACCOUNT", "IBAN_CODE", "CREDIT_CARD", "DATE_OF_BIRTH"],
)
def test_one_high_risk_identifier_is_held(build, entity: str) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(build().text(entity).subjects(1).detection)
    assert verdict.action is Action.QUARANTINE
    assert verdict.reasons[0].code == "high-risk"


def test_offence_column_is_high_risk(build) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Name", "PERSON").column("Offence", "OFFENCE").subjects(1)
    verdict = _decide(b.detection)
    assert verdict.action is Action.QUARANTINE
    assert "offence details" in verdict.reason_texts()[0]


def test_many_people(build) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Name", "PERSON").column("Job", "JOB_TITLE").subjects(412)
    verdict = _decide(b.detection)
    assert verdict.action is Action.QUARANTINE
    assert verdict.reason_texts() == [
        "Content is about 412 people and no data sharing agreement in force covers sftp.example.com; "
        "it is held for a reviewer."
    ]


def test_threshold_is_inclusive(build) -> None:  # type: ignore[no-untyped-def]
    assert _decide(build().text("PERSON").subjects(5).detection).reasons[0].code == "bulk"
    assert _decide(build().text("PERSON").subjects(4).detection).reasons[0].code == "personal-data"


def test_special_category(build) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(build().text("SPECIAL_CATEGORY").subjects(1).detection)
    assert verdict.action is Action.QUARANTINE
    assert verdict.reason_texts()[0].startswith("The content holds special category data and no data sharing")
    sick = _decide(build().column("Sickness", "SICKNESS").detection)
    assert "special category data (sickness records)" in sick.reason_texts()[0]


@pytest.mark.parametrize(
    "marking,expected",
    [("OFFICIAL", Action.ALLOW), ("PROTECT", Action.ALLOW), ("OFFICIAL-SENSITIVE", Action.BLOCK),
     ("RESTRICTED", Action.BLOCK), ("SECRET", Action.BLOCK), ("CONFIDENTIAL", Action.BLOCK)],
)
def test_markings(build, marking: str, expected: Action) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(build().marking(marking).detection)
    assert verdict.action is expected


def test_marking_reason(build) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(build().marking("SECRET").detection)
    assert verdict.reason_texts()[0] == (
        "Marked SECRET, above the OFFICIAL this destination may receive without a data sharing agreement."
    )


def test_uninspectable(build) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(build().uninspectable("payroll.zip", "password-protected ZIP archive").detection)
    assert verdict.action is Action.QUARANTINE
    assert verdict.reason_texts()[0].startswith("“payroll.zip” could not be inspected: password-protected ZIP")


def test_block_wins_over_everything(build) -> None:  # type: ignore[no-untyped-def]
    b = build().uninspectable("a.zip", "encrypted").text("UK_PNC_ID").subjects(40).marking("TOP SECRET")
    verdict = _decide(b.detection)
    assert verdict.action is Action.BLOCK
    assert [r.code for r in verdict.reasons] == ["uninspectable", "marking-above-max", "high-risk", "bulk"]
    assert verdict.reason_texts()[0].startswith("Marked TOP SECRET")


def test_unknown_destination(build) -> None:  # type: ignore[no-untyped-def]
    verdict = _decide(build().text("UK_NINO").detection, parse_destination(None))
    assert "covers an unknown destination" in verdict.reason_texts()[0]


def test_lapsed_agreement_is_explained(build, make) -> None:  # type: ignore[no-untyped-def]
    old = make(valid_from=date(2012, 9, 1), valid_until=date(2013, 6, 30))
    verdict = _decide(build().detection, lapsed=(old,), today=date(2026, 11, 21))
    assert verdict.reason_texts()[-1] == (
        "The agreement g4s-support-services covers sftp.example.com but expired on 2013-06-30, "
        "so the default policy applies."
    )
    future = make(valid_from=date(2027, 1, 1))
    verdict = _decide(build().detection, lapsed=(future,), today=date(2026, 11, 21))
    assert "but is not valid until 2027-01-01" in verdict.reason_texts()[-1]


def test_configurable_actions(build) -> None:  # type: ignore[no-untyped-def]
    lenient = dataclasses.replace(BUILTIN, other_personal_data=Action.ALLOW, bulk_subjects=100)
    assert _decide(build().text("PERSON").subjects(20).detection, default=lenient).action is Action.ALLOW
    strict = dataclasses.replace(BUILTIN, high_risk_action=Action.BLOCK)
    assert _decide(build().text("UK_PNC_ID").detection, default=strict).action is Action.BLOCK


def test_monitor_default(build) -> None:  # type: ignore[no-untyped-def]
    monitor = dataclasses.replace(BUILTIN, mode="monitor")
    verdict = _decide(build().text("UK_PNC_ID").detection, default=monitor)
    assert verdict.action is Action.ALLOW and verdict.would_action is Action.QUARANTINE and verdict.monitor
    assert verdict.reason_texts()[0].startswith("The default policy is in monitor mode")


def test_reasons_never_carry_values(build) -> None:  # type: ignore[no-untyped-def]
    b = build().text("UK_NINO").cell("PERSON", "Name", 0).column("Name", "PERSON").subjects(9).marking("SECRET")
    for text in _decide(b.detection).reason_texts():
        assert "SECRETVAL" not in text and "CELLVALUE" not in text
