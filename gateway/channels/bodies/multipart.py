"""`multipart/*` bodies (form-data above all): each file part and each text field is an item.

The body is kept as the exact byte ranges it arrived in, so only the parts
that are redacted change; everything else is reassembled byte for byte.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from gateway.channels.bodies.model import (
    BodyError,
    Item,
    Rebuilt,
    header,
    names_item,
    refuse_names,
    safe_name,
    split_params,
)


@dataclass
class _Part:
    raw_headers: bytes
    body: bytes
    transfer_encoding: str | None
    item: int | None = None


class MultipartBody:
    """A multipart body split into parts; `items` are their decoded contents, plus the names item."""

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
        self.names_index = names_item(self.items, names)

    def rebuild(self, replacements: Mapping[int, bytes]) -> Rebuilt:
        refuse_names(replacements, self.names_index)
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
