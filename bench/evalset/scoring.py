"""Scoring detections against the labels: alignment, the matching rule, and the arithmetic.

Alignment. Labels are written against the generated file; predictions come from
the text the gateway's readers extract. Each label is placed in the extracted
document: a table label at (part, table, 1-based data row, column) by sheet name
and header; a text label at the occurrence of its text, in the part it belongs
to, whose preceding characters best match the label's recorded context. A label
that cannot be placed (the reader lost the text) is a miss for every system.

Matching rule. A predicted text span is a true positive when it overlaps a
labelled span of the same entity type in the same segment; a label is found
when at least one prediction of its type overlaps it. So "PC 1234" predicted
over a label "1234", or one prediction covering a sort code and account number
labelled separately, both count. Table cells are scored per cell: a cell
predicted as type T is a true positive when the cell is labelled T, and each
(cell, type) counts once however many findings it has. Predictions in unscored
columns (ambiguous ones such as staff or custody numbers) are ignored.
Precision = true-positive predictions / predictions; recall = labels found / labels.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gateway.content.model import Part


@dataclass(frozen=True)
class TextLoc:
    part: str
    segment: int
    start: int
    end: int


@dataclass(frozen=True)
class CellLoc:
    part: str
    table: int
    row: int  # 1-based data row
    column: int


Loc = TextLoc | CellLoc


@dataclass(frozen=True)
class Item:
    """A label or a prediction: an entity type at a place (None: a label the reader lost)."""

    type: str
    loc: Loc | None
    text: str = ""
    where: str | None = None  # for labels: "text" or "table", known even when the label is lost


@dataclass
class Counts:
    predicted: int = 0
    true_positive: int = 0
    labels: int = 0
    found: int = 0
    unaligned: int = 0

    @property
    def precision(self) -> float | None:
        return self.true_positive / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.found / self.labels if self.labels else None

    def add(self, other: Counts) -> None:
        self.predicted += other.predicted
        self.true_positive += other.true_positive
        self.labels += other.labels
        self.found += other.found
        self.unaligned += other.unaligned

    def to_json(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "support": self.labels,
            "predicted": self.predicted,
            "true_positive_predictions": self.true_positive,
            "found": self.found,
            "unaligned_labels": self.unaligned,
        }


def _where(loc: Loc | None) -> str:
    return "table" if isinstance(loc, CellLoc) else "text"


@dataclass
class Score:
    """Counts per (entity type, "text" | "table")."""

    counts: dict[tuple[str, str], Counts] = field(default_factory=lambda: defaultdict(Counts))

    def add(self, other: Score) -> None:
        for key, c in other.counts.items():
            self.counts[key].add(c)

    def types(self) -> list[str]:
        return sorted({t for t, _ in self.counts})

    def total(self, entity_type: str, where: str | None = None) -> Counts:
        out = Counts()
        for (t, w), c in self.counts.items():
            if t == entity_type and (where is None or w == where):
                out.add(c)
        return out

    def combined(self, entity_types: Iterable[str], where: str | None = None) -> Counts:
        out = Counts()
        for t in entity_types:
            out.add(self.total(t, where))
        return out


def _overlaps(a: TextLoc, b: TextLoc) -> bool:
    return a.part == b.part and a.segment == b.segment and a.start < b.end and b.start < a.end


def is_unscored(loc: CellLoc, unscored: set[tuple[Any, ...]]) -> bool:
    return (loc.part, loc.table, loc.column) in unscored or (loc.part, loc.table, loc.column, loc.row) in unscored


def score_document(labels: list[Item], predictions: list[Item], unscored: set[tuple[Any, ...]]) -> Score:
    """Apply the matching rule to one document.

    `unscored` holds (part, table, column) for whole columns and (part, table, column, row) for cells.
    """
    result = Score()
    cell_labels: dict[CellLoc, set[str]] = defaultdict(set)
    text_labels: dict[tuple[str, str, int], list[TextLoc]] = defaultdict(list)
    for label in labels:
        where = label.where or _where(label.loc)
        result.counts[(label.type, where)].labels += 1
        if label.loc is None:
            result.counts[(label.type, where)].unaligned += 1
        elif isinstance(label.loc, CellLoc):
            cell_labels[label.loc].add(label.type)
        else:
            text_labels[(label.type, label.loc.part, label.loc.segment)].append(label.loc)
    predicted_cells: set[tuple[str, CellLoc]] = set()
    text_predictions: dict[tuple[str, str, int], set[TextLoc]] = defaultdict(set)
    for p in predictions:
        if p.loc is None:
            continue
        if isinstance(p.loc, CellLoc):
            if is_unscored(p.loc, unscored):
                continue
            predicted_cells.add((p.type, p.loc))
        else:
            text_predictions[(p.type, p.loc.part, p.loc.segment)].add(p.loc)
    for entity_type, cell in predicted_cells:
        counts = result.counts[(entity_type, "table")]
        counts.predicted += 1
        if entity_type in cell_labels.get(cell, ()):
            counts.true_positive += 1
    for cell, types in cell_labels.items():
        for entity_type in types:
            if (entity_type, cell) in predicted_cells:
                result.counts[(entity_type, "table")].found += 1
    for key, spans in text_predictions.items():
        counts = result.counts[(key[0], "text")]
        gold = text_labels.get(key, [])
        for span in spans:
            counts.predicted += 1
            if any(_overlaps(span, g) for g in gold):
                counts.true_positive += 1
    for key, gold_spans in text_labels.items():
        counts = result.counts[(key[0], "text")]
        spans = text_predictions.get(key, set())
        for g in gold_spans:
            if any(_overlaps(g, s) for s in spans):
                counts.found += 1
    return result


# --------------------------------------------------------------------------- alignment

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _header_key(header: str) -> str:
    return header.strip().lstrip("\ufeff").strip().lower()


def _parts_for(document: Part, part_name: str | None) -> list[Part]:
    """The part a label belongs to: an attachment by file name, else every part of the document."""
    parts = list(document.walk())
    if part_name is None:
        return parts
    chosen = [p for p in parts if p.name == part_name or p.name.endswith("/" + part_name)]
    if not chosen:
        return []
    below: list[Part] = []
    for p in chosen:
        below.extend(p.walk())
    return below


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


class Aligner:
    """Places labels in one extracted document."""

    def __init__(self, document: Part) -> None:
        self.document = document
        self.used: set[TextLoc] = set()

    def table_cell(self, part_name: str | None, sheet: str | None, column: str, row: int) -> CellLoc | None:
        want = _header_key(column)
        best: tuple[int, CellLoc] | None = None
        for part in _parts_for(self.document, part_name):
            for ti, table in enumerate(part.tables):
                headers = [_header_key(h) for h in table.header]
                if want not in headers:
                    continue
                rank = 0 if sheet is None or table.name == sheet or table.name.endswith("/" + sheet) else 1
                loc = CellLoc(part.name, ti, row, headers.index(want))
                if row > len(table.rows):
                    continue
                if best is None or rank < best[0]:
                    best = (rank, loc)
        return best[1] if best else None

    def text_span(self, part_name: str | None, text: str, before: str, field_name: str) -> TextLoc | None:
        candidates: list[tuple[int, int, TextLoc]] = []
        want_before = _norm(before)
        for order, (part, si, segment_text, where) in enumerate(self._segments(part_name)):
            start = segment_text.find(text)
            while start >= 0:
                loc = TextLoc(part.name, si, start, start + len(text))
                if loc not in self.used:
                    context = _norm(segment_text[max(0, start - 80) : start])
                    match = _common_suffix(context, want_before) if want_before else 0
                    bonus = 1 if (where == "subject") == (field_name == "subject") else 0
                    candidates.append((-(match * 2 + bonus), order, loc))
                start = segment_text.find(text, start + 1)
        if not candidates:
            return None
        candidates.sort(key=lambda c: (c[0], c[1]))
        chosen = candidates[0][2]
        self.used.add(chosen)
        return chosen

    def _segments(self, part_name: str | None) -> Iterator[tuple[Part, int, str, str]]:
        for part in _parts_for(self.document, part_name):
            for si, segment in enumerate(part.segments):
                yield part, si, segment.text, segment.where

    def cells_with(self, text: str) -> list[CellLoc]:
        out = []
        for part in self.document.walk():
            for ti, table in enumerate(part.tables):
                for ri, row in enumerate(table.rows, start=1):
                    for ci, cell in enumerate(row):
                        if cell.strip() == text:
                            out.append(CellLoc(part.name, ti, ri, ci))
        return out

    def spans_of(self, text: str) -> list[TextLoc]:
        out = []
        for part, si, segment_text, _ in self._segments(None):
            start = segment_text.find(text)
            while start >= 0:
                out.append(TextLoc(part.name, si, start, start + len(text)))
                start = segment_text.find(text, start + 1)
        return out


def align_labels(document: Part, doc_labels: dict[str, Any]) -> tuple[list[Item], set[tuple[Any, ...]]]:
    """The document's labels placed in its extracted form, and its unscored (part, table, column) triples."""
    aligner = Aligner(document)
    items: list[Item] = []
    for entity in doc_labels["entities"]:
        loc: Loc | None
        if entity.get("where") == "table":
            loc = aligner.table_cell(entity.get("part"), entity.get("sheet"), entity["column"], entity["row"])
        else:
            loc = aligner.text_span(
                entity.get("part"), entity["text"], entity.get("before", ""), entity.get("field", "body")
            )
        items.append(Item(entity["type"], loc, entity["text"], entity.get("where", "text")))
    unscored: set[tuple[Any, ...]] = set()
    for spec in doc_labels.get("unscored", []):
        for part in _parts_for(document, spec.get("part")):
            for ti, table in enumerate(part.tables):
                if spec.get("sheet") and table.name != spec["sheet"] and not table.name.endswith("/" + spec["sheet"]):
                    continue
                headers = [_header_key(h) for h in table.header]
                if _header_key(spec["column"]) in headers:
                    column = headers.index(_header_key(spec["column"]))
                    if "row" in spec:
                        unscored.add((part.name, ti, column, spec["row"]))
                    else:
                        unscored.add((part.name, ti, column))
    return items, unscored


def _same_place(place: Loc, loc: Loc | None) -> bool:
    if isinstance(place, CellLoc):
        return loc == place
    return isinstance(loc, TextLoc) and _overlaps(place, loc)


def negatives_flagged(document: Part, doc_labels: dict[str, Any], predictions: list[Item]) -> list[dict[str, Any]]:
    """For each look-alike of the document: was it reported as the type it imitates?"""
    aligner = Aligner(document)
    out = []
    for neg in doc_labels.get("negatives", []):
        places: list[Loc] = [*aligner.spans_of(neg["text"]), *aligner.cells_with(neg["text"])]
        flagged = any(_same_place(place, p.loc) for p in predictions if p.type == neg["type"] for place in places)
        out.append({"type": neg["type"], "why": neg["why"], "found_in_text": bool(places), "flagged": flagged})
    return out
