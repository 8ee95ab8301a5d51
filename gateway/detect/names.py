"""Telling real personal names from what the small spaCy model calls PERSON.

`en_core_web_sm` tags numbers, ALL-CAPS headings, field labels ("DOB", "PNC ID"),
job titles, force names and street names ("Mill Lane") as PERSON, and finds only
"John" in "SMITH, John". `refine_person_span` repairs or drops each NER span;
`NerPersonRecognizer` applies it inside presidio; `name_shape` scores a table
cell so that columns can be recognised as names by their values.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from gateway.detect import gazetteer

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_CAPS_BEFORE_COMMA = re.compile(r"([A-Z][A-Z'’\-]{1,}(?:[ \-][A-Z][A-Z'’\-]{1,})?),[ \t]*$")
_EDGE = " \t\r\n.,;:()[]{}<>\"'|/\\-–—*#"
_POSSESSIVE = re.compile(r"['’]s$")
_LEADING_NOISE = re.compile(r"^(?:\d{1,6}\s+)+")
# "St John('s Church)", "Saint Helens": a saint's name is a church, school, hospital or town.
_SAINT = re.compile(r"(?:St\.?|Saint)[ \t]+[A-Z]")
# "Operation Harewood", "Op Kestrel": police operation and exercise names are code words.
_CODENAME_BEFORE = re.compile(r"\b(?:Operation|Op|Exercise)\.?[ \t]+$", re.IGNORECASE)
_CODENAME = re.compile(r"(?:Operation|OPERATION|Op|OP|Exercise|EXERCISE)\.?[ \t]+[A-Z]")


def _is_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _line_of(text: str, start: int, end: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start : line_end if line_end != -1 else len(text)].strip()


def _strip_titles(text: str, start: int, end: int) -> tuple[int, int]:
    """Move ``start`` past leading honorifics, ranks and collar numbers ("PC 4321 Sarah Jones")."""
    while start < end:
        match = re.match(r"[A-Za-z.]+", text[start:end])
        if not match or not gazetteer.is_title(match.group()):
            noise = _LEADING_NOISE.match(text[start:end])
            if noise:
                start += noise.end()
                continue
            break
        start += match.end()
        while start < end and text[start] in " \t.":
            start += 1
    return start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    possessive = _POSSESSIVE.search(text[start:end])
    if possessive and end - start > 3:
        end -= 2
    return start, end


def _trim_label_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Move the span's start past label and role words ("Witness Gareth Davies", "Dear John")."""
    while True:
        first = _WORD.search(text, start, end)
        if first is None or not _is_label(first.group()) or gazetteer.is_org_word(first.group()):
            return start, end
        start, end = _trim(text, first.end(), end)


def _is_label(word: str) -> bool:
    return gazetteer.is_non_name_word(word) and not gazetteer.is_forename(word)


def _is_street(words: list[str]) -> bool:
    if len(words) < 2:
        return False
    return gazetteer.is_street_suffix(words[-1], strict=True) or (
        gazetteer.is_street_suffix(words[-1]) and not gazetteer.is_forename(words[0])
    )


