"""`Detector`: a Document (tree of Parts) in, a `Detection` out.

Built once per process (it holds the presidio engine and, with NER, the spaCy
model). `detect` walks every part: text segments through `text`, tables through
`tables` (column classes and per-cell findings), the whole document through
Exact Data Match when an index has been built, then counts data subjects and
collects protective markings. Names and addresses of an e-mail's own
correspondents are reported with `where="correspondent"` but are not
disclosures: they count as no subject and policy does not judge them (see
`correspondents`).

Failing closed: a part that the reader could not open is listed in
`Detection.uninspectable` with the reader's reason, and so is a part whose
inspection raised, so policy never mistakes "could not look" for "clean".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from gateway.content.model import Part
from gateway.detect import markings
from gateway.detect.analyzer import Analyzer
from gateway.detect.columns import HeaderSynonyms
from gateway.detect.correspondents import Correspondents
from gateway.detect.model import CORRESPONDENT, Detection, Finding
from gateway.detect.subjects import ID_TYPES, SubjectCounter
from gateway.detect.tables import TableScanner
from gateway.detect.text import segment_findings

log = logging.getLogger(__name__)

# Column categories whose cells are counted as table rows, not again as text mentions.
_ROW_COUNTED = frozenset({*ID_TYPES, "PERSON", "DATE_OF_BIRTH"})


class EdmMatcher(Protocol):
    """What the detector needs from Exact Data Match (`gateway.detect.edm.EdmIndex`)."""

    def match(self, document: Part) -> list[Finding]: ...


@dataclass(frozen=True)
class DetectorConfig:
    """How to build a Detector.

    :param config_dir: the gateway's `config/` folder (recognizers, allow-list, `columns.yaml`).
    :param with_ner: load spaCy for names in prose; off, names come only from layouts.
    :param edm_dir: where `dlp-gateway edm build` wrote its indexes; None disables EDM.
    """

    config_dir: Path
    with_ner: bool = True
    edm_dir: Path | None = None


def _load_edm(edm_dir: Path | None) -> EdmMatcher | None:
    if edm_dir is None:
        return None
    from gateway.detect.edm import EdmIndex

    return EdmIndex.load(edm_dir)


class Detector:
    """Finds personal data, classified columns, subjects and markings in a Document.

    :param config: where the configuration lives and whether to load NER.
    :param edm: an Exact Data Match index to use instead of loading one from `config.edm_dir`.
    """

    def __init__(self, config: DetectorConfig, edm: EdmMatcher | None = None) -> None:
        self.config = config
        self.analyzer = Analyzer(config.config_dir, config.with_ner)
        self.synonyms = HeaderSynonyms.load(Path(config.config_dir) / "columns.yaml")
        self.tables = TableScanner(self.analyzer, self.synonyms)
        self.edm = edm if edm is not None else _load_edm(config.edm_dir)

    def detect(self, document: Part) -> Detection:
        """Everything detection can say about ``document`` and all parts below it."""
        detection = Detection()
        subjects = SubjectCounter()
        correspondents = Correspondents.of(document)
        for part in document.walk():
            if part.uninspectable:
                detection.uninspectable.append((part.name, part.uninspectable))
            try:
                self._detect_part(part, detection, subjects, correspondents)
            except Exception as exc:  # fail closed: the part is reported as not inspected
                log.exception("detection failed on a %s part (%s)", part.kind, type(exc).__name__)
                detection.uninspectable.append((part.name, f"detection failed ({type(exc).__name__})"))
        if self.edm is not None:
            try:
                detection.findings.extend(self.edm.match(document))
            except Exception as exc:  # fail closed: EDM unusable means the document was not fully checked
                log.exception("exact data match failed (%s)", type(exc).__name__)
                detection.uninspectable.append((document.name, f"exact data match failed ({type(exc).__name__})"))
        detection.subjects = subjects.count()
        detection.markings = markings.collect(detection.findings)
        return detection

    def _detect_part(
        self, part: Part, detection: Detection, subjects: SubjectCounter, correspondents: Correspondents
    ) -> None:
        found = [
            replace(f, where=CORRESPONDENT) if correspondents.is_correspondent(f) else f
            for f in (segment_findings(self.analyzer, part) if part.segments else [])
        ]
        subjects.add_findings(f for f in found if f.where != CORRESPONDENT)
        detection.findings.extend(found)
        for index, table in enumerate(part.tables):
            findings, fields, classes = self.tables.scan(part, index)
            subjects.add_table(table, classes)
            subjects.add_findings(
                f
                for f in findings
                if f.column_index is None
                or f.column_index >= len(classes)
                or classes[f.column_index].category not in _ROW_COUNTED
            )
            detection.findings.extend(findings)
            detection.fields.extend(fields)
