"""Plain text in any common encoding, and the decoding every text format shares.

A text file is decoded once into a string whose line endings are left exactly
as they were, split into paragraph-block segments that are exact slices of that
string, and written back by replacing spans in the string and re-encoding it
with the same encoding and byte order mark. So a redacted file differs from the
original only where something was redacted.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache

from charset_normalizer import from_bytes

from gateway.content.formats.base import ReadContext, Writer
from gateway.content.formats.slots import redact
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment, Span

# How much of a file sniffing looks at. Identification must stay cheap on a
# 50 MB upload, so only a prefix is decoded.
SAMPLE_BYTES = 64 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that do not occur in text (tab, newlines, form feed and
# escape do). Lone surrogates come from undecodable bytes kept by surrogateescape.
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ud800-\udfff]")
# A text file may carry a few stray bytes; more than this share is binary data.
_MAX_BINARY_SHARE = 0.01

# Single-byte encodings that charset-normalizer proposes for short western
# samples although the text is Windows-1252, the encoding UK office software
# actually writes.
_WESTERN = {"cp1252", "latin_1", "iso8859_15", "cp1250", "cp1257", "cp775", "cp850", "iso8859_10", "mac_roman"}


@dataclass(frozen=True)
class TextEncoding:
    """How a text file's bytes map to characters, so it can be written back identically.

    `errors` is "surrogateescape" for UTF-8 text with a few invalid bytes:
    they survive a round trip unchanged instead of being lost.
    """

    codec: str
    bom: bytes = b""
    errors: str = "strict"

    def to_meta(self) -> dict[str, str]:
        return {"encoding": self.codec, "bom": self.bom.hex(), "errors": self.errors}

    @classmethod
    def from_meta(cls, meta: dict[str, object]) -> TextEncoding:
        return cls(str(meta["encoding"]), bytes.fromhex(str(meta.get("bom", ""))), str(meta.get("errors", "strict")))

    def encode(self, text: str, errors: str | None = None) -> bytes:
        return self.bom + text.encode(self.codec, errors or self.errors)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM shows as NULs in every other byte (for Latin text)."""
    half = len(sample) // 2
    if half < 2:
        return None
    even_zero = sample[0::2].count(0) / half
    odd_zero = sample[1::2].count(0) / half
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _decodes(data: bytes, codec: str, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder(codec)("strict").decode(data, final)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


@lru_cache(maxsize=16)
def _detect(sample: bytes, complete: bool) -> TextEncoding | None:
    """The encoding of a sample, or None if it is not text at all."""
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return TextEncoding(codec, bom)
    if _decodes(sample, "utf-8", complete):
        return TextEncoding("utf-8")
    wide = _utf16_without_bom(sample[: len(sample) - len(sample) % 2])
    if wide and _decodes(sample[: len(sample) - len(sample) % 2], wide, False):
        return TextEncoding(wide)
    if b"\x00" in sample:
        return None
    # Mostly UTF-8 with the odd stray byte (a file pasted together from two
    # sources): keep it UTF-8 and carry the stray bytes through unchanged.
    strays = len(sample.decode("utf-8", "surrogateescape")) - len(sample.decode("utf-8", "ignore"))
    multibyte = sum(1 for b in sample if b >= 0xC0)
    if multibyte > 4 * strays and strays <= max(2, len(sample) // 2000):
        return TextEncoding("utf-8", errors="surrogateescape")
    candidates = [m.encoding for m in from_bytes(sample)]
    if candidates and candidates[0] not in _WESTERN and candidates[0] not in {"ascii", "utf_8"}:
        return TextEncoding(codecs.lookup(candidates[0]).name)
    if _decodes(sample, "cp1252", complete):
        return TextEncoding("cp1252")
    return TextEncoding("latin-1")


def detect_encoding(data: bytes) -> TextEncoding | None:
    """The encoding of `data` judged on a prefix, or None if the prefix is not text."""
    sample = data[:SAMPLE_BYTES]
    encoding = _detect(sample, len(data) <= SAMPLE_BYTES)
    if encoding is None:
        return None
    body = sample[len(encoding.bom) :]
    text = body.decode(encoding.codec, "surrogateescape" if encoding.codec == "utf-8" else "replace")
    if binary_share(text) > _MAX_BINARY_SHARE:
        return None
    return encoding


def binary_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_BINARY_CHARS.findall(text)) / len(text)


def looks_like_text(data: bytes) -> bool:
    """True if the bytes read as text in some encoding (judged on a prefix)."""
    return detect_encoding(data) is not None


def sample_text(data: bytes, size: int = SAMPLE_BYTES) -> str | None:
    """The decoded prefix of `data` for sniffing, without BOM, or None if not text."""
    encoding = detect_encoding(data)
    if encoding is None:
        return None
    body = data[len(encoding.bom) : max(size, SAMPLE_BYTES)]
    return codecs.getincrementaldecoder(encoding.codec)("replace").decode(body, False)


def decode(data: bytes, what: str = "text file") -> tuple[str, TextEncoding]:
    """The whole of `data` as a string with the encoding to write it back in.

    Raises ContentError when the bytes are not text, or when a file that starts
    as text turns into binary data further on (something appended to it).
    """
    encoding = detect_encoding(data)
    if encoding is None:
        raise ContentError(f"{what} is not text in any known encoding")
    body = data[len(encoding.bom) :]
    try:
        text = body.decode(encoding.codec, encoding.errors)
    except UnicodeDecodeError:
        if encoding.codec == "utf-8":
            encoding = TextEncoding("utf-8", encoding.bom, "surrogateescape")
            text = body.decode("utf-8", "surrogateescape")
        elif encoding.codec.startswith(("utf-16", "utf-32")):
            raise ContentError(f"{what} has invalid {encoding.codec.upper()} data") from None
        else:
            encoding = TextEncoding("latin-1", encoding.bom)
            text = body.decode("latin-1")
    if binary_share(text) > _MAX_BINARY_SHARE:
        raise ContentError(f"{what} contains binary data")
    return text, encoding


# Segmentation: blocks of whole paragraphs of about this size. Paragraph breaks
# are where a detector loses nothing by a cut; an over-long paragraph is cut at
# a line end, an over-long line at a space.
_BLOCK_CHARS = 4000
_MAX_BLOCK_CHARS = 16000
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def _cut_long(text: str, start: int, end: int) -> list[int]:
    """Cut points inside an over-long paragraph `text[start:end]`."""
    cuts: list[int] = []
    pos = start
    while end - pos > _MAX_BLOCK_CHARS:
        limit = pos + _MAX_BLOCK_CHARS
        cut = text.rfind("\n", pos + _BLOCK_CHARS, limit)
        if cut < 0:
            cut = max(text.rfind(" ", pos + _BLOCK_CHARS, limit), text.rfind("\t", pos + _BLOCK_CHARS, limit))
        cut = limit if cut < 0 else cut + 1
        cuts.append(cut)
        pos = cut
    return cuts


def segment_starts(text: str) -> list[int]:
    """Start offsets of contiguous segments that together cover all of `text`."""
    if not text:
        return []
    starts = [0]
    block_start = 0
    para_start = 0
    breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(text)] + [len(text)]
    for para_end in breaks:
        if para_end - para_start > _MAX_BLOCK_CHARS:
            if para_start > block_start:
                starts.append(para_start)
            starts.extend(_cut_long(text, para_start, para_end))
            block_start = starts[-1]
        elif para_end - block_start > _BLOCK_CHARS and para_start > block_start:
            starts.append(para_start)
            block_start = para_start
        para_start = para_end
    return [s for i, s in enumerate(starts) if s < len(text) and (i == 0 or s > starts[i - 1])]


