"""Collar numbers: rank prefixes, labels and IT veto."""

from __future__ import annotations

from detectors.uk.collar_number import PoliceCollarNumberDetector


def test_surname_after_counts_as_context() -> None:
    (r,) = PoliceCollarNumberDetector().analyze("Thanks, PC 1234 Smith", None)
    assert r.score == 0.75


def test_label_reports_just_the_number() -> None:
    text = "Collar number: 4521"
    (r,) = PoliceCollarNumberDetector().analyze(text, None)
    assert text[r.start : r.end] == "4521" and r.score == 0.85


def test_it_context_vetoes_even_with_policing_words() -> None:
    assert PoliceCollarNumberDetector().analyze("police IT asset PC 1234 laptop", None) == []


def _scores(text: str) -> dict[str, float]:
    return {text[r.start : r.end]: r.score for r in PoliceCollarNumberDetector().analyze(text, None)}


def test_unambiguous_rank_is_reported_alone_and_stronger_with_evidence() -> None:
    assert _scores("Thanks to DS 39 for the quick turnaround") == {"DS 39": 0.6}
    assert _scores("Thanks to DS 39 for the arrest") == {"DS 39": 0.85}
    assert _scores("DS 39 Patel") == {"DS 39": 0.85}


def test_pc_needs_evidence() -> None:
    assert _scores("Ask PC 1234 to call") == {"PC 1234": 0.4}
    assert _scores("Ask PC 1234 to call the custody sergeant") == {"PC 1234": 0.75}
    assert _scores("Jo Bloggs\nPC 1234\n") == {"PC 1234": 0.75}


def test_ps_is_a_postscript_only_where_a_postscript_can_start() -> None:
    assert _scores("Regards\nPS 12 more chairs are needed") == {"PS 12": 0.4}
    assert _scores("The file went to PS 1203 on Monday") == {"PS 1203": 0.6}
