"""Ground truth: what each generated document contains, and where.

Prose is composed with `Prose`, which records the exact character span of every
labelled value as the text is written, so labels can never drift from the text.
Tables carry one label per labelled cell (sheet, column header, 1-based data
row). `labels.jsonl` holds one `DocLabels` per line.

Locations are given in the document's own text (`start`/`end` in the part's
text as written, plus the 24 characters before the value); the scorer finds the
value in whatever segments the gateway's reader produces, using that context
to pick the right occurrence, so labels do not depend on how a reader splits a
file into segments.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CONTEXT_CHARS = 24


@dataclass
class Entity:
    type: str
    text: str
    part: str | None = None  # an e-mail attachment's file name; None = the document itself
    where: str = "text"  # "text" or "table"
    field: str = "body"  # text: body / subject / header / footer
    start: int | None = None
    end: int | None = None
    before: str | None = None
    sheet: str | None = None
    column: str | None = None
    row: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Negative:
    """A look-alike that must not be reported as `type` (uk-reference section 6.7)."""

    type: str
    text: str
    why: str
    part: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class DocLabels:
    doc: str  # path relative to the set's folder
    category: str
    clean: bool  # no personal data at all: must never be quarantined or blocked
    entities: list[Entity] = field(default_factory=list)
    negatives: list[Negative] = field(default_factory=list)
    # Table columns (or single cells, with "row") that are not scored: ambiguous types such as
    # staff or custody numbers, or "Prefer not to say" in a religion column.
    unscored: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "category": self.category,
            "clean": self.clean,
            "entities": [e.to_json() for e in self.entities],
            "negatives": [n.to_json() for n in self.negatives],
            "unscored": self.unscored,
            "notes": self.notes,
        }


class Prose:
    """Builds a text and its labels together: `add("Born ")`, `add("12/03/1980", "DATE_OF_BIRTH")`."""

    def __init__(self, field_name: str = "body", part: str | None = None) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[Entity] = []
        self.negatives: list[Negative] = []
        self.field = field_name
        self.part = part

    def add(self, text: str, label: str | None = None) -> Prose:
        if label is not None:
            before = self.text()[-CONTEXT_CHARS:]
            self.entities.append(
                Entity(
                    type=label,
                    text=text,
                    part=self.part,
                    field=self.field,
                    start=self.length,
                    end=self.length + len(text),
                    before=before,
                )
            )
        self.parts.append(text)
        self.length += len(text)
        return self

    def neg(self, text: str, label: str, why: str) -> Prose:
        """Write a look-alike and record it as a negative for `label`."""
        self.negatives.append(Negative(label, text, why, self.part))
        return self.add(text)

    def fill(self, template: str, values: dict[str, tuple[str, str | None]]) -> Prose:
        """Write `template`, replacing `{slot}` by `values[slot] = (text, label or None)`."""
        pos = 0
        while True:
            open_at = template.find("{", pos)
            if open_at < 0:
                self.add(template[pos:])
                return self
            close_at = template.index("}", open_at)
            self.add(template[pos:open_at])
            text, label = values[template[open_at + 1 : close_at]]
            self.add(text, label)
            pos = close_at + 1

    def text(self) -> str:
        return "".join(self.parts)


def table_entities(
    header: list[str],
    rows: list[list[str]],
    column_types: dict[str, str],
    sheet: str | None,
    part: str | None,
    overridden: set[tuple[int, int]] | None = None,
) -> list[Entity]:
    """One label per non-empty cell of each labelled column, except cells labelled one by one."""
    out: list[Entity] = []
    skip = overridden or set()
    for ci, name in enumerate(header):
        label = column_types.get(name)
        if label is None:
            continue
        for ri, row in enumerate(rows, start=1):
            value = row[ci] if ci < len(row) else ""
            if value.strip() and (ri, ci) not in skip:
                out.append(Entity(type=label, text=value, part=part, where="table", sheet=sheet, column=name, row=ri))
    return out
