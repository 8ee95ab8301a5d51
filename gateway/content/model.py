"""The format-neutral view of a transfer that every later stage works on.

Readers turn bytes into a tree of `Part`s; detection looks only at the
`Segment`s and `Table`s in that tree; redaction hands a `RedactionPlan` back to
the same format module that read the part, which rewrites the original bytes.
Nothing here knows about personal data or agreements.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Segment:
    """A run of text as the reader found it.

    `where` says where in the file it came from (body, header, footer, comment,
    tracked-change, property:author, subject, hidden-sheet...) so a reviewer can
    be told that a match sat in a comment or a hidden sheet.
    """

    text: str
    where: str = "body"


@dataclass
class Table:
    """Rows of cells with a header row, as strings.

    `name` is the sheet name, or "table N" for tables inside a document. Row
    numbers reported to reviewers are 1-based data rows (the header is row 0).
    Hidden sheets, rows and columns are kept: hidden content is content.
    """

    name: str
    header: list[str]
    rows: list[list[str]]
    hidden: bool = False
    hidden_columns: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)
    # A copy the file keeps of data it shows elsewhere (an XLSX pivot cache): its
    # content is inspected, but it is not a separate table of records.
    derived: bool = False

    def column(self, index: int) -> list[str]:
        """All data values of one column (missing cells read as "")."""
        return [row[index] if index < len(row) else "" for row in self.rows]


@dataclass
class Part:
    """One inspectable unit: a file, an archive member, an e-mail body or attachment.

    `name` is the display path from the root ("bundle.zip/staff.xlsx"), used in
    findings and reasons. `data` holds this part's original bytes so it can be
    rewritten after redaction. `meta` carries what the part's writer needs to
    reproduce the original faithfully (encoding, delimiter, BOM, MIME headers...).
    `uninspectable` is set, with a reason, when the part could not be read
    (encrypted, malformed, over a limit): policy never treats that as clean.
    """

    name: str
    kind: str
    data: bytes = b""
    segments: list[Segment] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    children: list[Part] = field(default_factory=list)
    uninspectable: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def walk(self) -> Iterator[Part]:
        """This part and every descendant, depth first, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()

    def table_part_name(self, table_index: int) -> str:
        """The location name of a table, e.g. "staff.xlsx/Sheet1"."""
        return f"{self.name}/{self.tables[table_index].name}"


@dataclass(frozen=True)
class Span:
    """A character range of one segment to replace with `[REDACTED:label]`."""

    start: int
    end: int
    label: str


@dataclass
class PartRedaction:
    """What to remove from one part: whole columns of its tables, spans of its segments."""

    drop_columns: dict[int, set[int]] = field(default_factory=dict)
    spans: dict[int, list[Span]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not any(self.drop_columns.values()) and not any(self.spans.values())


@dataclass
class RedactionPlan:
    """Redactions keyed by `Part.name`. Parts not named are written back unchanged."""

    parts: dict[str, PartRedaction] = field(default_factory=dict)

    def for_part(self, name: str) -> PartRedaction | None:
        found = self.parts.get(name)
        return found if found is not None and not found.is_empty() else None

    def touches(self, part: Part) -> bool:
        """True if this part or any part below it has something to redact."""
        return any(self.for_part(p.name) is not None for p in part.walk())


class NotRedactable(Exception):
    """The format cannot be rewritten safely (e.g. PDF); the caller must hold instead."""


class ContentError(Exception):
    """A part could not be read; the message names the problem without quoting content."""
