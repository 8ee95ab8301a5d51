"""Special category terms: categories, configuration and column values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from detectors.config import DEFAULT_CONFIG_DIR, DetectorConfigError
from detectors.uk.special_category import SpecialCategoryDetector, load_terms


@pytest.fixture(scope="module")
def recognizer() -> SpecialCategoryDetector:
    return SpecialCategoryDetector()


@pytest.mark.parametrize(
    "text,category",
    [
        ("History of epilepsy", "health"),
        ("Suspect IC4 male", "ethnicity"),
        ("kosher diet requested", "religion"),
        ("his same-sex partner", "sexual_orientation"),
        ("custody image taken", "biometric"),
        ("union rep present", "trade_union"),
    ],
)
def test_category_metadata(recognizer: SpecialCategoryDetector, text: str, category: str) -> None:
    categories = {r.recognition_metadata["special_category"] for r in recognizer.analyze(text, None)}
    assert category in categories


def test_unknown_ic_codes_are_not_ethnicity(recognizer: SpecialCategoryDetector) -> None:
    assert recognizer.analyze("IC9 male seen", None) == []


def test_terms_for_column_classification() -> None:
    terms = load_terms()
    assert terms.header_category("sickness_reason") == "health"
    assert terms.header_category("EthnicityOfficerDefined") == "ethnicity"
    assert terms.header_category("union_membership") == "trade_union"
    assert terms.header_category("surname") is None
    assert {"IC1", "IC6", "IC9"} <= set(terms.officer_defined_codes)
    assert {"W1", "W2", "W9", "M1", "A1", "B1", "O9", "NS"} <= set(terms.self_defined_codes)


def test_column_values(recognizer: SpecialCategoryDetector) -> None:
    assert recognizer.analyze_value("back injury", "sickness_reason")[0].score == 0.85
    assert recognizer.analyze_value("Saw a bee", "sickness_reason")[0].score == 0.7
    assert recognizer.analyze_value("n/a", "religion") == []


def test_bad_config_names_the_key(tmp_path: Path) -> None:
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    (target / "special_category.yaml").write_text("categories:\n  health:\n    terms: [1]\n")
    with pytest.raises(DetectorConfigError, match=r"categories\.health\.terms"):
        load_terms(target)
    (target / "special_category.yaml").write_text("categories: []\n")
    with pytest.raises(DetectorConfigError, match="categories"):
        load_terms(target)


@pytest.mark.parametrize("header", ["Markers", "Warnings", "Flags", "warning_markers", "PNC Warning Signals"])
def test_marker_columns_report_health_markers_whole(recognizer: SpecialCategoryDetector, header: str) -> None:
    # A column classifier counts a sampled value when a result covers most of it.
    value = "VIOLENT; SELF HARM"
    (result,) = recognizer.analyze_value(value, header)
    assert (result.start, result.end) == (0, len(value))
    assert result.recognition_metadata["special_category"] == "health"
    assert result.score >= 0.85
    assert recognizer.analyze_value("VIOLENT; WEAPONS", header) == []


def test_marker_headers() -> None:
    terms = load_terms()
    assert terms.is_marker_header("Markers")
    assert terms.is_marker_header("CustodyMarkers")
    assert not terms.is_marker_header("Surname")
    assert not terms.is_marker_header(None)
    # A header naming a category keeps its own rule (every value of it is that category).
    assert terms.header_category("Medical Markers") == "health"


def test_bad_marker_config_names_the_key(tmp_path: Path) -> None:
    target = tmp_path / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, target)
    path = target / "special_category.yaml"
    original = path.read_text()
    bad = original.replace(
        "  categories:\n    health:\n      - self harm", "  categories:\n    wealth:\n      - self harm"
    )
    assert bad != original
    path.write_text(bad)
    with pytest.raises(DetectorConfigError, match=r"markers\.categories\.wealth"):
        load_terms(target)
