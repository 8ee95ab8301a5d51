"""Officer collar / shoulder numbers and warrant / staff numbers, entity ``POLICE_COLLAR_NUMBER``.

POLE DS_070: up to 10 alphanumerics; most forces 1-5 digits, the Met adds a
two-letter borough code (``PC 123AB``, ``AB123``). Officers write them after a
rank (``DC 4521``, ``PS 87``, ``PCSO 7012``, ``Sgt 812``, ``Police Constable
1234``) or after a label ("collar number", "warrant no", "staff number").

How sure a rank + number is depends on the rank:

* **Unambiguous ranks** (DC, TDC, DS, DSgt, PS, PCSO, SC, SPC, Sgt, Insp, DI,
  DCI, Con, their acting/temporary ``A/`` and ``T/`` forms, and the spelled-out
  ranks): in the text a police force sends these are officers, so the number is
  reported on its own (0.6), and at 0.85 with policing context, a surname after
  it or a signature layout. Inside a sentence ("the handler, DC 1234, met ...")
  or on a signature line ("PS 4521 Smith", "Sgt 812") alike.
* **PC** is also a personal computer ("PC 1234" in an IT asset list), and a rank
  written solid with its number ("DC16", "SC2006", "PS256") is as often a
  product code, a chip or a lint rule, so these need evidence: a policing word
  nearby (the window reaches the unit and force lines of a signature block), a
  surname straight after, or a signature layout
  (the rank and number on their own line under a name, or after the name on the
  same line). **PS at the start of a line or sentence** may be a postscript
  ("PS 2 more things"), so it needs the same evidence there; "P.S." and "PS:"
  never match.

Vetoes, whatever the rank: IT words nearby or in the column header, for PC
always and for the other ranks unless there is evidence ("PC 1234 laptop",
"domain controller DC 2"); product and place names the abbreviations share
("Washington DC 20001", "Citroen DS 3", "PS4"/"PS5" consoles, "SC" vetting
levels); a code after "room", "grade", "page" and the like; a number that is a
measurement, a time or a range ("DC 230 V", "DS 10:30", "SC 29201-4411"). A
borough letter prefix counts only after a space ("PC AB123"), so "PSNI 2023"
and "DISP20" are not ranks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe, Keywords

# The leading lookahead on the first letters lets the regex engine skip most positions quickly.
_RANKED = re.compile(
    r"(?=[ACDIPST])(?<![\w/.&'’-])(?P<rank>"
    r"(?:[AT]/)?(?:PCSO|DCI|DSgt|D/Sgt|DSGT|TDC|DC|DS|DI|PS|SPC|SC|Sgt|SGT|Insp|INSP|PC)"
    r"|Con|Cons"
    r"|(?:(?:Police|Detective|Special|Acting|Temporary|POLICE|DETECTIVE|SPECIAL)\s+)?"
    r"(?:Constable|Sergeant|Inspector|CONSTABLE|SERGEANT|INSPECTOR)"
    r")(?P<sep>\.? ?)(?P<number>(?:(?<=[ .])[A-Z]{2} ?)?\d{1,5}(?:[A-Z]{2})?)(?![\w/])"
)
# Ranks that are not officers often enough outside policing to need evidence.
_CONTEXTUAL_RANKS = frozenset({"PC", "A/PC", "T/PC"})
_LABELLED = re.compile(
    r"(?=[bcepsw])(?<![\w])(?P<label>(?:collar|shoulder)(?:\s*(?:no\.?|number|num|#))?"
    r"|(?:warrant|staff|pay|payroll|employee|badge)(?:\s+card)?\s*(?:no\.?|number|num|id|#))\s*[:.]?\s*"
    r"(?P<number>[A-Z]{0,2}\d{2,8}[A-Z]{0,2})(?![\w/])",
    re.IGNORECASE,
)
_NAME_AFTER = re.compile(
    r" (?!(?:The|And|But|For|This|That|On|At|In|To|Is|Was|Has|Had|Please|Thanks|Tel|Mob|Email|Ext|Room)\b)"
    r"[A-Z](?:[a-z'’]{2,}|[A-Z'’]{2,}\b)"
)
# A name (2-4 capitalised words) just before the rank: on the line above it (a signature
# block) or on the same line ("Paula Morton, PC 4465").
_NAME_BEFORE = re.compile(
    r"(?:^|\n|,[ \t]*)[ \t]*(?:[A-Z][A-Za-z'’-]+[ \t]+){1,3}[A-Z][A-Za-z'’-]+[ \t]*(?:[,|–-][ \t]*|\r?\n[ \t]*)$"
)
# The rank and number close their line (or are followed by a separator and a unit name).
_LINE_END_AFTER = re.compile(r"[ \t]*(?:$|\r?\n|[,|–-][ \t]*[A-Z])")
_SENTENCE_START_BEFORE = re.compile(r"(?:^|\n|[.!?][ \t]+|[.!?][\"')\]]+[ \t]+)[ \t>*•-]*$")
_IT_WORDS = Keywords(
    ("laptop", "asset", "desktop", "computer", "device", "hostname", "workstation", "PC number", "monitor",
     "printer", "software", "install", "serial", "PC name", "helpdesk", "Windows", "IT asset", "server",
     "domain controller", "data centre", "datacentre", "virtual machine", "VM", "rack", "asset tag", "reboot",
     "rebooted", "IP address", "MAC address", "operating system", "OS version", "licence key", "spec")
)  # fmt: skip
# Names that share the letters: "Washington DC", "Citroen DS 3", a PlayStation, SC/DV vetting levels.
_PRODUCT_BEFORE = re.compile(
    r"(?:washington|citro[eë]n|nintendo|sony|playstation|marvel|room|rm|grade|scale|band|level|floor|block|"
    r"bay|form|figure|fig|table|page|section|clause|para|item|model|type|size|version|route|bus|flight|"
    r"platform|gate|junction|code|module|course|lesson|step|phase|stage|zone|building|bldg|wing|lab|class|"
    r"cohort|exam)[\s.,:]*$",
    re.IGNORECASE,
)
_VETTING = Keywords(("vetting", "vetted", "clearance", "NPPV", "CTC", "DV", "security check"))
_MEASURE_AFTER = re.compile(r"(?:[:.\-]\d|,\d{3}\b|\s?(?:%|V|mV|kV|mA|A|W|kW|Hz|kHz|volts?|amps?|watts?|hrs?|mins?)\b)")
_PLAYSTATION = re.compile(r"PS[1-5]")
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
        "officer", "officers", "constable", "sergeant", "inspector", "detective", "police", "policing",
        "constabulary", "collar", "shoulder", "arrest", "arrested", "arresting", "custody", "attended", "OIC",
        "station", "on duty", "statement", "MG11", "patrol", "response", "incident", "warrant", "PCSO", "force",
        "cautioned", "interviewed", "officer in case", "neighbourhood", "crime", "briefing", "handler",
        "source handler", "CHIS", "intelligence", "suspect", "victim", "witness", "detained", "charged",
        "investigation", "investigating", "enquiries", "safeguarding", "CID", "deployed", "call sign",
        "callsign", "beat", "shift",
    )  # fmt: skip
    WINDOW_BEFORE = 80
    WINDOW_AFTER = 60

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        if header and _HEADERS.in_header(header) and _BARE_VALUE.fullmatch(text):
            start = len(text) - len(text.lstrip())
            yield self.result(start, len(text.rstrip()), 0.85, context=True, pattern="column value")
            return
        labelled: list[tuple[int, int]] = []
        for m in _LABELLED.finditer(text):
            span = m.span("number")
            labelled.append(span)
            yield self.result(*span, 0.85, context=True, pattern=f"{m['label'].split()[0].lower()} number")
        it_header = _IT_WORDS.in_header(header)
        it: ContextProbe | None = None
        for m in _RANKED.finditer(text):
            if any(s <= m.start("number") < e for s, e in labelled):
                continue
            rank = m["rank"]
            if self._vetoed(text, m, rank):
                continue
            before = text[max(0, m.start() - 80) : m.start()]
            evidence = (
                probe.near(*m.span()) or bool(_NAME_AFTER.match(text, m.end())) or self._signature(text, m, before)
            )
            if rank == "SC" and not evidence and ContextProbe(text, _VETTING, 40, 40).near(*m.span()):
                continue  # "SC" and "DV" are also security vetting levels
            if it is None:
                it = ContextProbe(text, _IT_WORDS, 40, 30)
            # Written solid ("DC16", "SC2006", "PS256") the letters are as often a code, a chip or
            # a lint rule as a rank: like PC, these need evidence.
            contextual = (
                rank in _CONTEXTUAL_RANKS
                or not m["sep"]
                or (rank == "PS" and _SENTENCE_START_BEFORE.search(before) is not None)
            )
            if contextual:
                if it_header or it.near(*m.span()):
                    continue
                score = 0.75 if evidence else 0.4
            else:
                if not evidence and (it_header or it.near(*m.span())):
                    continue
                if not evidence and sum(c.isdigit() for c in m["number"]) < 2:
                    continue  # "DS 4", "DC 2": single-digit collar numbers are rare; items and initials are not
                score = 0.85 if evidence else 0.6
            yield self.result(*m.span(), score, context=evidence, pattern="rank + number")

    @staticmethod
    def _vetoed(text: str, m: re.Match[str], rank: str) -> bool:
        """Product names, codes after "room"/"grade", measurements, consoles, a list of cons."""
        if _MEASURE_AFTER.match(text, m.end()):
            return True
        if _PRODUCT_BEFORE.search(text, max(0, m.start() - 20), m.start()):
            return True
        if rank == "PS" and _PLAYSTATION.fullmatch(m.group()):
            return True
        return rank == "Con" and len(m["number"]) < 2  # "Con 1" in a list of pros and cons

    @staticmethod
    def _signature(text: str, m: re.Match[str], before: str) -> bool:
        """A rank + number under a name, or after a name on the same line, closing its line."""
        if not _NAME_BEFORE.search(before):
            return False
        return bool(_LINE_END_AFTER.match(text, m.end())) or bool(_NAME_AFTER.match(text, m.end()))


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
    # Unambiguous ranks inside sentences, with no other policing word.
    Positive("The handler, DC 1234, met the source in a car park.", "DC 1234"),
    Positive("Thanks to DS 39 for the quick turnaround", "DS 39"),
    Positive("I spoke with Sgt 812 this morning about the rota.", "Sgt 812"),
    Positive("Forms were signed by Sgt. 812 and returned", "Sgt. 812"),
    Positive("Copy to DI 3021 and DCI 44 please", "DCI 44"),
    Positive("Please ask A/PS 2231 to call me back", "A/PS 2231"),
    Positive("Notes from T/DC 6610 are attached", "T/DC 6610"),
    Positive("Confirmed by DSgt 1750 on Friday", "DSgt 1750"),
    Positive("Can PCSO 7012 cover Saturday?", "PCSO 7012"),
    Positive("Insp 1002 approved the overtime", "Insp 1002"),
    Positive("Detective Constable 4410 took the call", "Detective Constable 4410"),
    Positive("Con 2231 was the first to arrive", "Con 2231"),
    # Signature lines.
    Positive("Regards\nPS 4521 Smith\nTraining Department", "PS 4521"),
    Positive("Kind regards,\n\nPaula Morton\nPC 4465\nProfessional Standards\nWessex Police", "PC 4465"),
    Positive("Many thanks\nKayleigh Scott\nPS 5560\nCase Progression Unit", "PS 5560"),
    Positive("Regards, Jo Bloggs, PC 2201", "PC 2201"),
    Positive("Cheers\nSgt 812", "Sgt 812"),
    # Met style borough suffix, and PC with policing context in the sentence.
    Positive("Statement taken by PC 123AB at the front counter", "PC 123AB"),
    Positive("The dog handler, PC 5505, searched the garden.", "PC 5505"),
    Positive("DC 1234 seized the suspect's laptop", "DC 1234"),
    Positive("SC 5123 attended a DV incident on the estate", "SC 5123"),
    Positive("DS 3782", "DS 3782", header="Officer"),
    Positive("Statement of DC4521 attached; the suspect was interviewed", "DC4521"),
    Positive("Jo Bloggs\nPC1234\nResponse Team", "PC1234"),
    Positive("Officer in the case: PC AB123", "PC AB123"),
    Negative("4521", "a bare number in an unrelated column", header="quantity"),
    Negative("Asset list: PC 1234 laptop, PC 1235 desktop", "IT asset numbers"),
    Negative("Thanks, John. PS 123 cakes in the kitchen", "postscript, no policing context"),
    Negative("PS 2 more things to bring on Friday", "postscript at the start of a message"),
    Negative("Thanks all.\nPS. 3 people still owe money for the raffle", "postscript with a full stop"),
    Negative("P.S. 123 see below", "P.S. written with stops"),
    Negative("PC 1234", "rank prefix without any policing context"),
    Negative("PC 1234", "computer name in an IT column", header="Device"),
    Negative("Please install Windows on PC 4410 before the arrest training", "IT context vetoes"),
    Negative("Reimage PC 2201 and PC 2202 on the third floor", "computers, no policing context"),
    Negative("Dell Latitude 5440\nPC 1234\nSerial 8H2K9L1", "asset list lines"),
    Negative("Our office in Washington DC 20001 will close", "US capital and ZIP code"),
    Negative("A silver Citroen DS 3 was parked outside", "car model"),
    Negative("Stolen items: a PS4 and two controllers", "PlayStation console"),
    Negative("Input voltage DC 230 V", "direct current measurement"),
    Negative("Her SC 2019 clearance lapsed", "security check vetting level"),
    Negative("Vetting: SC 2021, DV pending", "vetting levels"),
    Negative("Meet in room DC 101 at noon", "room code"),
    Negative("Con 1: the cost is higher", "list of pros and cons"),
    Negative("Server DC 2 rebooted overnight", "domain controller"),
    Negative("shellcheck disable=SC2006, fix warning SC2154", "lint rule codes written solid"),
    Negative("Add Dallas DS1631 detection", "chip part number"),
    Negative("Added support for PS256, PS384 and PS512 algorithms", "signature algorithm names"),
    Negative("In 2023 the PSNI 2023 report was published", "PSNI is a force name, not PS + borough letters"),
    Negative("Columbia, SC 29201-4411", "US state and ZIP+4"),
    Negative("Minutes: DS 4 agreed the budget", "initials with an item number, single digit"),
    Negative("Course code DS 104 starts Monday", "course code"),
    Negative("Module DC 101 Introduction to Policing", "training module code"),
    Negative("Total PS 12,000 raised", "amount"),
    Negative("the constable 4 cars were parked", "lower-case word, not a written rank"),
]
