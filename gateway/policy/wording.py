"""Plain-English names for field categories, and list phrasing for reasons.

Reasons are read by reviewers who know "NI numbers", not "UK_NINO". Every
category of the contract has a name here (tests check that none is missing),
and reasons are built only from these names, column headers, part names and
counts: never from a matched value.
"""

from __future__ import annotations

from collections.abc import Iterable

from gateway.detect.model import FIELD_CATEGORIES

CATEGORY_NAMES: dict[str, str] = {
    "PERSON": "names",
    "DATE_OF_BIRTH": "dates of birth",
    "UK_NINO": "NI numbers",
    "UK_NHS": "NHS numbers",
    "UK_PNC_ID": "PNC IDs",
    "UK_CRO": "CRO numbers",
    "UK_POSTCODE": "postcodes",
    "STREET_ADDRESS": "street addresses",
    "PHONE_NUMBER": "phone numbers",
    "EMAIL_ADDRESS": "e-mail addresses",
    "UK_DRIVING_LICENCE": "driving licence numbers",
    "UK_PASSPORT": "passport numbers",
    "UK_VEHICLE_REG": "vehicle registrations",
    "UK_BANK_ACCOUNT": "bank account details",
    "IBAN_CODE": "IBANs",
    "CREDIT_CARD": "payment card numbers",
    "IP_ADDRESS": "IP addresses",
    "POLICE_COLLAR_NUMBER": "collar numbers",
    "PROTECTIVE_MARKING": "protective markings",
    "SPECIAL_CATEGORY": "special category data",
    "STAFF_RECORD": "matches with the staff register",
    "OFFENDER_RECORD": "matches with the offender index",
    "JOB_TITLE": "job titles",
    "RANK": "ranks",
    "WORK_LOCATION": "work locations",
    "SALARY": "salaries",
    "PAY_GRADE": "pay grades",
    "DISCIPLINARY": "disciplinary records",
    "SICKNESS": "sickness records",
    "OFFENCE": "offence details",
    "WARNING_MARKER": "warning markers",
    "CUSTODY_REFERENCE": "custody references",
    "CRIME_REFERENCE": "crime references",
    "GENDER": "gender",
    "NATIONALITY": "nationality",
    "FREE_TEXT": "free-text notes",
    "NON_PERSONAL": "non-personal data",
}

assert set(CATEGORY_NAMES) == set(FIELD_CATEGORIES), "every field category needs a plain-English name"


def category_name(category: str) -> str:
    return CATEGORY_NAMES.get(category, category.lower().replace("_", " "))


def category_names(categories: Iterable[str], keep_order: bool = False) -> str:
    """`NI numbers, street addresses and dates of birth`.

    In the order given with `keep_order` (the order the reviewer meets them in
    the file), else in the contract's category order, so sets read the same
    every time.
    """
    if keep_order:
        unique = list(dict.fromkeys(categories))
    else:
        order = {c: i for i, c in enumerate(FIELD_CATEGORIES)}
        unique = sorted(set(categories), key=lambda c: (order.get(c, len(order)), c))
    return join([category_name(c) for c in unique])


def join(items: list[str], conjunction: str = "and") -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 column`, `3 columns`."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def quoted(names: Iterable[str]) -> str:
    """Column headers or part names as the reviewer will see them in the file."""
    return join([f"“{n}”" for n in names])
