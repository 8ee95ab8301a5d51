"""Arrest Summons Number, reported as ``CUSTODY_REFERENCE`` (agreed with the lead).

POLE DS_073: ``YYFFFFSSNNNNNNNNNNNC`` (year, force + unit, system, 11-digit
sequence, check letter), 20-21 characters; PNC display form
``YY/FFUU/SS/NNNNNNC``. Check character per bichard7-next-core ``Asn.ts``.
Force code 97 (fictional) is accepted: the force list only tells real forces
apart, it is not a validity check for detection.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.checks import asn_check_letter
from detectors.context import ContextProbe

_COMPACT = re.compile(r"(?<![\w/])\d\d[A-Z0-9]{6,7}\d{11}[A-HJ-NP-RT-Z](?![\w/])")
_DISPLAY = re.compile(
    r"(?<![\w/])(?P<yy>\d\d)/(?P<fu>\d\d[A-Z0-9]{2})/(?P<ss>[A-Z0-9]{2})/(?P<seq>\d{1,11})"
    r"(?P<c>[A-HJ-NP-RT-Z])(?![\w/])"
)


class UkAsnDetector(UkDetector):
    """Finds Arrest Summons Numbers (compact and PNC display forms) with a valid check letter."""

    ENTITY = "CUSTODY_REFERENCE"
    CONTEXT = ("ASN", "arrest summons", "arrest summons number", "arrest/summons", "summons number")

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        for m in _COMPACT.finditer(text):
            value = m.group()
            if asn_check_letter(value) == value[-1]:
                yield self._scored(m.span(), probe, "ASN compact")
        for m in _DISPLAY.finditer(text):
            compact = m["yy"] + m["fu"] + m["ss"] + m["seq"].zfill(11) + m["c"]
            if asn_check_letter(compact) == m["c"]:
                yield self._scored(m.span(), probe, "ASN display")

    def _scored(self, span: tuple[int, int], probe: ContextProbe, form: str) -> RecognizerResult:
        context = probe.near(*span)
        return self.result(
            *span, 1.0 if context else 0.95, context=context, pattern=form, validated=True, reference="ASN"
        )


CASES: list[Case] = [
    Positive("ASN 1101ZD0100000410847G", "1101ZD0100000410847G"),
    Positive("arrest summons 9700000000000123456K issued", "9700000000000123456K"),
    Positive("2005FF0500000000555P", "2005FF0500000000555P"),
    Positive("ASN: 2441XA0000000001234M", "2441XA0000000001234M"),
    Positive("ref 2543AB0100000098765A.", "2543AB0100000098765A"),
    Positive("PNC shows 97/0000/00/123456K", "97/0000/00/123456K"),
    Positive("2441XA0000000001234M", "2441XA0000000001234M", header="asn"),
    Negative("ASN 1101ZD0100000410847H", "wrong check letter (G expected)"),
    Negative("Traffic from AS13335 and AS15169", "Internet autonomous-system numbers"),
    Negative("97/0000/00/123456L", "display form with wrong check letter"),
    Negative("ASN 1101ZD0100000410847", "no check letter"),
]
