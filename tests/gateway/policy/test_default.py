"""The default policy file: keys, defaults, and mistakes reported as `file:key: reason`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gateway.policy import check_rules, load_policy
from gateway.policy.default import BUILTIN, parse_default
from gateway.policy.verdict import Action


def _parse(text: str) -> tuple[object, list[str]]:
    errors: list[str] = []
    return parse_default(Path("default.yaml"), yaml.safe_load(text) or {}, errors), errors


def test_empty_mapping_means_builtin_values() -> None:
    policy, errors = _parse("{}")
    assert errors == [] and policy == BUILTIN


def test_overrides() -> None:
    policy, errors = _parse(
        """
        mode: monitor
        max_marking: OFFICIAL-SENSITIVE
        above_max_marking: quarantine
        uninspectable: block
        special_category: block
        high_risk: {action: block, categories: [UK_PNC_ID]}
        bulk: {subjects: 50}
        contact_details: {max_subjects: 2, categories: [PERSON, EMAIL_ADDRESS]}
        other_personal_data: allow
        """
    )
    assert errors == []
    assert policy is not None
    assert policy.monitor  # type: ignore[attr-defined]
    assert policy.max_marking.name == "OFFICIAL-SENSITIVE"  # type: ignore[attr-defined]
    assert policy.above_max_marking is Action.QUARANTINE  # type: ignore[attr-defined]
    assert policy.uninspectable is Action.BLOCK  # type: ignore[attr-defined]
    assert policy.high_risk_categories == {"UK_PNC_ID"}  # type: ignore[attr-defined]
    assert policy.high_risk_action is Action.BLOCK  # type: ignore[attr-defined]
    assert policy.bulk_subjects == 50 and policy.bulk_action is Action.QUARANTINE  # type: ignore[attr-defined]
    assert policy.contact_max_subjects == 2  # type: ignore[attr-defined]
    assert policy.contact_categories == {"PERSON", "EMAIL_ADDRESS"}  # type: ignore[attr-defined]
    assert policy.other_personal_data is Action.ALLOW  # type: ignore[attr-defined]


def test_a_section_without_categories_keeps_the_builtin_list() -> None:
    policy, errors = _parse("high_risk: {action: block}\n")
    assert errors == []
    assert policy.high_risk_categories == BUILTIN.high_risk_categories  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("uninspectable: allow", "default.yaml:uninspectable: must be one of quarantine, block, not 'allow'"),
        ("above_max_marking: allow", "default.yaml:above_max_marking: must be one of quarantine, block"),
        ("special_category: redact", "default.yaml:special_category: must be one of allow, quarantine, block"),
        ("max_marking: SECRETISH", "default.yaml:max_marking: unknown marking 'SECRETISH'"),
        ("bulk: {subjects: 0}", "default.yaml:bulk.subjects: must be at least 1, not 0"),
        ("bulk: {subjects: five}", "default.yaml:bulk.subjects: must be a whole number, not 'five'"),
        ("bulk: {people: 5}", "default.yaml:bulk.people: unknown key"),
        ("bulk: 5", "default.yaml:bulk: must be a mapping of key: value, not 5"),
        ("high_risk: {categories: [PNC]}", "high_risk.categories[0]: unknown field category 'PNC'; did you mean UK_"),
        ("contact_details: {max_subjects: -1}", "default.yaml:contact_details.max_subjects: must be at least 0"),
        ("mode: loud", "default.yaml:mode: must be one of enforce, monitor"),
        ("threshold: 5", "default.yaml:threshold: unknown key"),
    ],
)
def test_mistakes(text: str, expected: str) -> None:
    policy, errors = _parse(text)
    assert policy is None
    assert expected in errors[0], errors


def test_not_a_mapping() -> None:
    errors: list[str] = []
    assert parse_default(Path("default.yaml"), ["a"], errors) is None
    assert errors == ["default.yaml:(file): must be a mapping of key: value"]


def test_invalid_default_file_stops_loading(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("uninspectable: allow\n", encoding="utf-8")
    assert check_rules(tmp_path) == [
        f"{tmp_path}/default.yaml:uninspectable: must be one of quarantine, block, not 'allow'"
    ]


def test_empty_default_file_is_an_error_not_a_silent_builtin(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("", encoding="utf-8")
    assert check_rules(tmp_path) == [f"{tmp_path}/default.yaml:(file): the file is empty"]


def test_two_default_files(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("mode: enforce\n", encoding="utf-8")
    (tmp_path / "default.yml").write_text("mode: enforce\n", encoding="utf-8")
    (error,) = check_rules(tmp_path)
    assert error.startswith(f"{tmp_path}/default.yml:(file): a second default policy file")


def test_default_yaml_is_read(tmp_path: Path) -> None:
    (tmp_path / "default.yaml").write_text("bulk: {subjects: 20}\n", encoding="utf-8")
    policy = load_policy(tmp_path)
    assert policy.default.bulk_subjects == 20 and policy.default_source == tmp_path / "default.yaml"
