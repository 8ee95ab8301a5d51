"""Crime / occurrence / incident references, entity ``CRIME_REFERENCE`` (shapes from config)."""

from __future__ import annotations

from detectors.base import Case, Negative, Positive
from detectors.uk.force_references import ForceReferenceDetector


class CrimeReferenceDetector(ForceReferenceDetector):
    """Finds force-local crime and incident references near crime keywords."""

    ENTITY = "CRIME_REFERENCE"


CASES: list[Case] = [
    Positive("Crime ref 1234567/24 refers", "1234567/24"),
    Positive("crime number 41/123456/24", "41/123456/24"),
    Positive("Occurrence number 19000012345", "19000012345"),
    Positive("Athena occurrence CR/012345/24", "CR/012345/24"),
    Positive("see CAD 1234 150324 for the call", "CAD 1234 150324"),
    Positive("Reported to Action Fraud, NFRC240112345", "NFRC240112345"),
    Positive("incident log 0456/24", "0456/24"),
    Positive("1234567/24", "1234567/24", header="crime_reference"),
    Negative("Offence classification 037/02", "Home Office offence classification"),
    Negative("Invoice 1234567/24 attached", "shape without crime context"),
    Negative("crime figures rose 12/24 months", "too short for any shape"),
    Negative("Phone 19000012345 now", "11 digits without crime context"),
    Negative("Crime type   Q2 2025/26   Q2 2026/27   Change", "financial years, not crime references"),
    Negative("Recorded crime fell in 1999/00 against the year before", "financial year across a century"),
    Positive("Crime ref 2026/24 is still open", "2026/24"),
]
