"""The shared shape of every recognizer in this package.

Each recognizer is a presidio ``EntityRecognizer`` for exactly one entity type
(contracts.md section 1, plus CUSTODY_REFERENCE / CRIME_REFERENCE). It scans raw
text with precompiled stdlib regexes, validates candidates, and scores them by
the conventions documented in :mod:`detectors.registry`. Context comes from
:mod:`detectors.context` (a raw-text keyword window), never from spaCy, so the
recognizers run with or without an NLP engine and ``nlp_artifacts`` is ignored.

Every recognizer module also carries ``CASES``: a table of :class:`Positive` and
:class:`Negative` examples that ``tests/detectors/test_cases.py`` runs.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult

from detectors.allowlist import Allowlist
from detectors.context import ContextProbe, Keywords

# Scores at or above this are reported by the gateway (documented in registry.py).
REPORT_THRESHOLD = 0.5

HAS_DIGIT = re.compile(r"\d").search


@dataclass(frozen=True)
class Positive:
    """Text in which the recognizer must report ``match`` (score >= REPORT_THRESHOLD).

    With ``header`` set the case runs as a table cell: ``analyze_value(text, header)``.
    """

    text: str
    match: str
    header: str | None = None


@dataclass(frozen=True)
class Negative:
    """Text in which the recognizer must report nothing at or above REPORT_THRESHOLD, and why."""

    text: str
    reason: str
    header: str | None = None


Case = Positive | Negative


class UkDetector(EntityRecognizer):
    """Base for the gateway's recognizers: one entity, raw-text context, optional allow-list.

    :param context_words: replaces the class's ``CONTEXT`` phrases when given
        (``None`` keeps the defaults; an empty list really means "no context words").
    :param extra_context: phrases added to the context words (from ``config/recognizers.yaml``).
    :param allowlist: values never reported (switchboards, generic mailboxes).
    """

    ENTITY: ClassVar[str]
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    #: Skip texts without any digit before running any regex (numeric identifiers).
    NEEDS_DIGIT: ClassVar[bool] = True
    WINDOW_BEFORE: ClassVar[int] = 60
    WINDOW_AFTER: ClassVar[int] = 25
    #: Report nothing unless a context word is somewhere in the text (or the header):
    #: one keyword search then spares every pattern pass on texts without context.
    REQUIRES_CONTEXT: ClassVar[bool] = False

    def __init__(
        self,
        context_words: Sequence[str] | None = None,
        extra_context: Sequence[str] = (),
        allowlist: Allowlist | None = None,
    ) -> None:
        words = tuple(self.CONTEXT if context_words is None else context_words) + tuple(extra_context)
        self.context_words: tuple[str, ...] = words
        self.keywords = Keywords(words)
        self.allowlist = allowlist if allowlist is not None else Allowlist.empty()
        # presidio's own ``context`` stays empty on purpose: the lemma-based
        # enhancer would otherwise add a second, spaCy-dependent boost.
        super().__init__(supported_entities=[self.ENTITY], supported_language="en")

    def load(self) -> None:
        """Nothing to load: patterns are compiled at import time."""
        return None

    def analyze(
        self, text: str, entities: list[str] | None = None, nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        """Presidio entry point: scan ``text`` using only the context found inside it."""
        if entities and self.ENTITY not in entities:
            return []
        return self.scan(text)

    def analyze_value(self, value: str, header: str | None = None) -> list[RecognizerResult]:
        """Scan one table cell; a header containing a context word supplies context to the value."""
        return self.scan(value, header=header)

    def scan(self, text: str, header: str | None = None, external_context: bool = False) -> list[RecognizerResult]:
        """Scan ``text``; context is present if in the window, in ``header``, or ``external_context``."""
        if not text or (self.NEEDS_DIGIT and not HAS_DIGIT(text)):
            return []
        external = external_context or self.keywords.in_header(header)
        if self.REQUIRES_CONTEXT and not external and not self._gate(text):
            return []
        probe = ContextProbe(text, self.keywords, self.WINDOW_BEFORE, self.WINDOW_AFTER, external)
        results = []
        for result in self._scan(text, probe, header):
            if result.score <= 0:
                continue
            if self.allowlist and self.allowlist.allows(self.ENTITY, text[result.start : result.end]):
                continue
            results.append(result)
        return results

    def _gate(self, text: str) -> bool:
        """Whether ``text`` can hold a finding of a context-requiring recognizer (a keyword occurs)."""
        return self.keywords.search(text) is not None

    @abstractmethod
    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterable[RecognizerResult]:
        """Yield candidate results for ``text`` (scores already decided)."""

    def result(
        self,
        start: int,
        end: int,
        score: float,
        *,
        context: bool = False,
        pattern: str = "",
        validated: bool | None = None,
        **metadata: Any,
    ) -> RecognizerResult:
        """Build a RecognizerResult with explanation and metadata the detector can use."""
        name = type(self).__name__
        explanation = AnalysisExplanation(
            recognizer=name,
            original_score=score,
            pattern_name=pattern,
            # presidio's own default is None ("no validator ran"), despite its annotation.
            validation_result=cast(bool, validated),
        )
        meta: dict[str, Any] = {
            RecognizerResult.RECOGNIZER_NAME_KEY: name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            # Marks context as handled so presidio's lemma enhancer leaves the score alone.
            RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: context,
        }
        meta.update(metadata)
        return RecognizerResult(
            entity_type=self.ENTITY,
            start=start,
            end=end,
            score=round(score, 2),
            analysis_explanation=explanation,
            recognition_metadata=meta,
        )
