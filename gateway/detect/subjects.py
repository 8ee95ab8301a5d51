"""How many distinct people a document is about, as best the gateway can tell.

Tables: one subject per row that carries a name or a personal identifier, rows
being the same person when they share an identifier (the visible sheet and the
hidden copy of a staff list count once), or, for rows without any identifier,
the same name and date of birth. Text: the number of distinct names, or of
distinct values of any one identifier type if that is larger (a letter naming
one person and quoting their NI number and NHS number is about one person, not
three); names and identifiers already counted from a table are not counted again.
A given name alone in text is not counted: "Hi Dave" is a greeting, not a
disclosure about Dave.
"""

from __future__ import annotations

from collections.abc import Iterable

from gateway.content.model import Table
from gateway.detect.columns import ColumnClass, is_null
from gateway.detect.gazetteer import is_forename
from gateway.detect.model import Finding
from gateway.detect.names import normalise_name

# Identifiers that single out one person, strongest first.
ID_TYPES: tuple[str, ...] = (
    "UK_NINO", "UK_NHS", "UK_PNC_ID", "UK_CRO", "UK_PASSPORT", "UK_DRIVING_LICENCE", "POLICE_COLLAR_NUMBER",
    "CUSTODY_REFERENCE", "EMAIL_ADDRESS", "STAFF_RECORD", "OFFENDER_RECORD",
)  # fmt: skip
TEXT_COUNTED = (*ID_TYPES, "DATE_OF_BIRTH")


def _id_key(entity: str, value: str) -> str:
    return f"{entity}:{''.join(value.split()).upper()}"


class _DisjointSet:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, keys: list[str]) -> None:
        roots = [self.find(k) for k in keys]
        for root in roots[1:]:
            self.parent[root] = roots[0]

    def components(self) -> int:
        return len({self.find(k) for k in self.parent})


class SubjectCounter:
    """Accumulates the rows and texts of one document, then counts distinct people."""

    def __init__(self) -> None:
        self._rows = _DisjointSet()
        self._table_names: set[str] = set()
        self._table_ids: set[str] = set()
        self._text_names: set[str] = set()
        self._text_ids: dict[str, set[str]] = {}

    def add_table(self, table: Table, classes: list[ColumnClass]) -> None:
        """Count the rows of ``table`` that carry a name or an identifier."""
        id_cols = sorted(
            (i for i, c in enumerate(classes) if c.category in ID_TYPES),
            key=lambda i: ID_TYPES.index(classes[i].category),
        )
        name_cols = [i for i, c in enumerate(classes) if c.category == "PERSON"]
        dob_cols = [i for i, c in enumerate(classes) if c.category == "DATE_OF_BIRTH"]
        if not id_cols and not name_cols:
            return
        for row in table.rows:
            ids = [_id_key(classes[i].category, _cell(row, i)) for i in id_cols if _present(row, i)]
            name = normalise_name(" ".join(_cell(row, i) for i in name_cols if _present(row, i)))
            if name:
                self._table_names.add(name)
            if ids:
                self._table_ids.update(ids)
                # Only the strongest identifier keys the row: a row may also carry someone
                # else's (the arresting officer's collar number), and weak ones repeat.
                self._rows.union(ids[:1])
            elif name:
                dob = " ".join(_cell(row, i).strip() for i in dob_cols if _present(row, i))
                self._rows.union([f"name:{name}|{dob}"])

    def add_findings(self, findings: Iterable[Finding]) -> None:
        """Count names and identifiers found in text (segments and free-text cells)."""
        for finding in findings:
            if finding.entity_type == "PERSON":
                name = normalise_name(finding.text)
                if name:
                    self._text_names.add(name)
            elif finding.entity_type in TEXT_COUNTED:
                self._text_ids.setdefault(finding.entity_type, set()).add(_id_key(finding.entity_type, finding.text))

    def count(self) -> int:
        """Distinct people across all tables and texts added."""
        names = self._text_names - self._table_names
        # A surname mentioned alone ("Mr Patel") is not a new person if a full name contains it,
        # and a given name alone ("Hi Dave") is the greeting of almost every e-mail, not enough
        # to single anyone out.
        known_words = {w for n in self._table_names | names for w in n.split() if len(n.split()) > 1}
        names = {n for n in names if len(n.split()) > 1 or (n not in known_words and not is_forename(n))}
        by_type = [len(values - self._table_ids) for values in self._text_ids.values()]
        return self._rows.components() + max([len(names), *by_type], default=0)


def _cell(row: list[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def _present(row: list[str], index: int) -> bool:
    value = _cell(row, index)
    return bool(value.strip()) and not is_null(value)
