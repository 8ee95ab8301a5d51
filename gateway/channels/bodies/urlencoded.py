"""`application/x-www-form-urlencoded` bodies: each field value is an item; untouched pairs stay byte-exact."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote_plus, unquote_to_bytes

from gateway.channels.bodies.model import Item, Rebuilt, names_item, refuse_names, safe_name

_URLENCODED = re.compile(rb"[A-Za-z0-9\-_.~*'()!%+&;,:/@$\[\]|]*=[A-Za-z0-9\-_.~*'()!%+=&;,:/@$\[\]|]*")


def is_form(data: bytes) -> bool:
    """Whether bytes labelled as a form really are one (curl --data-binary labels any file this way)."""
    return _URLENCODED.fullmatch(data) is not None


class UrlencodedBody:
    """The form's `key=value` pairs; `items` are the non-empty values, plus the names item."""

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
        self.names_index = names_item(self.items, keys)

    def rebuild(self, replacements: Mapping[int, bytes]) -> Rebuilt:
        refuse_names(replacements, self.names_index)
        pairs = list(self.pairs)
        for index, new in replacements.items():
            i = self.item_pair[index]
            key = pairs[i].partition(b"=")[0]
            pairs[i] = key + b"=" + quote_plus(new).encode("ascii")
        return Rebuilt(b"&".join(pairs), {})
