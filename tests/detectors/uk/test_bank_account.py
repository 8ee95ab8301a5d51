"""Sort code and account number pairing."""

from __future__ import annotations

from detectors.uk.bank_account import UkBankAccountDetector


def test_pair_without_keyword_is_reported_as_two_parts() -> None:
    text = "paid to 10-79-99 88837491"
    results = UkBankAccountDetector().analyze(text, None)
    assert sorted((text[r.start : r.end], r.recognition_metadata["bank_part"]) for r in results) == [
        ("10-79-99", "sort_code"),
        ("88837491", "account_number"),
    ]


def test_pair_too_far_apart_needs_context() -> None:
    text = "Meeting 10-79-99 was rescheduled because of the weather, see 88837491"
    assert UkBankAccountDetector().analyze(text, None) == []
