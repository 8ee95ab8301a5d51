"""JSON and JSON Lines: arrays of objects are tables, every other string is text.

An array whose items are all objects (at the top or under any key, e.g.
`{"staff": [...]}`) becomes a `Table` with the objects' keys as header; nested
values in a record's cell are kept as compact JSON text so nothing is hidden.
All other keys and scalar values are laid out as "key: value" lines so a
detector sees each value next to its label. Redaction removes the keys of
dropped columns from every record and replaces spans inside strings (or
numbers, which become strings), and re-serialises in the original layout style.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from gateway.content.formats.base import ReadContext, Writer
from gateway.content.formats.slots import SlotLayout, redact, table_chars
from gateway.content.formats.text import SAMPLE_BYTES, TextEncoding, decode, sample_text
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Table

_JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".geojson", ".har")
_ARRAY_STARTS = set('{["-0123456789tfn]')


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Objects with a repeated key are refused: the parser would silently drop
    all but the last value, which would then never be inspected."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey
        out[key] = value
    return out


def _loads(text: str) -> Any:
    return json.loads(text, object_pairs_hook=_no_duplicates)


def _json_error(exc: json.JSONDecodeError, text: str) -> ContentError:
    # A string cannot span lines in JSON, so an unterminated one ran into the end.
    if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
        return ContentError("truncated JSON document")
    # The decoder's messages name the expected token, never the content.
    what = exc.msg.lower().removesuffix(" at").removesuffix(" starting at")
    return ContentError(f"malformed JSON: {what} (line {exc.lineno}, column {exc.colno})")


def parse(text: str) -> tuple[Any, bool]:
    """The document and whether it was JSON Lines (one value per line)."""
    try:
        return _loads(text), False
    except _DuplicateKey:
        raise ContentError("malformed JSON: an object repeats a key") from None
    except RecursionError:
        raise ContentError("malformed JSON: nested too deeply") from None
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise _json_error(exc, text) from None
        first_error = exc
    # JSON Lines: one value per line. Split on "\n" only: a JSON string may
    # legally hold U+2028, which str.splitlines() would cut.
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    values: list[Any] = []
    for index, (number, line) in enumerate(lines):
        try:
            values.append(_loads(line))
        except _DuplicateKey:
            raise ContentError(f"malformed JSON Lines: an object on line {number} repeats a key") from None
        except RecursionError:
            raise ContentError("malformed JSON: nested too deeply") from None
        except json.JSONDecodeError:
            if index == 0 or index + 1 < len(lines):
                raise _json_error(first_error, text) from None
            raise ContentError("truncated JSON Lines document") from None
    return values, True


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class _Slot:
    """Where a string lives: `container[key]` (a value) or a key of `container`."""

    container: Any
    key: Any
    is_key: bool


@dataclass
class _Extraction:
    tables: list[Table] = field(default_factory=list)
    table_records: list[list[dict[str, Any]]] = field(default_factory=list)
    layout: SlotLayout = field(default_factory=SlotLayout)
    slots: list[_Slot] = field(default_factory=list)


def _path_name(path: list[str]) -> str:
    name = ""
    for piece in path:
        name = f"{name}{piece}" if piece.startswith("[") or not name else f"{name}.{piece}"
    return name or "records"


def _extract(doc: Any, jsonl: bool) -> _Extraction:
    """Tables and slot-laid-out text of a document, in a fixed traversal order.

    Iterative, so a deeply nested document cannot exhaust the call stack.
    """
    out = _Extraction()
    table_names: set[str] = set()
    stack: list[tuple[Any, Any, Any, str, list[str]]] = [(None, None, doc, "", [])]
    while stack:
        container, key, value, label, path = stack.pop()
        if _is_records(value):
            name = _path_name(path)
            while name in table_names:
                name += "'"
            table_names.add(name)
            header: list[str] = []
            seen: set[str] = set()
            for record in value:
                for k in record:
                    if k not in seen:
                        seen.add(k)
                        header.append(k)
            rows = [[_cell(record.get(k)) for k in header] for record in value]
            out.tables.append(Table(name=name, header=header, rows=rows))
            out.table_records.append(value)
            continue
        if isinstance(value, dict):
            children: list[tuple[Any, Any, Any, str, list[str]]] = []
            for k, v in value.items():
                if isinstance(v, dict | list):
                    _add_key(out, value, k)
                children.append((value, k, v, k, [*path, k]))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(value, i, v, label, [*path, f"[{i}]"]) for i, v in enumerate(value)]))
        elif isinstance(value, str | int | float) and not isinstance(value, bool) and container is not None:
            text = value if isinstance(value, str) else json.dumps(value)
            if label:
                out.layout.add("body", f"{label}: ")
            out.slots.append(_Slot(container, key, False))
            out.layout.add("body", text, len(out.slots) - 1, new_line=not label)
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            out.slots.append(_Slot(_Root, None, False))
            out.layout.add("body", value if isinstance(value, str) else json.dumps(value), len(out.slots) - 1)
    out.layout.finish()
    return out


def _add_key(out: _Extraction, container: dict[str, Any], key: str) -> None:
    """A key that opens a nested structure is text too ("John Smith": {...})."""
    out.slots.append(_Slot(container, key, True))
    out.layout.add("body", key, len(out.slots) - 1)
    out.layout.add("body", ":", new_line=False)


class _Root:
    """Marks a document that is a single scalar."""


def _style(text: str) -> dict[str, Any]:
    """How the original was laid out, so the rewrite looks like it."""
    indent: int | str | None = None
    match = re.search(r"[\[{][ \t]*\r?\n([ \t]+)\S", text[:SAMPLE_BYTES])
    if match:
        whitespace = match.group(1)
        indent = "\t" if whitespace.startswith("\t") else len(whitespace)
    spaced = re.search(r'"\s*:\s', text[:SAMPLE_BYTES]) is not None
    line_ending = "\r\n" if "\r\n" in text[:SAMPLE_BYTES] else "\n"
    return {
        "indent": indent,
        "spaced": spaced,
        "ascii": text.isascii(),
        "line_ending": line_ending,
        "final_newline": text.endswith("\n"),
    }


def _dump(value: Any, style: dict[str, Any]) -> str:
    indent = style["indent"]
    separators = (",", ": ") if indent is not None else ((", ", ": ") if style["spaced"] else (",", ":"))
    out = json.dumps(value, indent=indent, separators=separators, ensure_ascii=style["ascii"])
    if style["line_ending"] != "\n":
        out = out.replace("\n", style["line_ending"])
    return out


def sniff_json(data: bytes, name: str) -> bool:
    """JSON from the bytes: the opening must be JSON's, and the end (or a
    .json name, for a truncated file) must agree, so "[1] See note" is text."""
    text = sample_text(data)
    if text is None:
        return False
    head = text.lstrip()
    if head and name.lower().endswith(_JSON_SUFFIXES) and head[0] in _ARRAY_STARTS | {'"'}:
        return True
    if not head or head[0] not in "{[":
        return False
    rest = head[1:].lstrip()
    if rest and ((head[0] == "{" and rest[0] not in '"}') or (head[0] == "[" and rest[0] not in _ARRAY_STARTS)):
        return False
    if name.lower().endswith(_JSON_SUFFIXES):
        return True
    if len(data) <= SAMPLE_BYTES:
        try:
            parse(text)
        except ContentError:
            return False
        return True
    tail = data[-64:].rstrip(b" \t\r\n\x00")
    return tail.endswith((b"}", b"]", b"}\x00", b"]\x00"))


class JsonHandler:
    kind = "json"

    def sniff(self, data: bytes, name: str) -> bool:
        return sniff_json(data, name)

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        text, encoding = decode(data, "JSON document")
        doc, jsonl = parse(text)
        extraction = _extract(doc, jsonl)
        ctx.admit_text(extraction.layout.text_chars() + table_chars(extraction.tables))
        meta: dict[str, object] = {**encoding.to_meta(), "jsonl": jsonl}
        return Part(
            name=name,
            kind="json",
            data=data,
            segments=extraction.layout.segments,
            tables=extraction.tables,
            meta=meta,
        )

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        redaction = plan.for_part(part.name)
        if redaction is None:
            return part.data
        encoding = TextEncoding.from_meta(part.meta)
        text = part.data[len(encoding.bom) :].decode(encoding.codec, encoding.errors)
        doc, jsonl = parse(text)
        extraction = _extract(doc, jsonl)
        if len(extraction.tables) != len(part.tables):
            raise NotRedactable("the JSON document changed since it was read")
        # Spans first: slots point into records that column drops may remove.
        renames: list[tuple[dict[str, Any], str, str]] = []
        for slot_id, spans in extraction.layout.slot_spans(redaction.spans).items():
            slot = extraction.slots[slot_id]
            if slot.container is _Root:
                doc = redact(_as_text(doc), spans)
            elif slot.is_key:
                renames.append((slot.container, slot.key, redact(slot.key, spans)))
            else:
                slot.container[slot.key] = redact(_as_text(slot.container[slot.key]), spans)
        for container, old, new in renames:
            _rename(container, old, new)
        for table_index, columns in redaction.drop_columns.items():
            if not 0 <= table_index < len(extraction.tables) or not columns:
                continue
            header = extraction.tables[table_index].header
            keys = {header[i] for i in columns if 0 <= i < len(header)}
            for record in extraction.table_records[table_index]:
                for key in keys:
                    record.pop(key, None)
        style = _style(text)
        if jsonl:
            ending = style["line_ending"]
            style = {**style, "indent": None}
            out = ending.join(_dump(v, style) for v in doc)
        else:
            out = _dump(doc, style)
            ending = style["line_ending"]
        if style["final_newline"]:
            out += ending
        return encoding.encode(out, "strict" if encoding.errors == "strict" else encoding.errors)


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _rename(container: dict[str, Any], old: str, new: str) -> None:
    if new == old:
        return
    if new in container:
        raise NotRedactable("redacting a JSON key would merge two keys")
    items = list(container.items())
    container.clear()
    for k, v in items:
        container[new if k == old else k] = v


HANDLER = JsonHandler()
