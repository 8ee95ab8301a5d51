"""What a Detection holds, in the units policy judges: columns and located values.

An agreement allows *field categories*. A table column is judged by the
category detection gave the whole column: a "Work Location" column is allowed
as WORK_LOCATION even though some of its cells contain a station's postcode,
and a "Warning markers" column allowed as WARNING_MARKER is covered even
though its cells name health markers (allowing the column is a deliberate
choice of whoever wrote the agreement). Values found in a cell are judged on
their own only where the column says nothing about them: FREE_TEXT and
NON_PERSONAL columns, or cells of a column that was not classified. One
exception: identifiers that prove themselves (check digits or strict
structure: NI, NHS, PNC, CRO, IBAN, card numbers) are judged on their own in
any column, since no column heading makes an NI number part of a job title.
A value judged on its own that is not allowed makes its whole column excess,
since a column is the unit a table can be redacted by.

Values found in running text are judged by their entity type, and can be cut
out one by one. Protective markings are not personal data: markings are
judged against `max_marking`, never as excess fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.detect.model import CORRESPONDENT, ENTITY_TYPES, SPECIAL_FIELD_CATEGORIES, Detection, FieldInfo, Finding
from gateway.policy.markings import Marking, parse_marking

# Column categories that describe the shape of a column, not the personal data in it.
UNDESCRIBED_COLUMNS = frozenset({"FREE_TEXT", "NON_PERSONAL"})
# Identifiers that are what they are wherever they sit.
SELF_EVIDENT = frozenset({"UK_NINO", "UK_NHS", "UK_PNC_ID", "UK_CRO", "IBAN_CODE", "CREDIT_CARD"})
# Columns that say whom a row is about: a table with one holds records about people.
IDENTIFYING = frozenset(
    {
        "PERSON", "DATE_OF_BIRTH", "UK_NINO", "UK_NHS", "UK_PNC_ID", "UK_CRO", "UK_PASSPORT",
        "UK_DRIVING_LICENCE", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "POLICE_COLLAR_NUMBER",
        "CUSTODY_REFERENCE", "UK_BANK_ACCOUNT", "IBAN_CODE", "CREDIT_CARD", "STAFF_RECORD", "OFFENDER_RECORD",
    }
)  # fmt: skip
# Never personal data in itself.
NOT_PERSONAL = frozenset({"NON_PERSONAL", "FREE_TEXT", "PROTECTIVE_MARKING"})


@dataclass(frozen=True)
class ColumnRef:
    """One column of one table of one part; `header` as the reviewer sees it."""

    part: str
    part_name: str
    table: int
    index: int
    header: str

    @property
    def label(self) -> str:
        return self.header.strip() or f"column {self.index + 1}"


@dataclass(frozen=True)
class Item:
    """One thing to judge: a column (with its category) or a value in running text."""

    category: str
    column: ColumnRef | None = None
    finding: Finding | None = None

    @property
    def special(self) -> bool:
        return self.category in SPECIAL_FIELD_CATEGORIES


def items(detection: Detection) -> list[Item]:
    """Columns first (in document order), then values judged on their own.

    A column whose header cell holds a detected value (a file without a header
    row has its first record there) is labelled "column N", never by that
    value: labels end up in reasons and in `excess_fields`.
    """
    by_column: dict[tuple[str, int, int], FieldInfo] = {
        (f.part_name, f.table, f.column_index): f for f in detection.fields
    }
    data_headers: set[tuple[str, int, int]] = {
        (f.part_name, f.table, f.column_index)
        for f in detection.findings
        if f.table is not None and f.column_index is not None and (f.row == 0 or f.where == "header-row")
    }

    def ref(field: FieldInfo) -> ColumnRef:
        hide = (field.part_name, field.table, field.column_index) in data_headers
        return ColumnRef(field.part, field.part_name, field.table, field.column_index, "" if hide else field.column)

    out: list[Item] = [
        Item(f.category, column=ref(f))
        for f in detection.fields
        if f.category not in UNDESCRIBED_COLUMNS
    ]
    for finding in detection.findings:
        if finding.entity_type == "PROTECTIVE_MARKING" or finding.where == CORRESPONDENT:
            continue  # markings are judged on their own; correspondents are transport, not disclosed
        if finding.table is None:
            out.append(Item(finding.entity_type, finding=finding))
            continue
        index = finding.column_index if finding.column_index is not None else -1
        field = by_column.get((finding.part_name, finding.table, index))
        if field is not None and _covered(finding.entity_type, field.category):
            continue
        column = ref(field) if field is not None else _finding_ref(finding, data_headers)
        out.append(Item(finding.entity_type, column=column, finding=finding))
    return out


def _covered(entity_type: str, column_category: str) -> bool:
    """Whether a value found in a cell is judged as part of its column."""
    if column_category in UNDESCRIBED_COLUMNS:
        return False
    return entity_type == column_category or entity_type not in SELF_EVIDENT


def present_categories(detection: Detection) -> set[str]:
    """Every category found anywhere (for required fields and the default policy)."""
    return detection.categories() - NOT_PERSONAL


def found_markings(detection: Detection) -> tuple[list[Marking], int]:
    """The document's markings, and how many could not be placed on the scale.

    `Detection.markings` is detection's normalised list (it chose which text is
    a marking at all); PROTECTIVE_MARKING findings are read only when that list
    is empty, so a detector that reports findings without filling the list is
    not silently ignored. A marking that cannot be read is not treated as harmless.
    """
    texts = list(detection.markings) or [
        f.text for f in detection.findings if f.entity_type == "PROTECTIVE_MARKING"
    ]
    readable: list[Marking] = []
    unreadable = 0
    for text in texts:
        marking = parse_marking(text)
        if marking is None:
            unreadable += 1
        else:
            readable.append(marking)
    return readable, unreadable


def _finding_ref(finding: Finding, data_headers: set[tuple[str, int, int]]) -> ColumnRef | None:
    if finding.table is None or finding.column_index is None:
        return None
    hide = (finding.part_name, finding.table, finding.column_index) in data_headers
    header = "" if hide else (finding.column or "")
    return ColumnRef(finding.part, finding.part_name, finding.table, finding.column_index, header)


def incomplete(detection: Detection, required: frozenset[str]) -> tuple[list[str], list[str]]:
    """Required categories a transfer lacks, and the tables that lack them.

    Completeness is about records. Where the transfer holds tables of records
    about people (a table with an identifying column), each such table must
    hold every required category, as a column or as values found in it: an
    upload of two files where one has no dates of birth is incomplete. Where
    it holds no such table, the required categories that can be recognised in
    running text (the entity types) must appear somewhere in a transfer that
    carries personal data; field-only categories such as JOB_TITLE or OFFENCE
    exist only as columns and cannot be looked for in prose. A transfer with
    no personal data at all is not an incomplete record. Wholly hidden tables
    (hidden sheets, pivot caches) are judged only when no visible table of
    records exists: they are usually partial copies of the visible data.

    Returns (missing categories, labels of the tables missing them; empty
    when the transfer as a whole was judged).
    """
    if not required:
        return [], []
    tables: dict[tuple[str, int], tuple[str, set[str]]] = {}
    visible: set[tuple[str, int]] = set()
    for f in detection.fields:
        label, cats = tables.setdefault((f.part_name, f.table), (f.part, set()))
        cats.add(f.category)
        if not f.hidden:
            visible.add((f.part_name, f.table))
    for finding in detection.findings:
        if finding.table is not None:
            label, cats = tables.setdefault((finding.part_name, finding.table), (finding.part, set()))
            cats.add(finding.entity_type)
    records = {key: (label, cats) for key, (label, cats) in tables.items() if cats & IDENTIFYING}
    # A wholly hidden table (a hidden sheet, a pivot cache) is often a partial copy of a visible
    # one; it does not make the transfer incomplete when visible tables of records carry the data.
    if records.keys() & visible:
        records = {key: value for key, value in records.items() if key in visible}
    if records:
        missing: dict[str, None] = {}
        lacking: list[str] = []
        for label, cats in records.values():
            gap = required - cats
            if gap:
                lacking.append(label)
                missing.update(dict.fromkeys(sorted(gap, key=_category_order)))
        return sorted(missing, key=_category_order), lacking
    present = present_categories(detection)
    if not present:
        return [], []
    gap = (required & set(ENTITY_TYPES)) - present
    return sorted(gap, key=_category_order), []


def _category_order(category: str) -> tuple[int, str]:
    from gateway.detect.model import FIELD_CATEGORIES

    return (FIELD_CATEGORIES.index(category) if category in FIELD_CATEGORIES else 999, category)
