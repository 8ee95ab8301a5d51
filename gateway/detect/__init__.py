"""Detection: finds personal data in a Document and classifies table columns.

`Detector` and `DetectorConfig` are imported lazily so that code needing only
the data model (`gateway.detect.model`) does not pay for importing presidio
and spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gateway.detect.detector import Detector, DetectorConfig

__all__ = ["Detector", "DetectorConfig"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from gateway.detect import detector

        return getattr(detector, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
