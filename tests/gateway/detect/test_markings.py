from __future__ import annotations

import pytest

from gateway.detect.markings import collect, normalise_marking, rank
from gateway.detect.model import Finding


@pytest.mark.parametrize(
    "text,expected",
    [
        ("OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"),
        ("Official Sensitive", "OFFICIAL-SENSITIVE"),
        ("OFFICIAL-SENSITIVE: PERSONAL", "OFFICIAL-SENSITIVE: PERSONAL"),
        ("OFFICIAL – SENSITIVE [PERSONAL]", "OFFICIAL-SENSITIVE: PERSONAL"),
        ("TOP SECRET", "TOP SECRET"),
        ("RESTRICTED - POLICY", "RESTRICTED: POLICY"),
        ("UNCLASSIFIED", "NOT PROTECTIVELY MARKED"),
        ("a routine note", None),
    ],
)
def test_normalise_marking(text: str, expected: str | None) -> None:
    assert normalise_marking(text) == expected


def _marking(text: str) -> Finding:
    return Finding(entity_type="PROTECTIVE_MARKING", score=0.95, part="d.docx", part_name="d.docx", text=text)


def test_collect_is_distinct_and_most_restrictive_first() -> None:
    found = [_marking("OFFICIAL"), _marking("Official Sensitive"), _marking("SECRET"), _marking("OFFICIAL")]
    other = Finding(entity_type="UK_NINO", score=1.0, part="d.docx", part_name="d.docx", text="SECRET")
    assert collect([*found, other]) == ["SECRET", "OFFICIAL-SENSITIVE", "OFFICIAL"]


def test_rank_orders_gpms_and_gsc() -> None:
    assert rank("TOP SECRET") > rank("SECRET") > rank("OFFICIAL-SENSITIVE: PERSONAL") > rank("OFFICIAL")
    assert rank("MADE UP") == -1
