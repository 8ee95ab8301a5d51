"""Protective markings, entity ``PROTECTIVE_MARKING``.

Government Security Classifications (OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP
SECRET; since April 2014) and legacy GPMS markings (NOT PROTECTIVELY MARKED,
PROTECT, RESTRICTED, CONFIDENTIAL), with caveats and descriptors such as
``OFFICIAL-SENSITIVE: PERSONAL`` or ``SECRET UK EYES ONLY``.

A marking counts only where markings are written: at the start of a line
(document header/footer, first line, e-mail subject after ``Subject:``/``RE:``)
and either alone on the line, followed by a caveat, or followed by a separator.
Bare words must be in capitals, so "restricted byway", "Official Secrets Act",
"top secret recipe" and "CONFIDENTIAL Reporting line" are not markings, nor is
"This e-mail is OFFICIAL-SENSITIVE" inside a disclaimer sentence. Lines that
list several different markings one under another (training material) are
ignored.

Each result carries ``recognition_metadata["marking"]`` (see
:func:`normalise_marking`) and ``["caveat"]`` (or None) for the policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe

#: Normalised markings, least to most restrictive for the legacy read-across
#: (MoJ transition table: up to RESTRICTED -> OFFICIAL; CONFIDENTIAL -> mostly
#: OFFICIAL-SENSITIVE, some SECRET). Policy code may rank by this order.
MARKINGS: tuple[str, ...] = (
    "NOT PROTECTIVELY MARKED",
    "OFFICIAL",
    "PROTECT",
    "RESTRICTED",
    "OFFICIAL-SENSITIVE",
    "CONFIDENTIAL",
    "SECRET",
    "TOP SECRET",
)

_DASH = r"[-‐‑–—:]"
_MARK = (
    rf"(?P<mark>OFFICIAL[ \t]*(?:{_DASH}[ \t]*|[ \t]+)SENSITIVE|TOP[ \t]+SECRET|NOT[ \t]+PROTECTIVELY[ \t]+MARKED"
    r"|UK[ \t]+OFFICIAL|OFFICIAL|SECRET|RESTRICTED|CONFIDENTIAL|PROTECT|UNCLASSIFIED)(?![A-Za-z-])"
)
_CAVEAT_WORDS = (
    r"PERSONAL|COMMERCIAL|LOCSEN|UK[ \t]+EYES[ \t]+ONLY|STAFF|POLICY|MANAGEMENT|FOIA[ \t]+OPEN"
    r"|NO[ \t]+RESTRICTIONS|\(?WHEN[ \t]+COMPLETE\)?|RELEASABLE[ \t]+TO[ \t]+[A-Z ]+"
)
_CAVEAT = rf"(?P<caveat>(?:[ \t]*[\[(]?[ \t]*(?:{_DASH}|/|\|)?[ \t]*(?:{_CAVEAT_WORDS})[ \t]*[\])]?)+)?"
_LINE = re.compile(
    r"^[ \t>*#|\"'\[(]*(?:(?:subject|re|fw|fwd|aw)[ \t]*:[ \t]*)*[\[(]*" + _MARK + _CAVEAT + r"(?P<rest>[^\n]*)",
    re.IGNORECASE | re.MULTILINE,
)
_SEPARATOR = re.compile(rf"^[ \t]*(?:{_DASH}|\||\]|\)|/|$)")
_SPACES = re.compile(r"[ \t]+")
_OS = re.compile(rf"^OFFICIAL[ \t]*(?:{_DASH}[ \t]*|[ \t]+)SENSITIVE$")
_CAVEAT_ONLY = re.compile(rf"(?:{_CAVEAT_WORDS})", re.IGNORECASE)


def normalise_marking(text: str) -> str:
    """Map a written marking to one of :data:`MARKINGS` (caveats ignored).

    ``"Official – Sensitive [PERSONAL]"`` -> ``"OFFICIAL-SENSITIVE"``; ``"UNCLASSIFIED"`` ->
    ``"NOT PROTECTIVELY MARKED"``; ``"UK OFFICIAL"`` -> ``"OFFICIAL"``.

    :raises ValueError: if ``text`` does not start with a marking.
    """
    m = re.match(r"[ \t\[(]*" + _MARK, text, re.IGNORECASE)
    if m is None:
        raise ValueError(f"not a protective marking: {text[:40]!r}")
    mark = _SPACES.sub(" ", m["mark"].upper())
    if _OS.match(mark):
        return "OFFICIAL-SENSITIVE"
    return {"UNCLASSIFIED": "NOT PROTECTIVELY MARKED", "UK OFFICIAL": "OFFICIAL"}.get(mark, mark)


def marking_caveat(text: str) -> str | None:
    """The caveat or descriptor written with a marking (``"PERSONAL"``, ``"UK EYES ONLY"``), if any."""
    words = [_SPACES.sub(" ", c.upper()).strip("() ") for c in _CAVEAT_ONLY.findall(text)]
    return " ".join(words) if words else None


class ProtectiveMarkingDetector(UkDetector):
    """Finds GSC and GPMS markings where documents and e-mails carry them."""

    ENTITY = "PROTECTIVE_MARKING"
    NEEDS_DIGIT = False

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        if "\n" not in text and not _quick_candidate(text):
            return
        found: list[tuple[int, str, RecognizerResult]] = []
        for m in _LINE.finditer(text):
            mark = m["mark"]
            is_os = _OS.match(_SPACES.sub(" ", mark.upper())) is not None
            if not (mark.isupper() or (is_os and mark[:1].isupper() and mark[1:2].islower())):
                continue  # bare words must be capitals; "Official-Sensitive" may be title case
            rest, caveat = m["rest"], m["caveat"]
            alone = not rest.strip()
            if not (alone or caveat or _SEPARATOR.match(rest) or (is_os and mark.isupper())):
                continue
            start, end = m.start("mark"), (m.end("caveat") if caveat else m.end("mark"))
            while text[end - 1] in " \t":  # the caveat group may end on the space before the subject
                end -= 1
            normalised = normalise_marking(mark)
            line = text.count("\n", 0, start)
            result = self.result(
                start,
                end,
                0.95 if alone or caveat else 0.9,
                pattern="marking",
                marking=normalised,
                caveat=marking_caveat(caveat) if caveat else None,
            )
            found.append((line, normalised, result))
        lines = {line: mark for line, mark, _ in found}
        for line, mark, result in found:
            neighbours = {lines.get(line - 1), lines.get(line + 1)} - {None, mark}
            if not neighbours:  # a column of different markings is a list, not a marking
                yield result


_QUICK = re.compile(r"OFFICIAL|SECRET|RESTRICTED|CONFIDENTIAL|PROTECT|UNCLASSIFIED", re.IGNORECASE)


def _quick_candidate(text: str) -> bool:
    return _QUICK.search(text) is not None


CASES: list[Case] = [
    Positive("OFFICIAL-SENSITIVE\nIntelligence report", "OFFICIAL-SENSITIVE"),
    Positive("OFFICIAL – SENSITIVE", "OFFICIAL – SENSITIVE"),
    Positive("Official-Sensitive\n", "Official-Sensitive"),
    Positive("Subject: OFFICIAL: SENSITIVE - burglary update", "OFFICIAL: SENSITIVE"),
    Positive("RE: [OFFICIAL-SENSITIVE] case file", "OFFICIAL-SENSITIVE"),
    Positive("OFFICIAL-SENSITIVE: PERSONAL", "OFFICIAL-SENSITIVE: PERSONAL"),
    Positive("OFFICIAL-SENSITIVE [PERSONAL]", "OFFICIAL-SENSITIVE [PERSONAL]"),
    Positive("OFFICIAL-SENSITIVE: PERSONAL - Op Harewood file", "OFFICIAL-SENSITIVE: PERSONAL"),
    Positive("SECRET UK EYES ONLY", "SECRET UK EYES ONLY"),
    Positive("body text\n\nTOP SECRET\n", "TOP SECRET"),
    Positive("RESTRICTED - PERSONAL", "RESTRICTED - PERSONAL"),
    Positive("RESTRICTED (when complete)", "RESTRICTED (when complete)"),
    Positive("PROTECT – PERSONAL\nStaff list", "PROTECT – PERSONAL"),
    Positive("CONFIDENTIAL", "CONFIDENTIAL"),
    Positive("CONFIDENTIAL: appraisal of DC Smith", "CONFIDENTIAL"),
    Positive("NOT PROTECTIVELY MARKED", "NOT PROTECTIVELY MARKED"),
    Positive("OFFICIAL", "OFFICIAL"),
    Positive("OFFICIAL FOIA OPEN", "OFFICIAL FOIA OPEN"),
    Positive("OFFICIAL-SENSITIVE Burglary series update", "OFFICIAL-SENSITIVE"),
    Negative("The restricted byway runs north of the village", "rights of way term"),
    Negative("RESTRICTED BYWAY\nThe path is open to horses", "a heading, not a marking"),
    Negative("He signed the Official Secrets Act in 2010", "statute name"),
    Negative("OFFICIAL SECRETS ACT 1989", "statute name in capitals"),
    Negative("Grandma's top secret recipe", "ordinary words"),
    Negative("This e-mail is OFFICIAL-SENSITIVE and intended only for the recipient", "disclaimer sentence"),
    Negative("CONFIDENTIAL Reporting line: call 0800", "name of a reporting line"),
    Negative('Documents marked "SECRET" must not be e-mailed', "marking quoted inside policy text"),
    Negative("Levels:\nPROTECT\nRESTRICTED\nCONFIDENTIAL\nSECRET", "training list of levels"),
    Negative("Secret\n", "bare word not in capitals"),
]
