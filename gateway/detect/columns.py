"""Classifying table columns into the contract's field categories.

Two kinds of evidence, weighed together:

* the header, matched against the synonyms in `config/columns.yaml` (the longest
  matching synonym wins, so "Station Name" is a work location, not a name);
* a sample of the column's distinct values, run through the recognizers with the
  header as context, and shape tests for names, dates, free text and gender.

Values that validate as an identifier override a misleading header (a column
headed "Ref" full of valid NI numbers is UK_NINO); a vague header counts only
when the values agree (a "Name" column of product names is not PERSON). Only a
sample is examined, so a table of any size is classified in about the same time;
the per-cell work happens afterwards, only for the columns that need it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gateway.content.model import Table
from gateway.detect import names
from gateway.detect.analyzer import Analyzer
from gateway.detect.model import FIELD_CATEGORIES

SAMPLE_SIZE = 80

# Categories whose values prove themselves (check digits, strict structure): enough
# of them in a sample outweighs whatever the header says.
STRONG_VALUE_TYPES = frozenset(
    {
        "UK_NINO", "UK_NHS", "UK_PNC_ID", "UK_CRO", "IBAN_CODE", "CREDIT_CARD", "EMAIL_ADDRESS", "UK_POSTCODE",
        "UK_DRIVING_LICENCE", "IP_ADDRESS", "PHONE_NUMBER", "CUSTODY_REFERENCE", "UK_BANK_ACCOUNT",
    }
)  # fmt: skip
# Of those, the ones every value of which can be checked: a cell that fails is not one.
# (CUSTODY_REFERENCE is strong when it is a valid ASN, but custody and nominal
# numbers are force-local formats no recognizer can prove.)
CHECKABLE_TYPES = STRONG_VALUE_TYPES - {"CUSTODY_REFERENCE"}

# Columns that identify the person a row is about; a table without one is an aggregate or a list.
IDENTIFYING = frozenset(
    {
        "PERSON", "DATE_OF_BIRTH", "UK_NINO", "UK_NHS", "UK_PNC_ID", "UK_CRO", "STREET_ADDRESS", "PHONE_NUMBER",
        "EMAIL_ADDRESS", "UK_DRIVING_LICENCE", "UK_PASSPORT", "UK_BANK_ACCOUNT", "IBAN_CODE", "CREDIT_CARD",
        "POLICE_COLLAR_NUMBER", "CUSTODY_REFERENCE", "STAFF_RECORD", "OFFENDER_RECORD",
    }
)  # fmt: skip

# Categories that describe a post, a device or a place as readily as a person: personal
# data only in a table that is about people.
ORGANISATIONAL = frozenset({"JOB_TITLE", "RANK", "WORK_LOCATION", "PAY_GRADE", "SALARY", "OFFENCE", "IP_ADDRESS"})
# Columns that make a table about people even without a name or identifier in it.
ABOUT_PEOPLE = IDENTIFYING | {
    "SPECIAL_CATEGORY", "SICKNESS", "DISCIPLINARY", "GENDER", "NATIONALITY", "WARNING_MARKER", "CRIME_REFERENCE",
    "UK_VEHICLE_REG", "UK_POSTCODE",
}  # fmt: skip

# Entity types that name a group in a table of counts (an ethnicity or a
# religion heading a row of figures) rather than anyone's data.
AGGREGATE_LABELS = frozenset({"SPECIAL_CATEGORY"})

NULL_VALUES = frozenset(
    {
        "", "-", "--", "—", "n/a", "na", "n.a.", "null", "none", "nil", "nfa", "unknown", "not known", "not stated",
        "not recorded", "prefer not to say", "not specified", "not disclosed", "withheld", "tbc", "?", "x",
    }
)  # fmt: skip

GENDER_VALUES = frozenset(
    {
        "m", "f", "male", "female", "man", "woman", "boy", "girl", "non-binary", "nonbinary", "non binary", "other",
        "x", "mr", "mrs", "ms", "miss", "mx", "intersex", "trans", "transgender", "not specified",
    }
)  # fmt: skip

_DATE = re.compile(
    r"^\s*(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{2}|\d{4})|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?"
    r"|\d{1,2}(?:st|nd|rd|th)?[ \-][A-Za-z]{3,9}\.?[ \-,]+\d{2,4}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4})\s*$"
)
_NUMERIC = re.compile(r"^\s*[-+£$€]?\s*\d[\d,]*(?:\.\d+)?\s*%?\s*$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def is_null(value: str) -> bool:
    """Whether a cell says nothing about anyone ("", "N/A", "Prefer not to say")."""
    return value.strip().lower() in NULL_VALUES


def looks_like_date(value: str) -> bool:
    """Whether a cell is written as a calendar date (numeric, ISO or with a month name)."""
    return _DATE.match(value) is not None


def normalise_header(header: str) -> tuple[str, ...]:
    """Header words: "D.O.B" -> (dob,), "DateOfBirth" -> (date, of, birth), "Sex/Gender" -> (sex, gender)."""
    text = _CAMEL.sub(" ", header.replace(".", ""))
    return tuple(w for w in re.split(r"[^a-z0-9]+", text.lower()) if w)


@dataclass(frozen=True)
class HeaderMatch:
    """What a header says: a category, the synonym that said it, and how sure."""

    category: str
    synonym: str
    exact: bool
    needs_values: bool


class HeaderSynonyms:
    """The synonym table of `config/columns.yaml`, indexed by normalised word tuples."""

    def __init__(self, synonyms: dict[str, Iterable[str]], needs_values: Iterable[str] = ()) -> None:
        self._index: dict[tuple[str, ...], str] = {}
        for category, words in synonyms.items():
            if category not in FIELD_CATEGORIES:
                raise ValueError(f"synonyms.{category}: not a field category of contracts.md")
            for synonym in words:
                key = normalise_header(synonym)
                if key and key not in self._index:
                    self._index[key] = category
        self._needs_values = {normalise_header(s) for s in needs_values}
        self._longest = max((len(k) for k in self._index), default=0)

    @classmethod
    def load(cls, path: Path) -> HeaderSynonyms:
        """Read `columns.yaml`; raises ValueError naming the file and key when it is malformed."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as e:
            raise ValueError(f"{path}: cannot read column synonyms: {e}") from e
        if not isinstance(data, dict) or not isinstance(data.get("synonyms"), dict):
            raise ValueError(f"{path}:synonyms: must map field categories to lists of headers")
        for category, words in data["synonyms"].items():
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise ValueError(f"{path}:synonyms.{category}: must be a list of strings")
        needs = data.get("needs_values", [])
        if not isinstance(needs, list) or not all(isinstance(w, str) for w in needs):
            raise ValueError(f"{path}:needs_values: must be a list of strings")
        try:
            return cls(data["synonyms"], needs)
        except ValueError as e:
            raise ValueError(f"{path}:{e}") from e

    def match(self, header: str) -> HeaderMatch | None:
        """The category of the longest synonym found in ``header``, or None."""
        words = normalise_header(header)
        best: tuple[str, ...] | None = None
        for size in range(min(len(words), self._longest), 0, -1):
            for start in range(len(words) - size + 1):
                key = words[start : start + size]
                if key in self._index and (best is None or len("".join(key)) > len("".join(best))):
                    best = key
            if best is not None:
                break
        if best is None:
            return None
        return HeaderMatch(self._index[best], " ".join(best), best == words, best in self._needs_values)


