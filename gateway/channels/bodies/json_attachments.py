"""JSON bodies whose strings may carry files in base64 (webmail and mail APIs send attachments so).

Microsoft Graph's `contentBytes`, Gmail's `raw` / `data`, data URIs and
generic upload APIs: each such file is an item of its own, and so is the rest
of the JSON, with the attachments blanked and the message addressing left out
(transport, not content, as in contract section 7).
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gateway.channels.bodies.model import BodyError, Item, Rebuilt, safe_name

# Keys whose string value is a file in base64 even when short (Graph `contentBytes`,
# Gmail `raw` / `data`, generic upload APIs).
_ATTACHMENT_KEYS = frozenset(
    {"contentbytes", "content_bytes", "raw", "data", "base64", "content", "file", "filedata", "attachment",
     "body_base64", "bytes", "payload", "blob"}
)
_NAME_KEYS = ("name", "filename", "fileName", "file_name", "title")
# Message addressing: transport, not content (contract section 7), left out of the JSON item.
_ADDRESS_KEYS = frozenset(
    {"to", "cc", "bcc", "from", "sender", "replyto", "reply_to", "torecipients", "ccrecipients",
     "bccrecipients", "recipients"}
)
_MIN_PLAIN_BASE64 = 64
_DATA_URI = re.compile(r"^data:([^,;]*)((?:;[^,;]*)*);base64,", re.IGNORECASE)
_MAGIC = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"\x89PNG", b"\xff\xd8\xff", b"GIF8",
          b"{\\rtf", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ", b"\x28\xb5\x2f\xfd")

Path = tuple[str | int, ...]


def is_jsonish(mime: str, data: bytes) -> bool:
    """Labelled JSON, or unlabelled (or generically labelled) bytes that start like a JSON document."""
    if mime == "application/json" or mime.endswith("+json"):
        return True
    if mime in ("", "text/plain", "application/octet-stream", "application/x-json", "text/json"):
        return data.lstrip()[:1] in (b"{", b"[")
    return False


@dataclass
class _B64:
    path: Path
    prefix: str
    urlsafe: bool
    padded: bool
    wrapped: bool


class JsonBody:
    """JSON whose strings may carry files in base64: each such file is an item, and so is the rest of the JSON.

    Item 0 is the JSON with every attachment blanked and the addressing left
    out; items 1..n are the decoded attachments, named after a sibling `name`
    key where there is one.
    """

    shape = "json"

    def __init__(self, document: Any, data: bytes) -> None:
        self.document = document
        self.attachments: list[_B64] = []
        self.addressing: list[tuple[Path, Any]] = []
        self.items: list[Item] = []
        skeleton = json.loads(data)  # a second, independent copy to blank out
        self._walk(document, skeleton, (), None)
        self.items.insert(0, Item("body.json", json.dumps(skeleton, ensure_ascii=False).encode("utf-8"), "JSON body"))

    @classmethod
    def parse(cls, data: bytes) -> JsonBody | None:
        """None when the bytes are not a JSON object or array (they are then inspected as they are)."""
        try:
            document = json.loads(data)
        except (ValueError, RecursionError):
            return None
        return cls(document, data) if isinstance(document, dict | list) else None

    def _walk(self, node: Any, skel: Any, path: Path, key: str | None) -> None:
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for k, v in children:
            here = (*path, k)
            if isinstance(k, str) and k.lower() in _ADDRESS_KEYS and _is_addressing(v):
                self.addressing.append((here, v))
                skel[k] = None
            elif isinstance(v, str):
                self._string(v, skel, here, k if isinstance(k, str) else key, node if isinstance(node, dict) else None)
            else:
                self._walk(v, skel[k], here, k if isinstance(k, str) else key)

    def _string(self, value: str, skel: Any, path: Path, key: str | None, parent: dict[str, Any] | None) -> None:
        decoded = _decode_base64(value, hinted=(key or "").lower() in _ATTACHMENT_KEYS)
        if decoded is None:
            return
        blob, spec = decoded
        spec.path = path
        name = next((parent[k] for k in _NAME_KEYS if parent and isinstance(parent.get(k), str) and parent[k]), "")
        self.attachments.append(spec)
        where = f"JSON {_path_text(path)}"
        self.items.append(Item(safe_name(name, f"attachment-{len(self.attachments)}"), blob, where))
        skel[path[-1]] = ""

    def rebuild(self, replacements: Mapping[int, bytes]) -> Rebuilt:
        if 0 in replacements:
            try:
                document = json.loads(replacements[0])
            except ValueError:
                raise BodyError("the redacted JSON body is not valid JSON") from None
            for path, value in self.addressing:
                _set(document, path, value)
        else:
            document = copy.deepcopy(self.document)  # strings are shared, only the structure is copied
        for index, spec in enumerate(self.attachments, start=1):
            if index in replacements:
                _set(document, spec.path, _encode_base64(replacements[index], spec))
            elif 0 in replacements:
                _set(document, spec.path, _get(self.document, spec.path))
        return Rebuilt(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), {})


def _is_addressing(value: Any) -> bool:
    """Addresses, or lists/objects of short strings (name + address), not free text or files."""
    if isinstance(value, str):
        return len(value) <= 320
    if isinstance(value, list):
        return all(_is_addressing(v) for v in value)
    if isinstance(value, dict):
        return all(_is_addressing(v) for v in value.values())
    return value is None or isinstance(value, bool | int | float)


def _decode_base64(value: str, hinted: bool) -> tuple[bytes, _B64] | None:
    prefix = ""
    match = _DATA_URI.match(value)
    if match:
        prefix, value, hinted = match.group(0), value[match.end() :], True
    if len(value) < (8 if hinted else _MIN_PLAIN_BASE64):
        return None
    wrapped = "\n" in value
    compact = re.sub(r"\s+", "", value) if wrapped else value
    urlsafe = "-" in compact or "_" in compact
    if not re.fullmatch(r"[A-Za-z0-9+/_-]+={0,2}", compact) or (urlsafe and ("+" in compact or "/" in compact)):
        return None
    padded = compact.endswith("=") or len(compact) % 4 == 0
    try:
        blob = base64.b64decode(compact + "=" * (-len(compact) % 4), altchars=b"-_" if urlsafe else None,
                                validate=True)
    except (binascii.Error, ValueError):
        return None
    # A file when it decodes to text or a known format (not a hash or a token); under a
    # key that names a file, any long enough blob counts, so it is judged like an upload.
    if not blob or not (_looks_like_file(blob) or (hinted and len(compact) >= _MIN_PLAIN_BASE64)):
        return None
    return blob, _B64((), prefix, urlsafe, padded, wrapped)


def _looks_like_file(blob: bytes) -> bool:
    """Long base64 is taken for a file when it decodes to text or a known format, not to a hash or token."""
    if blob.startswith(_MAGIC):
        return True
    head = blob[:4096]
    for cut in range(4 if len(blob) > len(head) else 1):  # the sample may end inside a character
        try:
            text = head[: len(head) - cut].decode("utf-8")
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.95 * len(text)


def _encode_base64(data: bytes, spec: _B64) -> str:
    text = (base64.urlsafe_b64encode(data) if spec.urlsafe else base64.b64encode(data)).decode("ascii")
    if not spec.padded:
        text = text.rstrip("=")
    if spec.wrapped:
        text = "\r\n".join(text[i : i + 76] for i in range(0, len(text), 76))
    return spec.prefix + text


def _get(doc: Any, path: Path) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def _set(doc: Any, path: Path, value: Any) -> None:
    try:
        _get(doc, path[:-1])[path[-1]] = value
    except (KeyError, IndexError, TypeError):
        raise BodyError(f"the redacted JSON no longer has {_path_text(path)}") from None


def _path_text(path: Path) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
