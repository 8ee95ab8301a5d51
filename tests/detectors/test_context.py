"""Raw-text keyword context: phrases, boundaries, windows and headers."""

from __future__ import annotations

from detectors.context import ContextProbe, Keywords, normalise_header


def test_phrases_are_word_bounded_and_case_insensitive() -> None:
    kw = Keywords(["NI number", "PNC"])
    assert kw.search("his ni-number is") is not None
    assert kw.search("PNC_ID") is not None
    assert kw.search("pncid") is None  # not a whole word
    assert kw.search("Pnc numbers") is not None


def test_trailing_plural_is_accepted() -> None:
    assert Keywords(["passport"]).search("two passports") is not None


def test_empty_keywords_never_match() -> None:
    kw = Keywords([])
    assert not kw and kw.search("anything") is None and not kw.in_header("anything")


def test_header_normalisation() -> None:
    assert normalise_header("DateOfBirth") == "Date Of Birth"
    assert normalise_header("date_of_birth") == "date of birth"
    assert Keywords(["date of birth"]).in_header("DATE-OF-BIRTH")
    assert Keywords(["date of birth"]).in_header("dateOfBirth")


def test_window_before_and_after() -> None:
    text = "PNC " + "x" * 30 + " 79/163001B and later PNC"
    start = text.index("79/")
    end = start + len("79/163001B")
    kw = Keywords(["PNC"])
    assert ContextProbe(text, kw, before=40, after=0).near(start, end)
    assert not ContextProbe("PNC " + "x" * 60 + " 79/163001B", kw, before=40, after=0).near(66, 76)
    after = ContextProbe("79/163001B (PNC)", kw, before=0, after=5)
    assert after.near(0, 10)


def test_nearest_prefers_the_closest_keyword() -> None:
    text = "DOB x DOB 01/02/1980"
    probe = ContextProbe(text, Keywords(["DOB"]), before=30, after=0)
    assert probe.nearest(10, 20) == (6, 9)


def test_external_context_counts_everywhere() -> None:
    probe = ContextProbe("123456789", Keywords(["passport"]), 10, 10, external=True)
    assert probe.near(0, 9)
