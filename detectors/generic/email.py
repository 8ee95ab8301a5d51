"""E-mail addresses, entity ``EMAIL_ADDRESS``.

RFC 5322 addr-spec in its common dot-atom form (POLE DS_054: 5-120 chars).
Police addresses are included (``first.last@wessex.police.uk``, legacy
``@force.pnn.police.uk``, warrant-number aliases ``w12345@...``), as are CJSM
addresses (``...@firm.cjsm.net``). Generic mailboxes that are never personal
(``foi@*.police.uk``, press offices) are dropped via ``config/allowlist.yaml``.
The domain needs a dot and a top-level label that is a real public suffix
(tldextract's bundled list, never fetched: no network at run time) or one of
the reserved names (``.example``, ``.test`` ... RFC 2606/6761) that synthetic
and partner test data use. That rules out ``user@localhost`` and code such as
``obj@pytest.mark.parametrize``; such shapes score below the threshold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tldextract
from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe

# Local part: the characters people actually use (RFC 5322 allows more, e.g. backticks,
# which in practice mark code, not addresses).
_EMAIL = re.compile(
    r"(?<![\w.%+'&=-])[A-Za-z0-9_%+'&=-]+(?:\.[A-Za-z0-9_%+'&=-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
)
_MAX_LENGTH = 254
_SUFFIXES = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost", "local", "internal", "lan"})


def known_domain(domain: str) -> bool:
    """Whether the domain ends in a public suffix or a reserved test/documentation name."""
    return bool(_SUFFIXES(domain).suffix) or domain.rsplit(".", 1)[-1].lower() in _RESERVED_TLDS


class EmailAddressDetector(UkDetector):
    """Finds e-mail addresses (police, CJSM and public), minus allow-listed generic mailboxes."""

    ENTITY = "EMAIL_ADDRESS"
    CONTEXT = ("email", "e-mail")
    NEEDS_DIGIT = False

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        if "@" not in text:
            return
        for m in _EMAIL.finditer(text):
            value = m.group()
            if len(value) > _MAX_LENGTH or len(value) < 5:
                continue
            police = value.lower().endswith(".police.uk")
            score = 0.9 if known_domain(value.rsplit("@", 1)[1]) else 0.4
            yield self.result(*m.span(), score, pattern="email", police=police)


CASES: list[Case] = [
    Positive("Contact jane.smith@example.com today", "jane.smith@example.com"),
    Positive("From: firstname.lastname@wessex.police.uk", "firstname.lastname@wessex.police.uk"),
    Positive("old address dc.jones@wessex.pnn.police.uk", "dc.jones@wessex.pnn.police.uk"),
    Positive("alias w12345@wessex.pnn.police.uk", "w12345@wessex.pnn.police.uk"),
    Positive("j.smith@smith-law.example.cjsm.net", "j.smith@smith-law.example.cjsm.net"),
    Positive("<o'brien+work@mail.example.org>", "o'brien+work@mail.example.org"),
    Positive("jane@example.co.uk", "jane@example.co.uk", header="personal_email"),
    Negative("Send FOI requests to foi@wessex.police.uk", "allow-listed generic mailbox"),
    Negative("press.office@wessex.police.uk", "allow-listed press office"),
    Negative("Decorate with @property in Python", "no local part"),
    Negative("admin@localhost", "no top-level domain"),
    Negative("user@example.c0m", "numeric top-level label"),
    Negative("Use `@pytest.mark.parametrize` and fixture@pytest.mark.nlp", "code, not a public suffix"),
    Positive("bids to tenders@contractor.example", "tenders@contractor.example"),
]