@dataclass
class ValueProfile:
    """What a sample of a column's values looks like."""

    count: int = 0
    sample: list[str] = field(default_factory=list)
    entity_fraction: dict[str, float] = field(default_factory=dict)
    name_any: float = 0.0
    name_strong: float = 0.0
    name_caps: float = 0.0
    date_fraction: float = 0.0
    numeric_fraction: float = 0.0
    gender_fraction: float = 0.0
    mean_words: float = 0.0
    mean_length: float = 0.0

    def fraction(self, entity: str) -> float:
        return self.entity_fraction.get(entity, 0.0)

    def best_entity(self, among: Iterable[str]) -> tuple[str | None, float]:
        best, score = None, 0.0
        for entity in sorted(among):
            if self.fraction(entity) > score:
                best, score = entity, self.fraction(entity)
        return best, score


def sample_values(values: Sequence[str], size: int = SAMPLE_SIZE) -> list[str]:
    """Up to ``size`` distinct non-null values spread over the whole column."""
    n = len(values)
    step = max(1, n // (size * 3))
    order = list(range(min(n, size // 4))) + list(range(0, n, step))
    seen: set[str] = set()
    out: list[str] = []
    for i in order:
        value = values[i].strip()
        if value and not is_null(value) and value not in seen:
            seen.add(value)
            out.append(value)
            if len(out) >= size:
                break
    return out


_SURNAME_FIRST = re.compile(r"^\s*([^\W\d_][^,\d]*?)\s*,\s*([^\W\d_][^,\d]*?)\s*$")


def _name_shape(value: str) -> str | None:
    """The name shape of a cell, reading "Surname, Forenames" (the usual HR export layout) as well.

    Mixed-case "Okafor, David" is as much a name as "David Okafor"; the comma layout is
    read back into forename-first order so the forename evidence counts.
    """
    shape = names.name_shape(value)
    if shape is None:
        m = _SURNAME_FIRST.match(value)
        if m is not None:
            shape = names.name_shape(f"{m.group(2)} {m.group(1)}")
    return shape


def profile(values: Sequence[str], header: str, analyzer: Analyzer, size: int = SAMPLE_SIZE) -> ValueProfile:
    """Recognizer coverage and shape statistics of a sample of ``values``."""
    sample = sample_values(values, size)
    prof = ValueProfile(count=sum(1 for v in values if v.strip() and not is_null(v)), sample=sample)
    if not sample:
        return prof
    covered: dict[str, int] = {}
    shapes: dict[str | None, int] = {}
    for value in sample:
        by_type: dict[str, int] = {}
        for result in analyzer.analyze_value(value, header):
            by_type[result.entity_type] = by_type.get(result.entity_type, 0) + (result.end - result.start)
        for entity, length in by_type.items():
            if length >= 0.6 * len(value):
                covered[entity] = covered.get(entity, 0) + 1
        shape = _name_shape(value)
        shapes[shape] = shapes.get(shape, 0) + 1
    n = len(sample)
    prof.entity_fraction = {e: c / n for e, c in covered.items()}
    prof.name_any = (n - shapes.get(None, 0)) / n
    prof.name_strong = (shapes.get("layout", 0) + shapes.get("forename", 0)) / n
    prof.name_caps = shapes.get("caps", 0) / n
    prof.date_fraction = sum(1 for v in sample if _DATE.match(v)) / n
    prof.numeric_fraction = sum(1 for v in sample if _NUMERIC.match(v)) / n
    prof.gender_fraction = sum(1 for v in sample if v.lower() in GENDER_VALUES) / n
    prof.mean_words = sum(len(v.split()) for v in sample) / n
    prof.mean_length = sum(len(v) for v in sample) / n
    return prof


@dataclass(frozen=True)
class ColumnClass:
    """A column's field category, how sure the classifier is, and what it rested on.

    ``ignore`` lists entity types not to report from this column's cells (the
    private IP addresses of an asset register once the column is judged not personal).
    """

    category: str
    confidence: float
    basis: str
    ignore: frozenset[str] = frozenset()


def _looks_free_text(prof: ValueProfile) -> bool:
    return prof.mean_words >= 5 and prof.mean_length >= 30


def _names_agree(prof: ValueProfile, vague: bool) -> bool:
    if vague:
        return prof.name_any >= 0.6 and (prof.name_strong >= 0.25 or prof.name_caps >= 0.5)
    return prof.name_any >= 0.5


def _values_only(prof: ValueProfile, analyzer: Analyzer) -> ColumnClass:
    entity, fraction = prof.best_entity(analyzer.value_entities)
    if entity is not None and fraction >= 0.5:
        return ColumnClass(entity, round(min(0.95, 0.4 + 0.5 * fraction), 2), "values")
    if prof.name_strong >= 0.4 and prof.name_any >= 0.7 and prof.mean_words <= 4:
        return ColumnClass("PERSON", round(0.5 + 0.4 * prof.name_strong, 2), "values")
    if _looks_free_text(prof):
        return ColumnClass("FREE_TEXT", 0.7, "values")
    return ColumnClass("NON_PERSONAL", 0.6 if prof.count else 0.5, "values")


def _header_agrees(match: HeaderMatch, prof: ValueProfile, analyzer: Analyzer) -> bool:
    category = match.category
    if category == "PERSON":
        return _names_agree(prof, match.needs_values)
    if category == "GENDER":
        return prof.gender_fraction >= 0.6
    if category == "FREE_TEXT":
        return _looks_free_text(prof)
    if category == "DATE_OF_BIRTH":
        return prof.date_fraction >= 0.6 or prof.fraction(category) >= 0.5
    if analyzer.has_recognizer(category) and prof.fraction(category) >= 0.5:
        return True
    if category in CHECKABLE_TYPES:
        return False
    # Collar numbers, station names, grades: no recognizer can prove a bare value,
    # so agreement means values of the right kind (short codes or labels, not prose).
    return prof.mean_length <= 40 and not _looks_free_text(prof)


def classify_column(header: str, values: Sequence[str], synonyms: HeaderSynonyms, analyzer: Analyzer) -> ColumnClass:
    """The field category of one column from its header and a sample of its values."""
    match = synonyms.match(header) if header else None
    prof = profile(values, header, analyzer)
    if not prof.sample:
        if match is not None and not match.needs_values:
            return ColumnClass(match.category, 0.6, "header")
        return ColumnClass("NON_PERSONAL", 0.5, "empty")
    strong, strong_fraction = prof.best_entity(STRONG_VALUE_TYPES & set(analyzer.value_entities))
    header_fraction = prof.fraction(match.category) if match is not None else 0.0
    if strong is not None and strong_fraction >= 0.6 and header_fraction < 0.5:
        # The values prove what they are, whatever the header claims.
        return ColumnClass(strong, round(min(0.99, 0.5 + 0.5 * strong_fraction), 2), "values")
    if match is None:
        return _values_only(prof, analyzer)
    agrees = _header_agrees(match, prof, analyzer)
    if match.needs_values and not agrees:
        return _values_only(prof, analyzer)
    confidence = (0.95 if match.exact else 0.85) if agrees else 0.6
    return ColumnClass(match.category, confidence, "header+values" if agrees else "header")


def _is_aggregate(table: Table, classes: list[ColumnClass]) -> bool:
    """A table of counts or a reference list: no identifying column, a numeric one, unique groups."""
    if any(c.category in IDENTIFYING for c in classes):
        return False
    numeric_cols: list[int] = []
    text_cols: list[int] = []
    for index in range(len(classes)):
        values = [v for v in table.column(index) if v.strip()]
        if values and all(_NUMERIC.match(v) for v in values):
            numeric_cols.append(index)
        else:
            text_cols.append(index)
    if not numeric_cols:
        return False
    groups = [tuple(row[i] if i < len(row) else "" for i in text_cols) for row in table.rows]
    return len(set(groups)) == len(groups)


def _not_about_people(cls: ColumnClass) -> ColumnClass:
    return ColumnClass("NON_PERSONAL", 0.7, "no people", frozenset({cls.category}))


def classify_table(table: Table, synonyms: HeaderSynonyms, analyzer: Analyzer) -> list[ColumnClass]:
    """One ColumnClass per column (by header position, including columns missing from short rows).

    Two table-level corrections follow the per-column guesses. A table of counts
    (no identifying column, a numeric column, one row per group) describes groups,
    not people: every category becomes NON_PERSONAL. A table with nothing about
    people in it (an asset register, an establishment list, a pay scale) has its
    posts, grades, locations and device addresses made NON_PERSONAL.
    """
    width = max([len(table.header), *(len(r) for r in table.rows)], default=0)
    headers = [table.header[i] if i < len(table.header) else "" for i in range(width)]
    classes = [classify_column(headers[i], table.column(i), synonyms, analyzer) for i in range(width)]
    if _is_aggregate(table, classes):
        # Group labels ("White British", "Disabled", "Muslim") describe a group, not
        # anyone: not reported from the cells either. Free text is still scanned.
        return [
            c
            if c.category == "FREE_TEXT"
            else ColumnClass("NON_PERSONAL", 0.7, "aggregate", AGGREGATE_LABELS | {c.category} | c.ignore)
            for c in classes
        ]
    if not any(c.category in ABOUT_PEOPLE for c in classes):
        return [
            ColumnClass("NON_PERSONAL", 0.7, "no people", frozenset({c.category}))
            if c.category in ORGANISATIONAL
            else c
            for c in classes
        ]
    return classes
