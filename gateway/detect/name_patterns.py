"""Names that have a recognisable written form, found without a language model.

Police and HR writing puts names in fixed layouts the small NER model handles
badly or not at all: "SMITH, John" (surname in capitals first), a title or rank
before a surname ("Mr Patel", "DS 1234 Kowalski", "Insp. J. Hughes"), and a label
before a name ("Name: John Smith", "Victim - Amy Lowe"). A common forename
followed by a capitalised word ("Sarah Jenkins") is taken as a name at a lower
score, which keeps some recall when the gateway runs without NER. Matching is
case-sensitive on purpose: capitalisation is most of the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from gateway.detect import gazetteer

# Letters of names as written in England and Wales, including the Latin-1 and Latin
# Extended-A letters of Polish, Czech, Romanian, Turkish, French... names ("Wiśniewski",
# "Łukasz", "Zoë"): with ASCII classes "Mr Wiśniewski" was reported as "Wi".
_U = "A-ZÀ-ÖØ-ÞĀ-ŽȘȚ"
_L = "a-zß-öø-ÿĀ-žșț"
_UP = f"[{_U}]"
_LOW = f"[{_L}]"
# A name never ends inside a word.
_END = r"(?![^\W\d_])"
_NAME = (
    rf"(?:(?:Mc|Mac|O['’]|D['’])?{_UP}{_LOW}+(?:['’\-]{_UP}{_LOW}+)?{_END}"
    rf"|{_UP}{{2,}}(?:['’\-]{_UP}{{2,}})?{_END})"
)
_INITIALS = r"(?:[A-Z]\.?[ \t]+){0,2}"

_HONORIFIC = r"Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lady|Lord|Rev|Revd|Prof|Cllr"
_RANK = (
    r"PC|WPC|DC|TDC|PS|DS|Sgt|Sergeant|Insp|Inspector|DI|DCI|DSI|Supt|Ch[ \t]?Supt|"
    r"Superintendent|PCSO|Constable|Detective[ \t]+(?:Constable|Sergeant|Inspector)"
)

SURNAME_FIRST = re.compile(
    r"\b(?P<name>[A-Z][A-Z'’\-]+(?:[ \-][A-Z][A-Z'’\-]+)?,[ \t]*[A-Z][a-z'’\-]+(?:[ \t]+[A-Z][a-z'’\-]+){0,2})"
)
# "Harris, Paul" at the start of a line or after "From:" / "To:" / ";" (mail headers, distribution lists).
LISTED_SURNAME_FIRST = re.compile(
    r"(?:^|(?<=[:;]))[ \t]*(?P<name>(?:Mc|Mac|O['’])?[A-Z][a-z'’\-]+(?:[ \-][A-Z][a-z'’\-]+)?,[ \t]*[A-Z][a-z'’\-]+)",
    re.MULTILINE,
)
TITLED = re.compile(
    rf"\b(?P<title>{_HONORIFIC}|{_RANK})\.?[ \t]+(?:\d{{1,6}}[ \t]+)?"
    rf"(?P<name>{_INITIALS}{_NAME}(?:[ \t]+{_NAME})?)"
)
LABELLED = re.compile(
    r"(?i:\b(?:full[ \t]+name|name|surname|forenames?|forename\(s\)|first[ \t]+name|last[ \t]+name|known[ \t]+as|"
    r"alias|aka|maiden[ \t]+name|next[ \t]+of[ \t]+kin|victim|suspect|witness|nominal|offender|"
    r"defendant|complainant|oic|officer[ \t]+in[ \t]+(?:the[ \t]+)?case|"
    # people a referral, custody record or HR form is about
    r"child|young[ \t]+person|detained[ \t]+person|dp|detainee|prisoner|accused|perpetrator|"
    r"patient|employee|employee[ \t]+name|staff[ \t]+member|parent|carer|parent/carer|guardian|"
    r"mother|father|registered[ \t]+keeper|keeper|driver|passenger|caller|informant|missing[ \t]+person|"
    r"misper|deceased|applicant|claimant|pupil))"
    rf"[ \t]*[:\-–][ \t]*(?P<name>{_NAME}(?:,?[ \t]+{_NAME}){{0,3}})"
)
ALIAS = re.compile(
    r"(?i:\b(?:(?:also[ \t]+)?known[ \t]+as|aka|a\.k\.a\.?|alias|nicknamed|calls[ \t]+(?:himself|herself|themselves))"
    r")[ \t]+['‘\"“]?(?P<name>" + _NAME + r"(?:[ \t]+" + _NAME + r")?)['’\"”]?"
)
# "John SMITH" / "NOWAK Tomasz": police writing puts the surname in capitals, sometimes with
# a nickname in quotes between ("Kieran 'Kez' HOLT").
_NICKNAME = r"[ \t]+[\"“'‘][^\"”'’\n]{1,20}[\"”'’]"
CAPS_SURNAME = re.compile(
    rf"\b(?:(?P<fore>{_UP}{_LOW}+(?:[ \t]+{_UP}{_LOW}+)?)(?:{_NICKNAME})?"
    rf"[ \t]+(?P<sur>{_UP}{{2,}}(?:['’\-]{_UP}{{2,}})?)"
    rf"|(?P<sur2>{_UP}{{2,}}(?:['’\-]{_UP}{{2,}})?)[ \t]+(?P<fore2>{_UP}{_LOW}+)){_END}"
)
# Phrases after which a run of capitalised words is almost always a person in police writing.
CUED = re.compile(
    r"(?i:\b(?:spoke[ \t]+(?:to|with)|seen[ \t]+with|in[ \t]+company[ \t]+with|said[ \t]+that|states?[ \t]+that|"
    r"stated[ \t]+that|reported[ \t]+by|named[ \t]+as|identified[ \t]+as|arrested|interviewed|assaulted|"
    r"threatened|relationship[ \t]+with|contact[ \t]+with|checks?[ \t]+on|on[ \t]+behalf[ \t]+of|"
    r"in[ \t]+the[ \t]+name[ \t]+of|details[ \t]+of|subject|brother|sister|partner|mother|father|son|daughter|"
    r"wife|husband|girlfriend|boyfriend|friend|neighbour|associate|victim|suspect|witness|complainant))"
    r"[ \t]+(?:of[ \t]+|to[ \t]+|by[ \t]+)?"
    r"(?P<name>[A-Z][a-z]+(?:['’\-][A-Z][a-z]+)?(?:[ \t]+[A-Z][a-z]+(?:['’\-][A-Z][a-z]+)?)?[ \t]+" + _NAME + r")\b"
)
# "Hi Amara," / "Dear John Smith,": the addressee of a message.
GREETING = re.compile(
    r"^[ \t]*(?i:hi|hello|hey|dear|morning|good[ \t]+(?:morning|afternoon|evening))[ \t]+"
    r"(?P<name>" + _NAME + r"(?:[ \t]+" + _NAME + r")?)[ \t]*(?:[,!:]|$)",
    re.MULTILINE,
)
# A name alone on its line just after a sign-off: the sender of a message.
SIGNATURE = re.compile(
    r"^[ \t]*(?i:kind[ \t]+regards|best[ \t]+regards|warm[ \t]+regards|regards|many[ \t]+thanks|thanks|"
    r"thank[ \t]+you|best[ \t]+wishes|yours[ \t]+(?:sincerely|faithfully|truly)|sincerely|cheers|best)"
    r"[ \t]*[,.!]?[ \t]*\r?\n(?:[ \t]*\r?\n)*[ \t]*"
    r"(?P<name>" + _NAME + r"(?:[ \t]+" + _NAME + r"){0,3})[ \t]*$",
    re.MULTILINE,
)
# A given name on its own, acting in a sentence ("Amara uses mobile ...", "When stopped, Connor produced ...").
LONE_FORENAME = re.compile(r"(?<![\w'’\-])(?<![A-Za-z][ \t])(?P<name>[A-Z][a-z]+)[ \t]+(?=[a-z])")
FORENAME_SURNAME = re.compile(rf"\b(?P<name>[A-Z][a-z]+[ \t]+{_NAME})(?:[ \t]+(?P<more>{_NAME}))?")

_SCORES = {
    "surname_first": 0.85,
    "honorific": 0.85,
    "rank": 0.75,
    "labelled": 0.85,
    "alias": 0.8,
    "caps_surname": 0.8,
    "cued": 0.7,
    "greeting": 0.8,
    "signature": 0.85,
    "forename": 0.6,
    "lone_forename": 0.6,
}


def _clean_words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s,]+", name) if w]


def _keep_name_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Cut a candidate before its first label or role word ("Amy Lowe DOB ..." -> "Amy Lowe").

    None when nothing is left, or when the word that stops it makes the whole
    candidate an organisation or place ("Central Station", "Grace Road").
    """
    last_end = start
    for match in re.finditer(r"[^\s,]+", text[start:end]):
        word = match.group()
        if gazetteer.is_org_word(word) or gazetteer.is_street_suffix(word, strict=True):
            return None
        if gazetteer.is_non_name_word(word) and not gazetteer.is_forename(word):
            break
        last_end = start + match.end()
    return (start, last_end) if last_end > start else None


