"""Shared detectors for the detection tests: built once per session.

`detector` runs without spaCy (patterns and name layouts only) and serves every
unit test; `ner_detector` loads the spaCy model and is used only by tests
marked `@pytest.mark.ner`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.detect import Detector, DetectorConfig

CONFIG_DIR = Path(__file__).resolve().parents[3] / "config"


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector(DetectorConfig(config_dir=CONFIG_DIR, with_ner=False))


@pytest.fixture(scope="session")
def ner_detector() -> Detector:
    return Detector(DetectorConfig(config_dir=CONFIG_DIR, with_ner=True))
