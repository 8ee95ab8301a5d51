"""A request body decoded and split by shape, and rebuilt (re-encoded) after redaction."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from gateway.channels.bodies.encoding import content_codings, decode, encode
from gateway.channels.bodies.json_attachments import JsonBody, is_jsonish
from gateway.channels.bodies.model import BodyError, BodyTooLarge, Headers, Item, Rebuilt, header, split_params
from gateway.channels.bodies.multipart import MultipartBody
from gateway.channels.bodies.raw import RawBody, raw_name
from gateway.channels.bodies.urlencoded import UrlencodedBody, is_form

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
    elif mime == "application/x-www-form-urlencoded" and is_form(data):
        # (curl --data-binary labels any file this way; what is not really a form is a raw body)
        shape = UrlencodedBody(data)
    elif is_jsonish(mime, data):
        shape = JsonBody.parse(data)
    if shape is None:
        shape = RawBody(data, raw_name(headers, path))
    return Body(shape, codings)