def _outermost(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop spans inside a longer one found by another layout ("John Paul" inside "SMITH, John Paul")."""
    ordered = sorted(set(spans), key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str]] = []
    for span in ordered:
        if kept and span[0] >= kept[-1][0] and span[1] <= kept[-1][1]:
            continue
        kept.append(span)
    return kept


class NamePatternRecognizer(EntityRecognizer):
    """PERSON from written layouts: "SMITH, John", "Mr Patel", "Name: Amy Lowe", "Sarah Jenkins"."""

    NAME = "NamePatternRecognizer"

    def __init__(self, with_forename_pairs: bool = True) -> None:
        self.with_forename_pairs = with_forename_pairs
        super().__init__(supported_entities=["PERSON"], supported_language="en", name=self.NAME)

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: Any = None) -> list[RecognizerResult]:
        """Presidio entry point: every name layout found in ``text``."""
        if entities and "PERSON" not in entities:
            return []
        return [self._result(start, end, kind) for start, end, kind in _outermost(list(self.spans(text)))]

    def spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, kind) of each name, kind naming the layout that found it."""
        for match in SURNAME_FIRST.finditer(text):
            surname = match.group("name").split(",")[0]
            forename = _clean_words(match.group("name").split(",", 1)[1])[0]
            if gazetteer.is_non_name_word(surname) or gazetteer.is_non_name_word(forename):
                continue
            yield match.start("name"), match.end("name"), "surname_first"
        for match in LISTED_SURNAME_FIRST.finditer(text):
            surname, forename = (w.strip() for w in match.group("name").split(",", 1))
            if gazetteer.is_forename(forename) and not (
                gazetteer.is_non_name_word(surname) or gazetteer.is_org_word(surname)
            ):
                yield match.start("name"), match.end("name"), "surname_first"
        for match in TITLED.finditer(text):
            span = _keep_name_words(text, match.start("name"), match.end("name"))
            if span:
                kind = "rank" if re.fullmatch(_RANK, match.group("title")) else "honorific"
                yield span[0], span[1], kind
        for kind, regex in (
            ("labelled", LABELLED),
            ("alias", ALIAS),
            ("cued", CUED),
            ("greeting", GREETING),
            ("signature", SIGNATURE),
        ):
            for match in regex.finditer(text):
                span = _keep_name_words(text, match.start("name"), match.end("name"))
                if span is None or (kind != "labelled" and span[1] != match.end("name")):
                    continue  # only a label may be followed by more than the name
                if kind == "greeting" and gazetteer.is_title(match.group("name").split()[0]):
                    continue  # "Dear Mr Smith": the titled layout reports "Smith"
                yield span[0], span[1], kind
        yield from self._caps_surnames(text)
        if self.with_forename_pairs:
            yield from self._forename_pairs(text)
            yield from self._lone_forenames(text)

    @staticmethod
    def _caps_surnames(text: str) -> Iterator[tuple[int, int, str]]:
        for match in CAPS_SURNAME.finditer(text):
            group = "fore" if match.group("fore") else "fore2"
            start = match.start()
            forenames = match.group(group).split()
            if group == "fore" and len(forenames) == 2 and not gazetteer.is_forename(forenames[0]):
                forenames = forenames[1:]  # "Subject John SMITH"
                start = match.start(group) + match.group(group).index(forenames[0], len(match.group(group).split()[0]))
            surname = match.group("sur") or match.group("sur2")
            if not gazetteer.is_forename(forenames[0]) or any(gazetteer.is_non_name_word(w) for w in forenames):
                continue
            if gazetteer.is_non_name_word(surname) or gazetteer.is_org_word(surname) or len(surname) < 3:
                continue
            yield start, match.end(), "caps_surname"

    @staticmethod
    def _lone_forenames(text: str) -> Iterator[tuple[int, int, str]]:
        for match in LONE_FORENAME.finditer(text):
            word = match.group("name").lower()
            if word in gazetteer.FORENAMES and word not in gazetteer.AMBIGUOUS_FORENAMES:
                yield match.start("name"), match.end("name"), "lone_forename"

    @staticmethod
    def _forename_pairs(text: str) -> Iterator[tuple[int, int, str]]:
        for match in FORENAME_SURNAME.finditer(text):
            words = _clean_words(match.group("name"))
            first = words[0].lower()
            if first not in gazetteer.FORENAMES or first in gazetteer.AMBIGUOUS_FORENAMES:
                continue
            rest = words[1:]
            if any(gazetteer.is_non_name_word(w) for w in rest) or gazetteer.is_street_suffix(rest[-1]):
                continue
            more = match.group("more")
            if more and (gazetteer.is_org_word(more) or gazetteer.is_street_suffix(more, strict=True)):
                continue  # "Stephen Lawrence Inquiry", "Grace Darling Road"
            end = match.end("name")
            more = match.group("more")
            if more and gazetteer.is_forename(rest[0]) and not gazetteer.is_non_name_word(more):
                end = match.end("more")  # "Sarah Louise Jenkins"
            yield match.start("name"), end, "forename"

    def _result(self, start: int, end: int, kind: str) -> RecognizerResult:
        score = _SCORES[kind]
        return RecognizerResult(
            entity_type="PERSON",
            start=start,
            end=end,
            score=score,
            analysis_explanation=AnalysisExplanation(recognizer=self.NAME, original_score=score, pattern_name=kind),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.NAME,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
            },
        )
