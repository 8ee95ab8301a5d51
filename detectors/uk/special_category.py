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
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.config import DEFAULT_CONFIG_DIR, DetectorConfigError, read_yaml, string_list
from detectors.context import ContextProbe, Keywords
from detectors.terms import TermMatcher, phrase_key

_IC_CODE = re.compile(r"(?<![\w/-])IC ?(?P<digit>[0-9])(?![\w/-])")
_FOLLOWED_BY_NAME = re.compile(r" [A-Z][a-z]")
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
class SpecialCategoryTerms:
    """Everything in ``special_category.yaml``, validated."""

    categories: tuple[Category, ...]
    null_values: frozenset[str]
    self_defined_codes: dict[str, str]
    officer_defined_codes: dict[str, str]
    code_context: tuple[str, ...]
    code_veto: tuple[str, ...]

    def header_category(self, header: str | None) -> str | None:
        """The category a column header names ("sickness_reason" -> "health"), if any."""
        if not header:
            return None
        for category in self.categories:
            if Keywords(category.header_words).in_header(header):
                return category.name
        return None


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
    return SpecialCategoryTerms(
        categories=tuple(categories),
        null_values=frozenset(v.lower() for v in nulls) | {""},
        self_defined_codes=codes.get("self_defined_codes", {}),
        officer_defined_codes=codes.get("officer_defined_codes", {}),
        code_context=codes.get("code_context", ()),
        code_veto=codes.get("code_veto", ()),
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
        super().__init__(**kwargs)

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        column = self.terms.header_category(header)
        if column is not None:
            yield from self._cell(text, column)
            return
        probes: dict[str, tuple[ContextProbe, ContextProbe]] = {}

        def probes_for(c: _Compiled) -> tuple[ContextProbe, ContextProbe]:
            if c.category.name not in probes:
                probes[c.category.name] = (
                    ContextProbe(text, c.context, self.WINDOW_BEFORE, self.WINDOW_AFTER),
                    ContextProbe(text, c.veto, 30, 30),
                )
            return probes[c.category.name]

        for matcher, owners, contextual in (
            (self._terms, self._term_owner, False),
            (self._contextual, self._contextual_owner, True),
        ):
            for m in matcher.finditer(text):
                c = owners.get(phrase_key(m.group()))
                if c is None:
                    continue
                name = c.category.name
                if name in _NAME_SENSITIVE and _FOLLOWED_BY_NAME.match(text, m.end()):
                    continue
                context, veto = probes_for(c)
                if veto.near(*m.span()):
                    continue
                near = context.near(*m.span())
                if contextual and not near:
                    continue
                score = 0.7 if contextual else (0.85 if near else 0.7)
                yield self._hit(m.span(), score, name, near, "contextual term" if contextual else "term")
        if "IC" in text:
            yield from self._ic_codes(text)

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
    Negative("I'm sick of this spreadsheet", "everyday use of 'sick'"),
    Negative("The economic depression of the 1930s", "no health context for 'depression'"),
    Negative("Replace the IC1 chip on the circuit board", "integrated circuit"),
    Negative("Bed 4 in Intensive Care 1", "hospital ward name"),
    Negative("Check the SSH key fingerprint before connecting", "key fingerprint, not biometric"),
    Negative("Christian Smith will attend the meeting", "a first name"),
    Negative("The Police Federation issued a statement on pay", "organisation mentioned, no membership"),
    Negative("The account was disabled by IT", "IT sense of 'disabled'"),
    Negative("Prefer not to say", "null value in an ethnicity column", header="ethnicity"),
    Negative("a black car and a white van", "colours, not people"),
]
