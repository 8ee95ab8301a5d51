"""Special category data in words, entity ``SPECIAL_CATEGORY``.

Health, ethnicity (including police IC codes and self-defined ethnicity codes),
religion, sexual life or orientation, biometrics and trade union membership
(UK GDPR art. 9; DPA 2018 s.35(8)). Term lists live in
``config/special_category.yaml`` so a force can extend them and column
classification can reuse them (:func:`load_terms`).

Everyday words are not flagged out of context: "I'm sick of this spreadsheet"
has no listed term; ambiguous words ("depression", "mosque", "fingerprint") need a
category context word nearby and no veto word ("SSH key fingerprint"); IC codes
need a policing description ("IC3 male"), not "IC1 chip". Each result carries
``recognition_metadata["special_category"]`` (health, ethnicity, religion,
sexual_orientation, biometric, trade_union).

Warning markers get their own rule (``markers`` in the YAML). A custody column
headed only "Markers", "Warnings" or "Flags" mixes markers that say nothing
special (VIOLENT, WEAPONS) with health markers (SELF HARM, MENTAL HEALTH, DRUGS,
SUICIDAL, EPILEPSY, DIABETIC). Given such a header, ``analyze_value`` reports a
cell holding any health marker (or any category term) whole, so a column
classifier sampling the cells sees them as special category; a cell of other
markers only is not reported. In prose the same marker words count after a
label such as "Warning markers:".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.config import DEFAULT_CONFIG_DIR, DetectorConfigError, read_yaml, string_list
from detectors.context import ContextProbe, Keywords
from detectors.terms import TermMatcher, phrase_key

_IC_CODE = re.compile(r"(?<![\w/-])IC ?(?P<digit>[0-9])(?![\w/-])")
_FOLLOWED_BY_NAME = re.compile(r" [A-Z][a-z]")
# "Hi Christian," / "Dear Sikh ...": a capitalised word right after a greeting is a name.
_AFTER_GREETING = re.compile(
    r"(?:^|\n|[.!?]\s+)\s*(?:hi|hello|dear|morning|afternoon|thanks|thank you|cheers|hey)[ ,]+$", re.I
)
# How far after a "warning markers" label marker words count in prose.
_MARKER_REACH = 80
# Religion words double as first names ("Christian Smith") or organisation names.
_NAME_SENSITIVE = frozenset({"religion"})


@dataclass(frozen=True)
class Category:
    """Term lists of one special category."""

    name: str
    terms: tuple[str, ...]
    contextual: tuple[str, ...]
    context: tuple[str, ...]
    veto: tuple[str, ...]
    header_words: tuple[str, ...]


@dataclass(frozen=True)
class Markers:
    """Warning-marker columns and the marker words that are special category."""

    header_words: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    categories: dict[str, tuple[str, ...]] = field(default_factory=dict)


@lru_cache(maxsize=64)
def _keywords(words: tuple[str, ...]) -> Keywords:
    """Compiled keyword sets are cached: headers are asked about once per sampled cell."""
    return Keywords(words)


@dataclass(frozen=True)
class SpecialCategoryTerms:
    """Everything in ``special_category.yaml``, validated."""

    categories: tuple[Category, ...]
    null_values: frozenset[str]
    self_defined_codes: dict[str, str]
    officer_defined_codes: dict[str, str]
    code_context: tuple[str, ...]
    code_veto: tuple[str, ...]
    markers: Markers = field(default_factory=Markers)

    def header_category(self, header: str | None) -> str | None:
        """The category a column header names ("sickness_reason" -> "health"), if any."""
        if not header:
            return None
        for category in self.categories:
            if _keywords(category.header_words).in_header(header):
                return category.name
        return None

    def is_marker_header(self, header: str | None) -> bool:
        """Whether a column header names a warning-marker column ("Markers", "Warnings", "Flags")."""
        return bool(header) and _keywords(self.markers.header_words).in_header(header)


def load_terms(config_dir: Path | None = None) -> SpecialCategoryTerms:
    """Read and validate ``special_category.yaml``.

    :raises DetectorConfigError: naming the file and key of any malformed entry.
    """
    path = (config_dir or DEFAULT_CONFIG_DIR) / "special_category.yaml"
    data = read_yaml(path)
    raw = data.get("categories")
    if not isinstance(raw, dict) or not raw:
        raise DetectorConfigError(f"{path}:categories: must map category names to term lists")
    categories = []
    codes: dict[str, Any] = {}
    for name, body in raw.items():
        if not isinstance(body, dict):
            raise DetectorConfigError(f"{path}:categories.{name}: must be a mapping")
        lists = {
            key: tuple(string_list(path, f"categories.{name}.{key}", body.get(key, [])))
            for key in ("terms", "contextual", "context", "veto", "header_words")
        }
        if not lists["terms"] and not lists["contextual"]:
            raise DetectorConfigError(f"{path}:categories.{name}: needs terms or contextual terms")
        categories.append(Category(name=str(name), **lists))
        for key in ("self_defined_codes", "officer_defined_codes"):
            if key in body:
                if not isinstance(body[key], dict):
                    raise DetectorConfigError(f"{path}:categories.{name}.{key}: must map code to meaning")
                codes[key] = {str(k).upper(): str(v) for k, v in body[key].items()}
        for key in ("code_context", "code_veto"):
            if key in body:
                codes[key] = tuple(string_list(path, f"categories.{name}.{key}", body[key]))
    nulls = string_list(path, "null_values", data.get("null_values", [""])) if data.get("null_values") else []
    known = {c.name for c in categories}
    return SpecialCategoryTerms(
        markers=_load_markers(path, data.get("markers"), known),
        categories=tuple(categories),
        null_values=frozenset(v.lower() for v in nulls) | {""},
        self_defined_codes=codes.get("self_defined_codes", {}),
        officer_defined_codes=codes.get("officer_defined_codes", {}),
        code_context=codes.get("code_context", ()),
        code_veto=codes.get("code_veto", ()),
    )


def _load_markers(path: Path, raw: Any, known: set[str]) -> Markers:
    """Validate the optional ``markers`` section (see the YAML's header comment)."""
    if raw is None:
        return Markers()
    if not isinstance(raw, dict) or set(raw) - {"header_words", "context", "categories"}:
        raise DetectorConfigError(f"{path}:markers: must map header_words, context and categories")
    cats = raw.get("categories") or {}
    if not isinstance(cats, dict):
        raise DetectorConfigError(f"{path}:markers.categories: must map category names to marker terms")
    categories: dict[str, tuple[str, ...]] = {}
    for name, terms in cats.items():
        if name not in known:
            raise DetectorConfigError(f"{path}:markers.categories.{name}: not a category; known: {sorted(known)}")
        categories[str(name)] = tuple(string_list(path, f"markers.categories.{name}", terms))
    return Markers(
        header_words=tuple(string_list(path, "markers.header_words", raw.get("header_words") or [])),
        context=tuple(string_list(path, "markers.context", raw.get("context") or [])),
        categories=categories,
    )


@dataclass
class _Compiled:
    category: Category
    terms: TermMatcher
    contextual: TermMatcher
    context: Keywords
    veto: Keywords


class SpecialCategoryDetector(UkDetector):
    """Finds special category terms, IC codes and special-category column values.

    :param terms: the term lists; ``None`` loads ``config/special_category.yaml``.
    """

    ENTITY = "SPECIAL_CATEGORY"
    NEEDS_DIGIT = False
    WINDOW_BEFORE = 50
    WINDOW_AFTER = 40

    def __init__(self, terms: SpecialCategoryTerms | None = None, **kwargs: Any) -> None:
        self.terms = terms if terms is not None else load_terms()
        self._compiled = [
            _Compiled(c, TermMatcher(c.terms), TermMatcher(c.contextual), Keywords(c.context), Keywords(c.veto))
            for c in self.terms.categories
        ]
        # One pass for all categories' terms and one for their contextual words.
        self._terms = TermMatcher(t for c in self.terms.categories for t in c.terms)
        self._contextual = TermMatcher(t for c in self.terms.categories for t in c.contextual)
        self._term_owner: dict[str, _Compiled] = {}
        self._contextual_owner: dict[str, _Compiled] = {}
        for compiled in self._compiled:
            for term in compiled.category.terms:
                self._term_owner.setdefault(phrase_key(term), compiled)
            for term in compiled.category.contextual:
                self._contextual_owner.setdefault(phrase_key(term), compiled)
        self._code_context = Keywords(self.terms.code_context)
        self._code_veto = Keywords(self.terms.code_veto)
        self._ic_reported = {
            code for code, meaning in self.terms.officer_defined_codes.items() if meaning.lower() != "unknown"
        }
        markers = self.terms.markers
        self._markers = TermMatcher(t for words in markers.categories.values() for t in words)
        self._marker_owner: dict[str, str] = {}
        for name, words in markers.categories.items():
            for term in words:
                self._marker_owner.setdefault(phrase_key(term), name)
        self._marker_context = Keywords(markers.context)
        # Every marker label contains its first word: a substring test spares the keyword scan.
        self._marker_stems = tuple({p.split()[0].lower() for p in markers.context if p.split()})
        super().__init__(**kwargs)

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        column = self.terms.header_category(header)
        if column is not None:
            yield from self._cell(text, column)
            return
        if self.terms.is_marker_header(header):
            yield from self._marker_cell(text)
            return
        yield from self._prose(text)

    def _prose(self, text: str) -> Iterator[RecognizerResult]:
        """Terms, contextual terms, marker words after a marker label, and IC codes in free text."""
        probes: dict[str, tuple[ContextProbe, ContextProbe]] = {}

        def probes_for(c: _Compiled) -> tuple[ContextProbe, ContextProbe]:
            if c.category.name not in probes:
                probes[c.category.name] = (
                    ContextProbe(text, c.context, self.WINDOW_BEFORE, self.WINDOW_AFTER),
                    ContextProbe(text, c.veto, 30, 30),
                )
            return probes[c.category.name]

        reported: list[tuple[int, int]] = []
        for matcher, owners, contextual in (
            (self._terms, self._term_owner, False),
            (self._contextual, self._contextual_owner, True),
        ):
            for m in matcher.finditer(text):
                c = owners.get(phrase_key(m.group()))
                if c is None:
                    continue
                name = c.category.name
                if name in _NAME_SENSITIVE and (
                    _FOLLOWED_BY_NAME.match(text, m.end())
                    or (text[m.start()].isupper() and _AFTER_GREETING.search(text, max(0, m.start() - 20), m.start()))
                ):
                    continue
                context, veto = probes_for(c)
                if veto.near(*m.span()):
                    continue
                near = context.near(*m.span())
                if contextual and not near:
                    continue
                score = 0.7 if contextual else (0.85 if near else 0.7)
                reported.append(m.span())
                yield self._hit(m.span(), score, name, near, "contextual term" if contextual else "term")
        if self._marker_stems:
            lowered = text.lower()
            if any(stem in lowered for stem in self._marker_stems):
                yield from self._prose_markers(text, reported)
        if "IC" in text:
            yield from self._ic_codes(text)

    def _prose_markers(self, text: str, reported: list[tuple[int, int]]) -> Iterator[RecognizerResult]:
        """Marker words ("DRUGS", "MENTAL HEALTH") within 80 characters after a label such as "Warning markers:"."""
        regex = self._markers.regex
        if regex is None:
            return
        reach = 0
        for _, label_end in self._marker_context.spans(text):
            start = max(label_end, reach)
            reach = label_end + _MARKER_REACH
            for m in regex.finditer(text, start, min(len(text), reach)):
                name = self._marker_owner.get(phrase_key(m.group()))
                if name is None or any(s < m.end() and m.start() < e for s, e in reported):
                    continue
                yield self._hit(m.span(), 0.85, name, True, "warning marker")

    def _marker_cell(self, value: str) -> Iterator[RecognizerResult]:
        """A cell of a warning-marker column: reported whole when any of its markers is special."""
        stripped = value.strip()
        if not stripped or stripped.lower() in self.terms.null_values:
            return
        category = None
        for m in self._markers.finditer(value):
            category = self._marker_owner.get(phrase_key(m.group()))
            if category is not None:
                break
        if category is None:
            category = next((r.recognition_metadata["special_category"] for r in self._prose(value)), None)
        if category is None:
            return
        start = value.index(stripped[0])
        yield self._hit((start, start + len(stripped)), 0.85, category, True, "warning marker")

    def _ic_codes(self, text: str) -> Iterator[RecognizerResult]:
        context = ContextProbe(text, self._code_context, 25, 25)
        veto = ContextProbe(text, self._code_veto, 30, 30)
        for m in _IC_CODE.finditer(text):
            if f"IC{m['digit']}" not in self._ic_reported:
                continue
            if context.near(*m.span()) and not veto.near(*m.span()):
                yield self._hit(m.span(), 0.85, "ethnicity", True, "officer-defined ethnicity code")

    def _cell(self, value: str, category: str) -> Iterator[RecognizerResult]:
        """A value in a column whose header names a special category."""
        stripped = value.strip()
        if stripped.lower() in self.terms.null_values:
            return
        start = value.index(stripped[0])
        span = (start, start + len(stripped))
        code = stripped.upper().replace(" ", "")
        if category == "ethnicity" and (code in self.terms.self_defined_codes or code in self._ic_reported):
            yield self._hit(span, 0.85, category, True, "ethnicity code")
            return
        known = any(c.category.name == category and (c.terms.fullmatch(stripped) or c.contextual.fullmatch(
            stripped)) for c in self._compiled)  # fmt: skip
        yield self._hit(span, 0.85 if known else 0.7, category, True, "column value")

    def _hit(self, span: tuple[int, int], score: float, category: str, context: bool, kind: str) -> RecognizerResult:
        return self.result(*span, score, context=context, pattern=kind, special_category=category)


CASES: list[Case] = [
    Positive("Subject has a diagnosis of schizophrenia and self-harm history", "schizophrenia"),
    Positive("Subject has a diagnosis of schizophrenia and self-harm history", "self-harm"),
    Positive("She was diagnosed with depression last year", "depression"),
    Positive("Off sick since March with a back injury", "Off sick"),
    Positive("Warning markers: SELF HARM; MENTAL HEALTH; VIOLENT", "SELF HARM"),
    Positive("Suspect described as IC3 male, approx 25", "IC3"),
    Positive("Two IC1 males seen running", "IC1"),
    Positive("Victim is a White British female", "White British"),
    Positive("black male, 6ft, wearing a grey hoodie", "black male"),
    Positive("halal diet requested in custody", "halal diet"),
    Positive("He attends the mosque on Fridays", "mosque"),
    Positive("Hi Sam,\nThe detainee is a practising Christian and asked for a Bible.", "Christian"),
    Positive("Subject is in a sexual relationship with Jane", "sexual relationship"),
    Positive("She identifies as bisexual", "bisexual"),
    Positive("DNA taken and fingerprints taken on arrival", "DNA taken"),
    Positive("Prints lifted at the scene matched his fingerprints on IDENT1", "fingerprints"),
    Positive("Deduction for union subscription each month", "union subscription"),
    Positive("He is a UNISON member", "UNISON member"),
    Positive("W1", "W1", header="ethnicity_self_defined"),
    Positive("IC3", "IC3", header="ethnicity_officer_defined"),
    Positive("Christian", "Christian", header="religion"),
    Positive("stress", "stress", header="sickness_reason"),
    Positive("Police Federation", "Police Federation", header="union_membership"),
    # Warning-marker columns: a cell with a health marker is reported whole.
    Positive("MENTAL HEALTH; DRUGS", "MENTAL HEALTH; DRUGS", header="Markers"),
    Positive("Drugs", "Drugs", header="Warnings"),
    Positive("VIOLENT, SUICIDAL", "VIOLENT, SUICIDAL", header="Flags"),
    Positive("Epileptic - carries medication", "Epileptic - carries medication", header="Risk Flags"),
    Positive("DIABETIC", "DIABETIC", header="PNC Warning Signals"),
    Positive(" self-harm risk ", "self-harm risk", header="custody_markers"),
    Positive("WEAPONS / MH", "WEAPONS / MH", header="Warning Markers"),
    Positive("schizophrenia", "schizophrenia", header="Markers"),
    # The same words in prose after a marker label.
    Positive("Warning markers: VIOLENT, DRUGS, ESCAPER", "DRUGS"),
    Positive("PNC warning signals - weapons / mental health", "mental health"),
    Positive("Nominal flagged for drugs on the PNC", "drugs"),
    Positive("Absence mostly attributed to anxiety and depression this year", "anxiety and depression"),
    Positive("a recent flare-up of Crohn's disease", "Crohn's disease"),
    Positive("I suffer from glaucoma and cannot see well at distance", "glaucoma"),
    Positive("Absent since March following a hernia repair", "hernia repair"),
    Positive("likely to be considered a disability under the Equality Act 2010", "disability"),
    Negative("We are a Disability Confident Leader employer", "the DWP employer scheme, not a person's disability"),
    Negative("Our disability and carers network meets monthly", "'disability' with no health context"),
    Negative("I'm sick of this spreadsheet", "everyday use of 'sick'"),
    Negative("The economic depression of the 1930s", "no health context for 'depression'"),
    Negative("Replace the IC1 chip on the circuit board", "integrated circuit"),
    Negative("Bed 4 in Intensive Care 1", "hospital ward name"),
    Negative("Check the SSH key fingerprint before connecting", "key fingerprint, not biometric"),
    Negative("Christian Smith will attend the meeting", "a first name"),
    Negative("Hi Christian,\n\nPlease see the attached rota.", "a first name after a greeting"),
    Negative("Thanks, Christian - see you Monday", "a first name after thanks"),
    Negative("The Police Federation issued a statement on pay", "organisation mentioned, no membership"),
    Negative("The account was disabled by IT", "IT sense of 'disabled'"),
    Negative("Prefer not to say", "null value in an ethnicity column", header="ethnicity"),
    Negative("a black car and a white van", "colours, not people"),
    Negative("VIOLENT; WEAPONS", "warning markers that are not special category", header="Markers"),
    Negative("ESCAPER", "not special category", header="Warning Markers"),
    Negative("None", "null value", header="Markers"),
    Negative("Urgent; overdue", "workflow flags", header="Flags"),
    Negative("Drugs were found in the glovebox", "drugs as evidence, no marker label"),
    Negative("Warning markers are reviewed every year by the PNC bureau", "label without any marker after it"),
]
