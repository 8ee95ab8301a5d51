"""Plain text: encodings, segmentation, and span redaction that keeps the bytes' shape."""

from __future__ import annotations

import codecs

import pytest

from gateway import content
from gateway.content import Span
from gateway.content.formats.text import TextEncoding, decode, segment_starts

LETTER = "Dear Mr O’Brien,\r\n\r\nYour NI number AB123456C and fee of £120 for the café.\r\nRegards, Zoë\r\n"


@pytest.mark.parametrize(
    ("encoded", "codec", "bom"),
    [
        (LETTER.encode("utf-8"), "utf-8", b""),
        (codecs.BOM_UTF8 + LETTER.encode("utf-8"), "utf-8", codecs.BOM_UTF8),
        (codecs.BOM_UTF16_LE + LETTER.encode("utf-16-le"), "utf-16-le", codecs.BOM_UTF16_LE),
        (codecs.BOM_UTF16_BE + LETTER.encode("utf-16-be"), "utf-16-be", codecs.BOM_UTF16_BE),
        (LETTER.encode("utf-16-le"), "utf-16-le", b""),
        (LETTER.encode("utf-16-be"), "utf-16-be", b""),
        (LETTER.encode("cp1252"), "cp1252", b""),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-nobom", "utf16be-nobom", "cp1252"],
)
def test_reads_every_common_encoding(encoded: bytes, codec: str, bom: bytes) -> None:
    part = content.read(encoded, "letter.txt")
    assert part.kind == "text"
    assert part.uninspectable is None
    assert "".join(s.text for s in part.segments) == LETTER
    assert part.meta["encoding"] == codec
    assert bytes.fromhex(part.meta["bom"]) == bom


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1252"])
def test_redaction_keeps_encoding_bom_and_line_endings(codec: str, span_plan, span_of) -> None:
    data = LETTER.encode(codec)
    part = content.read(data, "letter.txt")
    index = next(i for i, s in enumerate(part.segments) if "AB123456C" in s.text)
    plan = span_plan("letter.txt", {index: [span_of(part.segments[index].text, "AB123456C", "UK_NINO")]})
    out = content.write(part, plan)
    assert out == LETTER.replace("AB123456C", "[REDACTED:UK_NINO]").encode(codec)
    assert "AB123456C".encode(codec.replace("-sig", "")) not in out


def test_unredacted_text_is_returned_byte_for_byte() -> None:
    data = LETTER.encode("cp1252")
    part = content.read(data, "letter.txt")
    assert content.write(part, content.RedactionPlan()) is data


def test_overlapping_spans_become_one_marker(span_plan) -> None:
    part = content.read(b"Call John Smith on 07700 900123 today", "x.txt")
    spans = [Span(5, 15, "PERSON"), Span(10, 31, "PHONE_NUMBER")]
    out = content.write(part, span_plan("x.txt", {0: spans}))
    assert out == b"Call [REDACTED:PERSON] today"


def test_segments_are_exact_slices_split_at_paragraphs() -> None:
    paragraphs = [f"Paragraph {i} " + "word " * 150 for i in range(60)]
    text = "\n\n".join(paragraphs)
    part = content.read(text.encode(), "long.txt")
    assert len(part.segments) > 5
    assert "".join(s.text for s in part.segments) == text
    for segment in part.segments[:-1]:
        assert segment.text.endswith("\n\n")
        assert len(segment.text) <= 16000


def test_one_huge_line_is_cut_at_spaces_not_inside_words() -> None:
    text = " ".join(f"tok{i:06d}" for i in range(20000))
    starts = segment_starts(text)
    assert len(starts) > 5
    for start in starts[1:]:
        assert text[start - 1] == " "


def test_redaction_in_a_later_segment_lands_in_the_right_place(span_plan, span_of) -> None:
    paragraphs = [f"Paragraph {i} " + "word " * 150 for i in range(60)]
    paragraphs[45] = "The suspect's NI number is AB123456C."
    text = "\n\n".join(paragraphs)
    part = content.read(text.encode(), "long.txt")
    index = next(i for i, s in enumerate(part.segments) if "AB123456C" in s.text)
    assert index > 0
    plan = span_plan("long.txt", {index: [span_of(part.segments[index].text, "AB123456C", "UK_NINO")]})
    out = content.write(part, plan).decode()
    assert out == text.replace("AB123456C", "[REDACTED:UK_NINO]")


def test_mostly_utf8_with_stray_bytes_round_trips_them() -> None:
    data = ("Name: Zoë Brontë\n" * 200).encode() + b"caf\xe9\n" + ("more text é\n" * 200).encode()
    text, encoding = decode(data)
    assert encoding.codec == "utf-8"
    assert encoding.encode(text) == data


def test_binary_appended_to_text_is_uninspectable() -> None:
    data = b"Harmless looking header line\n" * 3000 + bytes(range(256)) * 400
    part = content.read(data, "notes.txt")
    assert part.uninspectable == "text file contains binary data"


def test_empty_file_is_text_without_content() -> None:
    part = content.read(b"", "empty.txt")
    assert part.kind == "text"
    assert part.uninspectable is None
    assert part.segments == []


def test_text_limit_makes_the_part_uninspectable() -> None:
    part = content.read(b"x" * 5000, "big.txt", content.Limits(max_text_chars=1000))
    assert part.uninspectable == "more than 1000 characters of text"


def test_encoding_meta_round_trips() -> None:
    encoding = TextEncoding("utf-16-le", codecs.BOM_UTF16_LE)
    assert TextEncoding.from_meta(encoding.to_meta()) == encoding


def test_cyrillic_single_byte_text_is_decoded_by_content() -> None:
    text = "Привет, это проверка кодировки текста на русском языке. Иванов Иван.\n" * 5
    part = content.read(text.encode("cp1251"), "note.txt")
    assert "".join(s.text for s in part.segments) == text


def test_a_spreadsheet_named_txt_is_not_read_as_text() -> None:
    part = content.read(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "notes.txt")
    assert part.kind == "pdf"


def test_truncated_utf16_text_is_uninspectable() -> None:
    data = codecs.BOM_UTF16_LE + LETTER.encode("utf-16-le")
    part = content.read(data[:-1], "cut.txt")
    assert part.uninspectable == "text file has invalid UTF-16-LE data"
