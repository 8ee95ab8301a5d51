"""IBAN, entity ``IBAN_CODE`` (ISO 13616, validated with ISO 7064 MOD 97-10).

Country code, two check digits (02-98), then the country's BBAN; written
compact or in groups of four. The length must match the country's registry
length, the check must pass and the check digits must be 02-98
(``GB00HLFX11016111455365`` passes mod 97 but cannot be produced).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.checks import iban_mod97_valid
from detectors.context import ContextProbe

# SWIFT IBAN registry lengths for the countries seen in UK police and HR data.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28,
    "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "TN": 24, "TR": 26, "UA": 29, "VG": 24, "XK": 20,
}  # fmt: skip
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d\d(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])")


class IbanDetector(UkDetector):
    """Finds IBANs whose length, check digits and MOD 97-10 check are all right."""

    ENTITY = "IBAN_CODE"
    CONTEXT = ("IBAN", "bank", "account", "international bank account")

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        for m in _IBAN.finditer(text):
            compact = m.group().replace(" ", "")
            start, end = m.span()
            # The greedy tail may swallow a following word-group; trim to the registry length.
            length = IBAN_LENGTHS.get(compact[:2])
            if length is None or len(compact) < length:
                continue
            if len(compact) > length:
                kept, consumed = 0, 0
                for ch in m.group():
                    consumed += 1
                    if ch != " ":
                        kept += 1
                    if kept == length:
                        break
                end = start + consumed
                if text[end : end + 1].isalnum():
                    continue
                compact = compact[:length]
            if not iban_mod97_valid(compact):
                continue
            context = probe.near(start, end)
            yield self.result(start, end, 1.0 if context else 0.95, context=context, pattern="IBAN", validated=True)


CASES: list[Case] = [
    Positive("IBAN GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
    Positive("GB33BUKB20201555555555", "GB33BUKB20201555555555"),
    Positive("Pay to GB29NWBK60161331926819.", "GB29NWBK60161331926819"),
    Positive("GB63CPBK08999966374958", "GB63CPBK08999966374958"),
    Positive("DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
    Negative("GB94BARC20201530093459", "fails MOD 97-10"),
    Negative("GB01BARC20714583608387", "check digits 01 are impossible"),
    Negative("GB00HLFX11016111455365", "check digits 00 are impossible"),
    Negative("GB82WEST123456987654", "too short for a GB IBAN"),
    Negative("XX82WEST12345698765432", "no such country"),
]
