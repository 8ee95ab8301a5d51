"""Text segments to findings: chunking, NER only where it helps, de-duplication.

Every text a Part carries (body, headers and footers, comments, tracked changes,
document properties, free-text table cells) goes through `scan`. Long texts are
cut into chunks of a few KB at paragraph, line or word boundaries: spaCy refuses
texts over `max_length`, and presidio's per-result context work grows with the
length of the text. NER runs only on chunks that read like prose (letters and
capitalised words, not base64, code or columns of numbers), batched across all
the texts of a document in one `nlp.pipe` call.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from presidio_analyzer import RecognizerResult

from gateway.content.model import Part
from gateway.detect import gazetteer
from gateway.detect.analyzer import Analyzer
from gateway.detect.model import Finding

CHUNK_CHARS = 3000

# Identifiers whose value carries its own proof (check digit, check letter,
# structure): when spans overlap, these win over weaker readings of the same text.
VALIDATED_TYPES = frozenset(
    {"UK_NINO", "UK_NHS", "UK_PNC_ID", "UK_CRO", "IBAN_CODE", "CREDIT_CARD", "UK_DRIVING_LICENCE", "CUSTODY_REFERENCE"}
)
# Overlaps that are both true: a postcode inside an address line; a name that is also a
# special-category word ("Hi Christian,"), which the reviewer should see both ways.
NESTING_ALLOWED = frozenset(
    {
        ("STREET_ADDRESS", "UK_POSTCODE"),
        ("UK_POSTCODE", "STREET_ADDRESS"),
        ("PERSON", "SPECIAL_CATEGORY"),
        ("SPECIAL_CATEGORY", "PERSON"),
    }
)

_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
_LONG_TOKEN = re.compile(r"\S{40,}")


@dataclass(frozen=True)
class Hit:
    """A finding inside one text: type, character span and score."""

    entity_type: str
    start: int
    end: int
    score: float


def is_prose(text: str) -> bool:
    """Whether NER is worth running: mostly letters, some capitalised words, no blobs."""
    stripped = "".join(text.split())
    if len(stripped) < 3:
        return False
    letters = sum(c.isalpha() for c in stripped)
    if letters / len(stripped) < 0.5:
        return False
    if not _CAPITALISED.search(text):
        return False
    blobs = sum(len(m.group()) for m in _LONG_TOKEN.finditer(text))
    return blobs < len(stripped) / 2


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Cut ``text`` into (offset, chunk) pieces of at most ``limit`` characters.

    Cuts fall after a blank line if there is one in the second half of the window,
    else after a line break, else after a space, so that a name or an identifier
    is rarely split.
    """
    out: list[tuple[int, str]] = []
    start = 0
    n = len(text)
    while n - start > limit:
        window_end = start + limit
        half = start + limit // 2
        cut = -1
        for sep in ("\n\n", "\n", " "):
            pos = text.rfind(sep, half, window_end)
            if pos != -1:
                cut = pos + len(sep)
                break
        if cut == -1:
            cut = window_end
        out.append((start, text[start:cut]))
        start = cut
    if start < n:
        out.append((start, text[start:]))
    return out


def _rank(result: RecognizerResult | Hit) -> tuple[int, float, int]:
    tier = 2 if result.entity_type in VALIDATED_TYPES else 0 if result.entity_type == "PERSON" else 1
    return (tier, round(result.score, 2), result.end - result.start)


def deduplicate(hits: Sequence[Hit]) -> list[Hit]:
    """Drop hits that overlap a stronger one (validated identifiers first, then score, then length)."""
    kept: list[Hit] = []
    starts: list[int] = []  # kept hits sorted by start, for bisection
    by_start: list[Hit] = []
    longest = 0
    for hit in sorted(hits, key=_rank, reverse=True):
        # Only kept hits starting before hit.end and no earlier than hit.start - longest can overlap it.
        lo = bisect_left(starts, hit.start - longest)
        hi = bisect_left(starts, hit.end)
        clash = any(
            k.end > hit.start and (k.entity_type, hit.entity_type) not in NESTING_ALLOWED for k in by_start[lo:hi]
        )
        if not clash:
            kept.append(hit)
            pos = bisect_left(starts, hit.start)
            starts.insert(pos, hit.start)
            by_start.insert(pos, hit)
            longest = max(longest, hit.end - hit.start)
    return sorted(kept, key=lambda h: (h.start, h.end))


