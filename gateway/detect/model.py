"""What detection reports about a Document: findings, classified columns, subjects.

Detection knows nothing of agreements; policy reads these objects and nothing
else. Matched values travel in `Finding.text` so a reviewer can be shown them,
but `to_json` only emits them when asked to reveal.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

# Contract section 1: entity types a detector reports.
ENTITY_TYPES: tuple[str, ...] = (
    "PERSON",
    "DATE_OF_BIRTH",
    "UK_NINO",
    "UK_NHS",
    "UK_PNC_ID",
    "UK_CRO",
    "UK_POSTCODE",
    "STREET_ADDRESS",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "UK_DRIVING_LICENCE",
    "UK_PASSPORT",
    "UK_VEHICLE_REG",
    "UK_BANK_ACCOUNT",
    "IBAN_CODE",
    "CREDIT_CARD",
    "IP_ADDRESS",
    "POLICE_COLLAR_NUMBER",
    "PROTECTIVE_MARKING",
    "SPECIAL_CATEGORY",
    "STAFF_RECORD",
    "OFFENDER_RECORD",
)

# Contract section 1: extra field categories a table column may get.
FIELD_ONLY_CATEGORIES: tuple[str, ...] = (
    "JOB_TITLE",
    "RANK",
    "WORK_LOCATION",
    "SALARY",
    "PAY_GRADE",
    "DISCIPLINARY",
    "SICKNESS",
    "OFFENCE",
    "WARNING_MARKER",
    "CUSTODY_REFERENCE",
    "CRIME_REFERENCE",
    "GENDER",
    "NATIONALITY",
    "FREE_TEXT",
    "NON_PERSONAL",
)

FIELD_CATEGORIES: tuple[str, ...] = ENTITY_TYPES + FIELD_ONLY_CATEGORIES

# Categories that are special category data (UK GDPR art. 9 / DPA 2018 s.35(8))
# even when they arrive as a column rather than a matched word.
SPECIAL_FIELD_CATEGORIES: frozenset[str] = frozenset({"SPECIAL_CATEGORY", "SICKNESS"})

# Categories that identify an offender or link a person to offending.
OFFENDER_FIELD_CATEGORIES: frozenset[str] = frozenset(
    {"UK_PNC_ID", "UK_CRO", "OFFENDER_RECORD", "OFFENCE", "WARNING_MARKER", "CUSTODY_REFERENCE"}
)


# A key drawn once per process. Identifiers such as NI numbers have so few
# possible values that an unkeyed hash prefix could be reversed by trying them
# all; keyed, the prefix only lets a reader see that two findings of one verdict
# are the same value, which is all a reviewer needs from it.
_HASH_KEY = secrets.token_bytes(32)


# `Finding.where` of a name or address that is one of the e-mail's own correspondents:
# reported (it is a name), but not a disclosure (contract section 7, transport).
CORRESPONDENT = "correspondent"


def value_hash(text: str) -> str:
    """A short fingerprint of a matched value: enough to correlate within a verdict, not to recover."""
    return hmac.new(_HASH_KEY, text.encode("utf-8"), hashlib.sha256).hexdigest()[:12]


@dataclass(frozen=True)
class Finding:
    """One detected value.

    `part` is the location name (a table's is "file.xlsx/Sheet1"); `part_name`
    is the `Part.name` it belongs to, which redaction keys on. Text findings
    carry `segment` with `start`/`end` inside that segment; table findings
    carry `table`, `column`, `column_index` and a 1-based data `row`.
    """

    entity_type: str
    score: float
    part: str
    part_name: str
    text: str
    start: int | None = None
    end: int | None = None
    segment: int | None = None
    table: int | None = None
    column: str | None = None
    column_index: int | None = None
    row: int | None = None
    where: str = "body"

    def to_json(self, reveal: bool = False) -> dict[str, Any]:
        location: dict[str, Any] = {"part": self.part}
        if self.column is not None:
            location["column"] = self.column
        if self.row is not None:
            location["row"] = self.row
        if self.start is not None and self.end is not None:
            location["start"] = self.start
            location["end"] = self.end
        if self.where != "body":
            location["where"] = self.where
        out: dict[str, Any] = {
            "entity_type": self.entity_type,
            "score": round(self.score, 2),
            "location": location,
        }
        if reveal:
            out["text"] = self.text
        else:
            out["hash"] = value_hash(self.text)
        return out


@dataclass(frozen=True)
class FieldInfo:
    """One classified table column."""

    part: str
    part_name: str
    table: int
    column: str
    column_index: int
    category: str
    confidence: float
    hidden: bool = False
    values: int = 0
    derived: bool = False  # the column belongs to a copy of data shown elsewhere (Table.derived)

    def to_json(self, allowed: bool | None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "part": self.part,
            "column": self.column,
            "category": self.category,
            "confidence": round(self.confidence, 2),
        }
        if self.hidden:
            out["hidden"] = True
        if allowed is not None:
            out["allowed"] = allowed
        return out


@dataclass
class Detection:
    """Everything detection found in one Document."""

    findings: list[Finding] = field(default_factory=list)
    fields: list[FieldInfo] = field(default_factory=list)
    subjects: int = 0
    markings: list[str] = field(default_factory=list)
    uninspectable: list[tuple[str, str]] = field(default_factory=list)

    def entity_types(self) -> set[str]:
        """Types of what the content discloses (an e-mail's own correspondents are not disclosed)."""
        return {f.entity_type for f in self.findings if f.where != CORRESPONDENT}

    def categories(self) -> set[str]:
        """Entity types found anywhere plus the categories of personal-data columns."""
        cats = self.entity_types()
        cats.update(f.category for f in self.fields if f.category != "NON_PERSONAL")
        return cats
