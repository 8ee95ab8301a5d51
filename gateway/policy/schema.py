"""Reading rule files: strict YAML and typed key access that reports `file:key: reason`.

Agreements are written by hand by information-management staff, so every
mistake must come back as one line naming the file, the key and what is wrong
(contract section 3), and every mistake in a file is reported at once rather
than one per run. PyYAML silently keeps the last of two equal keys; here a
repeated key is an error, because a second `allowed_fields` quietly replacing
the first is exactly the kind of slip that leaks data.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from gateway.detect.model import FIELD_CATEGORIES
from gateway.policy.verdict import Action


class RuleError(Exception):
    """One or more rule files are invalid.

    `errors` holds every problem as a `file:key: reason` line. The message is the
    first of them (with a count of the rest), so a one-line error channel such as
    `dlp-gateway scan` still names a file, a key and a reason.
    """

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors) or ["(rules): invalid rules"]
        message = self.errors[0]
        if len(self.errors) > 1:
            message += f" (and {len(self.errors) - 1} more; `dlp-gateway rules check` lists them all)"
        super().__init__(message)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses repeated keys in a mapping."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text here and are parsed by `Keys.day`: PyYAML's own timestamp
# constructor raises a bare ValueError on `2026-13-01`, with no line or key.
def _construct_text(loader: _StrictLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)


_UNREADABLE = object()


def load_yaml(path: Path, errors: list[str]) -> tuple[bool, Any]:
    """Parse one rule file into (ok, data); on failure append `file:line N: reason`.

    An empty file parses to (True, None): the caller decides whether that is allowed.
    """
    data = _load(path, errors)
    return (data is not _UNREADABLE, None if data is _UNREADABLE else data)


def _load(path: Path, errors: list[str]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.append(f"{path}:(file): not UTF-8 text")
        return _UNREADABLE
    except OSError as exc:
        errors.append(f"{path}:(file): cannot read: {exc.strerror}")
        return _UNREADABLE
    try:
        return yaml.load(text, Loader=_StrictLoader)  # _StrictLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        errors.append(f"{path}:{where}: not valid YAML: {problem}")
        return _UNREADABLE
    except (ValueError, TypeError, RecursionError) as exc:
        errors.append(f"{path}:(file): not valid YAML: {type(exc).__name__}")
        return _UNREADABLE


class Keys:
    """Typed, error-collecting access to one mapping of a rule file.

    Each getter returns a usable value or None and, on a problem, records a
    `file:key: reason` line. `finish()` reports keys nobody asked for, which
    catches misspelt keys (`valid_untill`) that would otherwise be ignored.
    """

    def __init__(self, path: Path, data: Mapping[str, Any], errors: list[str], prefix: str = "") -> None:
        self.path = path
        self.data = data
        self.errors = errors
        self.prefix = prefix
        self._known: set[str] = set()

    def error(self, key: str, reason: str) -> None:
        self.errors.append(f"{self.path}:{self.prefix}{key}: {reason}")

    def _raw(self, key: str, required: bool) -> Any:
        self._known.add(key)
        if key not in self.data:
            if required:
                self.error(key, "required key is missing")
            return None
        if self.data[key] is None:
            # `key:` with nothing after it: ambiguous, so never read as "use the default".
            self.error(key, "has no value; give one or remove the key")
            return None
        return self.data[key]

    def text(self, key: str, required: bool = True, default: str | None = None) -> str | None:
        value = self._raw(key, required)
        if value is None:
            return default
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"must be a non-empty text, not {_describe(value)}")
            return None
        return value.strip()

    def integer(self, key: str, default: int, minimum: int = 0) -> int | None:
        value = self._raw(key, False)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"must be a whole number, not {_describe(value)}")
            return None
        if value < minimum:
            self.error(key, f"must be at least {minimum}, not {value}")
            return None
        return value

    def day(self, key: str, required: bool = True) -> date | None:
        value = self._raw(key, required)
        if value is None:
            return None
        if isinstance(value, datetime):
            self.error(key, "must be a date (YYYY-MM-DD), not a date and time")
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.error(key, f"must be a date written YYYY-MM-DD, not {_describe(value)}")
        return None

    def choice(self, key: str, choices: Iterable[str], default: str) -> str | None:
        options = tuple(choices)
        value = self._raw(key, False)
        if value is None:
            return default
        if not isinstance(value, str) or value.strip().lower() not in options:
            self.error(key, f"must be one of {', '.join(options)}, not {_describe(value)}")
            return None
        return value.strip().lower()

    def action(self, key: str, choices: Iterable[Action], default: Action) -> Action | None:
        picked = self.choice(key, [a.label for a in choices], default.label)
        return None if picked is None else Action.parse(picked)

    def text_list(self, key: str, required: bool = True, allow_empty: bool = True) -> list[str] | None:
        value = self._raw(key, required)
        if value is None:
            return None if required else []
        if not isinstance(value, list):
            self.error(key, f"must be a list, not {_describe(value)}")
            return None
        out: list[str] = []
        ok = True
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.error(f"{key}[{i}]", f"must be a non-empty text, not {_describe(item)}")
                ok = False
            else:
                out.append(item.strip())
        if ok and not out and not allow_empty:
            self.error(key, "must list at least one entry")
            return None
        return out if ok else None

    def categories(self, key: str, required: bool = False) -> frozenset[str] | None:
        """A list of field categories, each checked against the contract's list."""
        items = self.text_list(key, required=required)
        if items is None:
            return None
        ok = True
        seen: set[str] = set()
        for i, name in enumerate(items):
            upper = name.upper()
            if upper not in FIELD_CATEGORIES:
                self.error(f"{key}[{i}]", unknown_category(name))
                ok = False
            elif upper in seen:
                self.error(f"{key}[{i}]", f"{upper} is listed twice")
                ok = False
            seen.add(upper)
        return frozenset(seen) if ok else None

    def mapping(self, key: str) -> Keys | None:
        """A nested mapping, read with the same error reporting (`key.sub`)."""
        value = self._raw(key, False)
        if value is None:
            return Keys(self.path, {}, self.errors, f"{self.prefix}{key}.")
        if not isinstance(value, dict):
            self.error(key, f"must be a mapping of key: value, not {_describe(value)}")
            return None
        return Keys(self.path, value, self.errors, f"{self.prefix}{key}.")

    def check(self, key: str, valid: Callable[[], str | None]) -> None:
        """Run a cross-key check; `valid` returns a reason or None."""
        reason = valid()
        if reason:
            self.error(key, reason)

    def finish(self) -> None:
        for key in self.data:
            if key not in self._known:
                hint = _closest(str(key), self._known)
                self.error(str(key), "unknown key" + (f"; did you mean {hint}?" if hint else ""))


