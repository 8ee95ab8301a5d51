"""UK phone numbers in any common layout, entity ``PHONE_NUMBER``.

Uses libphonenumber's matcher (python ``phonenumbers``) with region GB, so
``+44``, ``0044``, ``+44 (0)``, spaces, dashes and brackets all work. The
matcher runs at POSSIBLE leniency and each number is then accepted if
libphonenumber says it is valid, or if it lies in an Ofcom drama range
(07700 900xxx, 01632 960xxx, 020 7946 0xxx ...), which libphonenumber rejects
but which are exactly what synthetic and test data use. A number written without
its trunk prefix (``2079460005``, Excel having eaten the 0) is a phone number
only with phone context. International numbers found by the GB matcher are
reported too: they are just as personal.

Presidio's default PhoneRecognizer tries eight regions and is the slowest
recognizer it has (tech-notes 1.3); one region is enough here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher
from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe

# Ofcom numbers reserved for TV/radio drama (never allocated), as national significant numbers.
_DRAMA_PREFIXES = (
    "7700900", "1632960", "2079460", "1134960", "1144960", "1154960", "1164960", "1174960", "1184960",
    "1214960", "1314960", "1414960", "1514960", "1614960", "1914980", "2896496", "2920180", "808157",
    "909879", "306999",
)  # fmt: skip
_WRITTEN_PREFIX = re.compile(r"[\s(]*(?:\+|00|0)")
_BARE = re.compile(r"(?<![\w+])[1-9]\d{9}(?!\w)")
# Runs of digits and phone punctuation that start like a written number (+, 00, 0, "(0"),
# long enough to hold one: the (slow, pure Python) matcher only reads these windows.
# Numbers written without their 0 are handled by _BARE, with context.
_CANDIDATE = re.compile(r"(?<![\w+])(?:\+|\(\+?|\(?0)[\d \t().\-]{7,}\d\)?(?:[ \t]*(?:x|ext\.?)[ \t]*\d{1,5})?")
_WINDOW_MARGIN = 2


def _windows(text: str) -> Iterator[tuple[int, str]]:
    """Merged candidate windows (offset, text) with a small margin for the matcher's edge checks."""
    start = end = -1
    for m in _CANDIDATE.finditer(text):
        s, e = max(0, m.start() - _WINDOW_MARGIN), min(len(text), m.end() + _WINDOW_MARGIN)
        if s <= end:
            end = max(end, e)
            continue
        if end > start:
            yield start, text[start:end]
        start, end = s, e
    if end > start:
        yield start, text[start:end]


def in_drama_range(national_number: str) -> bool:
    """Whether a GB national significant number is in an Ofcom drama range."""
    return len(national_number) == 10 and national_number.startswith(_DRAMA_PREFIXES)


class PhoneNumberDetector(UkDetector):
    """Finds phone numbers with libphonenumber's GB matcher plus the Ofcom drama ranges."""

    ENTITY = "PHONE_NUMBER"
    CONTEXT = ("tel", "telephone", "phone", "mobile", "mob", "call", "fax", "landline", "contact number",
               "ring", "text", "whatsapp", "home number", "work number", "ext", "direct dial", "DDI")  # fmt: skip

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        spans: list[tuple[int, int]] = []
        for offset, window in _windows(text):
            for match in PhoneNumberMatcher(window, "GB", leniency=Leniency.POSSIBLE):
                number = match.number
                national = phonenumbers.national_significant_number(number)
                valid = phonenumbers.is_valid_number(number)
                drama = number.country_code == 44 and in_drama_range(national)
                if not (valid or drama):
                    continue
                start, end = offset + match.start, offset + match.end
                context = probe.near(start, end)
                # No 0 or + written: "2079460005" is a phone number only when called one.
                if not context and not _WRITTEN_PREFIX.match(match.raw_string):
                    continue
                spans.append((start, end))
                yield self._hit(start, end, context, phonenumbers.region_code_for_number(number), drama)
        for m in _BARE.finditer(text):
            if any(s <= m.start() < e for s, e in spans) or not probe.near(*m.span()):
                continue
            national = m.group()
            try:
                number = phonenumbers.parse("0" + national, "GB")
            except phonenumbers.NumberParseException:
                continue
            drama = in_drama_range(national)
            if phonenumbers.is_valid_number(number) or drama:
                yield self._hit(*m.span(), True, "GB", drama)

    def _hit(self, start: int, end: int, context: bool, region: str | None, drama: bool) -> RecognizerResult:
        return self.result(
            start, end, 0.95 if context else 0.75, context=context, pattern="phone", region=region, drama=drama
        )


CASES: list[Case] = [
    Positive("Call 020 7946 0005 today", "020 7946 0005"),
    Positive("tel +44 (0)117 496 0123", "+44 (0)117 496 0123"),
    Positive("mob 07700 900123", "07700 900123"),
    Positive("07700900456", "07700900456"),
    Positive("0044 7700 900789", "0044 7700 900789"),
    Positive("(0113) 496 0000", "(0113) 496 0000"),
    Positive("0161-496-0999", "0161-496-0999"),
    Positive("+447700900111", "+447700900111"),
    Positive("landline 01632 960123", "01632 960123"),
    Positive("028 9649 6000", "028 9649 6000"),
    Positive("mobile 7700900123", "7700900123"),
    Positive("Phone 2079460005 for details", "2079460005"),
    Positive("7700900123", "7700900123", header="mobile"),
    Negative("NHS 943 476 5919", "NHS number, not a phone layout"),
    Negative("Reference 2079460005 on the invoice", "no trunk prefix and no phone context"),
    Negative("Dial 101 or 999", "short codes are not personal numbers"),
    Negative("Released 2019-01-01, build 12345678", "dates and build numbers"),
    Negative("Case 01ZD0300108", "PTI-URN"),
]
