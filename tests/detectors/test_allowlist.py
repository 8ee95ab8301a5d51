"""Allow-list matching and loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from detectors.allowlist import Allowlist, phone_key
from detectors.config import DetectorConfigError


def test_phone_entries_match_any_layout() -> None:
    allow = Allowlist({"PHONE_NUMBER": ["01632 960000"]})
    for layout in ("01632960000", "+44 1632 960000", "+44 (0)1632 960000", "01632-960-000"):
        assert allow.allows("PHONE_NUMBER", layout), layout
    assert not allow.allows("PHONE_NUMBER", "01632 960001")
    assert phone_key("no digits") == ""  # unparseable: falls back to its digits


def test_wildcards_and_case() -> None:
    allow = Allowlist({"EMAIL_ADDRESS": ["foi@*.police.uk"]})
    assert allow.allows("EMAIL_ADDRESS", "FOI@wessex.pnn.police.uk")
    assert not allow.allows("EMAIL_ADDRESS", "jane.foi@wessex.police.uk")
    assert not allow.allows("UK_POSTCODE", "foi@wessex.police.uk")


def test_empty_allowlist_is_false() -> None:
    assert not Allowlist.empty()


def test_load_rejects_malformed_files(tmp_path: Path) -> None:
    bad = tmp_path / "allowlist.yaml"
    bad.write_text("allow:\n  PHONE_NUMBER: 101\n")
    with pytest.raises(DetectorConfigError, match=r"allowlist.yaml:allow.PHONE_NUMBER"):
        Allowlist.load(bad)
    bad.write_text("allow: [1, 2]\n")
    with pytest.raises(DetectorConfigError, match="must map entity types"):
        Allowlist.load(bad)
    bad.write_text("allow: {\n")
    with pytest.raises(DetectorConfigError, match="invalid YAML"):
        Allowlist.load(bad)
    with pytest.raises(DetectorConfigError, match="cannot read"):
        Allowlist.load(tmp_path / "missing.yaml")


def test_shipped_allowlist_loads() -> None:
    allow = Allowlist.load(Path(__file__).resolve().parents[2] / "config" / "allowlist.yaml")
    assert allow.allows("PHONE_NUMBER", "0800 555 111")
    assert allow.allows("EMAIL_ADDRESS", "press.office@wessex.police.uk")