# Shorthands people write for a category, for the did-you-mean hint only.
_CATEGORY_ALIASES = {
    "DOB": "DATE_OF_BIRTH",
    "NAME": "PERSON",
    "NAMES": "PERSON",
    "NI": "UK_NINO",
    "NI_NUMBER": "UK_NINO",
    "ADDRESS": "STREET_ADDRESS",
    "EMAIL": "EMAIL_ADDRESS",
    "PHONE": "PHONE_NUMBER",
    "VRM": "UK_VEHICLE_REG",
    "HEALTH": "SPECIAL_CATEGORY",
    "ETHNICITY": "SPECIAL_CATEGORY",
    "COLLAR_NUMBER": "POLICE_COLLAR_NUMBER",
}


def unknown_category(name: str) -> str:
    upper = name.upper().replace(" ", "_").replace("-", "_")
    hint = _CATEGORY_ALIASES.get(upper) or _closest(upper, FIELD_CATEGORIES)
    return f"unknown field category {name!r}" + (f"; did you mean {hint}?" if hint else "")


def _closest(word: str, candidates: Iterable[str]) -> str | None:
    found = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.7)
    if found:
        return found[0]
    # "NINO" -> UK_NINO, "PNC" -> UK_PNC_ID: a bare short name inside a longer one.
    inside = [c for c in candidates if len(word) >= 3 and word in c]
    return inside[0] if len(inside) == 1 else None


def _describe(value: Any) -> str:
    """Name a wrong value's type without echoing long content back."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()} (quote it if you meant text)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, int | float | date):
        return repr(value) if not isinstance(value, date) else value.isoformat()
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
