"""Markings: every common layout is read, legacy GPMS is read across, caveats are ignored."""

from __future__ import annotations

import pytest

from gateway.policy.markings import (
    OFFICIAL,
    OFFICIAL_SENSITIVE,
    SECRET,
    TOP_SECRET,
    Marking,
    highest,
    parse_level_name,
    parse_marking,
)

# fmt: off
LAYOUTS = [
    ("OFFICIAL", OFFICIAL, "OFFICIAL"),
    ("UK OFFICIAL", OFFICIAL, "OFFICIAL"),
    ("OFFICIAL – No restrictions", OFFICIAL, "OFFICIAL"),
    ("OFFICIAL FOIA OPEN", OFFICIAL, "OFFICIAL"),
    ("NOT PROTECTIVELY MARKED", OFFICIAL, "NOT PROTECTIVELY MARKED"),
    ("Unclassified", OFFICIAL, "UNCLASSIFIED"),
    ("OFFICIAL-SENSITIVE", OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE"),
    ("OFFICIAL – SENSITIVE", OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE"),    # en dash
    ("OFFICIAL SENSITIVE", OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE"),
    ("Official-Sensitive", OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE"),
    ("OFFICIAL: SENSITIVE", OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE"),
    ("[OFFICIAL-SENSITIVE]", OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE"),
    ("OFFICIAL-SENSITIVE: PERSONAL", OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE"),  # caveat ignored
    ("OFFICIAL-SENSITIVE [COMMERCIAL]", OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE"),
    ("SECRET", SECRET, "SECRET"),
    ("SECRET UK EYES ONLY", SECRET, "SECRET"),
    ("TOP SECRET", TOP_SECRET, "TOP SECRET"),
    ("TOP-SECRET", TOP_SECRET, "TOP SECRET"),
    ("PROTECT – PERSONAL", OFFICIAL, "PROTECT"),                 # GPMS -> OFFICIAL
    ("RESTRICTED (when complete)", OFFICIAL_SENSITIVE, "RESTRICTED"),  # GPMS -> above OFFICIAL
    ("CONFIDENTIAL", SECRET, "CONFIDENTIAL"),                    # GPMS -> SECRET
]
# fmt: on


@pytest.mark.parametrize("text,level,name", LAYOUTS)
def test_layouts(text: str, level: int, name: str) -> None:
    marking = parse_marking(text)
    assert marking is not None
    assert (marking.level, marking.name) == (level, name)


@pytest.mark.parametrize("text", ["", "PROTECTED", "SECRETARY", "hello", "CONFIDENTIALITY"])
def test_not_markings(text: str) -> None:
    assert parse_marking(text) is None


def test_order_of_the_scale() -> None:
    npm, official, sensitive, restricted, secret, confidential, top = (
        parse_marking(t)
        for t in ("NOT PROTECTIVELY MARKED", "OFFICIAL", "OFFICIAL-SENSITIVE", "RESTRICTED", "SECRET",
                  "CONFIDENTIAL", "TOP SECRET")
    )
    assert npm and official and sensitive and restricted and secret and confidential and top
    assert npm.level == official.level < sensitive.level == restricted.level
    assert sensitive.level < secret.level == confidential.level < top.level


def test_legacy_marking_is_described_with_its_reading() -> None:
    confidential = parse_marking("CONFIDENTIAL")
    assert confidential is not None
    assert confidential.describe() == "CONFIDENTIAL (old GPMS marking, treated as SECRET)"
    secret = parse_marking("SECRET")
    assert secret is not None and secret.describe() == "SECRET"


def test_strict_names_for_rule_files() -> None:
    assert parse_level_name("official-sensitive") == Marking(OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE")
    assert parse_level_name("OFFICIAL SENSITIVE") is not None
    assert parse_level_name("OFFICIAL please") is None
    assert parse_level_name("OFFICIAL-SENSITIVE: PERSONAL") is None


def test_highest_keeps_the_first_of_equals() -> None:
    a, b, c = Marking(SECRET, "CONFIDENTIAL", True), Marking(SECRET, "SECRET"), Marking(OFFICIAL, "OFFICIAL")
    assert highest([c, a, b]) is a
    assert highest([]) is None
