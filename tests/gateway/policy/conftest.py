"""Builders for hand-made Detections: policy tests need no parser and no spaCy."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from gateway.detect.model import Detection, FieldInfo, Finding
from gateway.policy.agreements import Agreement
from gateway.policy.markings import OFFICIAL_MARKING
from gateway.policy.verdict import Action

TODAY = date(2026, 11, 21)


class DetectionBuilder:
    """Fluent construction of a Detection, one column or finding at a time."""

    def __init__(self) -> None:
        self.detection = Detection()
        self._next_index: dict[tuple[str, int], int] = defaultdict(int)

    def column(
        self, header: str, category: str, *, part: str = "staff.csv", table: int = 0, index: int | None = None
    ) -> DetectionBuilder:
        key = (part, table)
        if index is None:
            index = self._next_index[key]
        self._next_index[key] = max(self._next_index[key], index + 1)
        self.detection.fields.append(
            FieldInfo(
                part=part,
                part_name=part,
                table=table,
                column=header,
                column_index=index,
                category=category,
                confidence=0.9,
                values=10,
            )
        )
        return self

    def text(
        self,
        entity_type: str,
        start: int = 0,
        end: int = 9,
        *,
        part: str = "memo.txt",
        segment: int | None = 0,
        value: str = "SECRETVAL",
    ) -> DetectionBuilder:
        self.detection.findings.append(
            Finding(entity_type, 0.9, part, part, value, start=start, end=end, segment=segment)
        )
        return self

    def cell(
        self, entity_type: str, header: str, index: int, *, part: str = "staff.csv", table: int = 0, row: int = 1
    ) -> DetectionBuilder:
        self.detection.findings.append(
            Finding(
                entity_type,
                0.9,
                part,
                part,
                "CELLVALUE",
                table=table,
                column=header,
                column_index=index,
                row=row,
            )
        )
        return self

    def marking(self, text: str) -> DetectionBuilder:
        self.detection.markings.append(text)
        return self

    def uninspectable(self, part: str, reason: str) -> DetectionBuilder:
        self.detection.uninspectable.append((part, reason))
        return self

    def subjects(self, count: int) -> DetectionBuilder:
        self.detection.subjects = count
        return self


@pytest.fixture
def build() -> type[DetectionBuilder]:
    return DetectionBuilder


def make_agreement(**overrides: object) -> Agreement:
    """An agreement like the contract's example, in force on TODAY."""
    values: dict[str, object] = {
        "id": "g4s-support-services",
        "title": "Support services outsourcing business case",
        "owner": "Deputy Chief Constable (SIRO)",
        "valid_from": date(2026, 1, 1),
        "valid_until": date(2027, 6, 30),
        "destinations": ("*.g4s.com", "*@g4s.com"),
        "allowed_fields": frozenset({"PERSON", "JOB_TITLE", "RANK", "WORK_LOCATION", "PAY_GRADE"}),
        "required_fields": frozenset({"PERSON", "JOB_TITLE"}),
        "on_excess": Action.REDACT,
        "on_incomplete": Action.QUARANTINE,
        "special_category": Action.QUARANTINE,
        "max_marking": OFFICIAL_MARKING,
    }
    values.update(overrides)
    return Agreement(**values)  # type: ignore[arg-type]


@pytest.fixture
def agreement() -> Agreement:
    return make_agreement()


@pytest.fixture
def make() -> object:
    """`make(**overrides) -> Agreement`."""
    return make_agreement


@pytest.fixture
def today() -> date:
    return TODAY
