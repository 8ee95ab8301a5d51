from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from gateway.detect.detector import Detector
from gateway.detect.names import NerPersonRecognizer, name_shape, normalise_name, promote_to_person, refine_person_span

from .parts import text_part


def _refined(text: str, span: str) -> str | None:
    start = text.index(span)
    out = refine_person_span(text, start, start + len(span))
    return None if out is None else text[out[0] : out[1]]


# fmt: off
REFINE_PERSON_SPAN_CASES = [
    ("Subject SMITH, John was arrested", "John", "SMITH, John"),        # NER finds only the forename
    ("He met Mr Patel at the station", "Mr Patel", "Patel"),           # title stripped, surname kept
    ("DS 4521 Kowalski attended", "DS 4521 Kowalski", "Kowalski"),      # rank and collar stripped
    ("Witness Gareth Davies stated", "Witness Gareth Davies", "Gareth Davies"),  # leading label trimmed
    ("I spoke to John Green today", "John Green", "John Green"),       # a surname that is also a street word
    ("Sarah Jones's car", "Sarah Jones's", "Sarah Jones"),             # possessive dropped
    ("the DOB is recorded", "DOB", None),                              # field label
    ("PNC ID 2002/0073319Z", "PNC ID", None),                          # field label
    ("Case 12345 filed", "12345", None),                               # a number
    ("INTELLIGENCE REPORT\nbody text", "INTELLIGENCE REPORT", None),    # ALL-CAPS heading on its own line
    ("SUMMARY of events", "SUMMARY", None),                            # single ALL-CAPS word
    ("lives at 14 Mill Lane", "Mill Lane", None),                      # street name
    ("Victoria Street is closed", "Victoria Street", None),            # street after a given name
    ("the Duty Inspector said", "Duty Inspector", None),               # job title
    ("Wessex Police confirmed", "Wessex Police", None),                # force name
    ("the Stephen Lawrence Inquiry", "Stephen Lawrence Inquiry", None),  # an inquiry, not a person
    ("booked a Ford Focus", "Ford Focus", None),                       # a car
    ("travelled to Malaga on 2 May", "Malaga", None),                  # a place after a locative
    ("of 45 Albert Terrace, Devizes, GL11 8PS", "Devizes", None),      # a town before its postcode
    ("provided.\n\nLunch will be served", "Lunch", None),              # a lone word that is no given name
    ("advice for Romsey residents", "Romsey", None),                   # a lone word that is no given name
    ("Wessex Police\nRecords Retention Schedule\nVersion 4", "Retention Schedule", None),  # a heading
    ("a practising Sikh. The subject", "Sikh", None),                  # a faith, not a name
    ("He then met Kowalczyk again", "Kowalczyk", None),                # a lone surname: left to propagation
    ("Amara uses a phone", "Amara", "Amara"),                          # a given name starting a sentence
    ("Next meeting: St John's Church Hall", "St John's", None),        # a saint: church, school, town
    ("fundraiser at Saint Helens", "Saint Helens", None),              # a saint: a town
    ("Ian St John spoke", "Ian St John", "Ian St John"),                # a surname with St, after a forename
    ("PERSONAL - Op Harewood file", "Op Harewood", None),              # a police operation name
    ("the Operation Larkspur update", "Larkspur", None),                # the code word alone
    ("13:30 Officer Safety Training (OST) in the sports hall", "Officer Safety Training", None),  # a course
    ("book the Aire Suite for lunch", "Aire Suite", None),             # a venue
]
# fmt: on


@pytest.mark.parametrize("text,span,expected", REFINE_PERSON_SPAN_CASES)
def test_refine_person_span(text: str, span: str, expected: str | None) -> None:
    assert _refined(text, span) == expected


