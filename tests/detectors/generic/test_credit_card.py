"""Payment card scoring."""

from __future__ import annotations

from detectors.generic.credit_card import CreditCardDetector


def test_layout_and_context() -> None:
    r = CreditCardDetector()
    assert r.analyze("4111 1111 1111 1111", None)[0].score == 0.95
    assert r.analyze("4111111111111111", None)[0].score == 0.6
    assert r.analyze("card 4111111111111111", None)[0].score == 1.0
