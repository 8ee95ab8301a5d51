"""Per-table findings: every cell of a personal-data column, with its row number.

After `columns` has classified each column from a sample, this module does the
per-cell work, choosing the cheapest check that is still right for the column:

* identifier columns: every distinct value goes through the recognizer for the
  column's category only (check digits, structure), so an invalid PNC ID in a
  PNC column is not reported as one, and findings carry their row;
* name, date-of-birth, address and special-category columns: every non-empty
  cell is a finding (a date-of-birth cell must look like a date);
* free-text columns: the cells are joined and scanned as text (NER included),
  findings mapped back to their row and offset within the cell;
* every other column: distinct values are checked against all recognizers, so an
  identifier that strays into a "Comments" or "Ref" column is still caught.

Nothing here sends a cell through spaCy on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from gateway.content.model import Part, Table
from gateway.detect import columns, text
from gateway.detect.analyzer import Analyzer
from gateway.detect.columns import ColumnClass, is_null
from gateway.detect.model import ENTITY_TYPES, FieldInfo, Finding

# Categories whose cells are findings only when the recognizer validates them.
# Registration marks have strict formats too; a "Car 12" in a registration column is not one.
VALIDATED_CELLS = columns.CHECKABLE_TYPES | {"UK_VEHICLE_REG"}

# Field categories that are references to a person's record: reported per cell too.
REFERENCE_CATEGORIES = frozenset({"CUSTODY_REFERENCE", "CRIME_REFERENCE"})
# How many distinct values of an unclassified column are checked one by one.
STRAY_SCAN_VALUES = 5000
SEPARATOR = "\n\n"

_SMALL_NUMBER = re.compile(r"^\s*[-+£$€]?\s*\d{1,7}(?:[.,]\d+)?\s*%?\s*$")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Cell:
    """Where a finding sits: table, column and 1-based data row (0 is the header)."""

    column: int
    row: int


class TableScanner:
    """Findings and field classifications for the tables of one part."""

    def __init__(self, analyzer: Analyzer, synonyms: columns.HeaderSynonyms) -> None:
        self.analyzer = analyzer
        self.synonyms = synonyms

    def scan(self, part: Part, index: int) -> tuple[list[Finding], list[FieldInfo], list[ColumnClass]]:
        """Findings, FieldInfos and column classes of ``part.tables[index]``."""
        table = part.tables[index]
        classes = columns.classify_table(table, self.synonyms, self.analyzer)
        location = part.table_part_name(index)
        fields: list[FieldInfo] = []
        findings: list[Finding] = list(self._header_findings(part, index))
        for col, cls in enumerate(classes):
            header = _header(table, col)
            values = table.column(col)
            fields.append(
                FieldInfo(
                    part=location,
                    part_name=part.name,
                    table=index,
                    column=header,
                    column_index=col,
                    category=cls.category,
                    confidence=cls.confidence,
                    hidden=table.hidden or col in table.hidden_columns,
                    derived=table.derived,
                    values=sum(1 for v in values if v.strip() and not is_null(v)),
                )
            )
            for cell, entity, start, end, score in self._column_hits(table, col, cls):
                value = values[cell.row - 1]
                findings.append(
                    Finding(
                        entity_type=entity,
                        score=score,
                        part=location,
                        part_name=part.name,
                        text=value[start:end],
                        start=start,
                        end=end,
                        table=index,
                        column=header,
                        column_index=col,
                        row=cell.row,
                        where=_where(table, col, cell.row),
                    )
                )
        return findings, fields, classes

    def _column_hits(self, table: Table, col: int, cls: ColumnClass) -> Iterator[tuple[Cell, str, int, int, float]]:
        category = cls.category
        if category == "FREE_TEXT":
            yield from self._free_text_hits(table, col)
        elif category in ENTITY_TYPES or category in REFERENCE_CATEGORIES:
            yield from self._category_hits(table, col, cls)
        else:
            yield from self._stray_hits(table, col, cls.ignore)

    def _category_hits(self, table: Table, col: int, cls: ColumnClass) -> Iterator[tuple[Cell, str, int, int, float]]:
        category = cls.category
        header = _header(table, col)
        checkable = self.analyzer.has_recognizer(category)
        cache: dict[str, list[tuple[int, int, float]]] = {}
        for row, raw in enumerate(table.column(col), start=1):
            if not raw.strip() or is_null(raw):
                continue
            spans = cache.get(raw)
            if spans is None:
                spans = self._cell_spans(raw, header, category, cls.confidence, checkable)
                cache[raw] = spans
            for start, end, score in spans:
                yield Cell(col, row), category, start, end, score

    def _cell_spans(
        self, raw: str, header: str, category: str, confidence: float, checkable: bool
    ) -> list[tuple[int, int, float]]:
        if checkable:
            found = [(r.start, r.end, float(r.score)) for r in self.analyzer.analyze_value(raw, header, [category])]
            if found or category in VALIDATED_CELLS:
                return found
        if category == "DATE_OF_BIRTH" and not columns.looks_like_date(raw):
            return []
        if category == "PERSON" and not _HAS_LETTER.search(raw):
            return []
        start = len(raw) - len(raw.lstrip())
        end = len(raw.rstrip())
        if self.analyzer.allows(category, raw[start:end]):
            return []
        return [(start, end, max(self.analyzer.threshold, confidence))]

    def _stray_hits(
        self, table: Table, col: int, ignore: frozenset[str] = frozenset()
    ) -> Iterator[tuple[Cell, str, int, int, float]]:
        header = _header(table, col)
        values = table.column(col)
        distinct: dict[str, list[tuple[str, int, int, float]]] = {}
        for raw in values:
            if raw in distinct or len(distinct) >= STRAY_SCAN_VALUES:
                continue
            if not raw.strip() or is_null(raw) or _SMALL_NUMBER.match(raw):
                distinct[raw] = []
                continue
            distinct[raw] = [
                (r.entity_type, r.start, r.end, float(r.score))
                for r in self.analyzer.analyze_value(raw, header)
                if r.entity_type not in ignore
            ]
        for row, raw in enumerate(values, start=1):
            for entity, start, end, score in distinct.get(raw, ()):
                yield Cell(col, row), entity, start, end, score

    def _free_text_hits(self, table: Table, col: int) -> Iterator[tuple[Cell, str, int, int, float]]:
        rows: list[int] = []
        starts: list[int] = []
        parts: list[str] = []
        position = 0
        for row, raw in enumerate(table.column(col), start=1):
            if not raw.strip():
                continue
            rows.append(row)
            starts.append(position)
            parts.append(raw)
            position += len(raw) + len(SEPARATOR)
        if not parts:
            return
        joined = SEPARATOR.join(parts)
        for hit in text.scan(self.analyzer, [joined])[0]:
            k = bisect_right(starts, hit.start) - 1
            offset = starts[k]
            if hit.end > offset + len(parts[k]):
                continue  # spans two cells: an artefact of joining them
            yield Cell(col, rows[k]), hit.entity_type, hit.start - offset, hit.end - offset, hit.score

    def _header_findings(self, part: Part, index: int) -> Iterator[Finding]:
        """Identifiers in the header row: a CSV without a header has its first record there."""
        table = part.tables[index]
        for col, raw in enumerate(table.header):
            for r in self.analyzer.analyze_value(raw, None, sorted(columns.STRONG_VALUE_TYPES)):
                yield Finding(
                    entity_type=r.entity_type,
                    score=float(r.score),
                    part=part.table_part_name(index),
                    part_name=part.name,
                    text=raw[r.start : r.end],
                    start=r.start,
                    end=r.end,
                    table=index,
                    column=raw,
                    column_index=col,
                    row=0,
                    where="hidden-sheet" if table.hidden else "header-row",
                )


def _header(table: Table, col: int) -> str:
    name = table.header[col].strip() if col < len(table.header) else ""
    return name or f"column {col + 1}"


def _where(table: Table, col: int, row: int) -> str:
    if table.hidden:
        return "hidden-sheet"
    if col in table.hidden_columns:
        return "hidden-column"
    if row - 1 in table.hidden_rows:
        return "hidden-row"
    return "body"
