"""Date of birth, entity ``DATE_OF_BIRTH``: a date with birth context, not every date.

Police documents are full of dates (offence, arrest, charge, hearing), so a date
is reported only when a birth keyword (DOB, D.O.B, date of birth, born ...) sits
just before it with no other date or event word in between, or just after it in
brackets, or when the column header says it is a birth date. The date must be
plausible as a birth date (POLE DS_034): a real calendar date, not in the
future, and at most 120 years ago. Numeric dates are read day-first (UK).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe

_MONTHS = {
    m: i
    for i, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for m in names
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = re.compile(
    r"(?<![\w/.-])(?:"
    r"(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d\d)"
    r"|(?P<iy>\d{4})-(?P<im>\d\d)-(?P<id>\d\d)"
    rf"|(?P<td>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<tm>{_MONTH})\.?,?\s+(?P<ty>\d{{4}})"
    rf"|(?P<am>{_MONTH})\.?\s+(?P<ad>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<ay>\d{{4}})"
    r")(?![\w/-])(?!\.\d)",
    re.IGNORECASE,
)
# Words between a birth keyword and a date that mean the date is about something else.
_INTERRUPT = re.compile(
    r"arrest|offen[cs]|incident|hearing|court|charged|occurr|died|death|custody|interview|report|"
    r"released|bail|attended|date of (?!birth)|\d{1,2}[/.-]\d{1,2}[/.-]\d{2}",
    re.IGNORECASE,
)
_AFTER_OK = re.compile(r"[\s(\[]*$")
_BEFORE_GAP = 30


def parse_date(m: re.Match[str], today: dt.date) -> dt.date | None:
    """The calendar date a match denotes (day-first; two-digit years never in the future)."""
    try:
        if m["d"]:
            year = int(m["y"])
            if len(m["y"]) == 2:
                year += 2000 if 2000 + year <= today.year else 1900
            return dt.date(year, int(m["m"]), int(m["d"]))
        if m["iy"]:
            return dt.date(int(m["iy"]), int(m["im"]), int(m["id"]))
        if m["td"]:
            return dt.date(int(m["ty"]), _MONTHS[m["tm"].lower()], int(m["td"]))
        return dt.date(int(m["ay"]), _MONTHS[m["am"].lower()], int(m["ad"]))
    except (ValueError, KeyError):
        return None


def plausible_birth_date(date: dt.date, today: dt.date) -> bool:
    """Not in the future and not more than 120 years ago."""
    return date <= today and today.year - date.year <= 120


class DateOfBirthDetector(UkDetector):
    """Finds dates of birth: a plausible date tied to a birth keyword or a birth-date column."""

    ENTITY = "DATE_OF_BIRTH"
    CONTEXT = ("DOB", "D.O.B", "D.O.B.", "date of birth", "birth date", "birthdate", "born", "birthday",
               "DoB", "B'day")  # fmt: skip
    WINDOW_BEFORE = _BEFORE_GAP + 10
    WINDOW_AFTER = 12
    REQUIRES_CONTEXT = True

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        today = dt.date.today()
        for m in _DATE.finditer(text):
            date = parse_date(m, today)
            if date is None or not plausible_birth_date(date, today):
                continue
            if not (probe.external or self._tied(text, probe, m.start(), m.end())):
                continue
            yield self.result(*m.span(), 0.85, context=True, pattern="date", birth_date=date.isoformat())

    @staticmethod
    def _tied(text: str, probe: ContextProbe, start: int, end: int) -> bool:
        """A birth keyword right before the date (nothing eventful between) or right after it."""
        keyword = probe.nearest(start, end, before=_BEFORE_GAP, after=12)
        if keyword is None:
            return False
        k_start, k_end = keyword
        if k_end <= start:
            return _INTERRUPT.search(text, k_end, start) is None
        return bool(_AFTER_OK.match(text[end:k_start]))


CASES: list[Case] = [
    Positive("Subject SMITH, John (DOB 01/02/1980) was arrested on 03/04/2024", "01/02/1980"),
    Positive("D.O.B: 12-03-1975", "12-03-1975"),
    Positive("Date of birth 7 March 1985", "7 March 1985"),
    Positive("born on 12th Mar 1990 in Leeds", "12th Mar 1990"),
    Positive("DoB: 1985-03-07", "1985-03-07"),
    Positive("date of birth March 7, 1985", "March 7, 1985"),
    Positive("Jane Doe 05/11/1972 (DOB)", "05/11/1972"),
    Positive("DOB 1/2/80", "1/2/80"),
    Positive("01/02/1980", "01/02/1980", header="date_of_birth"),
    Positive("1980-02-01", "1980-02-01", header="DateOfBirth"),
    Positive("01/02/1980", "01/02/1980", header="DOB"),
    Negative("arrested on 03/04/2024 at 14:00", "date of arrest, no birth keyword"),
    Negative("Offence date 12/06/2023, hearing 01/09/2023", "dates of offence and hearing"),
    Negative("DOB 31/02/1980", "not a calendar date"),
    Negative("DOB 01/01/2099", "in the future"),
    Negative("DOB 01/01/1850", "more than 120 years ago"),
    Negative("Version 1.2.1980 released", "version string, no birth keyword"),
    Negative("DOB unknown; arrested 03/04/2024", "an event word stands between keyword and date"),
    Negative("12/06/2023", "a date in an offence-date column", header="offence_date"),
]
