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


def _parts(text: str, header: str | None = None) -> list[tuple[str, str]]:
    results = UkBankAccountDetector().analyze_value(text, header)
    return sorted((text[r.start : r.end], r.recognition_metadata["bank_part"]) for r in results)


def test_pair_in_either_order_reports_both_parts() -> None:
    assert _parts("A/C 63748472, S/C 20-29-59") == [("20-29-59", "sort_code"), ("63748472", "account_number")]
    assert _parts("account no. 31926819 and sort code 60-16-13") == [
        ("31926819", "account_number"),
        ("60-16-13", "sort_code"),
    ]


def test_date_shaped_sort_code_needs_its_own_label() -> None:
    # The account is labelled; the date of birth beside it is not a sort code.
    assert _parts("DOB 12-04-56, account 12345678") == [("12345678", "account_number")]
    assert _parts("sort code 12-04-56, account 12345678") == [
        ("12-04-56", "sort_code"),
        ("12345678", "account_number"),
    ]


def test_banking_words_elsewhere_are_not_a_label() -> None:
    assert _parts("Our bank's quiz night: final scores 18-22-36 after the account was settled") == []
    assert _parts("Sort out the rota 20-45-61 before Friday") == []


def test_header_names_the_part() -> None:
    assert _parts("20-00-00", "Sort Code") == [("20-00-00", "sort_code")]
    assert _parts("12345678", "Account No") == [("12345678", "account_number")]
    assert _parts("20-00-00", "Bank") == []
