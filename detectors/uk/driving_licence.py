"""DVLA driving licence (driver) number, entity ``UK_DRIVING_LICENCE``.

16 characters ``SSSSS D MM DD Y II A CC`` (POLE DS_061; DVLA guidance): surname
block padded with 9 (MAC written MC), decade digit, month (+50 for women), day,
year digit, two initials (9 when no middle initial), an arbitrary digit and two
check characters whose algorithm is not public. The structure rules reject most
16-character strings, but software keys can still fit (``ABCDE812156XY1QZ``),
so without licence context the score stays below the reporting threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe

_DL = re.compile(
    r"(?<![A-Za-z0-9])(?P<surname>[A-Z][A-Z9]{4}) ?(?P<decade>\d)(?P<month>[0156]\d)(?P<day>[0-3]\d)"
    r"(?P<year>\d) ?(?P<initials>[A-Z][A-Z9])(?P<arbitrary>\d)(?P<check>[A-Z]{2})"
    r"(?: (?P<issue>\d\d))?(?![A-Za-z0-9])"
)
_SURNAME = re.compile(r"[A-Z]+9*")


def structure_valid(surname: str, month: str, day: str) -> bool:
    """Surname letters then only trailing 9s; month 01-12 or 51-62; day 01-31."""
    if not _SURNAME.fullmatch(surname):
        return False
    mm = int(month)
    if mm > 50:
        mm -= 50
    return 1 <= mm <= 12 and 1 <= int(day) <= 31


class UkDrivingLicenceDetector(UkDetector):
    """Finds DVLA driver numbers by structure; context lifts them over the threshold."""

    ENTITY = "UK_DRIVING_LICENCE"
    CONTEXT = (
        "driving licence",
        "driving license",
        "driver number",
        "driver no",
        "drivers licence",
        "driver licence",
        "licence number",
        "licence no",
        "DVLA",
        "DLN",
        "DL number",
        "DL no",
    )

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        for m in _DL.finditer(text):
            if not structure_valid(m["surname"], m["month"], m["day"]):
                continue
            context = probe.near(*m.span())
            yield self.result(*m.span(), 0.85 if context else 0.4, context=context, pattern="DVLA")


CASES: list[Case] = [
    Positive("Driving licence MORGA657054SM9IJ", "MORGA657054SM9IJ"),
    Positive("DVLA driver number MORGA607054SM9IJ", "MORGA607054SM9IJ"),
    Positive("licence number: JONES710153J99EF", "JONES710153J99EF"),
    Positive("driving licence no. MCDON706305E99QT 02", "MCDON706305E99QT 02"),
    Positive("LI999051091M99KL", "LI999051091M99KL", header="driving_licence_number"),
    Positive("DVLA PATEL 961020 PR9XY", "PATEL 961020 PR9XY"),
    Negative("Driving licence SMITH813320AB9CD", "day 32"),
    Negative("DVLA 99999601011AB9CD", "no surname letters"),
    Negative("Driving licence JONES713153J99EF", "month 13"),
    Negative("licence JONES750153J99EF", "month 50"),
    Negative("Licence key ABCDE812156XY1QZ for Office", "software key: no driving-licence context"),
    Negative("driving licence JO9ES710153J99EF", "9 inside the surname block"),
]
