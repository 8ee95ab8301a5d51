"""Street address lines."""

from __future__ import annotations

from detectors.uk.street_address import StreetAddressDetector


def test_context_raises_the_score() -> None:
    r = StreetAddressDetector()
    assert r.analyze("seen at 3 Church Lane", None)[0].score == 0.6
    assert r.analyze("lives at 3 Church Lane", None)[0].score == 0.85


def test_trailing_full_stop_not_included() -> None:
    text = "He lives at 4 Mill Rd."
    (r,) = StreetAddressDetector().analyze(text, None)
    assert text[r.start : r.end] == "4 Mill Rd"
