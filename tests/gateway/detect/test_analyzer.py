from __future__ import annotations

import pytest
import tldextract.tldextract as tld
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NoOpNlpEngine

from gateway.detect.analyzer import Analyzer
from gateway.detect.detector import Detector
from gateway.detect.model import FIELD_CATEGORIES

from .conftest import CONFIG_DIR


def test_only_contract_entities_and_no_presidio_defaults(detector: Detector) -> None:
    analyzer = detector.analyzer
    assert set(analyzer.entities) <= set(FIELD_CATEGORIES)
    names = {type(r).__name__ for r in analyzer.engine.registry.recognizers}
    assert not any(n.startswith("Us") or n in ("SpacyRecognizer", "DateRecognizer", "UrlRecognizer") for n in names)
    assert {"UK_NINO", "UK_PNC_ID", "PERSON", "PROTECTIVE_MARKING"} <= set(analyzer.entities)


def test_without_ner_no_model_is_loaded(detector: Detector) -> None:
    assert isinstance(detector.analyzer.nlp_engine, NoOpNlpEngine)
    assert "NerPersonRecognizer" not in {type(r).__name__ for r in detector.analyzer.engine.registry.recognizers}


def test_tldextract_never_fetches_the_suffix_list(detector: Detector) -> None:
    assert tld.TLD_EXTRACTOR.suffix_list_urls == ()


def test_analyze_value_uses_the_header_as_context_and_filters_entities(detector: Detector) -> None:
    analyzer = detector.analyzer
    assert [r.entity_type for r in analyzer.analyze_value("AB123456C", None, ["UK_NINO"])] == ["UK_NINO"]
    assert analyzer.analyze_value("AB123456C", None, ["UK_NHS"]) == []
    assert analyzer.analyze_value("01/02/1980", "Arrest date") == []
    assert [r.entity_type for r in analyzer.analyze_value("01/02/1980", "Date of Birth")] == ["DATE_OF_BIRTH"]
    assert analyzer.analyze_value("   ", "NI Number") == []


def test_allow_list_applies_to_text_results(detector: Detector) -> None:
    assert detector.analyzer.allows("PHONE_NUMBER", "01632 960000")
    [results] = detector.analyzer.analyze_texts(["Switchboard 01632 960000, mobile 07700 900123"], [False])
    assert [r.entity_type for r in results] == ["PHONE_NUMBER"]


def test_a_recognizer_outside_the_contract_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stray(EntityRecognizer):
        def load(self) -> None:
            return None

        def analyze(self, text: str, entities: list[str], nlp_artifacts: object = None) -> list[RecognizerResult]:
            return []

    import detectors.registry

    monkeypatch.setattr(detectors.registry, "build_recognizers", lambda _: [Stray(supported_entities=["US_SSN"])])
    with pytest.raises(ValueError, match="US_SSN"):
        Analyzer(CONFIG_DIR, with_ner=False)


def test_config_dir_may_be_given_as_a_string() -> None:
    assert Analyzer(str(CONFIG_DIR), with_ner=False).threshold == 0.5  # type: ignore[arg-type]


@pytest.mark.ner
def test_ner_runs_only_on_texts_marked_as_prose(ner_detector: Detector) -> None:
    analyzer = ner_detector.analyzer
    assert analyzer.nlp_engine.get_nlp("en").pipe_names == ["ner"]
    text = "Yesterday Zbigniew Brzezinski arrived."
    prose, not_prose = analyzer.analyze_texts([text, text], [True, False])
    assert [text[r.start : r.end] for r in prose] == ["Zbigniew Brzezinski"]
    assert not_prose == []
