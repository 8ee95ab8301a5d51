"""Bodies inspected as one file: PUTs to storage, binary uploads, text and XML posts."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

from gateway.channels.bodies.model import Headers, Item, Rebuilt, header, safe_name, split_params


class RawBody:
    """The whole body is one item, named after the file it carries when the request says so."""

    shape = "raw"

    def __init__(self, data: bytes, name: str) -> None:
        self.items = [Item(name, data, "body")] if data else []

    def rebuild(self, replacements: Mapping[int, bytes]) -> Rebuilt:
        return Rebuilt(replacements[0], {})


def raw_name(headers: Headers, path: str) -> str:
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
