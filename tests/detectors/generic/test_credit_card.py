"""Payment card scoring."""

from __future__ import annotations

from detectors.generic.credit_card import CreditCardDetector, plausible


def test_layout_and_context() -> None:
    r = CreditCardDetector()
    assert r.analyze("4111 1111 1111 1111", None)[0].score == 0.95
    assert r.analyze("4111111111111111", None)[0].score == 0.6
    assert r.analyze("card 4111111111111111", None)[0].score == 1.0


def test_scheme_layouts_score_as_grouped() -> None:
    r = CreditCardDetector()
    for text in ("3782 822463 10005", "3782-822463-10005", "3056 930902 5904", "4000 0000 0000 0000 006"):
        (result,) = r.analyze(text, None)
        assert (result.start, result.end, result.score) == (0, len(text), 0.95), text


def test_plausible_lengths() -> None:
    assert plausible("378282246310005") and not plausible("3782822463100052")  # Amex is 15 digits
    assert plausible("30569309025904")  # Diners 14
    assert plausible("4222222222222") and not plausible("411111111111116")  # Visa 13/16/19, not 15
    assert not plausible("1234567890123452")
