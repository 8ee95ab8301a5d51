"""What every body shape shares: items, the rebuilt body, errors, and header parsing.

Pure: header pairs and bytes in, no mitmproxy. Error messages describe the
structure (encoding, boundary, position), never content.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

Headers = Sequence[tuple[str, str]]


class BodyError(ValueError):
    """The body cannot be decoded or rebuilt; `reason` is a metrics reason code."""

    reason = "parse_error"


class BodyTooLarge(BodyError):
    """Decoding would exceed the size the gateway is allowed to hold in memory."""

    reason = "too_large"


@dataclass(frozen=True)
class Item:
    """One thing to inspect: `name` is what findings are reported under, `where` tells a reviewer where it sat."""

    name: str
    data: bytes
    where: str


@dataclass(frozen=True)
class Rebuilt:
    """A body after redaction: the bytes to send and the headers that must change with them."""

    body: bytes
    headers: dict[str, str]


def header(headers: Headers, name: str) -> str | None:
    """The first value of a header, case-insensitively."""
    lname = name.lower()
    for key, value in headers:
        if key.lower() == lname:
            return value
    return None


_PARAM = re.compile(r';\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+\*?)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def split_params(value: str) -> tuple[str, dict[str, str]]:
    """`text/plain; charset="utf-8"` -> ("text/plain", {"charset": "utf-8"}), RFC 5987 `name*` decoded."""
    main, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for raw_key, raw in _PARAM.findall(";" + rest):
        val = raw.strip()
        if len(val) >= 2 and val[0] == val[-1] == '"':
            # Only \" and \\ are escapes: browsers send Windows paths with bare backslashes.
            val = re.sub(r'\\(["\\])', r"\1", val[1:-1])
        key = raw_key.lower()
        if key.endswith("*"):
            charset, _, encoded = val.partition("'")
            _, _, encoded = encoded.partition("'")
            try:
                params[key[:-1]] = unquote(encoded, encoding=charset or "utf-8", errors="strict")
            except (LookupError, UnicodeDecodeError):
                continue
        else:
            params.setdefault(key, val)
    return main.strip().lower(), params


def safe_name(name: str, fallback: str) -> str:
    """A file name for display: the last path component, without control characters."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:200] or fallback


def names_item(items: list[Item], names: list[bytes]) -> int | None:
    """Field names, file names and the text around the parts are content too: one item, placed last."""
    text = b"\n".join(n.strip() for n in names if n.strip())
    if not text:
        return None
    items.append(Item("form:field-names", text, "form field and file names"))
    return len(items) - 1


def refuse_names(replacements: Mapping[int, bytes], names_index: int | None) -> None:
    """Names are inspected but never rewritten: a redaction there cannot be applied."""
    if names_index is not None and names_index in replacements:
        raise BodyError("personal data in form field or file names cannot be cut out")
