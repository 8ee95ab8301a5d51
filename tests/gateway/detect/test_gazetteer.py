from __future__ import annotations

import pytest

from gateway.detect import gazetteer


@pytest.mark.parametrize("word", ["John", "sarah", "Mohammed", "Wojciech", "Chinedu"])
def test_common_given_names_are_forenames(word: str) -> None:
    assert gazetteer.is_forename(word)


@pytest.mark.parametrize("word", ["Station", "Report", "Smith", "Focus"])
def test_other_words_are_not_forenames(word: str) -> None:
    assert not gazetteer.is_forename(word)


@pytest.mark.parametrize("word", ["Mr", "Mrs.", "DS", "Insp", "PCSO"])
def test_titles_and_ranks(word: str) -> None:
    assert gazetteer.is_title(word)


@pytest.mark.parametrize("word", ["DOB", "PNC", "Witness", "Analyst", "Police", "Inquiry", "Focus"])
def test_labels_roles_and_organisations_are_not_names(word: str) -> None:
    assert gazetteer.is_non_name_word(word)


def test_street_suffixes_that_are_also_surnames_are_not_strict() -> None:
    assert gazetteer.is_street_suffix("Green")
    assert not gazetteer.is_street_suffix("Green", strict=True)
    assert gazetteer.is_street_suffix("Road", strict=True)
