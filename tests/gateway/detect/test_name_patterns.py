from __future__ import annotations

import pytest

from gateway.detect.name_patterns import NamePatternRecognizer


@pytest.fixture(scope="module")
def recognizer() -> NamePatternRecognizer:
    return NamePatternRecognizer()


# fmt: off
NAME_LAYOUTS_CASES = [
    ("Subject SMITH, John Paul (DOB 01/02/1980)", ["SMITH, John Paul"]),
    ("Mr Patel and Mrs O'Neill attended", ["Patel", "O'Neill"]),
    ("statement taken by DC 4521 Kowalski", ["Kowalski"]),
    ("Insp. J. Hughes authorised it", ["J. Hughes"]),
    ("Name: Amy Lowe", ["Amy Lowe"]),
    ("Victim - Tomasz Nowak", ["Tomasz Nowak"]),
    ("known as 'Dezzy', he was seen", ["Dezzy"]),
    ("Officers spoke to Joe Marsh outside", ["Joe Marsh"]),
    ("Sarah Louise Jenkins was present", ["Sarah Louise Jenkins"]),
    ("Subject John SMITH was arrested", ["John SMITH"]),
    ("NOWAK Tomasz was seen", ["NOWAK Tomasz"]),
    ("From: Harris, Paul\nTo: Evans, Claire; Okafor, David", ["Harris, Paul", "Evans, Claire", "Okafor, David"]),
    ("Hi Amara,\n\nPlease could you run checks on Siobhan Stacey Evans", ["Amara", "Siobhan Stacey Evans"]),
    ("Many thanks.\n\nKind regards,\n\nWei Denis McDonald\nDC 3043\nProfessional Standards", ["Wei Denis McDonald"]),
    ("Amara uses mobile number 07700 900994", ["Amara"]),
    ("When stopped, Connor produced a licence", ["Connor"]),
    ("CCTV shows Mr Wiśniewski striking him", ["Wiśniewski"]),  # letters beyond ASCII, never cut mid-word
    ("Dr Łukasz Żółkiewski attended", ["Łukasz Żółkiewski"]),
    ("Child: Ellie-Mae Gaskell     DOB 04.12.2019", ["Ellie-Mae Gaskell"]),  # referral and custody labels
    ("DP: Tyrone DELACROIX-MENSAH, born 30 June 2001", ["Tyrone DELACROIX-MENSAH"]),
    ("Parent/carer: Kayleigh Gaskell (mother)", ["Kayleigh Gaskell"]),
    ('SUBJECT 2: Kieran "Kez" ADEYEMI-HOLT, born 1996', ['Kieran "Kez" ADEYEMI-HOLT']),  # nickname inside
    # Negatives, each with its reason:
    ("Driver: Unknown male, Passenger: not known", []),   # a label followed by no name
    ("OFFICIAL-SENSITIVE, Personal data follows", []),   # marking then caveat, not SURNAME, Forename
    ("Name: Central Station", []),                        # organisation word after a label
    ("Mark the date and Grace period ends", []),          # given names that are everyday words
    ("closed on Grace Road today", []),                   # a street, not a person
    ("the Stephen Lawrence Inquiry report", []),          # an inquiry named after a person
    ("mr patel in lower case", []),                       # capitalisation is the evidence
    ("checked the PNC Record twice", []),                 # an acronym and a word, no given name
    ("CONFIDENTIAL John will call", []),                  # a marking, not a surname
    ("Location: Bristol, Central", []),                   # a place list, no given name
    ("Dear Sir or Madam,\nHi all,", []),                  # forms of address, not names
    ("Kind regards,\n\nFinance Department\nWessex Police", []),  # a team signs, not a person
    ("May we remind staff. Will the team confirm.", []),  # given names that are everyday words
]
# fmt: on


@pytest.mark.parametrize("text,expected", NAME_LAYOUTS_CASES)
def test_name_layouts(recognizer: NamePatternRecognizer, text: str, expected: list[str]) -> None:
    found = sorted({text[r.start : r.end] for r in recognizer.analyze(text, ["PERSON"])})
    assert found == sorted(expected)


def test_other_entities_requested_returns_nothing(recognizer: NamePatternRecognizer) -> None:
    assert recognizer.analyze("Mr Patel", ["UK_NINO"]) == []


def test_forename_pairs_can_be_switched_off() -> None:
    assert NamePatternRecognizer(with_forename_pairs=False).analyze("Sarah Jenkins was present", ["PERSON"]) == []
