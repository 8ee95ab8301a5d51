"""Payment card numbers, entity ``CREDIT_CARD`` (Luhn validated).

A candidate is either a compact run of 13-19 digits or one of the layouts card
numbers are printed and typed in, with one separator (space or hyphen) used
throughout:

* 4-4-4-4 (16 digits: Visa, Mastercard, Discover, JCB, UnionPay, Maestro),
  4-4-4-4-3 (19 digits: Visa, Maestro, UnionPay, Discover), and the shorter
  4-4-4-1 / 4-4-4-2 / 4-4-4-3 tails people type for 13-15 digit numbers;
* 4-6-5 (15 digits: American Express, as embossed);
* 4-6-4 (14 digits: Diners Club International, as embossed);
* 4-3-3-3 (13 digits: early Visa).

Every candidate must pass Luhn and have a length its issuer range issues
(:func:`plausible`: Visa 13/16/19, Mastercard 16, Amex 15, Diners 14 or 16-19,
JCB/Discover/UnionPay 16-19, Maestro 12-19), and the two scheme-specific layouts
must belong to their scheme (4-6-5 is Amex, 4-6-4 Diners). Luhn alone passes one
random number in ten, so a compact digit run without card context scores 0.6
while a plausible grouped layout scores 0.95 (1.0 with card context).
Repeated-digit strings, digits inside URLs and paths, and stretches of a longer
run of numbers (a table of counts that happens to hold a Luhn-valid 4-4-4-4)
are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.checks import luhn_valid
from detectors.context import ContextProbe

_CARD = re.compile(
    r"(?<![\w.+/-])(?:"
    r"(?P<quad>\d{4}(?P<s1>[ -])\d{4}(?P=s1)\d{4}(?P=s1)\d{1,4}(?:(?P=s1)\d{3})?)"
    r"|(?P<embossed>\d{4}(?P<s2>[ -])\d{6}(?P=s2)\d{4,5})"
    r"|(?P<visa13>4\d{3}(?P<s3>[ -])\d{3}(?P=s3)\d{3}(?P=s3)\d{3})"
    r"|(?P<compact>\d{13,19})"
    r")(?![\w-])(?!\.\d)"
)
_LAYOUTS = ("quad", "embossed", "visa13", "compact")
# Digits right before the candidate, separated by one space or hyphen: part of a longer run.
_RUN_BEFORE = re.compile(r"\d[ -]$")


def plausible(digits: str) -> bool:
    """Whether ``digits`` has a length its issuer identification number range issues.

    Ranges and lengths from the schemes' published IIN tables (ISO/IEC 7812
    registrations as summarised by the card networks' acceptance guides).
    """
    n = len(digits)
    p2, p3, p4, p6 = int(digits[:2]), int(digits[:3]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4":
        return n in (13, 16, 19)  # Visa (incl. Electron)
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:
        return n == 16  # Mastercard
    if p2 in (34, 37):
        return n == 15  # American Express
    if 300 <= p3 <= 305 or p4 == 3095 or p2 in (36, 38, 39):
        return n == 14 or 16 <= n <= 19  # Diners Club (14) and its Discover-network numbers
    if 3528 <= p4 <= 3589:
        return 16 <= n <= 19  # JCB
    if p4 == 6011 or 644 <= p3 <= 649 or p2 == 65 or 622126 <= p6 <= 622925:
        return 16 <= n <= 19  # Discover
    if p2 == 62:
        return 16 <= n <= 19  # UnionPay
    if 2200 <= p4 <= 2204:
        return 16 <= n <= 19  # Mir
    if p2 == 50 or 56 <= p2 <= 69:
        return 12 <= n <= 19  # Maestro
    return False


def _layout_fits(layout: str, digits: str) -> bool:
    """The scheme-specific embossed layouts belong to their scheme only."""
    if layout != "embossed":
        return True
    if len(digits) == 15:
        return digits[:2] in ("34", "37")  # American Express 4-6-5
    return digits[:2] in ("36", "38", "39") or "300" <= digits[:3] <= "305" or digits[:4] == "3095"  # Diners 4-6-4


class CreditCardDetector(UkDetector):
    """Finds Luhn-valid payment card numbers with a plausible issuer range, length and layout."""

    ENTITY = "CREDIT_CARD"
    CONTEXT = ("card", "credit card", "debit card", "visa", "mastercard", "amex", "american express", "maestro",
               "diners", "PAN", "card number", "cardholder", "expiry", "CVV", "CVC")  # fmt: skip

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        for m in _CARD.finditer(text):
            layout = next(name for name in _LAYOUTS if m.group(name))
            start, end = m.span()
            if _RUN_BEFORE.search(text, max(0, start - 8), start):
                continue  # one more row of a table of numbers ("... 5128 5768 6408 7048 ...")
            if not self._valid(layout, m.group()):
                # "4111 1111 1111 1111 123 ..." : the 19-digit reading failed, the 16-digit one may not.
                if layout != "quad" or m.group().count(m.group("s1")) != 4:
                    continue
                end = start + m.group().rindex(m.group("s1"))
                if not self._valid(layout, text[start:end]):
                    continue
            context = probe.near(start, end)
            grouped = layout != "compact"
            score = 1.0 if context else (0.95 if grouped else 0.6)
            yield self.result(start, end, score, context=context, pattern=f"card ({layout})", validated=True)

    @staticmethod
    def _valid(layout: str, value: str) -> bool:
        digits = value.replace(" ", "").replace("-", "")
        if not 13 <= len(digits) <= 19 or len(set(digits)) == 1:
            return False
        return plausible(digits) and _layout_fits(layout, digits) and luhn_valid(digits)


CASES: list[Case] = [
    Positive("Card 4111 1111 1111 1111 exp 12/27", "4111 1111 1111 1111"),
    Positive("5555-5555-5555-4444", "5555-5555-5555-4444"),
    Positive("amex 378282246310005", "378282246310005"),
    Positive("4000056655665556", "4000056655665556"),
    Positive("6011111111111117", "6011111111111117", header="card_number"),
    # American Express as embossed (4-6-5), with spaces or hyphens, in prose and in cells.
    Positive("Paid with 3782 822463 10005 on 3 May", "3782 822463 10005"),
    Positive("Corporate card 3714-496353-98431 was used", "3714-496353-98431"),
    Positive("3787 344936 71000", "3787 344936 71000", header="Payment Card"),
    # Diners Club International as embossed (4-6-4).
    Positive("Diners 3056 930902 5904 held on file", "3056 930902 5904"),
    Positive("card: 3852-000002-3237", "3852-000002-3237"),
    # 19-digit Visa / Maestro numbers (4-4-4-4-3) and a 13-digit Visa (4-3-3-3 and 4-4-4-1).
    Positive("Visa 4000 0000 0000 0000 006 declined", "4000 0000 0000 0000 006"),
    Positive("Maestro 6767 7000 0000 0000 001", "6767 7000 0000 0000 001"),
    Positive("old card 4111 111 111 119", "4111 111 111 119"),
    Positive("4222 2222 2222 2", "4222 2222 2222 2"),
    # 16-digit JCB and Mastercard 2-series.
    Positive("JCB 3530 1113 3330 0000", "3530 1113 3330 0000"),
    Positive("2223 0031 2200 3222", "2223 0031 2200 3222"),
    Positive("card 4111 1111 1111 1111 123 Main Street", "4111 1111 1111 1111"),
    Negative("4111 1111 1111 1112", "fails Luhn"),
    Negative("3782 822463 10006", "Amex layout, fails Luhn"),
    Negative("0000 0000 0000 0000", "repeated digits"),
    Negative("Order 1234567812345670 shipped", "issuer prefix 1 is not a payment card"),
    Negative("Tracking 9400111899223197428490", "22 digits"),
    Negative("Ref 4111 111111 11116", "Luhn-valid, but Visa issues no 15-digit numbers and 4-6-5 is the Amex layout"),
    Negative("3782 8224 6310 0052", "Amex prefix with 16 digits: Amex numbers are 15 digits"),
    Negative("5105 105105 1051", "Mastercard prefix in the Diners 4-6-4 layout, 14 digits"),
    Negative("3782-822463 10005", "mixed separators: not one number"),
    Negative("Invoice 0207 946001 23248", "leading 0 is no card issuer range"),
    Negative("Lines 1234-5678-9012-3452 of the log", "issuer prefix 1, though Luhn-valid"),
    Negative("see https://oss-fuzz.com/testcase-detail/5390364397928448.", "an id in a URL path"),
    Negative("2568 3208 3848 4488 5128 5768 6408 7048 7688 8328 8968", "a row of a table of numbers"),
]
