"""Loading agreements: valid files load, every kind of mistake is one `file:key: reason` line."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from gateway.policy import RuleError, check_rules, load_policy
from gateway.policy.agreements import parse_agreement
from gateway.policy.default import BUILTIN
from gateway.policy.markings import OFFICIAL_SENSITIVE
from gateway.policy.verdict import Action

VALID = textwrap.dedent(
    """\
    id: g4s-support-services
    title: Support services outsourcing business case
    owner: Deputy Chief Constable (SIRO)
    purpose: Evaluate outsourcing of support services
    valid_from: 2012-09-01
    valid_until: 2013-06-30
    destinations:
      - "*.g4s.com"
      - "*@g4s.com"
    allowed_fields: [PERSON, JOB_TITLE, RANK, WORK_LOCATION, PAY_GRADE]
    required_fields: [PERSON, JOB_TITLE]
    on_excess: redact
    on_incomplete: quarantine
    special_category: quarantine
    max_marking: OFFICIAL
    """
)


def _folder(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def _errors_for(tmp_path: Path, replace: dict[str, str | None]) -> list[str]:
    """Errors of the valid file with some top-level lines replaced (None removes the key)."""
    lines = VALID.splitlines()
    out: list[str] = []
    skipping = False
    for line in lines:
        key = line.split(":", 1)[0] if line and not line.startswith(" ") else None
        if key is not None:
            skipping = False
            if key in replace:
                skipping = True
                if replace[key] is not None:
                    out.append(f"{key}: {replace[key]}")
                continue
        if not skipping:
            out.append(line)
    present = {line.split(":", 1)[0] for line in lines if line and not line.startswith(" ")}
    out += [f"{key}: {value}" for key, value in replace.items() if key not in present and value is not None]
    _folder(tmp_path, **{"a.yaml": "\n".join(out) + "\n"})
    return check_rules(tmp_path)


def test_the_contract_example_loads(tmp_path: Path) -> None:
    policy = load_policy(_folder(tmp_path, **{"g4s.yaml": VALID}))
    (a,) = policy.agreements
    assert a.id == "g4s-support-services"
    assert a.destinations == ("*.g4s.com", "*@g4s.com")
    assert a.allowed_fields == {"PERSON", "JOB_TITLE", "RANK", "WORK_LOCATION", "PAY_GRADE"}
    assert a.required_fields == {"PERSON", "JOB_TITLE"}
    assert (a.on_excess, a.on_incomplete, a.special_category) == (Action.REDACT, Action.QUARANTINE, Action.QUARANTINE)
    assert a.max_marking.name == "OFFICIAL"
    assert (a.valid_from, a.valid_until) == (date(2012, 9, 1), date(2013, 6, 30))
    assert a.mode == "enforce" and not a.monitor
    assert a.source == tmp_path / "g4s.yaml"


def test_optional_keys_default_to_the_cautious_choice(tmp_path: Path) -> None:
    minimal = """\
        id: minimal
        title: t
        owner: o
        valid_from: 2026-01-01
        valid_until: 2026-12-31
        destinations: [a.example]
        allowed_fields: []
    """
    (a,) = load_policy(_folder(tmp_path, **{"m.yaml": minimal})).agreements
    assert a.on_excess is Action.QUARANTINE
    assert a.on_incomplete is Action.QUARANTINE
    assert a.special_category is Action.QUARANTINE
    assert a.max_marking.name == "OFFICIAL"
    assert a.required_fields == frozenset() and a.allowed_fields == frozenset()


def test_monitor_mode_and_legacy_marking(tmp_path: Path) -> None:
    errors = _errors_for(tmp_path, {"max_marking": "RESTRICTED"})
    assert errors == []
    (tmp_path / "a.yaml").write_text(VALID + "mode: monitor\n", encoding="utf-8")
    (a,) = load_policy(tmp_path).agreements
    assert a.monitor


@pytest.mark.parametrize(
    "replace,expected",
    [
        ({"id": None}, "a.yaml:id: required key is missing"),
        ({"id": "G4S Support"}, "a.yaml:id: 'G4S Support' must be lower case"),
        ({"id": "default"}, "a.yaml:id: 'default' is reserved"),
        ({"title": '""'}, "a.yaml:title: must be a non-empty text"),
        ({"owner": None}, "a.yaml:owner: required key is missing"),
        ({"owner": "[a, b]"}, "a.yaml:owner: must be a non-empty text, not a list"),
        ({"valid_from": "2012-02-30"}, "a.yaml:valid_from: must be a date written YYYY-MM-DD, not '2012-02-30'"),
        ({"valid_from": "1st September 2012"}, "a.yaml:valid_from: must be a date written YYYY-MM-DD"),
        ({"valid_until": "2012-01-01 10:00:00"}, "a.yaml:valid_until: must be a date written YYYY-MM-DD"),
        ({"valid_until": "2012-08-31"}, "a.yaml:valid_until: 2012-08-31 is before valid_from 2012-09-01"),
        ({"destinations": "[]"}, "a.yaml:destinations: must list at least one entry"),
        ({"destinations": None}, "a.yaml:destinations: required key is missing"),
        ({"destinations": "'*.g4s.com'"}, "a.yaml:destinations: must be a list"),
        ({"destinations": '["*.g4s.com", "https://g4s.com"]'}, "a.yaml:destinations[1]: 'https://g4s.com' looks like"),
        ({"destinations": '["*@*"]'}, "a.yaml:destinations[0]: '*@*' would match every destination"),
        ({"destinations": '["a@@b"]'}, "a.yaml:destinations[0]: 'a@@b' is not an e-mail glob"),
        ({"allowed_fields": "[NINO]"}, "a.yaml:allowed_fields[0]: unknown field category 'NINO'; did you mean UK_NINO"),
        ({"allowed_fields": "[PERSON, PERSON, JOB_TITLE]"}, "a.yaml:allowed_fields[1]: PERSON is listed twice"),
        ({"allowed_fields": None}, "a.yaml:allowed_fields: required key is missing"),
        ({"allowed_fields": "[DOB]"}, "a.yaml:allowed_fields[0]: unknown field category 'DOB'; did you mean DATE_OF_"),
        ({"required_fields": "[PERSON, UK_NINO]"}, "a.yaml:required_fields: UK_NINO required but not in allowed"),
        ({"required_fields": "[JOB_TITEL]"}, "a.yaml:required_fields[0]: unknown field category 'JOB_TITEL'; did you"),
        ({"on_excess": "allow"}, "a.yaml:on_excess: must be one of redact, quarantine, block, not 'allow'"),
        ({"on_excess": "delete"}, "a.yaml:on_excess: must be one of redact, quarantine, block"),
        ({"on_incomplete": "redact"}, "a.yaml:on_incomplete: must be one of allow, quarantine, block, not"),
        ({"special_category": "yes"}, "a.yaml:special_category: must be one of allow, quarantine, block, not the bo"),
        ({"max_marking": "HUSH-HUSH"}, "a.yaml:max_marking: unknown marking 'HUSH-HUSH'"),
        ({"max_marking": None}, None),  # optional: OFFICIAL
        ({"purpose": "7"}, "a.yaml:purpose: must be a non-empty text, not 7"),
        ({"valid_untill": "2013-06-30"}, "a.yaml:valid_untill: unknown key; did you mean valid_until?"),
        ({"mode": "dry-run"}, "a.yaml:mode: must be one of enforce, monitor, not 'dry-run'"),
        ({"on_excess": ""}, "a.yaml:on_excess: has no value; give one or remove the key"),
    ],
)
def test_each_mistake_names_file_key_and_reason(
    tmp_path: Path, replace: dict[str, str | None], expected: str | None
) -> None:
    errors = _errors_for(tmp_path, replace)
    if expected is None:
        assert errors == []
        return
    prefix = str(tmp_path) + "/"
    assert any(e.removeprefix(prefix).startswith(expected) for e in errors), errors


def test_every_error_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    errors = _errors_for(tmp_path, {"id": None, "on_excess": "allow", "max_marking": "X"})
    assert len(errors) == 3


def test_unknown_key_appended_to_valid_file(tmp_path: Path) -> None:
    _folder(tmp_path, **{"a.yaml": VALID + "retention: 30\n"})
    assert check_rules(tmp_path) == [f"{tmp_path}/a.yaml:retention: unknown key"]


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    errors: list[str] = []
    assert parse_agreement(Path("x.yaml"), ["id", "a"], errors) is None
    assert errors == ["x.yaml:(file): must be a mapping of key: value, not list"]


def test_yaml_syntax_error(tmp_path: Path) -> None:
    _folder(tmp_path, **{"a.yaml": "id: a\n  title: [\n"})
    (error,) = check_rules(tmp_path)
    assert error.startswith(f"{tmp_path}/a.yaml:line ") and "not valid YAML" in error


def test_empty_agreement_file(tmp_path: Path) -> None:
    _folder(tmp_path, **{"a.yaml": "# nothing yet\n"})
    assert check_rules(tmp_path) == [f"{tmp_path}/a.yaml:(file): the file is empty"]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    _folder(tmp_path, **{"one.yaml": VALID, "two.yaml": VALID})
    assert check_rules(tmp_path) == [
        f"{tmp_path}/two.yaml:id: duplicate id 'g4s-support-services', also used in {tmp_path}/one.yaml"
    ]
    with pytest.raises(RuleError) as raised:
        load_policy(tmp_path)
    assert str(raised.value).startswith(f"{tmp_path}/two.yaml:id: duplicate id")


def test_yml_files_are_rules_too_and_other_files_are_not(tmp_path: Path) -> None:
    _folder(tmp_path, **{"a.yml": VALID, "README.md": "not a rule", ".#a.yaml": "junk: ["})
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "x.yaml").write_text("cases: []\n", encoding="utf-8")
    assert [a.id for a in load_policy(tmp_path).agreements] == ["g4s-support-services"]


def test_missing_default_means_builtin(tmp_path: Path) -> None:
    policy = load_policy(_folder(tmp_path, **{"a.yaml": VALID}))
    assert policy.default is BUILTIN and policy.default_source is None


def test_shipped_default_equals_builtin() -> None:
    """rules/default.yaml documents the built-in default: they must not drift apart."""
    rules = Path(__file__).resolve().parents[3] / "rules"
    policy = load_policy(rules)
    assert policy.default_source == rules / "default.yaml"
    assert policy.default == BUILTIN


def test_shipped_agreements_are_valid_and_in_force_on_the_brief_date() -> None:
    rules = Path(__file__).resolve().parents[3] / "rules"
    policy = load_policy(rules)
    ids = {a.id for a in policy.agreements}
    assert {"g4s-support-services", "cps-case-files", "pnd-upload"} <= ids
    for a in policy.agreements:
        assert a.in_window(date(2026, 11, 21)), a.id
    cps = policy.get("cps-case-files")
    assert cps is not None and cps.max_marking.level == OFFICIAL_SENSITIVE


def test_missing_folder(tmp_path: Path) -> None:
    assert check_rules(tmp_path / "nope") == [f"{tmp_path}/nope:(folder): no such rules folder"]
    with pytest.raises(RuleError):
        load_policy(tmp_path / "nope")


def test_empty_folder_is_valid_with_builtin_default(tmp_path: Path) -> None:
    policy = load_policy(tmp_path)
    assert policy.agreements == () and policy.default is BUILTIN
