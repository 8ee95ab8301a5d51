"""Values that are never personal data for this force (``config/allowlist.yaml``).

Switchboard and press-office numbers, 101/999 and generic mailboxes appear in
almost every outgoing e-mail signature; reporting them would bury real findings.
Entries are grouped by entity type. A phone entry matches any layout of the same
number (compared as E.164); other entries are compared case-insensitively with
whitespace collapsed, and may use shell-style wildcards (``foi@*.police.uk``).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import phonenumbers

from detectors.config import DetectorConfigError, read_yaml

_SPACES = re.compile(r"\s+")
_WILDCARD = re.compile(r"[*?\[]")


def phone_key(text: str) -> str:
    """A layout-independent key for a phone number: E.164 when parseable as GB, else its digits."""
    try:
        number = phonenumbers.parse(text, "GB")
    except phonenumbers.NumberParseException:
        return re.sub(r"\D", "", text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _text_key(text: str) -> str:
    return _SPACES.sub(" ", text.strip()).lower()


class Allowlist:
    """Exact values and wildcard patterns per entity type that must never be reported."""

    def __init__(self, entries: Mapping[str, Iterable[str]] | None = None) -> None:
        self._exact: dict[str, set[str]] = {}
        self._patterns: dict[str, list[str]] = {}
        for entity, values in (entries or {}).items():
            for value in values:
                self.add(entity, value)

    @classmethod
    def empty(cls) -> Allowlist:
        """An allow-list that allows nothing."""
        return cls()

    @classmethod
    def load(cls, path: Path) -> Allowlist:
        """Read ``allowlist.yaml``: a mapping of entity type to a list of strings.

        :raises DetectorConfigError: naming the file and key when the shape is wrong.
        """
        data = read_yaml(path)
        entries = data.get("allow", {})
        if not isinstance(entries, dict):
            raise DetectorConfigError(f"{path}:allow: must map entity types to lists of values")
        out = cls()
        for entity, values in entries.items():
            if not isinstance(values, list) or not all(isinstance(v, str | int) for v in values):
                raise DetectorConfigError(f"{path}:allow.{entity}: must be a list of strings")
            for value in values:
                out.add(str(entity), str(value))
        return out

    def add(self, entity: str, value: str) -> None:
        """Allow ``value`` (exact or wildcard pattern) for ``entity``."""
        if entity == "PHONE_NUMBER" and not _WILDCARD.search(value):
            self._exact.setdefault(entity, set()).add(phone_key(value))
        elif _WILDCARD.search(value):
            self._patterns.setdefault(entity, []).append(_text_key(value))
        else:
            self._exact.setdefault(entity, set()).add(_text_key(value))

    def __bool__(self) -> bool:
        return bool(self._exact or self._patterns)

    def allows(self, entity: str, text: str) -> bool:
        """Whether ``text`` reported as ``entity`` is on the allow-list."""
        exact = self._exact.get(entity)
        if exact:
            key = phone_key(text) if entity == "PHONE_NUMBER" else _text_key(text)
            if key in exact:
                return True
        patterns = self._patterns.get(entity)
        if patterns:
            key = _text_key(text)
            return any(fnmatch.fnmatchcase(key, p) for p in patterns)
        return False


__all__ = ["Allowlist", "phone_key"]
