"""UK passport number, entity ``UK_PASSPORT``.

HMPO and POLE DS_056: nine digits for every book since 1988 (old books: one
letter + six digits or six digits + one letter). Nine digits alone are
meaningless, so a number is reported only with passport context, except in a
machine-readable zone line whose passport-number check digit validates
(ICAO 9303: number, check digit, ``GBR``, birth date ...). Presidio's own
UK_PASSPORT (two letters + seven digits) is wrong for UK books and is not used.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.checks import icao_check_digit
from detectors.context import ContextProbe

_NUMBER = re.compile(r"(?<![\w/.-])(?:\d{9}|\d{3} \d{3} \d{3}|[A-Z]\d{6}|\d{6}[A-Z])(?![\w/-])(?!\.\d)")
_MRZ = re.compile(r"(?<![A-Z0-9<])(?P<number>\d{9})(?P<check>\d)GBR\d{6}\d[MF<]\d{6}\d")


class UkPassportDetector(UkDetector):
    """Finds UK passport numbers near passport context, and in validated MRZ lines."""

    ENTITY = "UK_PASSPORT"
    CONTEXT = ("passport", "HMPO", "passport no", "passport number", "travel document", "P<GBR")
    WINDOW_BEFORE = 50
    WINDOW_AFTER = 20
    REQUIRES_CONTEXT = True

    def _gate(self, text: str) -> bool:
        """A passport keyword, or "GBR" for a machine-readable zone line without its first line."""
        return "GBR" in text or super()._gate(text)

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        mrz_starts = set()
        for m in _MRZ.finditer(text):
            if icao_check_digit(m["number"]) == int(m["check"]):
                mrz_starts.add(m.start())
                yield self.result(m.start(), m.start() + 9, 0.95, pattern="MRZ", validated=True)
        for m in _NUMBER.finditer(text):
            if m.start() in mrz_starts or not probe.near(*m.span()):
                continue
            form = "old" if m.group()[0].isalpha() or m.group()[-1].isalpha() else "nine digits"
            yield self.result(*m.span(), 0.8, context=True, pattern=form)


CASES: list[Case] = [
    Positive("Passport number: 123456789", "123456789"),
    Positive("UK passport 925076473 expires 2031", "925076473"),
    Positive("passport no. 925 076 473", "925 076 473"),
    Positive("HMPO confirmed L123456 was an old-style passport", "L123456"),
    Positive("P<GBRSMITH<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n9250764733GBR8501017M3101015<<<<<<<<<<<<<<04", "925076473"),
    Positive("925076473", "925076473", header="passport_number"),
    Negative("Order 123456789 shipped", "nine digits without passport context"),
    Negative("Ticket 123456789 for the train, booked weeks before anyone renewed a passport", "context too far"),
    Negative("VAT GB 123 4567 89", "VAT number layout 3-4-2"),
    Negative("9250764734GBR8501017M3101015<<<<<<<<<<<<<<04", "MRZ with a wrong check digit"),
    Negative("Passport office phone 0300 222 0000", "a phone number near the word passport"),
]