def refine_person_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Repair an NER PERSON span of ``text`` or return None when it is not a person's name.

    Keeps "SMITH, John" (extending a span that only covered "John"), strips titles,
    ranks and labels from "Mr Patel" / "DS Kowalski" / "Witness Gareth Davies" so
    the name is what is reported, and drops spans with digits, organisation words
    inside them, street names and ALL-CAPS headings.
    """
    start, end = _trim(text, start, end)
    if (
        _SAINT.match(text, start, end)
        or _CODENAME.match(text, start, end)
        or _CODENAME_BEFORE.search(text, max(0, start - 20), start)
    ):
        return None
    untitled = start
    start, end = _strip_titles(text, start, end)
    titled = start > untitled  # "Mr Patel": the title vouches for a lone surname
    start, end = _trim(text, start, end)
    start, end = _trim_label_words(text, start, end)
    if end <= start:
        return None
    span = text[start:end]
    if any(c.isdigit() for c in span) or "@" in span or "\n" in span:
        return None
    words = _WORD.findall(span)
    if not words or any(_is_label(w) for w in words) or words[0][0].islower():
        return None
    if _is_street(words):
        return None
    before = _CAPS_BEFORE_COMMA.search(text, max(0, start - 40), start)
    if before and not gazetteer.is_non_name_word(before.group(1)):
        return before.start(1), end
    # An ALL-CAPS span standing alone on its line is a heading, not a name.
    if all(_is_caps(w) for w in words) and (
        _line_of(text, start, end) == span or (len(words) == 1 and not gazetteer.is_forename(words[0]))
    ):
        return None
    if len(words) == 1 and (len(words[0]) < 2 or (not titled and _is_place_or_common_word(text, start, end, words[0]))):
        return None
    if _is_heading(text, start, end, words):
        return None
    return start, end


_TOWN_BEFORE_POSTCODE = re.compile(r",?\s*[A-Z]{1,2}\d")
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)\W*$")


def _is_place_or_common_word(text: str, start: int, end: int, word: str) -> bool:
    """Whether a lone capitalised word the model called PERSON is better read as something else.

    A single word is weak evidence. Only a given name is kept, and not even that
    after a locative ("travelled to Chelsea") or before a postcode ("Romsey, PO1
    7JN"). A surname mentioned alone is recovered afterwards when the full name
    appears elsewhere in the text (`text.propagate_names`) or a title precedes it.
    """
    if not gazetteer.is_forename(word):
        return True
    previous = _PREVIOUS_WORD.search(text, max(0, start - 30), start)
    if previous is not None and previous.group(1).lower() in gazetteer.LOCATIVES:
        return True
    return _TOWN_BEFORE_POSTCODE.match(text, end) is not None


def _is_heading(text: str, start: int, end: int, words: list[str]) -> bool:
    """A span on a line of nothing but capitalised words, not starting with a given name ("Retention Schedule")."""
    line = _line_of(text, start, end)
    line_words = line.split()
    return (
        not gazetteer.is_forename(words[0])
        and 0 < len(line_words) <= 8
        and all(w[:1].isupper() or not w[:1].isalpha() for w in line_words)
    )


def promote_to_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A span the model called ORG or GPE that is really "Forename Surname" ("Bradley Jones").

    The small model often labels an unfamiliar two-word name as an organisation;
    it is taken as a person only when it is two or three capitalised words, the
    first a common given name, and none an organisation or label word.
    """
    span = refine_person_span(text, start, end)
    if span is None:
        return None
    words = _WORD.findall(text[span[0] : span[1]])
    if not 2 <= len(words) <= 3 or not all(w[0].isupper() and not _is_caps(w) for w in words):
        return None
    if not gazetteer.is_forename(words[0]) or any(gazetteer.is_org_word(w) for w in words):
        return None
    return span


class NerPersonRecognizer(SpacyRecognizer):
    """spaCy NER for PERSON: PERSON spans repaired or dropped, mislabelled names recovered."""

    NAME = "NerPersonRecognizer"
    PROMOTED_LABELS = frozenset({"ORG", "GPE", "NORP"})
    PROMOTED_SCORE = 0.7

    def __init__(self, ner_strength: float = 0.85) -> None:
        super().__init__(supported_entities=["PERSON"], ner_strength=ner_strength, name=self.NAME)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Presidio entry point: PERSON results from the NER spans in ``nlp_artifacts``."""
        if nlp_artifacts is None or (entities and "PERSON" not in entities):
            return []
        results: list[RecognizerResult] = []
        for ent, ner_score in zip(nlp_artifacts.entities, nlp_artifacts.scores, strict=True):
            if ent.label_ == "PERSON":
                span, score = refine_person_span(text, ent.start_char, ent.end_char), ner_score
            elif ent.label_ in self.PROMOTED_LABELS:
                span, score = promote_to_person(text, ent.start_char, ent.end_char), self.PROMOTED_SCORE
            else:
                continue
            if span is not None:
                results.append(self._result(span, score))
        return results

    def _result(self, span: tuple[int, int], score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type="PERSON",
            start=span[0],
            end=span[1],
            score=score,
            analysis_explanation=self.build_explanation(score, self.DEFAULT_EXPLANATION.format("PERSON")),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.NAME,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


# --- table cells -------------------------------------------------------------------------

_LAYOUT = re.compile(r"^[A-Z][A-Z'’\-]+(?:[ \-][A-Z][A-Z'’\-]+)?,\s*[A-Z][A-Za-z'’\-]+(?:\s+[A-Z][A-Za-z'’\-]+)*$")
_NAME_CHARS = re.compile(r"^[^\W\d_]+(?:['’\-. ]+[^\W\d_]+)*\.?$")


def name_shape(value: str) -> str | None:
    """How a table cell looks as a name.

    Returns "layout" for "SMITH, John", "forename" when a word is a common given
    name, "caps" for an ALL-CAPS single word (a surname column), "shaped" for 1-4
    capitalised words of letters, and None for anything else (digits, long text,
    lower-case words).
    """
    text = value.strip()
    if not text or len(text) > 60:
        return None
    if _LAYOUT.match(text):
        return "layout"
    if not _NAME_CHARS.match(text):
        return None
    words = [w for w in re.split(r"[\s.]+", text) if w]
    if not 1 <= len(words) <= 4:
        return None
    if not all(w[0].isupper() for w in words if len(w) > 1 or w.isalpha()):
        return None
    if any(gazetteer.is_non_name_word(w) and not gazetteer.is_forename(w) for w in words):
        return None
    if any(gazetteer.is_forename(w) for w in words):
        return "forename"
    if len(words) == 1 and _is_caps(words[0]):
        return "caps"
    return "shaped"


def normalise_name(text: str) -> str:
    """A key that is equal for "SMITH, John", "John Smith" and "Mr John SMITH"."""
    words = [w.lower() for w in _WORD.findall(text) if not gazetteer.is_title(w)]
    return " ".join(sorted(words))
