"""Which register columns are indexed, and how much a matching value proves.

A register column is recognised by its header. Each field belongs to a
normalisation *family* (the hash is taken over family and normalised value, so a
date never collides with an identifier), and is either *strong* (identifies the
record alone), *public-facing* (what an officer shows the public: name, collar
number, work contact) or neither. The matching rule in `match.py` is written in
these terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    """One kind of register value."""

    code: int
    name: str
    family: str
    strong: bool = False
    public: bool = False


FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FieldSpec(1, "surname", "name", public=True),
        FieldSpec(2, "forename", "name", public=True),
        FieldSpec(3, "date_of_birth", "date"),
        FieldSpec(4, "ni_number", "id", strong=True),
        FieldSpec(5, "staff_number", "id"),
        FieldSpec(6, "warrant_number", "id"),
        FieldSpec(7, "collar_number", "collar", public=True),
        FieldSpec(8, "pnc_id", "pnc", strong=True),
        FieldSpec(9, "cro_number", "cro", strong=True),
        FieldSpec(10, "nhs_number", "digits", strong=True),
        FieldSpec(11, "driving_licence", "id", strong=True),
        FieldSpec(12, "passport_number", "id", strong=True),
        FieldSpec(13, "postcode", "id"),
        FieldSpec(14, "address", "address"),
        FieldSpec(15, "phone", "phone"),
        FieldSpec(16, "email", "email", strong=True),
        FieldSpec(17, "work_email", "email", public=True),
        FieldSpec(18, "work_phone", "phone", public=True),
        FieldSpec(19, "nominal_id", "id"),
    )
}
FIELD_BY_CODE: dict[int, FieldSpec] = {spec.code: spec for spec in FIELDS.values()}
SURNAME = FIELDS["surname"].code
FORENAME = FIELDS["forename"].code

# A source-only pseudo-field: a "Name" column, split into surname and forenames when indexed.
FULL_NAME = "full_name"

# Set on an entry whose value is strong although its field is not: a structured staff
# or nominal number (letters and digits, 6+ characters, e.g. W104233 or WP/N/0123456).
STRONG_FLAG = 0x80
# Fields whose values are strong when structured.
STRUCTURED_ID_FIELDS = frozenset({"staff_number", "nominal_id"})


def is_strong(code: int) -> bool:
    return bool(code & STRONG_FLAG) or FIELD_BY_CODE[code & ~STRONG_FLAG].strong


def is_decisive(code: int) -> bool:
    """Entries that can anchor a record match: anything but the public-facing fields."""
    return bool(code & STRONG_FLAG) or not FIELD_BY_CODE[code & ~STRONG_FLAG].public


def field_of(code: int) -> FieldSpec:
    return FIELD_BY_CODE[code & ~STRONG_FLAG]


# Third parties in a register row (next of kin, victim, officer in the case...) are
# not the record's subject and are never indexed.
_THIRD_PARTY = re.compile(
    r"\b(kin|nok|emergency|victim|witness|oic|officer in|arresting|solicitor|manager|supervisor|"
    r"approved|author|partner|spouse|parent|guardian|referee|handler)\b"
)

# Header -> field, tried in order on a header folded to lower-case words.
_HEADER_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name)
    for pattern, name in (
        (r"\b(work|business|office|force|job)\b.*\be ?mail\b", "work_email"),
        (r"\be ?mail\b", "email"),
        (r"\b(work|business|office|desk|extension|ext)\b.*\b(phone|tel|telephone|number)\b", "work_phone"),
        (r"\b(phone|mobile|tel|telephone|landline|contact no|contact number)\b", "phone"),
        (r"\b(dob|d o b|date of birth|birth ?date|born)\b", "date_of_birth"),
        (r"\b(nino|national insurance|ni (no|num|number))\b|^ni$", "ni_number"),
        (r"\bpnc\b", "pnc_id"),
        (r"\bcro\b|criminal records? office", "cro_number"),
        (r"\bnhs\b", "nhs_number"),
        (r"\b(driving licen[cs]e|driver (no|num|number)|dl (no|num|number))\b", "driving_licence"),
        (r"\bpassport\b", "passport_number"),
        (r"\b(collar|shoulder)\b", "collar_number"),
        (r"\bwarrant\b", "warrant_number"),
        (r"\b(nominal|offender|nominee)\b.*\b(id|no|num|number|ref|reference|urn)\b", "nominal_id"),
        (
            r"\b(staff|pay|payroll|employee|personnel|emp|person|force)\b.*\b(id|no|num|number|ref|reference)\b",
            "staff_number",
        ),
        (r"\bpost ?code\b", "postcode"),
        (r"\b(address|street|addr)\b", "address"),
        (r"\b(sur ?name|last name|family name)\b", "surname"),
        (
            r"\b(fore ?names?|first names?|given names?|christian names?|middle names?|known as|preferred name)\b",
            "forename",
        ),
        (r"^(full |officer |employee |staff |person |subject |nominal |offender |suspect |member )?names?$", FULL_NAME),
    )
)


def classify_header(header: str) -> str | None:
    """The register field a column header names, or None when the column is not indexed."""
    folded = " ".join(re.sub(r"[^a-z0-9]+", " ", header.lower().replace("'", "")).split())
    if not folded or _THIRD_PARTY.search(folded):
        return None
    for pattern, name in _HEADER_RULES:
        if pattern.search(folded):
            return name
    return None
