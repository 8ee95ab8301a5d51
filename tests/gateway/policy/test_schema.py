"""Strict YAML reading: syntax errors, repeated keys and bad dates name the file and line."""

from __future__ import annotations

from pathlib import Path

from gateway.policy.schema import Keys, RuleError, load_yaml


def _load(tmp_path: Path, text: str) -> tuple[bool, object, list[str]]:
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    errors: list[str] = []
    ok, data = load_yaml(path, errors)
    return ok, data, errors


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    ok, _, errors = _load(tmp_path, "id: a\ntitle: [unclosed\nowner: x\n")
    assert not ok
    assert len(errors) == 1 and errors[0].startswith(f"{tmp_path / 'a.yaml'}:line ")
    assert "not valid YAML" in errors[0]


def test_repeated_key_is_an_error(tmp_path: Path) -> None:
    ok, _, errors = _load(tmp_path, "allowed_fields: [PERSON]\nallowed_fields: [UK_NINO]\n")
    assert not ok
    assert "line 2" in errors[0] and "'allowed_fields' appears twice" in errors[0]


def test_dates_stay_text_for_the_key_reader(tmp_path: Path) -> None:
    ok, data, errors = _load(tmp_path, "valid_from: 2026-13-01\nvalid_until: 2027-01-31\n")
    assert ok and not errors
    assert isinstance(data, dict)
    keys = Keys(tmp_path / "a.yaml", data, errors)
    assert keys.day("valid_from") is None
    assert str(keys.day("valid_until")) == "2027-01-31"
    assert errors == [f"{tmp_path / 'a.yaml'}:valid_from: must be a date written YYYY-MM-DD, not '2026-13-01'"]


def test_empty_file_is_ok_but_none(tmp_path: Path) -> None:
    assert _load(tmp_path, "") == (True, None, [])


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"id: caf\xe9\n")
    errors: list[str] = []
    assert load_yaml(path, errors) == (False, None)
    assert errors == [f"{path}:(file): not UTF-8 text"]


def test_keys_report_wrong_types_and_unknown_keys(tmp_path: Path) -> None:
    errors: list[str] = []
    data = {"n": "five", "flag": True, "items": "PERSON", "sub": [1], "typo_key": 1, "empty": None}
    keys = Keys(Path("r.yaml"), data, errors)
    assert keys.integer("n", default=1) is None
    assert keys.choice("flag", ("allow", "block"), "block") is None
    assert keys.text_list("items") is None
    assert keys.mapping("sub") is None
    assert keys.text("empty", required=False) is None
    keys.finish()
    assert errors == [
        "r.yaml:n: must be a whole number, not 'five'",
        "r.yaml:flag: must be one of allow, block, not the boolean true (quote it if you meant text)",
        "r.yaml:items: must be a list, not 'PERSON'",
        "r.yaml:sub: must be a mapping of key: value, not a list",
        "r.yaml:empty: has no value; give one or remove the key",
        "r.yaml:typo_key: unknown key",
    ]


def test_rule_error_message_is_the_first_line() -> None:
    single = RuleError(["a.yaml:id: required key is missing"])
    assert str(single) == "a.yaml:id: required key is missing"
    several = RuleError(["a.yaml:id: x", "b.yaml:title: y"])
    assert str(several).startswith("a.yaml:id: x (and 1 more")
    assert several.errors == ["a.yaml:id: x", "b.yaml:title: y"]
