"""Officer collar / shoulder numbers and warrant / staff numbers, entity ``POLICE_COLLAR_NUMBER``.

POLE DS_070: up to 10 alphanumerics; most forces 1-5 digits, the Met adds a
two-letter borough code (``PC 123AB``, ``AB123``). Written with a rank prefix
(``PC 1234``, ``DC 4521``, ``PS 87``, ``PCSO 7012``) or after a label
("collar number", "warrant no", "staff number"). A rank prefix alone is not
enough: ``PC 1234`` is also an IT asset and ``PS 123`` a postscript, so a ranked
number needs policing context (or a surname straight after it), and IT context
vetoes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe, Keywords

_RANKED = re.compile(
    r"(?<![\w/.])(?P<rank>PCSO|PC|DC|TDC|PS|DS|SC|Sgt|Insp|A/PS|A/Sgt|A/Insp|Con)\.? ?"
    r"(?P<number>(?:[A-Z]{2} ?)?\d{1,5}(?:[A-Z]{2})?)(?![\w/])"
)
_LABELLED = re.compile(
    r"(?<![\w])(?P<label>(?:collar|shoulder)(?:\s*(?:no\.?|number|num|#))?"
    r"|(?:warrant|staff|pay|payroll|employee|badge)(?:\s+card)?\s*(?:no\.?|number|num|id|#))\s*[:.]?\s*"
    r"(?P<number>[A-Z]{0,2}\d{2,8}[A-Z]{0,2})(?![\w/])",
    re.IGNORECASE,
)
_NAME_AFTER = re.compile(r" (?!(?:The|And|But|For|This|That|On|At|In|To|Is|Was|Has|Had)\b)[A-Z][a-z]{2,}")
_IT_WORDS = Keywords(
    ("laptop", "asset", "desktop", "computer", "device", "hostname", "workstation", "PC number", "monitor",
     "printer", "software", "install", "serial", "PC name", "helpdesk", "Windows", "IT asset")
)  # fmt: skip
# Column headers whose bare values are collar, warrant or staff numbers ("oic_collar": "4521").
_HEADERS = Keywords(
    ("collar", "shoulder", "warrant number", "warrant no", "staff number", "staff no", "staff id", "pay number",
     "payroll number", "payroll no", "employee number", "employee no", "employee id", "badge number",
     "officer number")
)  # fmt: skip
_BARE_VALUE = re.compile(r"\s*(?:[A-Z]{1,2} ?)?\d{1,8}(?: ?[A-Z]{1,2})?\s*")


class PoliceCollarNumberDetector(UkDetector):
    """Finds collar/shoulder numbers after a rank, and warrant/staff numbers after a label."""

    ENTITY = "POLICE_COLLAR_NUMBER"
    CONTEXT = (
        "officer", "constable", "sergeant", "inspector", "detective", "police", "collar", "shoulder",
        "arrest", "arrested", "arresting", "custody", "attended", "OIC", "station", "on duty", "statement",
        "MG11", "patrol", "response", "incident", "warrant", "PCSO", "force", "cautioned", "interviewed",
        "officer in case", "neighbourhood", "crime", "briefing",
    )  # fmt: skip

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        if header and _HEADERS.in_header(header) and _BARE_VALUE.fullmatch(text):
            start = len(text) - len(text.lstrip())
            yield self.result(start, len(text.rstrip()), 0.85, context=True, pattern="column value")
            return
        it: ContextProbe | None = None
        labelled: list[tuple[int, int]] = []
        for m in _LABELLED.finditer(text):
            span = m.span("number")
            labelled.append(span)
            yield self.result(*span, 0.85, context=True, pattern=f"{m['label'].split()[0].lower()} number")
        for m in _RANKED.finditer(text):
            if any(s <= m.start("number") < e for s, e in labelled):
                continue
            if it is None:
                it = ContextProbe(text, _IT_WORDS, 40, 30)
            if it.near(*m.span()):
                continue
            context = probe.near(*m.span()) or bool(_NAME_AFTER.match(text, m.end()))
            yield self.result(*m.span(), 0.75 if context else 0.4, context=context, pattern="rank + number")


CASES: list[Case] = [
    Positive("PC 1234 Smith attended the address", "PC 1234"),
    Positive("Arresting officer DC 4521", "DC 4521"),
    Positive("PS 87 Jones", "PS 87"),
    Positive("The PCSO 7012 on patrol", "PCSO 7012"),
    Positive("Special SC 5123 was on duty", "SC 5123"),
    Positive("Met officer PC 123AB gave a statement", "PC 123AB"),
    Positive("Collar number: 4521", "4521"),
    Positive("warrant no. 123456 issued to DC Jones", "123456"),
    Positive("Staff number W104233", "W104233"),
    Positive("shoulder no 2231", "2231"),
    Positive("PC 1234", "PC 1234", header="oic_collar"),
    Positive("4521", "4521", header="oic_collar"),
    Positive("AB123", "AB123", header="collar_number"),
    Positive("W104233", "W104233", header="staff_number"),
    Negative("4521", "a bare number in an unrelated column", header="quantity"),
    Negative("Asset list: PC 1234 laptop, PC 1235 desktop", "IT asset numbers"),
    Negative("Thanks, John. PS 123 cakes in the kitchen", "postscript, no policing context"),
    Negative("PC 1234", "rank prefix without any policing context"),
    Negative("Please install Windows on PC 4410 before the arrest training", "IT context vetoes"),
]
