"""HTTP request bodies as inspectable items, and the same bodies rebuilt after redaction.

Pure: takes header pairs and bytes, knows nothing of mitmproxy, runs in the
worker processes (decoding and parsing are CPU work too). Each body shape has
its own small class with `items` (what the pipeline inspects) and `rebuild`
(the body with some items replaced), so the addon never needs to know what a
multipart boundary or a base64 attachment is:

- `RawBody`: any body of any type, one item.
- `MultipartBody`: each file part and each text field, one item each.
- `UrlencodedBody`: each form field value, one item each.
- `JsonBody`: base64 attachments inside JSON (webmail and mail APIs send files
  as `contentBytes`, `data`, `raw`...) one item each, plus the JSON itself with
  the attachments blanked out and the message addressing left out (transport,
  not content, as in contract section 7).

`Content-Encoding` (gzip, deflate, br, zstd, in any chain) is undone with a
bound on the decoded size, so a compression bomb costs at most that much memory.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import json
import re
import secrets
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, unquote, unquote_to_bytes

import brotli
import zstandard

Headers = Sequence[tuple[str, str]]


class BodyError(ValueError):
    """The body cannot be decoded or rebuilt; `reason` is a metrics reason code.

    Messages describe the structure (encoding, boundary, position), never content.
    """

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


# ---------------------------------------------------------------- headers


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


# ---------------------------------------------------------------- content coding

_ENCODINGS = {"gzip", "x-gzip", "deflate", "br", "zstd"}


def content_codings(headers: Headers) -> list[str]:
    """The Content-Encoding chain in the order it was applied, `identity` dropped."""
    raw = header(headers, "content-encoding") or ""
    codings = [c.strip().lower() for c in raw.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    for coding in codings:
        if coding not in _ENCODINGS:
            raise BodyError(f"unsupported Content-Encoding {coding!r}")
    return codings


def decode(data: bytes, codings: Sequence[str], limit: int) -> bytes:
    """Undo the codings (last applied first), never producing more than `limit` bytes."""
    for coding in reversed(codings):
        try:
            data = _decode_one(data, coding, limit)
        except BodyTooLarge:
            raise
        except (zlib.error, brotli.error, zstandard.ZstdError, EOFError) as exc:
            raise BodyError(f"the body is not valid {coding} data ({type(exc).__name__})") from None
    return data


def encode(data: bytes, codings: Sequence[str]) -> bytes:
    """Apply the codings again, in the order the client applied them."""
    for coding in codings:
        if coding in ("gzip", "x-gzip"):
            comp = zlib.compressobj(6, zlib.DEFLATED, 31)
            data = comp.compress(data) + comp.flush()
        elif coding == "deflate":
            data = zlib.compress(data, 6)
        elif coding == "br":
            data = brotli.compress(data, quality=4)
        elif coding == "zstd":
            data = zstandard.ZstdCompressor(level=3).compress(data)
    return data


def _too_large(limit: int) -> BodyTooLarge:
    return BodyTooLarge(f"the decoded body is larger than {limit} bytes")


def _decode_one(data: bytes, coding: str, limit: int) -> bytes:
    if coding in ("gzip", "x-gzip"):
        return _inflate(data, 31, limit, members=True)
    if coding == "deflate":
        # "deflate" means zlib-wrapped, but some clients send raw deflate.
        wbits = 15 if len(data) >= 2 and (data[0] * 256 + data[1]) % 31 == 0 and data[0] & 0x0F == 8 else -15
        return _inflate(data, wbits, limit, members=False)
    if coding == "br":
        dec = brotli.Decompressor()
        out = dec.process(data, output_buffer_limit=limit + 1)
        if len(out) > limit or not dec.is_finished():
            if len(out) > limit or not dec.can_accept_more_data():
                raise _too_large(limit)
            raise BodyError("the body is not valid br data (truncated)")
        return out
    reader = zstandard.ZstdDecompressor().stream_reader(data, read_across_frames=True)
    out = reader.read(limit + 1)
    if len(out) > limit:
        raise _too_large(limit)
    return out


def _inflate(data: bytes, wbits: int, limit: int, members: bool) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        dec = zlib.decompressobj(wbits)
        buf = data
        while buf:
            chunk = dec.decompress(buf, limit + 1 - total)
            total += len(chunk)
            chunks.append(chunk)
            if total > limit:
                raise _too_large(limit)
            buf = dec.unconsumed_tail
        if not dec.eof:
            raise BodyError("the body is truncated compressed data")
        data = dec.unused_data
        if not (members and data.strip(b"\x00")):
            return b"".join(chunks)


# ---------------------------------------------------------------- shapes


class RawBody:
    """A body inspected as one file: PUTs to storage, binary uploads, text and XML posts."""

    shape = "raw"

    def __init__(self, data: bytes, name: str) -> None:
        self.items = [Item(name, data, "body")] if data else []

    def rebuild(self, replacements: Mapping[int, bytes]) -> Rebuilt:
        return Rebuilt(replacements[0], {})


@dataclass
class _Part:
    raw_headers: bytes
    body: bytes
    transfer_encoding: str | None
    item: int | None = None


class MultipartBody:
    """`multipart/*` (form-data above all): each file part and each text field is an item.

    The body is kept as the exact byte ranges it arrived in, so only the parts
    that are redacted change; everything else is reassembled byte for byte.
    """

    shape = "multipart"

    def __init__(self, data: bytes, content_type: str, boundary: str) -> None:
        self.content_type = content_type
        self.boundary = boundary.encode("latin-1", "replace")
        self.preamble, self.parts, self.epilogue, self.newline = _split_multipart(data, self.boundary)
        self.items: list[Item] = []
        names: list[bytes] = [self.preamble, self.epilogue]
        for number, part in enumerate(self.parts, start=1):
            item = _part_item(part, number, len(self.items))
            _, disp = split_params(header(_parse_part_headers(part.raw_headers), "content-disposition") or "")
            names += [disp.get("name", "").encode(), disp.get("filename", "").encode()]
            if item is not None:
                part.item = len(self.items)
                self.items.append(item)
        self.names_index = _names_item(self.items, names)

    def rebuild(self, replacements: Mapping[int, bytes]) -> Rebuilt:
        _refuse_names(replacements, self.names_index)
        bodies: list[tuple[bytes, bytes]] = []
        for part in self.parts:
            if part.item is not None and part.item in replacements:
                bodies.append((_fix_part_length(part.raw_headers, replacements[part.item], part),
                               _transfer_encode(replacements[part.item], part.transfer_encoding)))
            else:
                bodies.append((part.raw_headers, part.body))
        boundary = self.boundary
        changed_headers: dict[str, str] = {}
        if any(b"--" + boundary in body for _, body in bodies):
            # A replacement happens to contain the delimiter: choose a new one.
            boundary = ("dlp-" + secrets.token_hex(16)).encode("ascii")
            main, params = split_params(self.content_type)
            params["boundary"] = boundary.decode("ascii")
            changed_headers["content-type"] = main + "".join(f'; {k}="{v}"' for k, v in params.items())
        nl = self.newline
        out = [self.preamble]
        for raw_headers, body in bodies:
            out += [b"--", boundary, nl, raw_headers, nl, nl, body, nl]
        out += [b"--", boundary, b"--", self.epilogue]
        return Rebuilt(b"".join(out), changed_headers)


def _split_multipart(data: bytes, boundary: bytes) -> tuple[bytes, list[_Part], bytes, bytes]:
    delim = b"--" + boundary
    if data.startswith(delim):
        start = 0
    else:
        found = data.find(b"\n" + delim)
        if found < 0:
            raise BodyError("multipart body does not contain its boundary")
        start = found + 1
    preamble = data[:start]
    pos = start + len(delim)
    newline = b"\r\n" if data[pos : pos + 256].lstrip(b" \t").startswith(b"\r\n") else b"\n"
    nl = len(newline)
    parts: list[_Part] = []
    while True:
        if data.startswith(b"--", pos):
            return preamble, parts, data[pos + 2 :], newline
        eol = data.find(newline, pos)
        if eol < 0:
            raise BodyError("multipart body ends inside a boundary line")
        head_start = eol + nl
        if data.startswith(newline, head_start):
            raw_headers, body_start = b"", head_start + nl
        else:
            head_end = data.find(newline + newline, head_start)
            if head_end < 0:
                raise BodyError(f"multipart part {len(parts) + 1} has no end of headers")
            raw_headers, body_start = data[head_start:head_end], head_end + 2 * nl
        nxt = data.find(newline + delim, body_start - nl)
        if nxt < 0:
            raise BodyError(f"multipart body has no closing boundary after part {len(parts) + 1}")
        body = data[body_start:nxt] if nxt >= body_start else b""
        encoding = header(_parse_part_headers(raw_headers), "content-transfer-encoding")
        parts.append(_Part(raw_headers, body, encoding.strip().lower() if encoding else None))
        pos = nxt + nl + len(delim)


def _parse_part_headers(raw: bytes) -> list[tuple[str, str]]:
    text = raw.decode("utf-8", "replace")
    out: list[tuple[str, str]] = []
    for line in re.split(r"\r?\n(?![ \t])", text):
        key, sep, value = line.partition(":")
        if sep:
            out.append((key.strip(), " ".join(value.split())))
    return out


def _part_item(part: _Part, number: int, index: int) -> Item | None:
    hdrs = _parse_part_headers(part.raw_headers)
    _, disp = split_params(header(hdrs, "content-disposition") or "")
    ctype = (header(hdrs, "content-type") or "").split(";")[0].strip().lower()
    data = _transfer_decode(part.body, part.transfer_encoding, number)
    if not data:
        return None
    field_name = safe_name(disp.get("name", ""), f"part{number}")
    if "filename" in disp or (ctype and not ctype.startswith("text/") and ctype != "application/x-www-form-urlencoded"):
        name = safe_name(disp.get("filename") or field_name, f"part{number}")
        return Item(name, data, f"multipart part {number} (file field '{field_name}')")
    return Item(f"form:{field_name}", data, f"multipart part {number} (text field '{field_name}')")


def _transfer_decode(body: bytes, encoding: str | None, number: int) -> bytes:
    try:
        if encoding == "base64":
            return base64.b64decode(body, validate=False)
        if encoding == "quoted-printable":
            return binascii.a2b_qp(body)
    except (binascii.Error, ValueError):
        raise BodyError(f"multipart part {number} is not valid {encoding}") from None
    return body


def _transfer_encode(data: bytes, encoding: str | None) -> bytes:
    if encoding == "base64":
        return base64.encodebytes(data).replace(b"\n", b"\r\n").rstrip(b"\r\n")
    if encoding == "quoted-printable":
        return binascii.b2a_qp(data)
    return data


def _fix_part_length(raw_headers: bytes, new: bytes, part: _Part) -> bytes:
    """A part that declares its own Content-Length (rare) must declare the new one."""
    size = str(len(_transfer_encode(new, part.transfer_encoding))).encode()
    return re.sub(rb"(?im)^(content-length:[ \t]*)\d+", lambda m: m.group(1) + size, raw_headers)


class UrlencodedBody:
    """`application/x-www-form-urlencoded`: each field value is an item; untouched pairs stay byte-exact."""

    shape = "urlencoded"

    def __init__(self, data: bytes) -> None:
        self.pairs = data.split(b"&")
        self.items: list[Item] = []
        self.item_pair: dict[int, int] = {}
        for i, pair in enumerate(self.pairs):
            key, sep, value = pair.partition(b"=")
            decoded = unquote_to_bytes(value.replace(b"+", b" ")) if sep else b""
            if not decoded.strip():
                continue
            name = unquote_to_bytes(key.replace(b"+", b" ")).decode("utf-8", "replace")
            self.item_pair[len(self.items)] = i
            label = safe_name(name, f"field{i + 1}")
            self.items.append(Item(f"form:{label}", decoded, f"form field '{label}'"))
        keys = [unquote_to_bytes(p.partition(b"=")[0].replace(b"+", b" ")) for p in self.pairs]
        self.names_index = _names_item(self.items, keys)

    def rebuild(self, replacements: Mapping[int, bytes]) -> Rebuilt:
        _refuse_names(replacements, self.names_index)
        pairs = list(self.pairs)
        for index, new in replacements.items():
            i = self.item_pair[index]
            key = pairs[i].partition(b"=")[0]
            pairs[i] = key + b"=" + quote_plus(new).encode("ascii")
        return Rebuilt(b"&".join(pairs), {})


def _names_item(items: list[Item], names: list[bytes]) -> int | None:
    """Field names, file names and the text around the parts are content too: one item, placed last."""
    text = b"\n".join(n.strip() for n in names if n.strip())
    if not text:
        return None
    items.append(Item("form:field-names", text, "form field and file names"))
    return len(items) - 1


def _refuse_names(replacements: Mapping[int, bytes], names_index: int | None) -> None:
    if names_index is not None and names_index in replacements:
        raise BodyError("personal data in form field or file names cannot be cut out")


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


# ---------------------------------------------------------------- the request body


Shape = RawBody | MultipartBody | UrlencodedBody | JsonBody


@dataclass
class Body:
    """A request body decoded and split into items; `rebuild` gives the bytes to forward."""

    shape: Shape
    codings: list[str]

    @property
    def items(self) -> list[Item]:
        return self.shape.items

    @property
    def kind(self) -> str:
        return self.shape.shape

    def rebuild(self, replacements: Mapping[int, bytes]) -> Rebuilt:
        """The encoded body with `replacements` (item index -> new bytes) in place of those items."""
        rebuilt = self.shape.rebuild(replacements)
        return Rebuilt(encode(rebuilt.body, self.codings), rebuilt.headers)

    def canonical(self) -> bytes:
        """What identifies this upload across retries: item names and digests, not boundaries or compression."""
        digest = hashlib.sha256(self.kind.encode())
        for item in self.items:
            digest.update(b"\0" + item.name.encode("utf-8", "replace") + b"\0" + hashlib.sha256(item.data).digest())
        return digest.hexdigest().encode("ascii")


def parse(headers: Headers, body: bytes, path: str = "/", max_decoded: int = 100 * 1024 * 1024) -> Body:
    """Decode the body and split it by shape. Raises `BodyError` (or `BodyTooLarge`) naming the problem."""
    codings = content_codings(headers)
    data = decode(body, codings, max_decoded) if codings else body
    if len(data) > max_decoded:
        raise BodyTooLarge(f"the body is larger than {max_decoded} bytes")
    content_type = header(headers, "content-type") or ""
    mime, params = split_params(content_type)
    shape: Shape | None = None
    if mime.startswith("multipart/"):
        if not params.get("boundary"):
            raise BodyError("multipart body without a boundary parameter")
        shape = MultipartBody(data, content_type, params["boundary"])
    elif mime == "application/x-www-form-urlencoded" and _URLENCODED.fullmatch(data):
        # (curl --data-binary labels any file this way; what is not really a form is a raw body)
        shape = UrlencodedBody(data)
    elif _jsonish(mime, data):
        shape = JsonBody.parse(data)
    if shape is None:
        shape = RawBody(data, _raw_name(headers, path))
    return Body(shape, codings)


_URLENCODED = re.compile(rb"[A-Za-z0-9\-_.~*'()!%+&;,:/@$\[\]|]*=[A-Za-z0-9\-_.~*'()!%+=&;,:/@$\[\]|]*")


def _jsonish(mime: str, data: bytes) -> bool:
    if mime == "application/json" or mime.endswith("+json"):
        return True
    if mime in ("", "text/plain", "application/octet-stream", "application/x-json", "text/json"):
        return data.lstrip()[:1] in (b"{", b"[")
    return False


def _raw_name(headers: Headers, path: str) -> str:
    """A name for a whole-body upload: Content-Disposition, X-File-Name, Slug, or the URL's last segment."""
    disposition = header(headers, "content-disposition")
    if disposition:
        _, params = split_params(disposition)
        if params.get("filename"):
            return safe_name(params["filename"], "body")
    for name in ("x-file-name", "x-filename", "slug"):
        value = header(headers, name)
        if value:
            return safe_name(unquote(value), "body")
    last = unquote(path.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1])
    return safe_name(last, "body") if "." in last.strip(".") else "body"


def header_pairs(pairs: Iterable[tuple[bytes | str, bytes | str]]) -> list[tuple[str, str]]:
    """Header fields as text pairs (latin-1 for bytes, as HTTP/1 defines them)."""
    out: list[tuple[str, str]] = []
    for key, value in pairs:
        out.append((key.decode("latin-1") if isinstance(key, bytes) else key,
                    value.decode("latin-1") if isinstance(value, bytes) else value))
    return out
