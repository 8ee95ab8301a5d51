"""PNC ID (Police National Computer identifier), entity ``UK_PNC_ID``.

Canonical ``YYYY/NNNNNNNC``; display/short form ``YY/N..NC`` with century and
leading zeros suppressed (``81/34U`` = ``1981/0000034U``); also seen without the
slash (``20020073319Z``, ``0273319Z``). The check letter is modulus 23 over the
2-digit year and 7-digit serial (NPCC POLE Data Standards DS_072; MoJ
hmpps-person-record PNCIdentifier.kt). A wrong or forbidden (I, O, S) check
letter means the string is not reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.checks import pnc_check_letter
from detectors.context import ContextProbe

# The look-arounds refuse neighbours that make it part of a bigger reference:
# the court case reference 97/1626/008395Q must not yield "1626/008395Q".
_PNC = re.compile(
    r"(?<![\w/])(?:"
    r"(?P<y4>(?:19|20)\d\d)/(?P<s7>\d{7})"
    r"|(?P<y2>\d\d)/(?P<s>\d{1,7})"
    r"|(?P<n4>(?:19|20)\d\d)(?P<ns7>\d{7})"
    r"|(?P<n2>\d\d)(?P<ns>\d{3,7})"
    r")(?P<c>[A-HJ-NP-RT-Z])(?![\w/])"
)


class UkPncDetector(UkDetector):
    """Finds PNC IDs in every written form and validates the modulus-23 check letter."""

    ENTITY = "UK_PNC_ID"
    CONTEXT = ("PNC", "PNCID", "PNC ID", "police national computer", "PNC number", "PNC no")

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        this_year = dt.date.today().year
        for m in _PNC.finditer(text):
            g = m.groupdict()
            year = g["y4"] or g["y2"] or g["n4"] or g["n2"]
            serial = g["s7"] or g["s"] or g["ns7"] or g["ns"]
            if len(year) == 4 and int(year) > this_year:
                continue
            if pnc_check_letter(year, serial) != g["c"]:
                continue
            context = probe.near(*m.span())
            if g["y4"] or (g["y2"] and len(serial) >= 4):
                form, score = "slashed", 0.95  # distinctive layout + check letter
            elif g["n4"]:
                form, score = "compact long", 0.9
            else:
                # "81/34U" or "0273319Z": short enough to occur by chance (1 in 23).
                form, score = "short", 0.4
            if context:
                score = 1.0
            yield self.result(*m.span(), score, context=context, pattern=form, validated=True)


CASES: list[Case] = [
    Positive("PNC ID: 1979/0163001B", "1979/0163001B"),
    Positive("Subject (PNC 79/163001B) was arrested", "79/163001B"),
    Positive("2002/0073319Z on file", "2002/0073319Z"),
    Positive("PNC 02/73319Z", "02/73319Z"),
    Positive("PNC id 81/34U", "81/34U"),
    Positive("pnc: 00/223R", "00/223R"),
    Positive("nominal 67/9893091D linked", "67/9893091D"),
    Positive("ref 2019/0123456E", "2019/0123456E"),
    Positive("Record 20020073319Z on the PNC", "20020073319Z"),
    Positive("PNC number 0273319Z", "0273319Z"),
    Positive("1998/0045678Q", "1998/0045678Q"),
    Positive("23/500001D", "23/500001D", header="pnc_id"),
    Negative("PNC 2019/0123456F", "wrong check letter (E expected)"),
    Negative("PNC 20120052494O", "O is never a check letter"),
    Negative("PNC 2001/0171310S", "S is never a check letter"),
    Negative("PNC 20030011985Z", "wrong check letter (X expected)"),
    Negative("Case 97/1626/008395Q listed", "three-part court case reference"),
    Negative("Offence classification 037/02", "Home Office offence classification, no check letter"),
    Negative("Version 81/34U of the form", "short form without PNC context (1 in 23 chance)"),
    Negative("1X23/1234567A", "letter inside the year"),
    Negative("1923/1234567AA", "two trailing letters"),
    Negative("2099/0000001A", "year in the future"),
    Negative("part no 0273319Z", "compact short form needs PNC context"),
]
