"""PNC ID: forms, scores and look-alikes beyond the CASES table."""

from __future__ import annotations

import pytest

from detectors.uk.pnc import UkPncDetector


@pytest.fixture(scope="module")
def recognizer() -> UkPncDetector:
    return UkPncDetector()


def _found(recognizer: UkPncDetector, text: str) -> list[tuple[str, float]]:
    return [(text[r.start : r.end], r.score) for r in recognizer.analyze(text, ["UK_PNC_ID"])]


def test_score_ladder(recognizer: UkPncDetector) -> None:
    assert _found(recognizer, "1979/0163001B") == [("1979/0163001B", 0.95)]
    assert _found(recognizer, "PNC 1979/0163001B") == [("1979/0163001B", 1.0)]
    assert _found(recognizer, "81/34U") == [("81/34U", 0.4)]  # short: chance match 1 in 23
    assert _found(recognizer, "20020073319Z") == [("20020073319Z", 0.9)]


def test_every_wrong_check_letter_is_refused(recognizer: UkPncDetector) -> None:
    for letter in "ABCDEFGHJKLMNPQRTUVWXY":
        if letter != "B":
            assert not _found(recognizer, f"PNC 1979/0163001{letter}")


def test_court_case_reference_and_other_recognizers_entities(recognizer: UkPncDetector) -> None:
    assert not _found(recognizer, "PNC 97/1626/008395Q")
    assert recognizer.analyze("PNC 1979/0163001B", ["UK_CRO"]) == []


def test_metadata_marks_validation(recognizer: UkPncDetector) -> None:
    (result,) = recognizer.analyze("PNC 79/163001B", ["UK_PNC_ID"])
    assert result.analysis_explanation.validation_result is True
    assert result.recognition_metadata["is_score_enhanced_by_context"] is True
