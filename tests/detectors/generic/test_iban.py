"""IBAN length trimming."""

from __future__ import annotations

from detectors.generic.iban import IbanDetector


def test_following_group_is_not_swallowed() -> None:
    text = "IBAN GB82 WEST 1234 5698 7654 32 1234"
    results = IbanDetector().analyze(text, None)
    assert [text[r.start : r.end] for r in results] == ["GB82 WEST 1234 5698 7654 32"]


def test_overlong_compact_run_is_trimmed_only_at_a_group_edge() -> None:
    # 26 characters glued together: not an IBAN followed by text, so nothing is reported.
    assert IbanDetector().analyze("GB82WEST123456987654321234", None) == []


def test_trailing_text() -> None:
    text = "GB82 WEST 1234 5698 7654 32 paid"
    (r,) = IbanDetector().analyze(text, None)
    assert text[r.start : r.end] == "GB82 WEST 1234 5698 7654 32" and r.score == 0.95
