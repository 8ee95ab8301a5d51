"""The trie-built phrase matcher."""

from __future__ import annotations

from detectors.terms import TermMatcher, trie_pattern


def test_longest_phrase_wins_and_words_are_whole() -> None:
    m = TermMatcher(["white", "white male", "gay"])
    text = "A White Male and whiteboard, gayety"
    assert [text[x.start() : x.end()] for x in m.finditer(text)] == ["White Male"]


def test_spelling_is_relaxed() -> None:
    m = TermMatcher(["self-harm", "asperger's", "same-sex partner"])
    text = "self harm, selfharm, Aspergers, Asperger’s, same sex partner"
    found = [text[x.start() : x.end()] for x in m.finditer(text)]
    assert found == ["self harm", "selfharm", "Aspergers", "Asperger’s", "same sex partner"]


def test_fullmatch_and_empty() -> None:
    assert TermMatcher(["Police Federation"]).fullmatch("  police federation ")
    assert not TermMatcher([]).fullmatch("x")
    assert list(TermMatcher([]).finditer("x")) == []
    assert trie_pattern([]) == ""
