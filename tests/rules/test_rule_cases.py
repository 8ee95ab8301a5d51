"""Runs every case table under rules/cases/ through the real pipeline.

One generic test: each case's file is read, detected and judged exactly as
`dlp-gateway scan` would (content readers, recognizers, the shipped rules,
redaction), and the action (plus, where the table says so, the agreement
applied, excess and missing fields, the codes of reasons that must be among
the verdict's, and monitor mode's would-be action) must match. A redacted
copy is inspected again and must then be allowed with nothing in excess.
Cases marked `ner: true` need names in prose and load spaCy.

Also checked: every rule file has a case table and every table tests a rule
file (orphans fail), and every table is well formed, so a typo in a case can
never make it pass vacuously.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from gateway.pipeline import Inspector
from gateway.policy import PolicySet
from gateway.policy.verdict import Action
from gateway.settings import Settings

REPO = Path(__file__).resolve().parents[2]
RULES = REPO / "rules"
CASES = RULES / "cases"

CASE_KEYS = {"name", "file", "to", "expect", "agreement", "excess_fields", "missing_fields", "today", "mode",
             "would", "ner", "because"}  # fmt: skip
TABLE_KEYS = {"rules", "today", "cases"}


@dataclass(frozen=True)
class Case:
    table: str
    name: str
    file: Path
    to: str | None
    expect: Action
    today: date
    raw: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.table}: {self.name}"


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _load_cases() -> list[Case]:
    cases: list[Case] = []
    for path in sorted(CASES.glob("*.yaml")):
        table = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(table, dict) and set(table) <= TABLE_KEYS, f"{path}: keys must be {sorted(TABLE_KEYS)}"
        assert table.get("rules") == path.stem, f"{path}: `rules` must be {path.stem!r}"
        assert table.get("cases"), f"{path}: no cases"
        for i, raw in enumerate(table["cases"]):
            unknown = set(raw) - CASE_KEYS
            assert not unknown, f"{path}: case {i}: unknown keys {sorted(unknown)}"
            for key in ("name", "file", "to", "expect"):
                assert key in raw, f"{path}: case {i}: `{key}` is required"
            cases.append(
                Case(
                    table=path.stem,
                    name=raw["name"],
                    file=CASES / raw["file"],
                    to=raw["to"],
                    expect=Action.parse(raw["expect"]),
                    today=_day(raw.get("today", table["today"])),
                    raw=raw,
                )
            )
    return cases


ALL_CASES = _load_cases()


def _param(case: Case) -> Any:
    marks = [pytest.mark.ner] if case.raw.get("ner") else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.fixture(scope="session")
def inspector_for(tmp_path_factory: pytest.TempPathFactory) -> Callable[[bool], Inspector]:
    """The real inspector on the shipped rules, built once per NER setting, when first needed."""
    from gateway.bootstrap import build_inspector

    state_dir = tmp_path_factory.mktemp("state")  # no EDM index: register matches are not part of these cases
    built: dict[bool, Inspector] = {}

    def get(ner: bool) -> Inspector:
        if ner not in built:
            built[ner] = build_inspector(Settings(rules_dir=RULES, with_ner=ner, state_dir=state_dir))
        return built[ner]

    return get


def _with_monitor(policy: PolicySet, agreement_id: str) -> PolicySet:
    """The shipped rules, with one agreement (or the default policy) switched to monitor mode."""
    if agreement_id == "default":
        return dataclasses.replace(policy, default=dataclasses.replace(policy.default, mode="monitor"))
    assert policy.get(agreement_id) is not None, f"no agreement {agreement_id!r} to monitor"
    agreements = tuple(
        dataclasses.replace(a, mode="monitor") if a.id == agreement_id else a for a in policy.agreements
    )
    return dataclasses.replace(policy, agreements=agreements)


@pytest.mark.parametrize("case", [_param(c) for c in ALL_CASES])
def test_case(case: Case, inspector_for: Callable[[bool], Inspector]) -> None:
    inspector = inspector_for(bool(case.raw.get("ner")))
    if case.raw.get("mode") == "monitor":
        policy = inspector.policy
        assert isinstance(policy, PolicySet)
        inspector = Inspector(inspector.detector, _with_monitor(policy, case.table), inspector.limits)
    inspection = inspector.inspect(case.file.read_bytes(), case.file.name, case.to, today=case.today)
    verdict = inspection.verdict
    why = f"reasons: {verdict.reason_texts()}; excess: {verdict.excess_fields}; missing: {verdict.missing_fields}"
    assert verdict.action is case.expect, f"got {verdict.action.label}, expected {case.expect.label}; {why}"
    if "agreement" in case.raw:
        assert verdict.agreement == case.raw["agreement"], why
    if "excess_fields" in case.raw:
        assert verdict.excess_fields == case.raw["excess_fields"], why
    if "missing_fields" in case.raw:
        assert verdict.missing_fields == case.raw["missing_fields"], why
    if "because" in case.raw:
        codes = [r.code for r in verdict.reasons]
        absent = [code for code in case.raw["because"] if code not in codes]
        assert not absent, f"no reason coded {absent} among {codes}; {why}"
    if "would" in case.raw:
        assert verdict.monitor and verdict.would_action is Action.parse(case.raw["would"]), why
    if verdict.action is Action.REDACT:
        assert inspection.redacted, "a redact verdict must come with the redacted copy"
        again = inspector.inspect(inspection.redacted, case.file.name, case.to, today=case.today).verdict
        assert again.action is Action.ALLOW and again.excess_fields == [], (
            f"the redacted copy is not clean: {again.reason_texts()}"
        )


def test_every_rule_file_has_cases_and_every_table_a_rule_file() -> None:
    rules = {p.stem for p in RULES.glob("*.yaml")}
    tables = {p.stem for p in CASES.glob("*.yaml")}
    assert rules == tables, f"rule files without cases: {rules - tables}; cases without rules: {tables - rules}"


def test_every_case_file_exists_and_every_sample_file_is_used() -> None:
    used = {c.file for c in ALL_CASES}
    missing = sorted(str(p) for p in used if not p.is_file())
    assert not missing, f"case files that do not exist: {missing}"
    samples = {p for p in (CASES / "files").rglob("*") if p.is_file() and p.suffix != ".py"}
    unused = sorted(str(p.relative_to(CASES)) for p in samples - used)
    assert not unused, f"sample files no case uses: {unused}"


def test_each_table_covers_the_actions_its_rules_can_give() -> None:
    """Each agreement's table exercises allow, a fall to the default, and monitor mode."""
    for table in {c.table for c in ALL_CASES} - {"default"}:
        cases = [c for c in ALL_CASES if c.table == table]
        assert any(c.expect is Action.ALLOW and c.raw.get("mode") != "monitor" for c in cases), table
        assert any(c.raw.get("agreement", "") is None for c in cases), f"{table}: no fall to the default policy"
        assert any(c.raw.get("mode") == "monitor" for c in cases), f"{table}: no monitor-mode case"
