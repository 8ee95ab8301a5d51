"""From a sheet of cells to a `Table`: which row is the header, which columns exist.

Spreadsheets (XLSX, XLS, ODS) all arrive as sparse cells. Real exports often
carry a title or a date line above the header row, leave blank columns, or put
a single cell far to the right; this module decides the header row the same
way for every spreadsheet format and keeps only columns that hold something,
remembering which sheet column each table column came from so a writer can
delete the right one.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from gateway.content.model import Table

# The header is looked for among the first rows only: a header lower than this
# is rare, and a data row that happens to be mostly text must not be taken.
MAX_HEADER_SEARCH = 10

Rows = list[tuple[int, dict[int, str]]]


def format_number(x: float) -> str:
    """A number as a person reads it: 42 not 42.0, 0.3 not 0.30000000000000004."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e16:
        return str(int(x))
    return f"{x:.15g}"


def is_numeric(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def col_letter(index: int) -> str:
    """1 -> A, 27 -> AA (the way spreadsheets name columns)."""
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    """A -> 1, AA -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def header_index(rows: Rows) -> int:
    """Which of the first rows is the header: title rows above it are skipped.

    The header is the first row that is about as wide as the rows below it and
    mostly text. A one-cell title ("Staff list, March 2013") above an
    eleven-column header is not a header; a narrow two-column sheet's first row is.
    """
    counts = [len(values) for _, values in rows[: MAX_HEADER_SEARCH + 30]]
    for i in range(min(MAX_HEADER_SEARCH, len(rows))):
        following = counts[i + 1 : i + 21]
        typical = statistics.median(following) if following else counts[i]
        need = max(2 if typical >= 2 else 1, math.ceil(typical * 0.5))
        values = list(rows[i][1].values())
        texty = sum(1 for v in values if not is_numeric(v))
        if counts[i] >= need and texty >= 0.6 * counts[i]:
            return i
    return 0


@dataclass
class SheetTable:
    """A sheet laid out as a table, with the map back to sheet coordinates."""

    table: Table
    columns: list[int]  # sheet column number of each table column
    header_row: int
    row_numbers: list[int]  # sheet row number of each data row
    title_cells: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, text) above the header


def build_table(
    name: str,
    rows: Rows,
    *,
    hidden: bool,
    column_hidden: Callable[[int], bool],
    hidden_rows: set[int],
) -> SheetTable | None:
    """Lay out non-empty `rows` ((sheet row, {sheet column: text}), in order) as a table."""
    if not rows:
        return None
    h = header_index(rows)
    titles = [(row_no, col, text) for row_no, values in rows[:h] for col, text in sorted(values.items())]
    body = rows[h:]
    columns = sorted({c for _, values in body for c in values})
    header_row, header_values = body[0]
    header = [header_values.get(c) or f"column {col_letter(c)}" for c in columns]
    data = body[1:]
    table = Table(
        name=name,
        header=header,
        rows=[[values.get(c, "") for c in columns] for _, values in data],
        hidden=hidden,
        hidden_columns={i for i, c in enumerate(columns) if column_hidden(c)},
        hidden_rows={i for i, (row_no, _) in enumerate(data) if row_no in hidden_rows},
    )
    return SheetTable(table, columns, header_row, [row_no for row_no, _ in data], titles)
