"""National Insurance number, entity ``UK_NINO``.

Two prefix letters, six digits, suffix A-D, often grouped ``QQ 12 34 56 C``. No
check digit exists, so the prefix rules are the validation (HMRC NIM39110,
POLE DS_060): first letter not D F I Q U V, second not D F I O Q U V, and BG GB
KN NK NT TN ZZ never allocated. Administrative look-alikes that are not real
NINOs (CR, FY, MW, NC, PP, PY, PZ; temporary TN...) are down-scored: they still
point at a person in HR data, so they are reported only with context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe

_NINO = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>[A-Z]{2})[ -]?(?P<d1>\d\d)[ -]?(?P<d2>\d\d)[ -]?(?P<d3>\d\d)"
    r"(?:[ -]?(?P<suffix>[A-D]))?(?![A-Za-z0-9])"
    # A single letter other than A-D straight after the digits is a wrong suffix, not "no suffix".
    r"(?![ -]?[E-Z](?![A-Za-z0-9]))"
)
_BAD_FIRST = frozenset("DFIQUV")
_BAD_SECOND = frozenset("DFIOQUV")
_NEVER_ALLOCATED = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
# HMRC administrative / temporary reference prefixes (NIM39110, NIM39115).
_ADMINISTRATIVE = frozenset({"CR", "FY", "MW", "NC", "PP", "PY", "PZ"})


def prefix_allowed(prefix: str) -> bool:
    """Whether a two-letter prefix can start an allocated NINO."""
    return prefix[0] not in _BAD_FIRST and prefix[1] not in _BAD_SECOND and prefix not in _NEVER_ALLOCATED


class UkNinoDetector(UkDetector):
    """Finds National Insurance numbers by the HMRC prefix and suffix rules."""

    ENTITY = "UK_NINO"
    CONTEXT = ("national insurance", "NI number", "NI no", "NINO", "NI", "NIN", "nat ins", "NI num")

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        for m in _NINO.finditer(text):
            prefix = m["prefix"]
            if not prefix_allowed(prefix):
                continue
            context = probe.near(*m.span())
            if prefix in _ADMINISTRATIVE:
                score, form = (0.6 if context else 0.3), "administrative prefix"
            elif m["suffix"] is None:
                score, form = (0.7 if context else 0.3), "no suffix"
            else:
                # The prefix/suffix rules reject most letter-digit strings, and a
                # real NINO is personal wherever it appears: reportable without context.
                score, form = (0.85 if context else 0.6), "full"
            yield self.result(*m.span(), score, context=context, pattern=form)


CASES: list[Case] = [
    Positive("NI number AB123456C", "AB123456C"),
    Positive("National Insurance: JG 10 37 59 A", "JG 10 37 59 A"),
    Positive("His NINO is JG103759A.", "JG103759A"),
    Positive("staff member (JG103759A) left", "JG103759A"),
    Positive("NI no. CE 123456 D", "CE 123456 D"),
    Positive("AB123456", "AB123456", header="ni_number"),
    Positive("NI number CR123456A", "CR123456A"),
    Negative("QQ 12 34 56 C", "Q is never a first letter (GOV.UK specimen)"),
    Negative("NI number AB 12 34 56 E", "suffix E is not A-D"),
    Negative("TN311258F", "TN temporary number, suffix F"),
    Negative("PP999999P", "administrative dummy"),
    Negative("BG123456A", "BG never allocated"),
    Negative("AO123456A", "O is never a second letter"),
    Negative("DA123456A", "D is never a first letter"),
    Negative("OO123456A", "OO tax-credit reference"),
    Negative("part AB123456 in stock", "no suffix and no NI context"),
    Negative("CR123456A", "administrative CR prefix without context"),
]
