"""Keyword context around a match, without spaCy.

Presidio's own context enhancer compares spaCy lemmas of nearby tokens with a
recognizer's context words; that needs a loaded model and so cannot run in the
fast path or in unit tests. Here context is a raw-text window: a keyword counts
when it appears, case-insensitively and word-bounded, within ``before``
characters before the match or ``after`` characters after it. A column header
(or any other external context such as an e-mail subject) can stand in for the
window: when it contains a keyword, every match in the value has context.

Keyword positions are found once per text (lazily, only when a recognizer has a
candidate to ask about), then looked up by bisection, so asking about many
candidates in a long text stays cheap.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from detectors.terms import trie_pattern

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = re.compile(r"[_\-./\\]+")


class Keywords:
    """A compiled, word-bounded, case-insensitive set of context phrases."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases: tuple[str, ...] = tuple(p for p in phrases if p.strip())
        self._regex: re.Pattern[str] | None = None
        self._lower: re.Pattern[str] | None = None
        if self.phrases:
            # A trailing optional plural keeps lists short ("passport" also finds "passports").
            variants = [*self.phrases, *(p + "s" for p in self.phrases if p[-1:].isalpha())]
            # A prefix trie instead of a flat alternation: one shared scan for all phrases.
            body = trie_pattern(variants, space=r"[\s_\-./]*")
            bounded = rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9])"
            self._regex = re.compile(bounded, re.IGNORECASE)
            self._lower = re.compile(bounded)

    def __bool__(self) -> bool:
        return self._regex is not None

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """First keyword occurrence in ``text[start:end]``."""
        if self._regex is None or self._lower is None:
            return None
        stop = len(text) if end is None else end
        if text.isascii():
            # Lower-cased ASCII keeps offsets and avoids the slower IGNORECASE scan.
            return self._lower.search(text.lower(), start, stop)
        return self._regex.search(text, start, stop)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Every keyword occurrence in ``text`` as (start, end)."""
        if self._regex is None or self._lower is None:
            return []
        if text.isascii():
            return [m.span() for m in self._lower.finditer(text.lower())]
        return [m.span() for m in self._regex.finditer(text)]

    def in_header(self, header: str | None) -> bool:
        """Whether a column header (snake_case, CamelCase or prose) contains a keyword."""
        if not header or self._regex is None:
            return False
        return self.search(normalise_header(header)) is not None


def normalise_header(header: str) -> str:
    """'DateOfBirth' / 'date_of_birth' / 'DATE-OF-BIRTH' -> words separated by spaces."""
    return _SEPARATORS.sub(" ", _CAMEL.sub(" ", header)).strip()


class ContextProbe:
    """Answers "is there a keyword near this span?" for one text.

    :param text: the text being scanned.
    :param keywords: the recognizer's context phrases.
    :param before: characters to look back from the match start.
    :param after: characters to look ahead from the match end.
    :param external: True when outside context (a column header) already supplies it.
    """

    def __init__(self, text: str, keywords: Keywords, before: int, after: int, external: bool = False):
        self.text = text
        self.keywords = keywords
        self.before = before
        self.after = after
        self.external = external
        self._spans: list[tuple[int, int]] | None = None
        self._starts: list[int] = []

    def spans(self) -> list[tuple[int, int]]:
        """Keyword spans in the text, computed on first use."""
        if self._spans is None:
            self._spans = self.keywords.spans(self.text)
            self._starts = [s for s, _ in self._spans]
        return self._spans

    def near(self, start: int, end: int, before: int | None = None, after: int | None = None) -> bool:
        """Whether a keyword lies within the window around [start, end) (or context is external)."""
        if self.external:
            return True
        return self.nearest(start, end, before, after) is not None

    def nearest(
        self, start: int, end: int, before: int | None = None, after: int | None = None
    ) -> tuple[int, int] | None:
        """The keyword span closest to [start, end) inside the window, if any (ignores ``external``)."""
        spans = self.spans()
        if not spans:
            return None
        lo = start - (self.before if before is None else before)
        hi = end + (self.after if after is None else after)
        best: tuple[int, int] | None = None
        best_gap = 1 << 30
        # Keywords are short; starting 64 characters early catches one that ends inside the window.
        first = bisect_left(self._starts, lo - 64)
        last = bisect_right(self._starts, hi)
        for k_start, k_end in spans[first:last]:
            if k_end <= start and k_end >= lo:
                gap = start - k_end
            elif k_start >= end and k_start <= hi:
                gap = k_start - end
            elif k_start < end and k_end > start:
                gap = 0
            else:
                continue
            if gap < best_gap:
                best, best_gap = (k_start, k_end), gap
        return best
