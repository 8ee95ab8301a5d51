"""NINO prefix rules and scores."""

from __future__ import annotations

import pytest

from detectors.uk.nino import UkNinoDetector, prefix_allowed


@pytest.mark.parametrize(
    "prefix,allowed",
    [
        ("AB", True),
        ("JG", True),
        ("CE", True),
        ("GY", True),
        ("MA", True),
        ("QQ", False),  # Q first
        ("DA", False),
        ("FA", False),
        ("IA", False),
        ("UA", False),
        ("VA", False),
        ("AO", False),  # O second
        ("BG", False),
        ("GB", False),
        ("KN", False),
        ("NK", False),
        ("NT", False),
        ("TN", False),
        ("ZZ", False),
    ],
)
def test_prefix_rules(prefix: str, allowed: bool) -> None:
    assert prefix_allowed(prefix) is allowed


def test_scores() -> None:
    r = UkNinoDetector()
    assert r.analyze("JG103759A", None)[0].score == 0.6
    assert r.analyze("NI number JG103759A", None)[0].score == 0.85
    assert r.analyze("JG103759", None)[0].score < 0.5
    assert r.analyze("PY123456A", None)[0].score < 0.5  # administrative prefix


def test_dashes_and_spaces() -> None:
    r = UkNinoDetector()
    assert [x.end - x.start for x in r.analyze("NINO: AB-12-34-56-C", None)] == [len("AB-12-34-56-C")]
