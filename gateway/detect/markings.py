"""Protective markings found in a document, written one way, most restrictive first.

The same marking is written many ways ("Official Sensitive", "OFFICIAL-SENSITIVE
[PERSONAL]", "official – sensitive: personal"); policy compares markings with an
agreement's maximum, so detection hands it one spelling per marking: the
recognizer's normalised level (`detectors.uk.protective_marking.MARKINGS`) and,
when one is written, its caveat after ": " (`OFFICIAL-SENSITIVE: PERSONAL`).
Which text is a marking at all (not "Official Secrets Act" or "restricted
byway") is the recognizer's decision; this module only normalises and orders.
"""

from __future__ import annotations

from collections.abc import Iterable

from detectors.uk.protective_marking import MARKINGS, marking_caveat
from detectors.uk.protective_marking import normalise_marking as marking_level
from gateway.detect.model import Finding


def normalise_marking(text: str) -> str | None:
    """``LEVEL`` or ``LEVEL: CAVEAT`` for a marking's text; None if it holds no marking."""
    try:
        level = marking_level(text.strip())
    except ValueError:
        return None
    caveat = marking_caveat(text)
    return f"{level}: {caveat}" if caveat else level


def rank(marking: str) -> int:
    """How restrictive a normalised marking is (higher is more restrictive; unknown is -1)."""
    level = marking.split(":", 1)[0]
    return MARKINGS.index(level) if level in MARKINGS else -1


def collect(findings: Iterable[Finding]) -> list[str]:
    """Distinct normalised markings of the PROTECTIVE_MARKING findings, most restrictive first."""
    found = {
        m for f in findings if f.entity_type == "PROTECTIVE_MARKING" and (m := normalise_marking(f.text)) is not None
    }
    return sorted(found, key=lambda m: (-rank(m), m))
