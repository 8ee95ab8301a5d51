from __future__ import annotations

import pytest

from gateway.detect.detector import Detector
from gateway.detect.text import Hit, chunks, deduplicate, is_prose, propagate_names, scan

from .parts import text_part


def test_chunks_cover_the_text_exactly_and_respect_the_limit() -> None:
    text = ("A sentence about nothing in particular.\n" * 40 + "\n") * 10
    pieces = chunks(text, limit=500)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 500 for _, p in pieces)
    assert all(text[offset : offset + len(p)] == p for offset, p in pieces)


def test_chunks_cut_at_line_breaks_rather_than_inside_words() -> None:
    text = "word " * 30 + "\n" + "AB123456C " * 30
    pieces = chunks(text, limit=120)
    assert all(p.endswith((" ", "\n")) for _, p in pieces[:-1])


def test_a_single_unbroken_run_is_still_cut() -> None:
    pieces = chunks("x" * 1000, limit=300)
    assert [len(p) for _, p in pieces] == [300, 300, 300, 100]


@pytest.mark.parametrize(
    "text,prose",
    [
        ("Officers spoke to Margaret at the address.", True),
        ("12,34,56,78\n90,12,34,56", False),  # numbers
        ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo" * 4, False),  # base64 blob
        ("all lower case words with no names", False),  # nothing for NER to find
        ("", False),
    ],
)
def test_is_prose(text: str, prose: bool) -> None:
    assert is_prose(text) is prose


def test_deduplicate_prefers_validated_identifiers_then_score() -> None:
    hits = [
        Hit("PHONE_NUMBER", 0, 10, 0.9),
        Hit("UK_NHS", 0, 10, 0.85),  # validated type wins even with a lower score
        Hit("PERSON", 20, 30, 0.85),
        Hit("STREET_ADDRESS", 18, 32, 0.6),  # an address beats a name read into it
        Hit("UK_POSTCODE", 40, 47, 0.85),
        Hit("STREET_ADDRESS", 33, 47, 0.6),  # a postcode inside an address line: both kept
    ]
    kept = deduplicate(hits)
    assert [(h.entity_type, h.start) for h in kept] == [
        ("UK_NHS", 0),
        ("STREET_ADDRESS", 18),
        ("STREET_ADDRESS", 33),
        ("UK_POSTCODE", 40),
    ]


def test_scan_maps_offsets_of_every_chunk_back_to_the_text(detector: Detector) -> None:
    line = "Filler text about the weekly rota and nothing else at all.\n"
    text = line * 200 + "NI number AB123456C\n" + line * 200
    hits = scan(detector.analyzer, [text, "nothing here"])
    assert [(h.entity_type, text[h.start : h.end]) for h in hits[0]] == [("UK_NINO", "AB123456C")]
    assert hits[1] == []


def test_segment_findings_carry_segment_offsets_and_where(detector: Detector) -> None:
    part = text_part("Subject: routine", "Call Mr Patel on 07700 900123", where="comment")
    findings = detector.detect(part).findings
    by_type = {f.entity_type: f for f in findings}
    assert set(by_type) == {"PERSON", "PHONE_NUMBER"}
    phone = by_type["PHONE_NUMBER"]
    assert (phone.segment, phone.start, phone.end, phone.where) == (1, 17, 29, "comment")
    assert phone.part == phone.part_name == "note.txt"
    assert by_type["PERSON"].text == "Patel"


def test_later_mentions_of_a_name_are_found_by_its_words() -> None:
    texts = [
        "Subject Amara OKAFOR (DOB 01/02/1990) was seen. Amara uses a phone. OKAFOR was arrested.",
        "Later Okafor said the Mark scheme was fine.",
    ]
    first = texts[0].index("Amara OKAFOR")
    found = propagate_names(texts, [[Hit("PERSON", first, first + len("Amara OKAFOR"), 0.85)], []])
    assert [texts[0][h.start : h.end] for h in found[0]] == ["Amara OKAFOR", "Amara", "OKAFOR"]
    assert [texts[1][h.start : h.end] for h in found[1]] == ["Okafor"]
    assert all(h.score == 0.7 for h in found[0][1:])


def test_single_word_and_ambiguous_names_are_not_propagated() -> None:
    text = "Mr Patel met Mark Hill. Mark the date; Hill Street; Patel Brothers."
    hits = [Hit("PERSON", 3, 8, 0.85), Hit("PERSON", 13, 22, 0.85)]  # "Patel", "Mark Hill"
    assert propagate_names([text], [hits]) == [hits]
