"""Payment card numbers, entity ``CREDIT_CARD`` (Luhn validated).

13-19 digits, compact or grouped by spaces/hyphens, with an issuer prefix of a
scheme seen in the UK (Visa 4; Mastercard 51-55 and 2221-2720; Amex 34/37;
Maestro 50, 56-69; Discover/Diners/JCB 30, 36, 38, 39, 35, 60, 62, 64, 65) and a
valid Luhn check. Luhn alone passes one random number in ten, so a compact digit
run without card context scores 0.6 while a grouped card layout scores 0.95.
Repeated-digit strings are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.checks import luhn_valid
from detectors.context import ContextProbe

_CARD = re.compile(r"(?<![\w.+-])(?:\d{4}[ -]){2,4}\d{1,4}(?![\w-])(?!\.\d)|(?<![\w.+-])\d{13,19}(?![\w-])(?!\.\d)")
_PREFIX = re.compile(r"4|5[0-5]|5[6-9]|6\d|3[0456789]|2(?:2[2-9]|[3-6]\d|7[01]|720)")


class CreditCardDetector(UkDetector):
    """Finds Luhn-valid payment card numbers with a known issuer prefix."""

    ENTITY = "CREDIT_CARD"
    CONTEXT = ("card", "credit card", "debit card", "visa", "mastercard", "amex", "maestro", "PAN",
               "card number", "cardholder", "expiry", "CVV")  # fmt: skip

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        for m in _CARD.finditer(text):
            digits = re.sub(r"[ -]", "", m.group())
            if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
                continue
            if not _PREFIX.match(digits) or not luhn_valid(digits):
                continue
            context = probe.near(*m.span())
            grouped = len(digits) != len(m.group())
            score = 1.0 if context else (0.95 if grouped else 0.6)
            yield self.result(*m.span(), score, context=context, pattern="card", validated=True)


CASES: list[Case] = [
    Positive("Card 4111 1111 1111 1111 exp 12/27", "4111 1111 1111 1111"),
    Positive("5555-5555-5555-4444", "5555-5555-5555-4444"),
    Positive("amex 378282246310005", "378282246310005"),
    Positive("4000056655665556", "4000056655665556"),
    Positive("6011111111111117", "6011111111111117", header="card_number"),
    Negative("4111 1111 1111 1112", "fails Luhn"),
    Negative("0000 0000 0000 0000", "repeated digits"),
    Negative("Order 1234567812345670 shipped", "issuer prefix 1 is not a payment card"),
    Negative("Tracking 9400111899223197428490", "22 digits"),
]