def text_segments(text: str, where: str = "body") -> tuple[list[Segment], list[int]]:
    """Paragraph-block segments of `text` and their start offsets."""
    starts = segment_starts(text)
    ends = [*starts[1:], len(text)]
    return [Segment(text[s:e], where) for s, e in zip(starts, ends, strict=True)], starts


def redact_segments(text: str, starts: list[int], spans: dict[int, list[Span]]) -> str:
    """`text` with per-segment spans (segment offsets) replaced by markers."""
    absolute: list[Span] = []
    ends = [*starts[1:], len(text)]
    for index, seg_spans in spans.items():
        if not 0 <= index < len(starts):
            raise NotRedactable("a redaction refers to text that is not in the file")
        base, limit = starts[index], ends[index]
        for s in seg_spans:
            absolute.append(Span(base + max(0, s.start), min(limit, base + s.end), s.label))
    return redact(text, absolute)


class TextHandler:
    """Plain text: the fallback for anything that decodes as text."""

    kind = "text"

    def sniff(self, data: bytes, name: str) -> bool:
        return not data or looks_like_text(data)

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        if not data:
            return Part(name=name, kind="text", data=data, meta={"encoding": "utf-8", "bom": "", "starts": []})
        text, encoding = decode(data)
        ctx.admit_text(len(text))
        segments, starts = text_segments(text)
        meta: dict[str, object] = {**encoding.to_meta(), "starts": starts}
        return Part(name=name, kind="text", data=data, segments=segments, meta=meta)

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        redaction = plan.for_part(part.name)
        if redaction is None:
            return part.data
        if any(redaction.drop_columns.values()):
            raise NotRedactable("plain text has no columns to remove")
        encoding = TextEncoding.from_meta(part.meta)
        text = part.data[len(encoding.bom) :].decode(encoding.codec, encoding.errors)
        return encoding.encode(redact_segments(text, list(part.meta["starts"]), redaction.spans))


HANDLER = TextHandler()
