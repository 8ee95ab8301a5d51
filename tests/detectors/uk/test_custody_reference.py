"""Custody record numbers from configuration."""

from __future__ import annotations

from detectors.uk.custody_reference import CustodyReferenceDetector
from detectors.uk.force_references import ForceReferences, load_force_references


def test_reports_the_configured_shape_name() -> None:
    (r,) = CustodyReferenceDetector().analyze("custody record WX/01234/24", None)
    assert r.entity_type == "CUSTODY_REFERENCE"
    assert r.recognition_metadata["reference"] == "custody-site-serial-year"


def test_a_force_can_replace_the_shapes() -> None:
    base = load_force_references()
    only_crime = ForceReferences(base.for_entity("CRIME_REFERENCE"), base.keywords)
    assert CustodyReferenceDetector(only_crime).analyze("custody record WX/01234/24", None) == []
