"""Finding register records in a document: hash look-ups, then the record-match rule.

A table row, or a window of text, matches a register record when it carries

* one *strong* identifier of that record (NINO, PNC ID, CRO, NHS number, driving
  licence, passport, personal e-mail, or a structured staff / nominal number), or
* at least two distinct attributes of that record, at least one of them not
  public-facing. Surname and forename together make one attribute, the name;
  either alone is none. The name, the collar number and the work e-mail and
  phone are what an officer shows the public, so an e-mail signature
  ("PC 1234 Jane Doe") never matches on its own, while a name with a date of
  birth, a postcode or a staff number does.

So a common surname, or any single common value, never matches. Every cell or
text span that contributed to a matched record is reported, so redaction can
remove exactly those values.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gateway.content.model import Part, Table
from gateway.detect.edm.fields import FORENAME, SURNAME, field_of, is_decisive, is_strong
from gateway.detect.edm.normalise import (
    NAME_PARTICLES,
    NUMERIC_DATE,
    TEXT_DATE,
    WORD_RE,
    address_forms,
    fold_collar,
    fold_cro,
    fold_digits,
    fold_email,
    fold_id,
    fold_name,
    fold_phone,
    fold_pnc,
    fold_value,
    name_tokens,
    parse_date,
)
from gateway.detect.edm.store import KINDS, RegisterIndex
from gateway.detect.model import Finding

# Text hits further apart than this many characters are not taken to describe one record.
TEXT_WINDOW = 400
_CELL_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class _Value:
    """The register entries of one normalised value: record -> field codes."""

    by_record: dict[int, tuple[int, ...]]
    decisive: frozenset[int]


@dataclass
class _Candidate:
    """Evidence gathered for one register record."""

    fields: dict[int, set[int]] = field(default_factory=dict)  # field code -> positions
    strong: bool = False

    def add(self, code: int, position: int) -> None:
        self.strong = self.strong or is_strong(code)
        self.fields.setdefault(field_of(code).code, set()).add(position)

    def matches(self) -> bool:
        if self.strong:
            return True
        attributes = 1 if SURNAME in self.fields and FORENAME in self.fields else 0
        private = False
        for code in self.fields:
            if code not in (SURNAME, FORENAME):
                attributes += 1
                private = private or is_decisive(code)
        return attributes >= 2 and private

    def positions(self) -> set[int]:
        return {p for positions in self.fields.values() for p in positions}


class EdmIndex:
    """The registers built for one gateway; `match` reports the register records found in a document."""

    def __init__(self, registers: list[RegisterIndex]) -> None:
        self.registers = registers

    @classmethod
    def load(cls, edm_dir: Path) -> EdmIndex | None:
        """Load every register built under `edm_dir`; None when none has been built.

        Raises EdmError when an index exists but cannot be used (key missing or
        not its own, file corrupt): the caller must not carry on as if there were none.
        """
        registers = []
        for kind in KINDS:
            index_file = Path(edm_dir) / f"{kind}.edm"
            if index_file.exists():
                registers.append(RegisterIndex.read(index_file, Path(edm_dir) / f"{kind}.key"))
        return cls(registers) if registers else None

    def match(self, document: Part) -> list[Finding]:
        """One finding per cell or text span that belongs to a matched register record."""
        findings: list[Finding] = []
        lookups = [_Lookup(register) for register in self.registers]
        for part in document.walk():
            if part.uninspectable:
                continue
            for lookup in lookups:
                for si, segment in enumerate(part.segments):
                    findings.extend(_match_text(lookup, part, si, segment.text, segment.where))
                for ti, table in enumerate(part.tables):
                    findings.extend(_match_table(lookup, part, ti, table))
        return findings


def _match_table(lookup: _Lookup, part: Part, ti: int, table: Table) -> Iterator[Finding]:
    entity_type = lookup.register.entity_type
    location = part.table_part_name(ti)
    for ri, row in enumerate(table.rows):
        cells = [lookup.cell(cell) for cell in row]
        candidates: set[int] = set()
        for values in cells:
            for value in values:
                candidates.update(value.decisive)
        if not candidates:
            continue
        matched: set[int] = set()
        for record in candidates:
            candidate = _Candidate()
            for ci, values in enumerate(cells):
                for value in values:
                    for code in value.by_record.get(record, ()):
                        candidate.add(code, ci)
            if candidate.matches():
                matched.update(candidate.positions())
        for ci in sorted(matched):
            header = table.header[ci] if ci < len(table.header) else f"column {ci + 1}"
            where = "hidden-sheet" if table.hidden else "hidden-column" if ci in table.hidden_columns else "body"
            yield Finding(
                entity_type=entity_type,
                score=1.0,
                part=location,
                part_name=part.name,
                text=row[ci],
                table=ti,
                column=header,
                column_index=ci,
                row=ri + 1,
                where=where,
            )


def _match_text(lookup: _Lookup, part: Part, si: int, text: str, where: str) -> Iterator[Finding]:
    hits = lookup.text(text)
    if not hits:
        return
    starts = [start for start, _, _ in hits]
    anchors: dict[int, list[int]] = {}
    for hi, (_, _, value) in enumerate(hits):
        for record in value.decisive:
            anchors.setdefault(record, []).append(hi)
    reported: set[int] = set()
    for record, anchor_hits in anchors.items():
        for anchor in anchor_hits:
            centre = starts[anchor]
            lo = bisect.bisect_left(starts, centre - TEXT_WINDOW)
            hi_end = bisect.bisect_right(starts, centre + TEXT_WINDOW)
            candidate = _Candidate()
            used = []
            for hi in range(lo, hi_end):
                codes = hits[hi][2].by_record.get(record)
                if codes:
                    for code in codes:
                        candidate.add(code, starts[hi])
                    used.append(hi)
            if candidate.matches():
                reported.update(used)
    for hi in sorted(reported):
        start, end, _ = hits[hi]
        yield Finding(
            entity_type=lookup.register.entity_type,
            score=1.0,
            part=part.name,
            part_name=part.name,
            text=text[start:end],
            start=start,
            end=end,
            segment=si,
            where=where,
        )


class _Lookup:
    """Per-document cache: each distinct cell, token or value is normalised and hashed once."""

    def __init__(self, register: RegisterIndex) -> None:
        self.register = register
        self._values: dict[tuple[str, str], _Value | None] = {}
        self._cells: dict[str, tuple[_Value, ...]] = {}

    def value(self, family: str, folded: str) -> _Value | None:
        key = (family, folded)
        if key in self._values:
            return self._values[key]
        entries = self.register.lookup(family, folded)
        found = None
        if entries:
            by_record: dict[int, list[int]] = {}
            for entry in entries:
                by_record.setdefault(entry >> 8, []).append(entry & 0xFF)
            found = _Value(
                {r: tuple(c) for r, c in by_record.items()},
                frozenset(r for r, codes in by_record.items() if any(is_decisive(c) for c in codes)),
            )
        self._values[key] = found
        return found

    def cell(self, cell: str) -> tuple[_Value, ...]:
        cached = self._cells.get(cell)
        if cached is not None:
            return cached
        values = tuple(v for family, folded in cell_forms(cell) if (v := self.value(family, folded)) is not None)
        if len(self._cells) < _CELL_CACHE_LIMIT:
            self._cells[cell] = values
        return values

    def text(self, text: str) -> list[tuple[int, int, _Value]]:
        """Every register value in free text as (start, end, value), ordered by position."""
        found: dict[tuple[int, int], _Value] = {}
        for start, end, family, folded in text_forms(text):
            value = self.value(family, folded)
            if value is None:
                continue
            span = (start, end)
            if span in found:
                merged = dict(found[span].by_record)
                for record, codes in value.by_record.items():
                    merged[record] = merged.get(record, ()) + codes
                value = _Value(merged, found[span].decisive | value.decisive)
            found[span] = value
        return [(start, end, value) for (start, end), value in sorted(found.items())]


def cell_forms(cell: str) -> list[tuple[str, str]]:
    """Every (family, normalised value) a table cell might hold.

    Only the families the cell's shape allows are tried, so a 50,000-cell sheet
    costs a few hash computations per cell.
    """
    text = cell.strip()
    if not text or len(text) > 2000:
        return []
    if "@" in text:
        folded = fold_email(text)
        if folded:
            return [("email", folded)]
    forms: list[tuple[str, str]] = []
    has_digit = any(ch.isdigit() for ch in text)
    if has_digit:
        when = parse_date(text)
        if when is not None:
            return [("date", when.isoformat())]
        compact = fold_id(text)
        if len(compact) >= 2:
            forms.append(("id", compact))
        has_alpha = any(ch.isalpha() for ch in compact)
        if "/" in compact or (has_alpha and compact[-1].isalpha() and compact[:-1].isdigit()):
            for family, fold in (("pnc", fold_pnc), ("cro", fold_cro)):
                folded = fold(compact)
                if folded:
                    forms.append((family, folded))
        if len(compact) <= 12:
            folded = fold_collar(text)
            if folded:
                forms.append(("collar", folded))
        if has_alpha and " " in text:
            forms.extend(("address", folded) for folded in address_forms(text))
        elif not has_alpha:
            digits = fold_digits(text)
            if len(digits) >= 6:
                forms.append(("digits", digits))
            folded = fold_phone(text)
            if folded:
                forms.append(("phone", folded))
        if not has_alpha or len(text) <= 40:
            return forms
    tokens = name_tokens(text) if len(text) <= 200 else []
    for i, token in enumerate(tokens):
        forms.append(("name", token))
        if i + 1 < len(tokens):
            forms.append(("name", token + tokens[i + 1]))
            if i + 2 < len(tokens):
                forms.append(("name", token + tokens[i + 1] + tokens[i + 2]))
    if len(tokens) > 1:
        forms.extend(("address", folded) for folded in address_forms(text))
    return forms


# Candidate values in free text: (pattern, families to try on each match).
_TEXT_PATTERNS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I), ("id",)),
    (re.compile(r"\b(?:\d{4}/\d{1,7}|\d{2}/\d{1,7}|\d{11})[A-Z]\b", re.I), ("pnc",)),
    (re.compile(r"\b(?:SF\d{2}/\d{1,6}|\d{1,6}/\d{2})[A-Z]\b", re.I), ("cro",)),
    (re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b"), ("digits", "phone")),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", re.I), ("id",)),
    (re.compile(r"\b[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z]{2}\b", re.I), ("id",)),
    (re.compile(r"\b(?=[A-Z/\-]*\d)(?=[\d/\-]*[A-Z])[A-Z\d][A-Z\d/\-]{3,18}[A-Z\d]\b", re.I), ("id",)),
    (re.compile(r"\b\d{5,12}\b"), ("id", "digits")),
    (re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|0)\d[\d \-]{8,12}\d\b"), ("phone",)),
    (re.compile(r"[\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+"), ("email",)),
    (re.compile(r"\b(?:PCSO|PC|DC|PS|DS|SC|Sgt|Insp)\.? ?\d{1,5}\b"), ("collar",)),
    (re.compile(r"(?<![\d/.\-])" + NUMERIC_DATE.pattern + r"(?![\d/\-])"), ("date",)),
    (re.compile(r"\b" + TEXT_DATE.pattern + r"\b"), ("date",)),
    (
        re.compile(
            r"\b\d{1,4}[A-Za-z]? (?:[A-Z][\w']+ ){1,4}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|"
            r"Close|Cl|Court|Ct|Crescent|Cres|Gardens|Gdns|Place|Pl|Square|Sq|Terrace|Way|Grove|Walk|Hill|"
            r"Row|Mews|Park|Rise|View|Green|Parade|Wharf)\b"
        ),
        ("address",),
    ),
)


def text_forms(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, family, normalised value) for every value in free text worth looking up."""
    for pattern, families in _TEXT_PATTERNS:
        for m in pattern.finditer(text):
            for family in families:
                folded = fold_value(family, m.group(0))
                if folded:
                    yield m.start(), m.end(), family, folded
    for start, end in _name_spans(text):
        folded = fold_name(text[start:end])
        if folded:
            yield start, end, "name", folded


def _name_spans(text: str) -> Iterator[tuple[int, int]]:
    """Capitalised words, and runs of two or three (for "Van Der Berg" or "Smith Jones")."""
    words = list(WORD_RE.finditer(text))
    for i, first in enumerate(words):
        head = first.group(0)
        if head[0].isupper():
            yield first.start(), first.end()
        elif head.lower() not in NAME_PARTICLES:
            continue
        last = first
        for nxt in words[i + 1 : i + 3]:
            word = nxt.group(0)
            if text[last.end() : nxt.start()] not in (" ", "-"):
                break
            if not word[0].isupper() and word.lower() not in NAME_PARTICLES:
                break
            last = nxt
            if word[0].isupper():
                yield first.start(), nxt.end()
