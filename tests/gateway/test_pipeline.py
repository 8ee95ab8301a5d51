"""The pipeline composes the stages: read once, detect once, decide per destination, redact in the format."""

from __future__ import annotations

from datetime import date

from gateway.content.model import NotRedactable, Part, PartRedaction, RedactionPlan
from gateway.detect.model import Detection, FieldInfo, Finding
from gateway.pipeline import Inspector, hold_unredactable
from gateway.policy.verdict import Action, Reason, Verdict

CSV = b"Name,NI Number,Job Title\nJohn Smith,AB123456C,PC\nAnne Lee,JG103759A,PS\n"


class CountingDetector:
    def __init__(self) -> None:
        self.calls = 0

    def detect(self, document: Part) -> Detection:
        self.calls += 1
        part = document.name
        return Detection(
            findings=[Finding("UK_NINO", 0.9, f"{part}/table 1", part, "AB123456C", table=0, column="NI Number",
                              column_index=1, row=1)],
            fields=[
                FieldInfo(f"{part}/table 1", part, 0, "Name", 0, "PERSON", 0.9),
                FieldInfo(f"{part}/table 1", part, 0, "NI Number", 1, "UK_NINO", 0.9),
                FieldInfo(f"{part}/table 1", part, 0, "Job Title", 2, "JOB_TITLE", 0.9),
            ],
            subjects=2,
        )


class TablePolicy:
    """Redacts the NI column for the contractor, holds elsewhere, records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str | None] = []

    def decide(self, detection: Detection, destination: str | None, today: date) -> Verdict:
        self.asked.append(destination)
        if destination == "sftp.g4s.com":
            plan = RedactionPlan({"staff.csv": PartRedaction(drop_columns={0: {1}})})
            return Verdict(Action.REDACT, "g4s", [Reason(Action.REDACT, "NI numbers are cut.", "excess")],
                           excess_fields=["NI Number"], plan=plan,
                           allowed_categories=frozenset({"PERSON", "JOB_TITLE"}))
        return Verdict(Action.QUARANTINE, None, [Reason(Action.QUARANTINE, "No agreement.", "default")])


def test_one_read_and_detection_many_decisions() -> None:
    detector, policy = CountingDetector(), TablePolicy()
    results = Inspector(detector, policy).inspect_for(CSV, "staff.csv", ["sftp.g4s.com", "x@gmail.com", None])
    assert detector.calls == 1
    assert policy.asked == ["sftp.g4s.com", "x@gmail.com", None]
    assert [r.action for r in results] == [Action.REDACT, Action.QUARANTINE, Action.QUARANTINE]
    assert results[0].redacted == b"Name,Job Title\nJohn Smith,PC\nAnne Lee,PS\n"
    assert results[1].redacted is None


def test_json_verdict_shape_and_allowed_fields() -> None:
    inspection = Inspector(CountingDetector(), TablePolicy()).inspect(CSV, "staff.csv", "sftp.g4s.com")
    doc = inspection.to_json()
    assert doc["action"] == "redact" and doc["agreement"] == "g4s" and doc["destination"] == "sftp.g4s.com"
    assert doc["excess_fields"] == ["NI Number"] and doc["subjects"] == 2
    assert [(f["column"], f["allowed"]) for f in doc["fields"]] == [
        ("Name", True), ("NI Number", False), ("Job Title", True)]
    assert "text" not in doc["findings"][0] and "AB123456C" not in str(doc)
    assert Inspector(CountingDetector(), TablePolicy()).inspect(CSV, "staff.csv", "sftp.g4s.com").to_json(
        reveal=True)["findings"][0]["text"] == "AB123456C"
    assert inspection.redacted_categories() == {"UK_NINO": 1}


def test_monitor_mode_is_reported() -> None:
    class Monitor(TablePolicy):
        def decide(self, detection: Detection, destination: str | None, today: date) -> Verdict:
            return Verdict(Action.ALLOW, "g4s", [Reason(Action.REDACT, "Would cut.", "excess")], monitor=True,
                           would_action=Action.REDACT)

    doc = Inspector(CountingDetector(), Monitor()).inspect(CSV, "staff.csv", "sftp.g4s.com").to_json()
    assert doc["action"] == "allow" and doc["mode"] == "monitor" and doc["would_action"] == "redact"


def test_unredactable_format_is_held_with_a_reason_that_no_longer_promises_a_cut() -> None:
    verdict = Verdict(Action.REDACT, "g4s", [Reason(Action.REDACT, "2 columns are removed from the copy.", "excess")],
                      excess_fields=["NI Number", "DOB"], plan=RedactionPlan())
    hold_unredactable(verdict, "PDF cannot be redacted safely")
    assert verdict.action is Action.QUARANTINE and verdict.plan is None
    assert verdict.reason_texts() == [
        "Data not allowed under agreement g4s (“NI Number”, “DOB”) would have to be removed, but PDF cannot be "
        "redacted safely; it is held for a reviewer instead."
    ]


def test_pipeline_escalates_when_the_writer_refuses(monkeypatch) -> None:
    import gateway.pipeline as pipeline

    def refuse(part: Part, plan: RedactionPlan) -> bytes:
        raise NotRedactable("the format cannot be rewritten")

    monkeypatch.setattr(pipeline.content, "write", refuse)
    inspection = Inspector(CountingDetector(), TablePolicy()).inspect(CSV, "staff.csv", "sftp.g4s.com")
    assert inspection.action is Action.QUARANTINE and inspection.redacted is None
    assert "cannot be rewritten" in inspection.to_json()["reasons"][0]
