"""Personal data the sender probably cannot see: hidden sheets, columns and rows.

A hidden worksheet listing every officer is how one force published its whole
workforce in answer to an FOI request; hidden raw data under aggregate tables
is how another did. Whoever sent such a file almost certainly did not mean to,
so personal data in hidden content that would still leave is held for a
reviewer, under an agreement or not, even when the agreement allows its
categories. Hidden columns that redaction removes anyway do not count: they
never leave.

Derived tables (`FieldInfo.derived`: pivot caches, hidden copies of data a
workbook shows elsewhere) are rebuilt or dropped by the writer with the sheet
they summarise, so they are judged with that sheet, not here.
"""

from __future__ import annotations

from gateway.detect.model import Detection
from gateway.policy.verdict import Action, Reason
from gateway.policy.wording import plural, quoted

NOT_PERSONAL = frozenset({"NON_PERSONAL", "FREE_TEXT", "PROTECTIVE_MARKING"})
HIDDEN_WHERE = {"hidden-sheet": "hidden sheet", "hidden-column": "hidden column", "hidden-row": "hidden row"}
ColumnKey = tuple[str, int, int]


def hidden_reasons(detection: Detection, removed: frozenset[ColumnKey] = frozenset()) -> list[Reason]:
    """One quarantine reason naming where hidden personal data sits, or nothing.

    `removed` are the (part name, table, column index) keys redaction cuts.
    """
    places: dict[str, None] = {}
    derived = {(f.part_name, f.table) for f in detection.fields if f.derived}
    for field in detection.fields:
        key = (field.part_name, field.table, field.column_index)
        if field.hidden and not field.derived and field.category not in NOT_PERSONAL and key not in removed:
            places[field.part] = None
    rows = 0
    for finding in detection.findings:
        if finding.where not in HIDDEN_WHERE or finding.entity_type in NOT_PERSONAL \
                or (finding.part_name, finding.table) in derived:
            continue
        if finding.table is not None and (finding.part_name, finding.table, finding.column_index) in removed:
            continue
        places[finding.part] = None
        rows += finding.where == "hidden-row"
    if not places:
        return []
    extra = f", including {plural(rows, 'value')} in hidden rows" if rows else ""
    return [
        Reason(
            Action.QUARANTINE,
            f"Personal data is in hidden content the sender may not know is there ({quoted(list(places))}"
            f"{extra}); hidden sheets, columns and rows are how whole workforces have been published by "
            "mistake, so it is held for a reviewer.",
            "hidden-content",
        )
    ]
