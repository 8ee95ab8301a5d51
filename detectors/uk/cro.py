"""CRO number (Criminal Records Office / ACRO), entity ``UK_CRO``.

Standard ``NNNNNN/YYC`` (serial 1-6 digits, leading zeros often dropped) and the
search-file form ``SFYY/NNNNNNC``. The check letter is modulus 23 (POLE DS_071;
MoJ CROIdentifier.kt). Look-alikes that must not match: Home Office offence
classifications ``037/02`` (no letter) and Irish Companies Registration Office
numbers (plain digits).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.checks import cro_check_letter, cro_sf_check_letter
from detectors.context import ContextProbe

_CRO = re.compile(
    r"(?<![\w/])(?:(?P<serial>\d{1,6})/(?P<year>\d\d)|SF(?P<sf_year>\d\d)/(?P<sf_serial>\d{1,6}))"
    r"(?P<c>[A-HJ-NP-RT-Z])(?![\w/])"
)


class UkCroDetector(UkDetector):
    """Finds CRO numbers (standard and SF forms) with a valid modulus-23 check letter."""

    ENTITY = "UK_CRO"
    CONTEXT = ("CRO", "CRO no", "CRO number", "criminal records office", "ACRO", "CRONo")

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        for m in _CRO.finditer(text):
            if m["sf_year"]:
                expected = cro_sf_check_letter(m["sf_year"], m["sf_serial"])
                short = False
            else:
                expected = cro_check_letter(m["serial"], m["year"])
                # "12/34X" is also a short PNC shape and occurs by chance 1 in 23.
                short = len(m["serial"]) <= 2
            if expected != m["c"]:
                continue
            context = probe.near(*m.span())
            score = 1.0 if context else (0.4 if short else 0.95)
            yield self.result(*m.span(), score, context=context, pattern="CRO", validated=True)


CASES: list[Case] = [
    Positive("CRO 065656/91H", "065656/91H"),
    Positive("CRO number 65656/91H", "65656/91H"),
    Positive("search file SF05/482703J", "SF05/482703J"),
    Positive("SF83/50058Z", "SF83/50058Z"),
    Positive("records 123456/87H and", "123456/87H"),
    Positive("054321/99P", "054321/99P"),
    Positive("000777/12X", "000777/12X"),
    Positive("SF93/12345N", "SF93/12345N"),
    Positive("777/12X", "777/12X", header="CRO No"),
    Negative("CRO 85227/65G", "wrong check letter (L expected)"),
    Negative("Offence 037/02 and 809/01", "Home Office offence classification"),
    Negative("CRO number 654321 (Companies Registration Office, Ireland)", "Irish company number: digits only"),
    Negative("Page 12/34X", "two-digit serial without CRO context"),
    Negative("CRO 065656/91I", "I is never a check letter"),
    Negative("A/065656/91H/2", "embedded in a longer slash reference"),
]
