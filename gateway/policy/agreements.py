"""Data sharing agreements: the model, and reading a rules folder into it.

One YAML file per agreement (contract section 3), plus `default.yaml` for
destinations no agreement covers. Reading checks everything a typo could break
and reports each problem as `file:key: reason`:

* unknown keys, missing required keys, wrong types, empty values;
* field categories not in the contract's list (with a did-you-mean);
* actions each key does not accept; dates that are not YYYY-MM-DD;
  `valid_until` before `valid_from`;
* destinations: none listed, or a glob that is not a host or e-mail glob,
  or one that would match everything;
* `required_fields` that `allowed_fields` does not allow (a complete transfer
  would then always be excess);
* unknown markings; ids used by two files; YAML syntax errors and repeated keys.

Agreement keys, with their defaults when optional:

    id, title, owner, valid_from, valid_until, destinations, allowed_fields  (required)
    purpose, legal_basis                       informational, shown by `rules check`
    required_fields: []                        categories a complete transfer must contain
    on_excess: quarantine                      redact | quarantine | block
    on_incomplete: quarantine                  allow | quarantine | block
    special_category: quarantine               allow | quarantine | block
    max_marking: OFFICIAL                      highest marking that may go
    mode: enforce                              enforce | monitor (report, but allow)

Optional keys default to the cautious choice, so a short agreement never
lets more through than a long one would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from gateway.policy.default import BUILTIN, ENFORCE, MODES, MONITOR, DefaultPolicy, parse_default
from gateway.policy.markings import MARKING_NAMES, OFFICIAL_MARKING, Marking, parse_level_name
from gateway.policy.match import glob_problem
from gateway.policy.schema import Keys, load_yaml
from gateway.policy.verdict import Action

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
DEFAULT_STEM = "default"
RULE_SUFFIXES = (".yaml", ".yml")

ON_EXCESS = (Action.REDACT, Action.QUARANTINE, Action.BLOCK)
ON_INCOMPLETE = (Action.ALLOW, Action.QUARANTINE, Action.BLOCK)
ON_SPECIAL = (Action.ALLOW, Action.QUARANTINE, Action.BLOCK)


@dataclass(frozen=True)
class Agreement:
    """One data sharing agreement, validated. `source` is the file it came from."""

    id: str
    title: str
    owner: str
    valid_from: date
    valid_until: date
    destinations: tuple[str, ...]
    allowed_fields: frozenset[str]
    required_fields: frozenset[str] = frozenset()
    on_excess: Action = Action.QUARANTINE
    on_incomplete: Action = Action.QUARANTINE
    special_category: Action = Action.QUARANTINE
    max_marking: Marking = OFFICIAL_MARKING
    mode: str = ENFORCE
    purpose: str | None = None
    legal_basis: str | None = None
    source: Path | None = None

    @property
    def monitor(self) -> bool:
        return self.mode == MONITOR

    def in_window(self, today: date) -> bool:
        """Both ends are inclusive: an agreement valid until 30 June covers 30 June."""
        return self.valid_from <= today <= self.valid_until

    def window_status(self, today: date) -> str | None:
        """None when in force; otherwise a phrase for reasons and warnings."""
        if today > self.valid_until:
            return f"expired on {self.valid_until.isoformat()}"
        if today < self.valid_from:
            return f"is not valid until {self.valid_from.isoformat()}"
        return None


def parse_agreement(path: Path, data: Any, errors: list[str]) -> Agreement | None:
    """Validate one parsed agreement file; append `file:key: reason` lines and return None on error."""
    if not isinstance(data, dict):
        errors.append(f"{path}:(file): must be a mapping of key: value, not {type(data).__name__}")
        return None
    before = len(errors)
    keys = Keys(path, data, errors)
    ident = keys.text("id")
    if ident is not None and not ID_PATTERN.match(ident):
        keys.error("id", f"{ident!r} must be lower case letters, digits, '.', '_' or '-' (at most 64)")
    if ident == DEFAULT_STEM:
        keys.error("id", "'default' is reserved for the default policy file")
    title = keys.text("title")
    owner = keys.text("owner")
    purpose = keys.text("purpose", required=False)
    legal_basis = keys.text("legal_basis", required=False)
    valid_from = keys.day("valid_from")
    valid_until = keys.day("valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        keys.error("valid_until", f"{valid_until.isoformat()} is before valid_from {valid_from.isoformat()}")
    destinations = keys.text_list("destinations", allow_empty=False)
    for i, glob in enumerate(destinations or []):
        problem = glob_problem(glob)
        if problem:
            keys.error(f"destinations[{i}]", problem)
    allowed = keys.categories("allowed_fields", required=True)
    required = keys.categories("required_fields")
    if allowed is not None and required:
        outside = sorted(required - allowed)
        if outside:
            keys.error("required_fields", f"{', '.join(outside)} required but not in allowed_fields")
    on_excess = keys.action("on_excess", ON_EXCESS, Action.QUARANTINE)
    on_incomplete = keys.action("on_incomplete", ON_INCOMPLETE, Action.QUARANTINE)
    special = keys.action("special_category", ON_SPECIAL, Action.QUARANTINE)
    max_marking = _max_marking(keys)
    mode = keys.choice("mode", MODES, ENFORCE)
    keys.finish()
    if (
        len(errors) > before
        or ident is None
        or title is None
        or owner is None
        or valid_from is None
        or valid_until is None
        or destinations is None
        or allowed is None
        or required is None
        or on_excess is None
        or on_incomplete is None
        or special is None
        or max_marking is None
        or mode is None
    ):
        return None
    return Agreement(
        id=ident,
        title=title,
        owner=owner,
        purpose=purpose,
        legal_basis=legal_basis,
        valid_from=valid_from,
        valid_until=valid_until,
        destinations=tuple(d.lower() for d in destinations),
        allowed_fields=allowed,
        required_fields=required,
        on_excess=on_excess,
        on_incomplete=on_incomplete,
        special_category=special,
        max_marking=max_marking,
        mode=mode,
        source=path,
    )


def _max_marking(keys: Keys) -> Marking | None:
    text = keys.text("max_marking", required=False)
    if text is None:
        return OFFICIAL_MARKING
    marking = parse_level_name(text)
    if marking is None:
        keys.error("max_marking", f"unknown marking {text!r}; expected one of {', '.join(MARKING_NAMES)}")
    return marking


@dataclass(frozen=True)
class RulesFolder:
    """What a rules folder holds once read: agreements in id order, the default, and any errors."""

    agreements: tuple[Agreement, ...]
    default: DefaultPolicy | None
    default_source: Path | None
    errors: list[str]


def rule_files(rules_dir: Path) -> list[Path]:
    """Every rule file directly in the folder (sub-folders such as `cases/` are not rules)."""
    return sorted(
        p
        for p in rules_dir.iterdir()
        if p.suffix.lower() in RULE_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


def read_rules_folder(rules_dir: Path) -> RulesFolder:
    """Read and validate every rule file; without a default file the built-in default applies."""
    errors: list[str] = []
    if not rules_dir.is_dir():
        return RulesFolder((), None, None, [f"{rules_dir}:(folder): no such rules folder"])
    agreements: list[Agreement] = []
    default: DefaultPolicy | None = BUILTIN
    default_source: Path | None = None
    seen: dict[str, Path] = {}
    for path in rule_files(rules_dir):
        ok, data = load_yaml(path, errors)
        is_default = path.stem == DEFAULT_STEM
        if is_default and default_source is not None:
            errors.append(f"{path}:(file): a second default policy file (also {default_source.name})")
            continue
        if is_default:
            default_source = path
        if not ok or data is None:
            if ok:
                errors.append(f"{path}:(file): the file is empty")
            default = None if is_default else default
            continue
        if is_default:
            default = parse_default(path, data, errors)
            continue
        agreement = parse_agreement(path, data, errors)
        if agreement is None:
            continue
        if agreement.id in seen:
            errors.append(f"{path}:id: duplicate id {agreement.id!r}, also used in {seen[agreement.id]}")
            continue
        seen[agreement.id] = path
        agreements.append(agreement)
    agreements.sort(key=lambda a: a.id)
    return RulesFolder(tuple(agreements), default, default_source, errors)
