"""Runs every recognizer's CASES table: positives must be found, negatives must not fire.

"Fire" means a result at or above the gateway's reporting threshold for the
recognizer's own entity. Positives with a ``header`` run as table cells through
``analyze_value``. No spaCy model is loaded anywhere in these tests.
"""

from __future__ import annotations

import sys

import pytest

from detectors.base import REPORT_THRESHOLD, Negative, Positive, UkDetector
from detectors.registry import build_recognizers

RECOGNIZERS: list[UkDetector] = build_recognizers()  # type: ignore[assignment]


def _cases() -> list[tuple[UkDetector, Positive | Negative]]:
    out = []
    for recognizer in RECOGNIZERS:
        for case in sys.modules[type(recognizer).__module__].CASES:
            out.append((recognizer, case))
    return out


CASES = _cases()


def _id(item: tuple[UkDetector, Positive | Negative]) -> str:
    recognizer, case = item
    kind = "pos" if isinstance(case, Positive) else "neg"
    return f"{recognizer.name}-{kind}-{case.text[:40]}"


def _run(recognizer: UkDetector, case: Positive | Negative) -> list[tuple[str, float]]:
    if case.header is not None:
        results = recognizer.analyze_value(case.text, case.header)
    else:
        results = recognizer.analyze(case.text, [recognizer.ENTITY], None)
    return [
        (case.text[r.start : r.end], r.score)
        for r in results
        if r.entity_type == recognizer.ENTITY and r.score >= REPORT_THRESHOLD
    ]


@pytest.mark.parametrize("item", CASES, ids=[_id(c) for c in CASES])
def test_case(item: tuple[UkDetector, Positive | Negative]) -> None:
    recognizer, case = item
    found = _run(recognizer, case)
    if isinstance(case, Positive):
        assert case.match in [text for text, _ in found], f"expected {case.match!r}, got {found}"
    else:
        assert not found, f"must not fire ({case.reason}); got {found}"


def test_every_recognizer_has_positive_and_negative_cases() -> None:
    for recognizer in RECOGNIZERS:
        cases = sys.modules[type(recognizer).__module__].CASES
        assert any(isinstance(c, Positive) for c in cases), recognizer.name
        assert any(isinstance(c, Negative) and c.reason.strip() for c in cases), recognizer.name
