"""Destination matching: host globs vs e-mail globs, validity windows, most specific wins."""

from __future__ import annotations

from datetime import date

import pytest

from gateway.policy.match import Destination, glob_matches, glob_problem, parse_destination, select, specificity


@pytest.mark.parametrize(
    "raw,kind,value",
    [
        ("SFTP.G4S.com", "host", "sftp.g4s.com"),
        ("sftp.g4s.com.", "host", "sftp.g4s.com"),
        ("sftp.g4s.com:443", "host", "sftp.g4s.com"),
        ("https://upload.pnd.police.uk/bulk?x=1", "host", "upload.pnd.police.uk"),
        ("[2001:db8::1]:8443", "host", "2001:db8::1"),
        ("Analyst@CPS.gov.uk", "email", "analyst@cps.gov.uk"),
        ("Jane Analyst <analyst@cps.gov.uk>", "email", "analyst@cps.gov.uk"),
        ("mailto:analyst@cps.gov.uk", "email", "analyst@cps.gov.uk"),
        (None, "unknown", ""),
        ("  ", "unknown", ""),
        ("a@b@cps.gov.uk", "unknown", "a@b@cps.gov.uk"),
        ("@cps.gov.uk", "unknown", "@cps.gov.uk"),
    ],
)
def test_parse_destination(raw: str | None, kind: str, value: str) -> None:
    assert parse_destination(raw) == Destination(kind, value)


# fmt: off
MATCHES = [
    ("*.g4s.com", "sftp.g4s.com", True),
    ("*.g4s.com", "a.b.g4s.com", True),
    ("*.g4s.com", "g4s.com", False),                   # list the bare domain separately
    ("*.g4s.com", "sftp.g4s.com.evil.example", False),
    ("*.G4S.COM", "sftp.g4s.com", True),               # case-insensitive
    ("*.g4s.com", "bids@g4s.com", False),              # a host glob never matches a recipient
    ("*@g4s.com", "bids@g4s.com", True),
    ("*@g4s.com", "g4s.com", False),                   # an e-mail glob never matches a host
    ("*@g4s.com", "bids@mail.g4s.com", False),
    ("*@cps.gov.uk", "Analyst@CPS.GOV.UK", True),
    ("analyst@cps.gov.uk", "analyst@cps.gov.uk", True),
    ("analyst@cps.gov.uk", "other@cps.gov.uk", False),
    ("*@*.pnn.police.uk", "a.b@wessex.pnn.police.uk", True),
    ("*@*.pnn.police.uk", "a@pnn.police.uk", False),
    ("*@*.cjsm.net", "clerk@smith-law.example.cjsm.net", True),
    ("*@cps.gov.uk", "x@cps.gov.uk.example.net", False),
    ("upload.pnd.police.uk", "UPLOAD.PND.POLICE.UK:443", True),
]
# fmt: on


@pytest.mark.parametrize("glob,destination,expected", MATCHES)
def test_glob_matches(glob: str, destination: str, expected: bool) -> None:
    assert glob_matches(glob, parse_destination(destination)) is expected


def test_unknown_destination_matches_nothing() -> None:
    assert not glob_matches("*.g4s.com", parse_destination(None))
    assert not glob_matches("*@g4s.com", parse_destination(None))


@pytest.mark.parametrize(
    "glob,problem",
    [
        ("*.g4s.com", None),
        ("*@cps.gov.uk", None),
        ("*@*.pnn.police.uk", None),
        ("10.0.0.*", None),
        ("", "an empty destination"),
        ("*", "would match every destination"),
        ("*@*", "would match every destination"),
        ("*.*", "would match every destination"),
        ("https://g4s.com/upload", "looks like a URL"),
        ("sftp.g4s.com:22", "without a port"),
        ("g4s..com", "not a valid host name glob"),
        ("[ab].g4s.com", "only * and ? wildcards"),
        ("a b.com", "contains spaces"),
        ("a@b@c.com", "not an e-mail glob"),
        ("@g4s.com", "not an e-mail glob"),
        ("-bad.com", "not a valid host name glob"),
    ],
)
def test_glob_problem(glob: str, problem: str | None) -> None:
    found = glob_problem(glob)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_specificity_prefers_exact_then_more_literal_characters() -> None:
    assert specificity("analyst@cps.gov.uk") > specificity("*@cps.gov.uk") > specificity("*@*.gov.uk")
    assert specificity("a.example") > specificity("*.very-long-name.example")


def _agreements(make):  # type: ignore[no-untyped-def]
    return (
        make(id="wide", destinations=("*@*.gov.uk",)),
        make(id="cps", destinations=("*@cps.gov.uk", "*.cps.gov.uk")),
        make(id="named", destinations=("analyst@cps.gov.uk",)),
    )


def test_most_specific_match_wins(make, today) -> None:  # type: ignore[no-untyped-def]
    agreements = _agreements(make)
    assert select(agreements, parse_destination("analyst@cps.gov.uk"), today).agreement.id == "named"
    assert select(agreements, parse_destination("other@cps.gov.uk"), today).agreement.id == "cps"
    assert select(agreements, parse_destination("x@council.gov.uk"), today).agreement.id == "wide"
    assert select(agreements, parse_destination("www.cps.gov.uk"), today).agreement.id == "cps"
    assert select(agreements, parse_destination("x@gmail.com"), today).agreement is None


def test_ties_go_to_the_first_id_whatever_the_order(make, today) -> None:  # type: ignore[no-untyped-def]
    a = make(id="alpha", destinations=("*@cps.gov.uk",))
    b = make(id="beta", destinations=("*@cps.gov.uk",))
    dest = parse_destination("x@cps.gov.uk")
    assert select((a, b), dest, today).agreement is a
    assert select((b, a), dest, today).agreement is a


def test_validity_window_is_inclusive_and_lapsed_are_reported(make) -> None:  # type: ignore[no-untyped-def]
    a = make(valid_from=date(2026, 1, 1), valid_until=date(2026, 6, 30))
    dest = parse_destination("sftp.g4s.com")
    assert select((a,), dest, date(2026, 1, 1)).agreement is a
    assert select((a,), dest, date(2026, 6, 30)).agreement is a
    after = select((a,), dest, date(2026, 7, 1))
    assert after.agreement is None and after.lapsed == (a,)
    before = select((a,), dest, date(2025, 12, 31))
    assert before.agreement is None and before.lapsed == (a,)


def test_an_agreement_in_force_beats_a_more_specific_lapsed_one(make, today) -> None:  # type: ignore[no-untyped-def]
    old = make(id="old", destinations=("sftp.g4s.com",), valid_from=date(2012, 9, 1), valid_until=date(2013, 6, 30))
    current = make(id="current", destinations=("*.g4s.com",))
    found = select((old, current), parse_destination("sftp.g4s.com"), today)
    assert found.agreement is current and found.lapsed == (old,)
