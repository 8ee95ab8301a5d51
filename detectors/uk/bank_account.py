"""UK sort code and account number, entity ``UK_BANK_ACCOUNT``.

The contract's type is "sort code and account number", and six digits written
``NN-NN-NN`` are everywhere: match scores, dates (``12-04-56``), reference
numbers, version numbers. A banking word somewhere in the sentence ("the bank
holiday score was 12-34-56") proves nothing, so a candidate is reported only on
structural evidence:

* a **pair**: a sort code (``NN-NN-NN``, ``NN NN NN`` or six digits) and an
  8-digit account number (``NNNNNNNN`` or ``NNNN NNNN``) close together, in either
  order, separated only by punctuation, "and", and the other part's label
  ("sort code 20-00-00 account 12345678", "A/C 12345678 S/C 20-00-00",
  "20-00-00 / 12345678"); both parts are reported;
* an **explicit label immediately before** the value: "sort code", "S/C",
  "sorting code" before a sort code; "account number", "account no", "a/c",
  "acc no", "acct", "bank account" before an account number;
* in a table, a column header naming the part ("Sort Code", "bank_account_no").

A sort code that is also a valid ``dd-mm-yy`` date (``12-04-56``) needs the
explicit label (or header) even inside a pair: "born 12-04-56, account
12345678" is a date of birth next to an account. Six bare digits are a sort code
only when labelled or paired. ``01234567`` after "company number" is a Companies
House number and never an account. Vocalink modulus checking needs the licensed
weight table (valacdos.txt), which is not shipped, so these are format +
structure detections, not checksum validations.
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe, Keywords

_SORT_CODE = re.compile(
    r"(?<![\w-])(?:\d\d-\d\d-\d\d(?![\w-])|\d\d \d\d \d\d(?![\w-])(?! \d)|\d{6}(?![\w-]))(?!\.\d|/\d)"
)
_ACCOUNT = re.compile(r"(?<![\w-])(?:\d{8}|\d{4} \d{4})(?![\w-])(?! \d)(?!\.\d|/\d)")

_SORT_LABEL = r"(?:bank\s+)?(?:sort(?:ing)?[\s-]*code|s/c)(?:\s*(?:no\.?|number))?"
_ACCOUNT_LABEL = (
    r"(?:(?:bank|building\s+society)\s+)?(?:account|acct|acc|a/c)\.?(?:\s*(?:no\.?|number|num|#))?"
    r"|(?:bank|building\s+society)\s+(?:account|acct|a/c)"
)
# A label that ends right before a value: only punctuation and spaces between them.
_SORT_BEFORE = re.compile(rf"(?<![\w/])(?:{_SORT_LABEL})\s*[:.#=\-–]?\s*$", re.IGNORECASE)
_ACCOUNT_BEFORE = re.compile(rf"(?<![\w/])(?:{_ACCOUNT_LABEL})\s*[:.#=\-–]?\s*$", re.IGNORECASE)
_LABEL_REACH = 40
# What may stand between the two parts of a pair: separators, "and", and the second part's label.
_GAP_TO_ACCOUNT = re.compile(rf"[\s,;:/|()\-–]*(?:(?:and|&)\s+)?(?:(?:{_ACCOUNT_LABEL})\s*[:.#=\-–]?\s*)?", re.I)
_GAP_TO_SORT = re.compile(rf"[\s,;:/|()\-–]*(?:(?:and|&)\s+)?(?:(?:{_SORT_LABEL})\s*[:.#=\-–]?\s*)?", re.I)
_PAIR_REACH = 30
_COMPANY = Keywords(("company number", "company no", "companies house", "registered number", "reg no",
                     "charity number", "charity no"))  # fmt: skip
_SORT_HEADER = Keywords(("sort code", "sortcode", "sort", "S/C", "SC"))
_ACCOUNT_HEADER = Keywords(("account number", "account no", "account num", "acc no", "acct no", "a/c", "acct",
                            "bank account", "account"))  # fmt: skip
_COMBINED_HEADER = Keywords(("bank details", "bank", "banking details", "account details", "salary account"))


def looks_like_date(sort_code: str) -> bool:
    """Whether ``NN-NN-NN`` (or ``NN NN NN``) is also a valid dd-mm-yy date."""
    digits = re.sub(r"\D", "", sort_code)
    if len(digits) != 6 or not (sort_code[2] in "- " and sort_code[5] in "- "):
        return False
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    try:
        datetime.date(2000 + year, month, day)
    except ValueError:
        return False
    return True


class UkBankAccountDetector(UkDetector):
    """Finds sort code + account number pairs, and either part after its own label."""

    ENTITY = "UK_BANK_ACCOUNT"
    CONTEXT = (
        "sort code", "sortcode", "sort", "S/C", "bank", "banking", "account", "acc no", "a/c", "acct",
        "account number", "account no", "building society", "BACS", "payee", "salary paid",
    )  # fmt: skip

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        sort_codes = [m.span() for m in _SORT_CODE.finditer(text)]
        accounts = [m.span() for m in _ACCOUNT.finditer(text)] if len(text) >= 8 else []
        if not sort_codes and not accounts:
            return
        sort_header = _SORT_HEADER.in_header(header)
        account_header = _ACCOUNT_HEADER.in_header(header) and not sort_header
        combined_header = _COMBINED_HEADER.in_header(header)
        labelled: set[tuple[int, int]] = set()
        usable: list[tuple[int, int]] = []
        for span in sort_codes:
            if sort_header or _SORT_BEFORE.search(text, max(0, span[0] - _LABEL_REACH), span[0]):
                labelled.add(span)
            elif looks_like_date(text[span[0] : span[1]]):
                continue  # a dd-mm-yy date is a sort code only when called one
            usable.append(span)
        for span in accounts:
            if account_header or _ACCOUNT_BEFORE.search(text, max(0, span[0] - _LABEL_REACH), span[0]):
                labelled.add(span)
        paired = self._pairs(text, usable, accounts)
        company: ContextProbe | None = None
        for kind, spans in (("sort_code", usable), ("account_number", accounts)):
            for span in spans:
                if span not in labelled and span not in paired:
                    continue
                if company is None:
                    company = ContextProbe(text, _COMPANY, 30, 0)
                if company.near(*span):
                    continue
                context = span in labelled or combined_header
                yield self.result(*span, 0.85, context=context, pattern=kind, bank_part=kind)

    @staticmethod
    def _pairs(text: str, sort_codes: list[tuple[int, int]], accounts: list[tuple[int, int]]) -> set[tuple[int, int]]:
        """Sort codes and account numbers that sit next to each other (either order).

        Both lists are in text order, so each sort code is compared only with the
        account numbers starting within reach of it (a long table of numbers stays linear).
        """
        paired: set[tuple[int, int]] = set()
        starts = [a[0] for a in accounts]
        for sc in sort_codes:
            first = bisect_left(starts, sc[0] - _PAIR_REACH - 10)
            last = bisect_right(starts, sc[1] + _PAIR_REACH)
            for acc in accounts[first:last]:
                if acc[0] >= sc[1]:
                    gap, pattern = text[sc[1] : acc[0]], _GAP_TO_ACCOUNT
                elif sc[0] >= acc[1]:
                    gap, pattern = text[acc[1] : sc[0]], _GAP_TO_SORT
                else:
                    continue  # overlapping candidates
                if len(gap) <= _PAIR_REACH and pattern.fullmatch(gap):
                    paired.update((sc, acc))
        return paired


CASES: list[Case] = [
    Positive("Sort code 20-00-00 account 12345678", "20-00-00"),
    Positive("Sort code 20-00-00 account 12345678", "12345678"),
    Positive("Bank details: 08-99-99 66374958", "66374958"),
    Positive("paid to 10-79-99 88837491", "10-79-99"),
    Positive("Account number: 20202020", "20202020"),
    Positive("sort code 202959", "202959"),
    Positive("40-47-84", "40-47-84", header="bank_sort_code"),
    Positive("31926819", "31926819", header="bank_account"),
    # Either order, with the usual labels.
    Positive("A/C 63748472, S/C 20-29-59", "20-29-59"),
    Positive("account no. 31926819 and sort code 60-16-13", "60-16-13"),
    Positive("Acc: 88837491 / 10-79-99", "10-79-99"),
    Positive("Salary paid into 40-47-84, a/c no 7160 2531", "7160 2531"),
    Positive("Please update: sort-code 30-93-71 acct 00123456", "30-93-71"),
    Positive("Building society account 55779911, sort code 07-04-36", "55779911"),
    # A date-shaped sort code is fine once labelled.
    Positive("Sort code: 12-04-56, account 12345678", "12-04-56"),
    Positive("S/C 01-11-99", "01-11-99"),
    Positive("30-12-45", "30-12-45", header="Sort Code"),
    Positive("20-00-00 12345678", "20-00-00", header="Bank Details"),
    Negative("Born 12-04-56 in Leeds", "date, no banking context"),
    Negative("Scores 12-34-56 at half time", "scores, no banking context"),
    Negative("The bank quiz ended with scores of 18-22-36 and 17-19-38", "banking word in the sentence is no label"),
    Negative("Banking hub visit on 14-03-25: account managers met the team", "date near banking words"),
    Negative("DOB 12-04-56 12345678", "a dd-mm-yy date next to eight digits is no pair without a label"),
    Negative("Logged on 20230115 by the system", "yyyymmdd date"),
    Negative("Company number 01234567 at Companies House", "Companies House number"),
    Negative("Companies House reg SC123456", "Scottish company number"),
    Negative("Reference 123456 issued", "six digits without banking context"),
    Negative("Bank holiday rota: shifts 26-39-29 and 38-40-37 agreed", "banking word, no sort code label or account"),
    Negative("Account manager reviewed 12345678 records", "'account' is not a label for the number here"),
    Negative("Invoice 20-00-00 for 12 items", "sort code shape without label or account number"),
    Negative("12-04-56", "date-shaped value under a generic banking header", header="Bank"),
]