_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
PROPAGATED_SCORE = 0.7


def _propagatable(token: str) -> bool:
    return (
        len(token) >= 3
        and not gazetteer.is_title(token)
        and not gazetteer.is_non_name_word(token)
        and not gazetteer.is_street_suffix(token)
        and token.lower() not in gazetteer.AMBIGUOUS_FORENAMES
    )


def propagate_names(texts: Sequence[str], hits: list[list[Hit]]) -> list[list[Hit]]:
    """Report later mentions of a name by one of its words ("Subject Amara OKAFOR ... Amara said").

    Writers introduce a person once in full and then use the forename or the
    surname alone, which neither NER nor the layouts can tell from any other
    capitalised word. Words of the multi-word names already found in these
    texts are looked for as whole words, written as found or in capitals.
    """
    forms: set[str] = set()
    for text, found in zip(texts, hits, strict=True):
        for hit in found:
            tokens = _NAME_TOKEN.findall(text[hit.start : hit.end]) if hit.entity_type == "PERSON" else []
            if len(tokens) >= 2:
                for token in filter(_propagatable, tokens):
                    forms.update({token, token.upper(), token[0] + token[1:].lower()})
    if not forms:
        return hits
    alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    # A mention stands alone: not "St John", not "John Radcliffe Hospital" (another capitalised word follows).
    regex = re.compile(rf"(?<![\w'’\-])(?<!St )(?<!Saint )(?:{alternation})(?![\w'’\-])(?![ \t]+[A-Z])")
    out: list[list[Hit]] = []
    for text, found in zip(texts, hits, strict=True):
        spans = sorted((h.start, h.end) for h in found)
        starts = [s for s, _ in spans]
        added = []
        for match in regex.finditer(text):
            k = bisect_left(starts, match.end())
            if k and spans[k - 1][1] > match.start():
                continue  # inside (or overlapping) something already found
            added.append(Hit("PERSON", match.start(), match.end(), PROPAGATED_SCORE))
        out.append(sorted([*found, *added], key=lambda h: (h.start, h.end)) if added else found)
    return out


def scan(analyzer: Analyzer, texts: Sequence[str]) -> list[list[Hit]]:
    """Hits for each text (offsets into that text), from one batched analyzer call."""
    owners: list[int] = []
    offsets: list[int] = []
    pieces: list[str] = []
    for index, text in enumerate(texts):
        for offset, piece in chunks(text):
            owners.append(index)
            offsets.append(offset)
            pieces.append(piece)
    prose = [is_prose(p) for p in pieces] if analyzer.with_ner else [False] * len(pieces)
    results = analyzer.analyze_texts(pieces, prose)
    per_text: list[list[Hit]] = [[] for _ in texts]
    for owner, offset, found in zip(owners, offsets, results, strict=True):
        per_text[owner].extend(Hit(r.entity_type, r.start + offset, r.end + offset, float(r.score)) for r in found)
    return propagate_names(texts, [deduplicate(h) for h in per_text])


def segment_findings(analyzer: Analyzer, part: Part) -> list[Finding]:
    """Findings in every text segment of one part (not its children)."""
    texts = [segment.text for segment in part.segments]
    findings: list[Finding] = []
    for index, hits in enumerate(scan(analyzer, texts)):
        segment = part.segments[index]
        findings.extend(
            Finding(
                entity_type=h.entity_type,
                score=h.score,
                part=part.name,
                part_name=part.name,
                text=segment.text[h.start : h.end],
                start=h.start,
                end=h.end,
                segment=index,
                where=segment.where,
            )
            for h in hits
        )
    return findings
