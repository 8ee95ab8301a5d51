"""The recognizer set: coverage of the contract, configuration, and use through presidio."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider

from detectors.base import UkDetector
from detectors.config import DEFAULT_CONFIG_DIR, DetectorConfigError
from detectors.registry import RECOGNIZER_CLASSES, analyze_value, build_recognizers, load_settings
from gateway.detect.model import ENTITY_TYPES, FIELD_CATEGORIES

# Reported by other components: spaCy NER and exact data match.
NOT_PATTERN_BASED = {"PERSON", "STAFF_RECORD", "OFFENDER_RECORD"}


@pytest.fixture(scope="module")
def recognizers() -> list[UkDetector]:
    return build_recognizers()  # type: ignore[return-value]


def test_every_pattern_entity_of_the_contract_has_a_recognizer(recognizers: list[UkDetector]) -> None:
    reported = {r.ENTITY for r in recognizers}
    assert reported == (set(ENTITY_TYPES) - NOT_PATTERN_BASED) | {"CUSTODY_REFERENCE", "CRIME_REFERENCE"}
    assert reported <= set(FIELD_CATEGORIES)


def test_one_recognizer_per_entity_except_custody(recognizers: list[UkDetector]) -> None:
    counts = Counter(r.ENTITY for r in recognizers)
    assert counts.pop("CUSTODY_REFERENCE") == 2  # ASN + force custody numbers
    assert set(counts.values()) == {1}


def test_every_recognizer_is_in_recognizers_yaml_and_back() -> None:
    listed = set(yaml.safe_load((DEFAULT_CONFIG_DIR / "recognizers.yaml").read_text())["recognizers"])
    assert listed == {cls.__name__ for cls in RECOGNIZER_CLASSES}


def test_each_recognizer_module_has_cases() -> None:
    for cls in RECOGNIZER_CLASSES:
        assert sys.modules[cls.__module__].CASES, cls.__name__


def _config_copy(tmp_path: Path) -> Path:
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    return target


def test_disabled_recognizer_is_left_out_and_extra_context_is_used(tmp_path: Path) -> None:
    config = _config_copy(tmp_path)
    path = config / "recognizers.yaml"
    data = yaml.safe_load(path.read_text())
    data["recognizers"]["IpAddressDetector"] = {"enabled": False}
    data["recognizers"]["UkPassportDetector"] = {"extra_context": ["travel doc ref"]}
    path.write_text(yaml.safe_dump(data))
    built = build_recognizers(config)
    assert "IpAddressDetector" not in {r.name for r in built}
    passport = next(r for r in built if r.name == "UkPassportDetector")
    assert passport.analyze("travel doc ref 925076473", ["UK_PASSPORT"], None)


@pytest.mark.parametrize(
    "content,message",
    [
        ("recognizers:\n  NoSuchRecognizer: {}\n", "recognizers.NoSuchRecognizer: no such recognizer"),
        ("score_threshold: 2\n", "score_threshold: must be a number"),
        ("recognizers:\n  UkPncDetector: {enabled: maybe}\n", "UkPncDetector.enabled"),
        ("recognizers:\n  UkPncDetector: {colour: red}\n", "allowed keys"),
        ("recognizers:\n  UkPncDetector: {extra_context: 7}\n", "extra_context"),
    ],
)
def test_bad_recognizers_yaml_names_file_and_key(tmp_path: Path, content: str, message: str) -> None:
    config = _config_copy(tmp_path)
    (config / "recognizers.yaml").write_text(content)
    with pytest.raises(DetectorConfigError, match=message):
        build_recognizers(config)


def test_threshold_is_read() -> None:
    threshold, settings = load_settings(DEFAULT_CONFIG_DIR)
    assert threshold == 0.5 and settings["UkPncDetector"]["enabled"]


def test_analyze_value_uses_the_header(recognizers: list[UkDetector]) -> None:
    found = {r.entity_type for r in analyze_value(recognizers, "925076473", "passport_number") if r.score >= 0.5}
    assert "UK_PASSPORT" in found
    assert not [r for r in analyze_value(recognizers, "925076473", "order_ref") if r.entity_type == "UK_PASSPORT"]


def test_works_inside_presidio_without_spacy(recognizers: list[UkDetector]) -> None:
    nlp = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "no_op", "models": [{"lang_code": "en", "model_name": "no_op"}]}
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in recognizers:
        registry.add_recognizer(recognizer)
    engine = AnalyzerEngine(nlp_engine=nlp, registry=registry, supported_languages=["en"])
    text = "OFFICIAL-SENSITIVE\nSubject PNC 79/163001B, DOB 01/02/1980, NI AB123456C, mob 07700 900123."
    results = engine.analyze(text, language="en", score_threshold=0.5)
    found = {(r.entity_type, text[r.start : r.end]) for r in results}
    assert {
        ("PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE"),
        ("UK_PNC_ID", "79/163001B"),
        ("DATE_OF_BIRTH", "01/02/1980"),
        ("UK_NINO", "AB123456C"),
        ("PHONE_NUMBER", "07700 900123"),
    } <= found
    # The engine's lemma enhancer must not have altered our scores.
    pnc = next(r for r in results if r.entity_type == "UK_PNC_ID")
    assert pnc.score == 1.0
