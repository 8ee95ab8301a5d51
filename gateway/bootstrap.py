"""Builds the objects a process needs to inspect transfers, from settings.

Kept apart from the pipeline so the pipeline stays pure: this is the one place
that reads rule files, the EDM index and the recognizer config from disk, and
that decides whether spaCy is loaded. Called once per process (the CLI, or
each worker process of a channel).
"""

from __future__ import annotations

from gateway.detect import Detector, DetectorConfig
from gateway.pipeline import Inspector
from gateway.policy import load_policy
from gateway.settings import Settings


def build_inspector(settings: Settings) -> Inspector:
    """Load agreements (raising RuleError if any is invalid) and the analyzer, once."""
    policy = load_policy(settings.rules_dir)
    detector = Detector(
        DetectorConfig(
            config_dir=settings.config_dir,
            with_ner=settings.with_ner,
            edm_dir=settings.state_dir / "edm",
        )
    )
    return Inspector(detector=detector, policy=policy)
