"""Force-local reference shapes from ``config/force_references.yaml``.

Custody record numbers and crime/occurrence references have no national format,
so their shapes are configuration, and each match needs keyword context (see the
YAML's header). This module loads and validates the file and provides the
recognizer base shared by :mod:`detectors.uk.custody_reference` and
:mod:`detectors.uk.crime_reference`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from presidio_analyzer import RecognizerResult

from detectors.base import UkDetector
from detectors.config import DEFAULT_CONFIG_DIR, DetectorConfigError, read_yaml, string_list
from detectors.context import ContextProbe

ENTITIES = ("CUSTODY_REFERENCE", "CRIME_REFERENCE")


@dataclass(frozen=True)
class ReferenceShape:
    """One force system's reference shape."""

    name: str
    entity: str
    regex: re.Pattern[str]
    description: str
    requires_context: bool
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


@dataclass(frozen=True)
class ForceReferences:
    """All shapes and keywords from ``force_references.yaml``."""

    shapes: tuple[ReferenceShape, ...]
    keywords: dict[str, tuple[str, ...]]

    def for_entity(self, entity: str) -> tuple[ReferenceShape, ...]:
        """The shapes reported as ``entity``."""
        return tuple(s for s in self.shapes if s.entity == entity)


def load_force_references(config_dir: Path | None = None) -> ForceReferences:
    """Read and validate ``force_references.yaml``.

    :raises DetectorConfigError: naming the file and key of a malformed entry or a bad regex.
    """
    path = (config_dir or DEFAULT_CONFIG_DIR) / "force_references.yaml"
    data = read_yaml(path)
    entities = data.get("entities", {})
    if not isinstance(entities, dict):
        raise DetectorConfigError(f"{path}:entities: must be a mapping")
    keywords: dict[str, tuple[str, ...]] = {}
    for entity in ENTITIES:
        body = entities.get(entity, {})
        if not isinstance(body, dict):
            raise DetectorConfigError(f"{path}:entities.{entity}: must be a mapping")
        keywords[entity] = tuple(string_list(path, f"entities.{entity}.keywords", body.get("keywords", [])))
    unknown = set(entities) - set(ENTITIES)
    if unknown:
        raise DetectorConfigError(f"{path}:entities: unknown entity {sorted(unknown)[0]!r}; use {ENTITIES}")
    systems = data.get("systems", [])
    if not isinstance(systems, list):
        raise DetectorConfigError(f"{path}:systems: must be a list")
    return ForceReferences(tuple(_shape(path, i, s) for i, s in enumerate(systems)), keywords)


def _shape(path: Path, index: int, raw: Any) -> ReferenceShape:
    where = f"{path}:systems[{index}]"
    if not isinstance(raw, dict):
        raise DetectorConfigError(f"{where}: must be a mapping")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise DetectorConfigError(f"{where}.name: required")
    where = f"{path}:systems[{name}]"
    entity = raw.get("entity")
    if entity not in ENTITIES:
        raise DetectorConfigError(f"{where}.entity: must be one of {ENTITIES}, got {entity!r}")
    pattern = raw.get("pattern")
    if not isinstance(pattern, str) or not pattern:
        raise DetectorConfigError(f"{where}.pattern: required")
    try:
        regex = re.compile(rf"(?<![\w/])(?:{pattern})(?![\w/])")
    except re.error as e:
        raise DetectorConfigError(f"{where}.pattern: invalid regex: {e}") from e
    if regex.search(""):
        raise DetectorConfigError(f"{where}.pattern: matches the empty string")
    requires_context = raw.get("requires_context", True)
    if not isinstance(requires_context, bool):
        raise DetectorConfigError(f"{where}.requires_context: must be true or false")
    return ReferenceShape(
        name=name,
        entity=entity,
        regex=regex,
        description=str(raw.get("description", "")),
        requires_context=requires_context,
        examples=tuple(string_list(path, f"systems[{name}].examples", raw.get("examples", []))),
        counter_examples=tuple(
            string_list(path, f"systems[{name}].counter_examples", raw.get("counter_examples", []))
            if raw.get("counter_examples")
            else []
        ),
    )


_YEAR_RANGE = re.compile(r"(?:19|20)(\d\d)/(\d\d)")


def is_year_range(value: str) -> bool:
    """Whether ``value`` is a financial or academic year ("2026/27"), which fits serial/YY shapes.

    Performance tables and reports are full of them next to the word "crime".
    """
    m = _YEAR_RANGE.fullmatch(value)
    return m is not None and (int(m.group(1)) + 1) % 100 == int(m.group(2))


class ForceReferenceDetector(UkDetector):
    """Reports configured reference shapes for one entity type when a keyword is near.

    :param references: loaded configuration; ``None`` reads ``config/force_references.yaml``.
    """

    ENTITY: ClassVar[str]
    WINDOW_BEFORE = 40
    WINDOW_AFTER = 15

    def __init__(self, references: ForceReferences | None = None, **kwargs: Any) -> None:
        refs = references if references is not None else load_force_references()
        self.shapes = refs.for_entity(self.ENTITY)
        kwargs.setdefault("context_words", refs.keywords.get(self.ENTITY, ()))
        super().__init__(**kwargs)
        self._always = tuple(s for s in self.shapes if not s.requires_context)

    REQUIRES_CONTEXT = True

    def _gate(self, text: str) -> bool:
        """A keyword, or a match of a shape that carries its own prefix (NFRC..., CAD ...)."""
        return super()._gate(text) or any(s.regex.search(text) for s in self._always)

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        seen: set[tuple[int, int]] = set()
        for shape in self.shapes:
            for m in shape.regex.finditer(text):
                span = m.span()
                if span in seen or is_year_range(m.group()):
                    continue
                context = probe.near(*span)
                if shape.requires_context and not context:
                    continue
                seen.add(span)
                score = 0.8 if context else 0.7
                yield self.result(*span, score, context=context, pattern=shape.name, reference=shape.name)
