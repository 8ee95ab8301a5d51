"""UK postcode, entity ``UK_POSTCODE``.

Royal Mail / BS 7666 grammar with the position-specific letter rules (POLE
DS_010): outward AN, ANN, AAN, AANN, ANA, AANA; inward NAA without C I K M O V.
Also the real but non-standard codes found in police and health data: BFPO
numbers, the overseas territories (``ASCN 1ZZ`` ...) and the NHS pseudo-postcodes
``ZZ99 nXZ`` (no fixed abode and similar). ``GIR 0AA`` (Girobank) is
organisational and never reported.

A correctly formed, spaced, upper-case full postcode is reported without context
(0.6): the letter rules are a structural check, and a full unit postcode narrows
an address to about 15 households. Unspaced or lower-case forms need context.
Format is not existence: ``AA1 1AA`` is well formed, so it is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe

_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?P<std>[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d(?:\d|[ABEHMNPRV-Y])?|\d[A-HJKPS-UW])"
    r"(?P<space> ?)\d[ABD-HJLNP-UW-Z]{2})"
    r"|(?P<bfpo>BFPO ?\d{1,4})"
    r"|(?P<overseas>(?:ASCN|STHL|TDCU|BBND|BIQQ|FIQQ|PCRN|SIQQ|TKCA) ?1ZZ)"
    r"|(?P<pseudo>ZZ99 ?\d[A-Z]Z)"
    r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_NOT_PERSONAL = frozenset({"GIR0AA"})


class UkPostcodeDetector(UkDetector):
    """Finds UK postcodes, BFPO numbers, overseas-territory and NHS pseudo-postcodes."""

    ENTITY = "UK_POSTCODE"
    CONTEXT = (
        "postcode",
        "post code",
        "postal code",
        "address",
        "lives",
        "living",
        "resides",
        "residing",
        "home",
        "street",
        "road",
        "avenue",
        "lane",
        "close",
        "drive",
        "flat",
        "BFPO",
    )

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        for m in _POSTCODE.finditer(text):
            value = m.group()
            if value.replace(" ", "").upper() in _NOT_PERSONAL:
                continue
            context = probe.near(*m.span())
            upper = value.isupper() or value.isdigit()
            if m["pseudo"]:
                kind, score = "pseudo", 0.85  # ZZ99 codes reveal e.g. no fixed abode
            elif m["std"]:
                kind = "postcode"
                score = 0.6 if upper and m["space"] else 0.4
            else:
                kind = "bfpo" if m["bfpo"] else "overseas"
                score = 0.6 if upper else 0.4
            if context:
                score = max(score, 0.85)
            yield self.result(*m.span(), score, context=context, pattern=kind, postcode_kind=kind)


CASES: list[Case] = [
    Positive("Flat 2, 14 Acacia Avenue, Anytown SW1A 1AA", "SW1A 1AA"),
    Positive("EC1A 1BB", "EC1A 1BB"),
    Positive("W1A 0AX", "W1A 0AX"),
    Positive("Manchester M1 1AE", "M1 1AE"),
    Positive("B33 8TH", "B33 8TH"),
    Positive("CR2 6XH", "CR2 6XH"),
    Positive("DN55 1PT", "DN55 1PT"),
    Positive("St Andrews KY16 9AJ", "KY16 9AJ"),
    Positive("postcode ls14dy", "ls14dy"),
    Positive("Address: BFPO 123", "BFPO 123"),
    Positive("NFA - ZZ99 3VZ", "ZZ99 3VZ"),
    Positive("Jamestown STHL 1ZZ", "STHL 1ZZ"),
    Positive("LS1 4DY", "LS1 4DY", header="post_code"),
    Negative("QA1 1AA", "Q is never a first letter"),
    Negative("M1 1CA", "C is never an inward letter"),
    Negative("GIR 0AA", "Girobank: organisational, not personal"),
    Negative("SAN TA1", "novelty string, not postcode grammar"),
    Negative("Model ls14dy", "unspaced lower case without address context"),
    Negative("WEB2 0AB3", "embedded in a longer token"),
]