@pytest.mark.parametrize(
    "text,span,expected",
    [
        ("seen with Bradley Jones at the mosque", "Bradley Jones", "Bradley Jones"),
        ("the Northern Trust said", "Northern Trust", None),  # not a given name
        ("Devon and Cornwall", "Devon and Cornwall", None),  # lower-case word inside
        ("Mohammed Police Station", "Mohammed Police Station", None),  # organisation words
    ],
)
def test_promote_org_span_only_when_it_reads_as_a_name(text: str, span: str, expected: str | None) -> None:
    start = text.index(span)
    out = promote_to_person(text, start, start + len(span))
    assert (None if out is None else text[out[0] : out[1]]) == expected


def _artifacts(text: str, spans: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """NLP artifacts with hand-placed entities (a blank spaCy tokenizer, no model)."""
    from presidio_analyzer.nlp_engine import NlpArtifacts

    doc: Doc = spacy.blank("en")(text)
    ents = []
    for words, label in spans:
        start = text.index(words)
        ents.append(doc.char_span(start, start + len(words), label=label))
    doc.ents = [e for e in ents if isinstance(e, Span)]
    return NlpArtifacts(
        entities=list(doc.ents), tokens=doc, tokens_indices=[t.idx for t in doc], lemmas=[], nlp_engine=None,
        language="en", scores=[0.85] * len(doc.ents),
    )  # fmt: skip


def test_ner_recognizer_repairs_drops_and_promotes() -> None:
    text = "OFFICIAL\nSubject SMITH, John met Bradley Jones near Mill Lane. DOB recorded."
    artifacts = _artifacts(
        text, [("John", "PERSON"), ("Bradley Jones", "ORG"), ("Mill Lane", "PERSON"), ("DOB", "PERSON")]
    )
    results = NerPersonRecognizer().analyze(text, ["PERSON"], artifacts)
    found = {text[r.start : r.end]: r.score for r in results}
    assert found == {"SMITH, John": 0.85, "Bradley Jones": 0.7}


# fmt: off
NAME_SHAPE_CASES = [
    ("SMITH, John", "layout"),
    ("John Smith", "forename"),
    ("OKAFOR", "caps"),
    ("Okafor", "shaped"),
    ("Widget Pro 3000", None),        # digits
    ("the blue mug", None),           # lower case
    ("Central Station", None),        # organisation word
    ("x" * 80, None),                 # too long for a name
]
# fmt: on


@pytest.mark.parametrize("value,shape", NAME_SHAPE_CASES)
def test_name_shape(value: str, shape: str | None) -> None:
    assert name_shape(value) == shape


def test_normalise_name_ignores_order_case_and_titles() -> None:
    assert normalise_name("SMITH, John") == normalise_name("Mr John Smith") == "john smith"


@pytest.mark.ner
def test_ner_finds_names_in_prose_and_leaves_headings_and_streets(ner_detector: Detector) -> None:
    text = (
        "OFFICIAL-SENSITIVE\nINTELLIGENCE REPORT\n"
        "Officers spoke to Margaret O'Neill at 14 Mill Lane. She said that Tomasz Nowak had threatened her "
        "and that her brother David Okafor was present. Subject SMITH, John was later arrested by DS Kowalski.\n"
        "The Response Team and the Duty Inspector will review the case on Monday."
    )
    detection = ner_detector.detect(text_part(text))
    names = {f.text for f in detection.findings if f.entity_type == "PERSON"}
    assert {"Margaret O'Neill", "Tomasz Nowak", "David Okafor", "SMITH, John", "Kowalski"} <= names
    assert not names & {"Mill Lane", "INTELLIGENCE REPORT", "Response Team", "Duty Inspector", "Monday"}


@pytest.mark.ner
def test_ner_reports_nothing_in_clean_business_text(ner_detector: Detector) -> None:
    text = (
        "The Home Office has published new guidance. The College of Policing will run workshops in Bristol "
        "during March. Victoria Street will be closed on Monday; use Church Road. Ford Focus pool cars can be "
        "booked through Fleet Services. Dear Sir or Madam, thank you for your Freedom of Information request."
    )
    detection = ner_detector.detect(text_part(text))
    assert [f.text for f in detection.findings if f.entity_type == "PERSON"] == []
