"""NHS number, entity ``UK_NHS``.

Ten digits, displayed 3-3-4, with a modulus-11 check digit (NHS Data
Dictionary). The check is weak (about 1 in 11 random 10-digit strings pass) and
repeated-digit strings pass it, so: repdigits are rejected; a number with NHS
context scores 1.0; one in the distinctive 3-3-4 layout scores 0.7; a bare run of
ten digits without context stays below the reporting threshold; and phone
context without NHS context drops it, because ``2079460005`` (020 7946 0005
with the 0 lost) passes mod 11 but is a phone number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.checks import nhs_number_valid
from detectors.context import ContextProbe, Keywords

_NHS = re.compile(r"(?<![\w+])(?<!\d[ -])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w])(?![ -]\d)")
_PHONE_PREFIX = re.compile(r"(?:\+\s?44|0044|\(0\))[\s(]*$")
_PHONE_WORDS = Keywords(
    ("tel", "telephone", "phone", "mobile", "mob", "call", "fax", "landline", "ring", "ext", "contact number")
)


class UkNhsDetector(UkDetector):
    """Finds NHS numbers that pass modulus 11, preferring phone context over a lucky checksum."""

    ENTITY = "UK_NHS"
    CONTEXT = ("NHS", "NHS no", "NHS number", "national health service", "patient number", "CHI number")

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        phone = None
        for m in _NHS.finditer(text):
            digits = m[1] + m[3] + m[4]
            if not nhs_number_valid(digits):
                continue
            if _PHONE_PREFIX.search(text, max(0, m.start() - 8), m.start()):
                continue
            context = probe.near(*m.span())
            if not context:
                if phone is None:
                    phone = ContextProbe(text, _PHONE_WORDS, 30, 10)
                if phone.near(*m.span()):
                    continue
            if context:
                score = 1.0
            elif m[2]:
                score = 0.7
            else:
                score = 0.4
            yield self.result(*m.span(), score, context=context, pattern="NHS", validated=True)


CASES: list[Case] = [
    Positive("NHS no 943 476 5919", "943 476 5919"),
    Positive("Patient 401-023-2137 seen", "401-023-2137"),
    Positive("nhs number: 9434765919", "9434765919"),
    Positive("221 395 1837", "221 395 1837"),
    Positive("NHS 6541003238", "6541003238"),
    Positive("test patient 999 000 0018", "999 000 0018"),
    Positive("9998765439", "9998765439", header="NHS Number"),
    Negative("NHS no 401-023-2138", "fails modulus 11"),
    Negative("NHS number 485 777 3456", "AWS documentation example fails modulus 11"),
    Negative("NHS 0000000000", "repdigit passes mod 11 but is never issued"),
    Negative("NHS 1111111111", "repdigit passes mod 11 but is never issued"),
    Negative("Phone 2079460005 for details", "020 7946 0005 with the 0 lost: phone context wins"),
    Negative("Call +44 207 946 0005", "international phone number in 3-3-4 layout"),
    Negative("Order ref 9434765919", "bare ten digits without NHS context"),
    Negative("NHS 999123456", "nine digits: no check digit possible"),
    Negative("Card 4111 943 476 5919 2", "part of a longer spaced number"),
]
