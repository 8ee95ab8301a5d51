"""Protective markings, current and legacy, on one ordered scale.

The Government Security Classifications Policy (April 2014) has OFFICIAL,
SECRET and TOP SECRET, with OFFICIAL-SENSITIVE a handling caveat on part of
OFFICIAL that must still be treated more carefully than plain OFFICIAL.
Archives and old attachments still carry the Government Protective Marking
Scheme, which this module reads across per the GSC transition guidance, always
rounding up where the guidance says "usually" (a gateway errs towards holding):

    NOT PROTECTIVELY MARKED, UNCLASSIFIED, PROTECT  -> OFFICIAL
    RESTRICTED                                      -> OFFICIAL-SENSITIVE
    CONFIDENTIAL                                    -> SECRET

Caveats and descriptors (`: PERSONAL`, `[COMMERCIAL]`, `UK EYES ONLY`,
`(when complete)`) never change the level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Levels of the scale. NOT PROTECTIVELY MARKED / UNCLASSIFIED sit with OFFICIAL:
# OFFICIAL need not be marked, so an unmarked document and an NPM one are alike.
OFFICIAL = 1
OFFICIAL_SENSITIVE = 2
SECRET = 3
TOP_SECRET = 4

LEVEL_NAMES: dict[int, str] = {
    OFFICIAL: "OFFICIAL",
    OFFICIAL_SENSITIVE: "OFFICIAL-SENSITIVE",
    SECRET: "SECRET",
    TOP_SECRET: "TOP SECRET",
}

# Longest names first so "TOP SECRET" is not read as "SECRET" and
# "OFFICIAL-SENSITIVE" not as "OFFICIAL". Values: (level, canonical name, legacy?).
_NAMES: tuple[tuple[str, int, str, bool], ...] = (
    ("NOT PROTECTIVELY MARKED", OFFICIAL, "NOT PROTECTIVELY MARKED", True),
    ("OFFICIAL-SENSITIVE", OFFICIAL_SENSITIVE, "OFFICIAL-SENSITIVE", False),
    ("TOP SECRET", TOP_SECRET, "TOP SECRET", False),
    ("UNCLASSIFIED", OFFICIAL, "UNCLASSIFIED", True),
    ("CONFIDENTIAL", SECRET, "CONFIDENTIAL", True),
    ("RESTRICTED", OFFICIAL_SENSITIVE, "RESTRICTED", True),
    ("OFFICIAL", OFFICIAL, "OFFICIAL", False),
    ("PROTECT", OFFICIAL, "PROTECT", True),
    ("SECRET", SECRET, "SECRET", False),
    ("NPM", OFFICIAL, "NOT PROTECTIVELY MARKED", True),
)

_DASHES = re.compile(r"[\u2010-\u2015\u2212_]")
_SENSITIVE_JOIN = re.compile(r"^OFFICIAL\s*(?:-|:|\s)\s*SENSITIVE\b")


@dataclass(frozen=True, order=True)
class Marking:
    """A marking as written (`name`, canonical) and where it sits on the scale (`level`)."""

    level: int
    name: str
    legacy: bool = False

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    def describe(self) -> str:
        """`SECRET`, or `CONFIDENTIAL (old GPMS marking, treated as SECRET)`."""
        if self.legacy and self.name != self.level_name:
            return f"{self.name} (old GPMS marking, treated as {self.level_name})"
        return self.name


# The usual ceiling: what may go where nothing more is agreed.
OFFICIAL_MARKING = Marking(OFFICIAL, "OFFICIAL")


def parse_marking(text: str) -> Marking | None:
    """Read a marking in any of its common layouts; None if it is not one.

    Accepts `OFFICIAL-SENSITIVE`, `OFFICIAL – SENSITIVE`, `Official Sensitive`,
    `OFFICIAL: SENSITIVE`, `[OFFICIAL-SENSITIVE]`, `UK OFFICIAL`,
    `SECRET UK EYES ONLY`, `PROTECT – PERSONAL`, `RESTRICTED (when complete)`.
    """
    norm = _DASHES.sub("-", text).upper()
    norm = re.sub(r"[\[\](){}\"']", " ", norm)
    norm = re.sub(r"\s+", " ", norm).strip(" -:")
    norm = re.sub(r"^UK ", "", norm)
    norm = re.sub(r"^TOP[\s-]*SECRET", "TOP SECRET", norm)
    norm = re.sub(r"^NOT[\s-]+PROTECTIVELY[\s-]+MARKED", "NOT PROTECTIVELY MARKED", norm)
    norm = _SENSITIVE_JOIN.sub("OFFICIAL-SENSITIVE", norm)
    for prefix, level, name, legacy in _NAMES:
        if norm == prefix or re.match(re.escape(prefix) + r"(?![A-Z0-9])", norm):
            return Marking(level, name, legacy)
    return None


def highest(markings: list[Marking]) -> Marking | None:
    """The marking highest on the scale (the first such, for a stable reason text)."""
    best: Marking | None = None
    for m in markings:
        if best is None or m.level > best.level:
            best = m
    return best


def parse_level_name(text: str) -> Marking | None:
    """Strict reading for rule files: the text must be a marking name and nothing else.

    `parse_marking` is lenient (it reads documents, where caveats follow the
    marking); a rule file saying `max_marking: OFFICIAL please` is a mistake.
    """
    norm = _DASHES.sub("-", text).upper().strip()
    norm = _SENSITIVE_JOIN.sub("OFFICIAL-SENSITIVE", re.sub(r"\s+", " ", norm))
    for prefix, level, name, legacy in _NAMES:
        if norm == prefix:
            return Marking(level, name, legacy)
    return None


# For error messages: current names by level, then the legacy ones.
MARKING_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(name for _, _, name, _ in sorted(_NAMES, key=lambda n: (n[3], n[1])))
)
