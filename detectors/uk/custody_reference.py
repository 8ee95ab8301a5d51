"""Custody record numbers, entity ``CUSTODY_REFERENCE`` (shapes from config, keyword context required)."""

from __future__ import annotations

from detectors.base import Case, Negative, Positive
from detectors.uk.force_references import ForceReferenceDetector


class CustodyReferenceDetector(ForceReferenceDetector):
    """Finds force-local custody record numbers near custody keywords."""

    ENTITY = "CUSTODY_REFERENCE"


CASES: list[Case] = [
    Positive("Custody record WX/01234/24 opened at 14:02", "WX/01234/24"),
    Positive("custody no: NB/123456/23", "NB/123456/23"),
    Positive("Custody ref WX2400123", "WX2400123"),
    Positive("custody number 24/012345", "24/012345"),
    Positive("WX/01234/24", "WX/01234/24", header="custody_record_no"),
    Negative("Room WX/01234/24 booked", "shape without custody context"),
    Negative("Custody suite opened on 01/02/2024", "a date is not a custody number"),
    Negative("custody record WX/12/24", "serial too short for the configured shapes"),
]
