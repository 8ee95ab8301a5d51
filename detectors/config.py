"""Reading the detector configuration files under ``config/``.

Bad configuration must stop the gateway with a message naming the file and key
(ground rule: bad input gets a clear answer), so every loader raises
:class:`DetectorConfigError` rather than a bare YAML or KeyError.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"


class DetectorConfigError(ValueError):
    """A detector configuration file is missing or malformed; the message is ``file:key: reason``."""


def read_yaml(path: Path) -> dict[str, Any]:
    """Load a YAML mapping, raising DetectorConfigError for a missing file, bad YAML or a non-mapping."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise DetectorConfigError(f"{path}: cannot read: {e.strerror or e}") from e
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise DetectorConfigError(f"{path}: invalid YAML: {e}") from e
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DetectorConfigError(f"{path}: top level must be a mapping")
    return data


def string_list(path: Path, key: str, value: Any) -> list[str]:
    """Validate that ``value`` is a list of non-empty strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DetectorConfigError(f"{path}:{key}: must be a list of non-empty strings")
    return list(value)
