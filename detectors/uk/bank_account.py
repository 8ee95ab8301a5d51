"""UK sort code and account number, entity ``UK_BANK_ACCOUNT``.

Sort code ``NN-NN-NN`` and an 8-digit account number. Vocalink modulus checking
needs the licensed weight table (valacdos.txt), which is not shipped, so these
are format + context detections: a sort code is reported with banking context or
with an account number beside it; an account number with banking context or a
sort code beside it. ``12-04-56`` may be a date, ``20230115`` a yyyymmdd date and
``01234567`` a Companies House number: none is reported without banking context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe, Keywords

_SORT_CODE = re.compile(r"(?<![\w-])(?:\d\d-\d\d-\d\d(?![\w-])|\d\d \d\d \d\d(?![\w-])(?! \d)|\d{6}(?![\w-]))")
_ACCOUNT = re.compile(r"(?<![\w-])(?:\d{8}|\d{4} \d{4})(?![\w-])(?! \d)")
_SORT_WORDS = Keywords(("sort code", "sortcode", "S/C", "sort"))
_COMPANY = Keywords(("company number", "company no", "companies house", "registered number", "reg no"))
_PAIR_GAP = re.compile(r"[\s,;:/|()\-]*(?:(?:a/c|acc(?:ount)?)(?:\s*(?:no|number|num))?\.?[\s:]*)?$", re.I)


class UkBankAccountDetector(UkDetector):
    """Finds sort codes and account numbers, alone with banking context or as a pair."""

    ENTITY = "UK_BANK_ACCOUNT"
    CONTEXT = (
        "sort code", "sortcode", "sort", "S/C", "bank", "banking", "account", "acc no", "a/c", "acct",
        "account number", "account no", "building society", "BACS", "payee", "salary paid",
    )  # fmt: skip
    WINDOW_BEFORE = 40
    WINDOW_AFTER = 10

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        sort_codes = [m.span() for m in _SORT_CODE.finditer(text)]
        accounts = [m.span() for m in _ACCOUNT.finditer(text)]
        paired: set[tuple[int, int]] = set()
        for sc in sort_codes:
            for acc in accounts:
                if acc[0] >= sc[1] and _PAIR_GAP.match(text[sc[1] : acc[0]]) and acc[0] - sc[1] <= 25:
                    paired.update((sc, acc))
        company = ContextProbe(text, _COMPANY, 30, 0)
        sort_words = ContextProbe(text, _SORT_WORDS, self.WINDOW_BEFORE, 0, _SORT_WORDS.in_header(header))
        for kind, spans in (("sort_code", sort_codes), ("account_number", accounts)):
            for span in spans:
                context = probe.near(*span)
                if span in paired:
                    score = 0.85 if context else 0.75
                elif not context or company.near(*span):
                    continue
                elif kind == "sort_code" and text[span[0] : span[1]].isdigit() and not sort_words.near(*span):
                    continue  # six bare digits are a sort code only when called one
                else:
                    score = 0.7
                yield self.result(*span, score, context=context, pattern=kind, bank_part=kind)


CASES: list[Case] = [
    Positive("Sort code 20-00-00 account 12345678", "20-00-00"),
    Positive("Sort code 20-00-00 account 12345678", "12345678"),
    Positive("Bank details: 08-99-99 66374958", "66374958"),
    Positive("paid to 10-79-99 88837491", "10-79-99"),
    Positive("Account number: 20202020", "20202020"),
    Positive("sort code 202959", "202959"),
    Positive("40-47-84", "40-47-84", header="bank_sort_code"),
    Positive("31926819", "31926819", header="bank_account"),
    Negative("Born 12-04-56 in Leeds", "date, no banking context"),
    Negative("Scores 12-34-56 at half time", "scores, no banking context"),
    Negative("Logged on 20230115 by the system", "yyyymmdd date"),
    Negative("Company number 01234567 at Companies House", "Companies House number"),
    Negative("Companies House reg SC123456", "Scottish company number"),
    Negative("Reference 123456 issued", "six digits without banking context"),
]
