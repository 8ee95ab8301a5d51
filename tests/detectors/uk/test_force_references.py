"""force_references.yaml: every example matches its shape, and bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from detectors.config import DetectorConfigError
from detectors.uk.force_references import load_force_references

REFS = load_force_references()
SHAPES = REFS.shapes


@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_examples_and_counter_examples(shape) -> None:  # type: ignore[no-untyped-def]
    assert shape.examples, "every shape needs an example"
    for example in shape.examples:
        assert shape.regex.fullmatch(example), example
    for counter in shape.counter_examples:
        assert not shape.regex.search(counter), counter


def test_both_entities_have_keywords_and_shapes() -> None:
    for entity in ("CUSTODY_REFERENCE", "CRIME_REFERENCE"):
        assert REFS.keywords[entity] and REFS.for_entity(entity)


@pytest.mark.parametrize(
    "content,message",
    [
        ("systems:\n  - {name: x, entity: PERSON, pattern: '\\d+'}\n", "systems\\[x\\].entity"),
        ("systems:\n  - {name: x, entity: CRIME_REFERENCE, pattern: '(\\d'}\n", "invalid regex"),
        ("systems:\n  - {name: x, entity: CRIME_REFERENCE, pattern: '\\d*'}\n", "empty string"),
        ("systems:\n  - {entity: CRIME_REFERENCE}\n", "systems\\[0\\].name"),
        ("entities:\n  NOPE: {keywords: [a]}\n", "unknown entity"),
        ("systems: {}\n", "systems: must be a list"),
    ],
)
def test_bad_files(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "force_references.yaml").write_text(content)
    with pytest.raises(DetectorConfigError, match=message):
        load_force_references(tmp_path)
