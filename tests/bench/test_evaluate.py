"""The evaluation set and its scorer: labels match the generated files, and the arithmetic is right.

Detector quality is not asserted here: `python -m bench.evaluate` is the gate.
"""

from __future__ import annotations

import csv
import email
import io
import json
from email import policy
from pathlib import Path

import openpyxl
import pytest

from bench.evalset.generate import generate
from bench.evalset.scoring import CellLoc, Item, Score, TextLoc, align_labels, negatives_flagged, score_document
from bench.evaluate import ADDRESS_TYPES, finding_items, gates
from gateway.content.model import Part, Segment, Table
from gateway.detect.model import Finding

# --------------------------------------------------------------------------- the generated set


@pytest.fixture(scope="module")
def small_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict]]:
    out = tmp_path_factory.mktemp("evalset")
    generate(out, seed=3, scale=0.08)
    labels = [json.loads(line) for line in (out / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    return out, labels


def test_every_document_is_written_and_labelled(small_set: tuple[Path, list[dict]]) -> None:
    out, labels = small_set
    files = sorted(p.relative_to(out).as_posix() for p in (out / "docs").iterdir())
    assert files == sorted(d["doc"] for d in labels)
    categories = {d["category"] for d in labels}
    assert {"staff_export", "custody_extract", "intelligence_report", "lookalike"} <= categories
    assert any(c.startswith("email_") for c in categories) and any(c.startswith("clean_") for c in categories)


def test_same_seed_same_set(tmp_path: Path, small_set: tuple[Path, list[dict]]) -> None:
    out, _ = small_set
    generate(tmp_path, seed=3, scale=0.08)
    assert (tmp_path / "labels.jsonl").read_text() == (out / "labels.jsonl").read_text()
    for p in (out / "docs").glob("*.txt"):
        assert (tmp_path / "docs" / p.name).read_bytes() == p.read_bytes()


def test_text_labels_point_at_their_text(small_set: tuple[Path, list[dict]]) -> None:
    out, labels = small_set
    checked = 0
    for doc in labels:
        if not doc["doc"].endswith(".txt"):
            continue
        text = (out / doc["doc"]).read_text(encoding="utf-8")
        for e in doc["entities"]:
            assert text[e["start"] : e["end"]] == e["text"]
            assert text[: e["start"]].endswith(e["before"])
            checked += 1
        for n in doc["negatives"]:
            assert n["text"] in text
    assert checked > 20


def test_email_labels_are_in_the_message(small_set: tuple[Path, list[dict]]) -> None:
    out, labels = small_set
    for doc in labels:
        if not doc["doc"].endswith(".eml"):
            continue
        msg = email.message_from_bytes((out / doc["doc"]).read_bytes(), policy=policy.default)
        body = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        attachments = {a.get_filename(): a.get_content() for a in msg.iter_attachments()}
        for e in doc["entities"]:
            if e.get("part"):
                content = attachments[e["part"]]
                text = content if isinstance(content, str) else content.decode("utf-8")
                rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
                assert rows[e["row"]][rows[0].index(e["column"])] == e["text"]
            elif e["field"] == "subject":
                assert msg["Subject"][e["start"] : e["end"]] == e["text"]
            else:
                assert body[e["start"] : e["end"]] == e["text"]


def test_table_labels_point_at_their_cells(small_set: tuple[Path, list[dict]]) -> None:
    out, labels = small_set
    checked = 0
    for doc in labels:
        path = out / doc["doc"]
        if path.suffix == ".csv":
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
            sheets = {None: rows}
        elif path.suffix == ".xlsx":
            wb = openpyxl.load_workbook(path)
            sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
        else:
            continue
        for e in doc["entities"]:
            rows = sheets[e.get("sheet")]
            cell = rows[e["row"]][rows[0].index(e["column"])]
            assert cell not in (None, "")
            if isinstance(cell, str):
                assert cell == e["text"]
            checked += 1
        for spec in doc["unscored"]:
            assert spec["column"] in sheets[spec.get("sheet")][0]
    assert checked > 100


def test_clean_documents_carry_no_personal_data_labels(small_set: tuple[Path, list[dict]]) -> None:
    _, labels = small_set
    clean = [d for d in labels if d["clean"]]
    assert clean
    for doc in clean:
        assert {e["type"] for e in doc["entities"]} <= {"PROTECTIVE_MARKING"}
        assert all(e["text"] == "OFFICIAL" for e in doc["entities"])


def test_lookalikes_are_recorded(small_set: tuple[Path, list[dict]]) -> None:
    _, labels = small_set
    negatives = [n for d in labels for n in d["negatives"]]
    assert negatives and all(n["type"] and n["why"] for n in negatives)


# --------------------------------------------------------------------------- scoring arithmetic


def _t(start: int, end: int, segment: int = 0, part: str = "doc.txt") -> TextLoc:
    return TextLoc(part, segment, start, end)


def _c(row: int, column: int, table: int = 0, part: str = "doc.csv") -> CellLoc:
    return CellLoc(part, table, row, column)


def test_text_overlap_rule() -> None:
    labels = [Item("PERSON", _t(10, 20)), Item("PERSON", _t(30, 40)), Item("UK_NHS", _t(50, 62))]
    predictions = [
        Item("PERSON", _t(8, 12)),  # overlaps the first name: TP
        Item("PERSON", _t(15, 25)),  # also overlaps it: TP
        Item("PERSON", _t(40, 45)),  # touches the end only: FP
        Item("PHONE_NUMBER", _t(50, 62)),  # right place, wrong type: FP for phone, NHS missed
        Item("PERSON", _t(30, 40, segment=1)),  # other segment: FP
    ]
    score = score_document(labels, predictions, set())
    person = score.total("PERSON")
    assert (person.predicted, person.true_positive, person.labels, person.found) == (4, 2, 2, 1)
    assert person.precision == 0.5 and person.recall == 0.5
    nhs = score.total("UK_NHS")
    assert (nhs.predicted, nhs.labels, nhs.found, nhs.precision, nhs.recall) == (0, 1, 0, None, 0.0)
    phone = score.total("PHONE_NUMBER")
    assert (phone.predicted, phone.true_positive, phone.labels, phone.recall) == (1, 0, 0, None)


def test_one_prediction_can_find_two_labels() -> None:
    labels = [Item("UK_BANK_ACCOUNT", _t(0, 8)), Item("UK_BANK_ACCOUNT", _t(20, 28))]
    score = score_document(labels, [Item("UK_BANK_ACCOUNT", _t(0, 28))], set())
    c = score.total("UK_BANK_ACCOUNT")
    assert (c.predicted, c.true_positive, c.found, c.recall, c.precision) == (1, 1, 2, 1.0, 1.0)


def test_cells_are_scored_once_per_type() -> None:
    labels = [Item("PERSON", _c(1, 0)), Item("PERSON", _c(2, 0)), Item("DATE_OF_BIRTH", _c(1, 1))]
    predictions = [
        Item("PERSON", _c(1, 0)),
        Item("PERSON", _c(1, 0)),  # a second finding in the same cell counts once
        Item("DATE_OF_BIRTH", _c(1, 2)),  # start date called a DOB: FP
        Item("PERSON", _c(3, 5)),  # unscored column: ignored
    ]
    score = score_document(labels, predictions, {("doc.csv", 0, 5)})
    person = score.total("PERSON", "table")
    assert (person.predicted, person.true_positive, person.labels, person.found) == (1, 1, 2, 1)
    dob = score.total("DATE_OF_BIRTH", "table")
    assert (dob.predicted, dob.true_positive, dob.labels, dob.found) == (1, 0, 1, 0)
    assert score.total("PERSON", "text").labels == 0


def test_unscored_single_cell() -> None:
    labels = [Item("SPECIAL_CATEGORY", _c(1, 3))]
    predictions = [Item("SPECIAL_CATEGORY", _c(1, 3)), Item("SPECIAL_CATEGORY", _c(2, 3))]
    score = score_document(labels, predictions, {("doc.csv", 0, 3, 2)})
    c = score.total("SPECIAL_CATEGORY")
    assert (c.predicted, c.true_positive, c.labels, c.found) == (1, 1, 1, 1)


def test_lost_labels_are_misses() -> None:
    labels = [Item("PERSON", None, "x", "table"), Item("PERSON", _c(1, 0))]
    score = score_document(labels, [Item("PERSON", _c(1, 0))], set())
    c = score.total("PERSON", "table")
    assert (c.labels, c.found, c.unaligned, c.recall) == (2, 1, 1, 0.5)


def test_scores_add_up_and_combine() -> None:
    a = score_document([Item("STREET_ADDRESS", _c(1, 0))], [Item("STREET_ADDRESS", _c(1, 0))], set())
    b = score_document([Item("UK_POSTCODE", _c(1, 1))], [], set())
    total = Score()
    total.add(a)
    total.add(b)
    combined = total.combined(ADDRESS_TYPES, "table")
    assert (combined.labels, combined.found, combined.recall) == (2, 1, 0.5)


def test_gates() -> None:
    score = Score()
    score.add(score_document([Item("UK_NHS", _t(0, 10))] * 1, [Item("UK_NHS", _t(0, 10))], set()))
    score.add(score_document([Item("PERSON", _t(0, 5)), Item("PERSON", _t(10, 15))], [Item("PERSON", _t(0, 5))], set()))
    result = {g["gate"]: g for g in gates(score, clean_failures=[])}
    assert result["recall UK_NHS"]["passed"] and result["recall UK_NHS"]["value"] == 1.0
    assert not result["recall PERSON in prose"]["passed"] and result["recall PERSON in prose"]["value"] == 0.5
    assert result["precision PERSON"]["passed"]
    assert result["recall UK_PNC_ID"]["value"] is None  # no support: not failed
    failing = gates(score, clean_failures=[{"doc": "x", "action": "quarantine", "reasons": []}])
    assert not next(g for g in failing if g["gate"].startswith("no clean"))["passed"]


# --------------------------------------------------------------------------- alignment


def test_text_label_is_placed_by_context() -> None:
    doc = Part(
        name="mail.eml",
        kind="eml",
        segments=[Segment("Smith report", "subject")],
        children=[Part(name="mail.eml/body", kind="text", segments=[Segment("Hi Smith,\nwe met Mr Smith today.")])],
    )
    labels = {
        "entities": [
            {"type": "PERSON", "text": "Smith", "where": "text", "field": "body", "before": "we met Mr "},
            {"type": "PERSON", "text": "Smith", "where": "text", "field": "subject", "before": ""},
            {"type": "PERSON", "text": "Jones", "where": "text", "field": "body", "before": ""},
        ],
        "unscored": [],
    }
    items, _ = align_labels(doc, labels)
    assert items[0].loc == TextLoc("mail.eml/body", 0, 20, 25)
    assert items[1].loc == TextLoc("mail.eml", 0, 0, 5)
    assert items[2].loc is None


def test_table_label_is_placed_by_sheet_and_header() -> None:
    doc = Part(
        name="x.xlsx",
        kind="xlsx",
        tables=[
            Table("Summary", ["Team", "Officers"], [["CID", "3"]]),
            Table("raw", ["\ufeffSurname", "Staff No"], [["Ng", "W1"], ["Osei", "W2"]], hidden=True),
        ],
    )
    labels = {
        "entities": [
            {"type": "PERSON", "text": "Osei", "where": "table", "sheet": "raw", "column": "Surname", "row": 2}
        ],
        "unscored": [{"part": None, "sheet": "raw", "column": "Staff No"}],
    }
    items, unscored = align_labels(doc, labels)
    assert items[0].loc == CellLoc("x.xlsx", 1, 2, 0)
    assert unscored == {("x.xlsx", 1, 1)}


def test_negatives_flagged() -> None:
    doc = Part(name="n.txt", kind="text", segments=[Segment("HO code 037/02 and 809/01.")])
    labels = {
        "negatives": [
            {"type": "UK_CRO", "text": "037/02", "why": "HOC"},
            {"type": "UK_CRO", "text": "809/01", "why": "HOC"},
        ]
    }
    flags = negatives_flagged(doc, labels, [Item("UK_CRO", TextLoc("n.txt", 0, 8, 14))])
    assert [f["flagged"] for f in flags] == [True, False]


def test_findings_become_items() -> None:
    findings = [
        Finding("PERSON", 0.9, "a.csv/a.csv", "a.csv", "Ng", table=0, column="Surname", column_index=2, row=4),
        Finding("UK_NHS", 1.0, "b.txt", "b.txt", "999 000 0018", start=5, end=17, segment=1),
        Finding("PERSON", 0.9, "c", "c", "no location"),
    ]
    assert finding_items(findings) == [
        Item("PERSON", CellLoc("a.csv", 0, 4, 2), "Ng"),
        Item("UK_NHS", TextLoc("b.txt", 1, 5, 17), "999 000 0018"),
    ]
