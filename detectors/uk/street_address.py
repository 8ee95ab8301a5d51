"""Street address lines in prose, entity ``STREET_ADDRESS`` (pattern part only).

A house number (optionally a range or with a letter, optionally after
"Flat 3,"), one to four capitalised street-name words and a street-type word
(Road, Street, Avenue, Close ...). The street-type word is the built-in context
that makes the shape specific, so a match scores 0.6 on its own and 0.85 next to
address words ("lives at", "address"). Named houses without numbers and
addresses written entirely in lower case are left to NER (another component).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe

_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Cl|Drive|Dr|Way|Crescent|Cres|Court|Ct|Gardens|Gdns|"
    "Place|Pl|Terrace|Terr|Grove|Gr|Hill|Park|Walk|Rise|Row|Mews|Square|Sq|Parade|Pde|View|Green|Vale|"
    "Croft|Fields|Meadow|Meadows|Wharf|Quay|Yard|Boulevard|Circus|Approach|Gate|Chase|Grange|Wynd|"
    "Hollow|Heights|End|Embankment|Broadway|Causeway|Brow|Bank|Side|Copse|Dale|Glade|Leys|Path|Passage"
)
_NAME_WORD = r"(?:[A-Z][a-z']+|St\.?|[A-Z]{2,})"
_ADDRESS = re.compile(
    r"(?<![\w/.-])(?P<flat>(?:Flat|Apartment|Apt|Unit|Room)\s+\d{1,4}[A-Z]?,?\s+)?"
    r"(?P<number>\d{1,3}[A-Za-z]?(?:\s?-\s?\d{1,3}[A-Za-z]?)?),?\s+"
    rf"(?P<name>{_NAME_WORD}(?:[ -](?:{_NAME_WORD}|upon|on|de|la|le|of|the)){{0,3}}?)"
    rf"\s+(?P<type>{_TYPES})\b\.?"
)
# Numbers that count something else ("section 3 Park Lane Regulations", "Committee Room 2, Laburnum Road").
_NOT_HOUSE = re.compile(
    r"(?:chapter|section|page|para(?:graph)?|item|step|rule|room|platform|gate|junction|£|\$)\s*$", re.IGNORECASE
)
# A day of the month, not a house number: "seen at 4pm on 17 October on Reevy Road".
_MONTH = re.compile(
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b"
)
# "Flat 3, Corbridge House, Harehills Lane": a flat in a named building, with or without the street.
_FLAT_IN_BUILDING = re.compile(
    r"(?<![\w/.-])(?:Flat|Apartment|Apt)\s+\d{1,4}[A-Z]?,?\s+"
    rf"{_NAME_WORD}(?:[ -]{_NAME_WORD}){{0,2}}\s+"
    r"(?:House|Court|Lodge|Mansions|Buildings|Tower|Heights|Point|Block|Hall|Chambers|Mill|Works)\b"
    rf"(?:,?\s+{_NAME_WORD}(?:[ -]{_NAME_WORD}){{0,2}}\s+(?:{_TYPES})\b)?"
)


class StreetAddressDetector(UkDetector):
    """Finds numbered street address lines ("Flat 2, 14 Acacia Avenue")."""

    ENTITY = "STREET_ADDRESS"
    CONTEXT = ("address", "lives", "living", "lived", "resides", "residing", "resident", "home",
               "moved to", "premises", "c/o", "care of", "stays at", "staying at", "postcode")  # fmt: skip

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        spans: list[tuple[int, int]] = []
        for m in _ADDRESS.finditer(text):
            if _NOT_HOUSE.search(text, max(0, m.start() - 12), m.start()) or _MONTH.match(m.group("name")):
                continue
            end = m.end() - 1 if m.group().endswith(".") else m.end()
            spans.append((m.start(), end))
            context = probe.near(m.start(), end)
            yield self.result(m.start(), end, 0.85 if context else 0.6, context=context, pattern="street line")
        for m in _FLAT_IN_BUILDING.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in spans):
                continue  # "Flat 2, 14 Acacia Avenue" is already reported whole
            context = probe.near(*m.span())
            yield self.result(*m.span(), 0.85 if context else 0.6, context=context, pattern="flat in building")


CASES: list[Case] = [
    Positive("Subject lives at Flat 2, 14 Acacia Avenue, Anytown", "Flat 2, 14 Acacia Avenue"),
    Positive("Officers attended 221B Baker Street.", "221B Baker Street"),
    Positive("from 12-14 High Street, Leeds", "12-14 High Street"),
    Positive("home address: 7 St John's Wood Road", "7 St John's Wood Road"),
    Positive("seen at 3 Church Lane yesterday", "3 Church Lane"),
    Positive("45 Newcastle upon Tyne Road", "45 Newcastle upon Tyne Road"),
    Positive("14 Acacia Avenue", "14 Acacia Avenue", header="home_address_1"),
    Positive("of Flat 3, Corbridge House, Harehills Lane, Leeds", "Flat 3, Corbridge House, Harehills Lane"),
    Positive("Apartment 12 Weavers Mill is her home", "Apartment 12 Weavers Mill"),
    Negative("last seen at 4pm on 17 October on Reevy Road West", "a day of the month, not a house number"),
    Negative("Committee Room 2, Laburnum Road", "a meeting room number, not a house number"),
    Negative("In 2019 Station Road was closed", "a year is not a house number"),
    Negative("See section 3 Park Lane Regulations", "section number"),
    Negative("the street was busy at 3 o'clock", "no street-type word"),
    Negative("14 acacia avenue", "lower-case street names are left to NER"),
    Negative("We bought 12 Green apples", "no street-type word after the name"),
]
