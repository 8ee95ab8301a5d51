"""PolicySet: the right agreement (or the default) decides; warnings for rules check."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from gateway.policy import PolicySet
from gateway.policy.default import BUILTIN
from gateway.policy.verdict import Action


def _policy(make) -> PolicySet:  # type: ignore[no-untyped-def]
    return PolicySet(
        agreements=(
            make(source=Path("g4s.yaml")),
            make(
                id="old-contract",
                destinations=("sftp.old.example",),
                valid_from=date(2012, 9, 1),
                valid_until=date(2013, 6, 30),
                source=Path("old.yaml"),
            ),
        ),
        default=BUILTIN,
    )


def test_agreement_destination_uses_the_agreement(build, make, today) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Name", "PERSON").column("Job", "JOB_TITLE").column("NI", "UK_NINO").subjects(40)
    verdict = _policy(make).decide(b.detection, "sftp.g4s.com", today)
    assert verdict.agreement == "g4s-support-services" and verdict.action is Action.REDACT


def test_other_destination_falls_to_default(build, make, today) -> None:  # type: ignore[no-untyped-def]
    b = build().column("Name", "PERSON").column("Job", "JOB_TITLE").subjects(40)
    verdict = _policy(make).decide(b.detection, "sftp.g4s-support.example", today)
    assert verdict.agreement is None and verdict.action is Action.QUARANTINE


def test_expired_agreement_falls_to_default_with_a_reason(build, make, today) -> None:  # type: ignore[no-untyped-def]
    verdict = _policy(make).decide(build().detection, "sftp.old.example", today)
    assert verdict.agreement is None and verdict.action is Action.ALLOW
    assert verdict.reasons[-1].code == "agreement-lapsed"
    assert "old-contract covers sftp.old.example but expired on 2013-06-30" in verdict.reason_texts()[-1]


def test_match_exposes_the_choice(make, today) -> None:  # type: ignore[no-untyped-def]
    found = _policy(make).match("Bids@G4S.com", today)
    assert found.agreement is not None and found.glob == "*@g4s.com"


def test_warnings(make) -> None:  # type: ignore[no-untyped-def]
    policy = PolicySet(
        agreements=(
            make(id="a", destinations=("*@cps.gov.uk",), source=Path("a.yaml"), mode="monitor"),
            make(
                id="b",
                destinations=("x.example", "*@cps.gov.uk"),
                source=Path("b.yaml"),
                valid_until=date(2026, 1, 31),
            ),
        ),
    )
    assert policy.warnings(date(2026, 11, 21)) == [
        "a.yaml:mode: agreement a is in monitor mode; nothing it finds is enforced",
        "b.yaml:valid_until: agreement b expired on 2026-01-31; it does not apply on 2026-11-21",
        "b.yaml:destinations[1]: '*@cps.gov.uk' is also listed by agreement a, which wins when both are in force "
        "(ties go to the first id)",
    ]
