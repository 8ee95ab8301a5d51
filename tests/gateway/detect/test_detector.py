from __future__ import annotations

from pathlib import Path

import pytest

import gateway.detect
from gateway.content.model import Part, Segment, Table
from gateway.detect import Detector, DetectorConfig
from gateway.detect.model import Finding

from .conftest import CONFIG_DIR
from .parts import table_part, text_part


def _email() -> Part:
    body = Part(name="mail.eml/body", kind="text", segments=[Segment("Please see attached. Regards, Mr Patel")])
    sheet = table_part(["Surname", "NI Number"], [["SMITH", "AB123456C"]], name="mail.eml/staff.csv")
    locked = Part(name="mail.eml/secret.zip", kind="zip", uninspectable="encrypted archive")
    subject = Segment("OFFICIAL-SENSITIVE: PERSONAL", where="subject")
    return Part(name="mail.eml", kind="eml", segments=[subject], children=[body, sheet, locked])


def test_every_part_of_the_tree_is_inspected(detector: Detector) -> None:
    detection = detector.detect(_email())
    where = {(f.entity_type, f.part) for f in detection.findings}
    assert where == {
        ("PROTECTIVE_MARKING", "mail.eml"),
        ("PERSON", "mail.eml/body"),
        ("PERSON", "mail.eml/staff.csv/Sheet1"),
        ("UK_NINO", "mail.eml/staff.csv/Sheet1"),
    }
    assert detection.uninspectable == [("mail.eml/secret.zip", "encrypted archive")]
    assert detection.markings == ["OFFICIAL-SENSITIVE: PERSONAL"]
    assert detection.subjects == 2
    assert [(f.part, f.column, f.category) for f in detection.fields] == [
        ("mail.eml/staff.csv/Sheet1", "Surname", "PERSON"),
        ("mail.eml/staff.csv/Sheet1", "NI Number", "UK_NINO"),
    ]


def test_a_part_that_fails_inspection_is_reported_not_skipped(
    detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(detector.tables, "scan", broken)
    detection = detector.detect(_email())
    assert ("mail.eml/staff.csv", "detection failed (RuntimeError)") in detection.uninspectable
    assert any(f.part == "mail.eml/body" for f in detection.findings)  # the other parts still inspected


class FakeEdm:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.seen: list[Part] = []

    def match(self, document: Part) -> list[Finding]:
        self.seen.append(document)
        if self.fail:
            raise OSError("index unreadable")
        return [Finding("STAFF_RECORD", 1.0, "staff.csv/Sheet1", "staff.csv", "SMITH", table=0, row=1)]


def test_exact_data_match_findings_are_added() -> None:
    edm = FakeEdm()
    detector = Detector(DetectorConfig(CONFIG_DIR, with_ner=False), edm=edm)
    part = table_part(["Surname"], [["SMITH"]])
    detection = detector.detect(part)
    assert edm.seen == [part]
    assert "STAFF_RECORD" in detection.entity_types()


def test_an_unusable_edm_index_fails_closed() -> None:
    detector = Detector(DetectorConfig(CONFIG_DIR, with_ner=False), edm=FakeEdm(fail=True))
    detection = detector.detect(table_part(["Surname"], [["SMITH"]]))
    assert detection.uninspectable == [("staff.csv", "exact data match failed (OSError)")]


def test_an_edm_dir_without_an_index_means_no_edm(tmp_path: Path) -> None:
    assert Detector(DetectorConfig(CONFIG_DIR, with_ner=False, edm_dir=tmp_path)).edm is None


def test_a_clean_document_has_no_findings(detector: Detector) -> None:
    text = (
        "QUARTERLY PERFORMANCE REPORT\nThe figures show a 5% reduction in burglary compared with last year. "
        "Operation Trident continues across the force area; the Home Office guidance is attached."
    )
    table = Table("Sheet1", ["Rank", "Headcount"], [["PC", "420"], ["PS", "80"], ["Insp", "25"]])
    detection = detector.detect(Part("report.docx", "docx", segments=[Segment(text)], tables=[table]))
    assert detection.findings == []
    assert {f.category for f in detection.fields} == {"NON_PERSONAL"}
    assert (detection.subjects, detection.markings, detection.uninspectable) == (0, [], [])


def test_package_exports_are_lazy_and_explicit() -> None:
    assert gateway.detect.Detector is Detector
    with pytest.raises(AttributeError):
        _ = gateway.detect.NoSuchThing


@pytest.mark.ner
def test_intelligence_report_end_to_end(ner_detector: Detector) -> None:
    text = (
        "OFFICIAL-SENSITIVE\n"
        "Subject NOWAK, Tomasz (DOB 12/03/1985, PNC 2002/0073319Z) is believed to be supplying class A drugs "
        "from 14 Mill Lane, Anytown AB1 2CD. He is in a relationship with Chloe Bennett (DOB 01/02/1990). "
        "Intelligence suggests that Margaret O'Neill, his neighbour, has been threatened.\n"
        "Submitted by DC 4521 Kowalski"
    )
    detection = ner_detector.detect(text_part(text, name="IR_001.docx"))
    found = {(f.entity_type, f.text) for f in detection.findings}
    assert {
        ("PERSON", "NOWAK, Tomasz"),
        ("PERSON", "Chloe Bennett"),
        ("PERSON", "Margaret O'Neill"),
        ("PERSON", "Kowalski"),
        ("DATE_OF_BIRTH", "12/03/1985"),
        ("DATE_OF_BIRTH", "01/02/1990"),
        ("UK_PNC_ID", "2002/0073319Z"),
    } <= found
    assert detection.markings == ["OFFICIAL-SENSITIVE"]
    assert detection.subjects == 4
