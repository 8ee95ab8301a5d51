"""XML: element text, attributes, comments and processing instructions are content.

Parsed with lxml configured never to expand entities, load DTDs or touch the
network; libxml2's own amplification limit turns a "billion laughs" document
into a clear refusal. An element whose children are two or more records of the
same name, each holding only flat fields (attributes and childless elements),
becomes a `Table` (`<staff><person><name>..</name></person>...</staff>`).
Everything else is laid out as "tag: text" lines. Redaction removes the fields
of dropped columns from every record and replaces spans in text and attribute
values, then serialises the tree in its original encoding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from gateway.content.formats.base import ReadContext, Writer
from gateway.content.formats.nodeslots import TAIL, TEXT, TreeExtraction, remove_keeping_layout
from gateway.content.formats.text import SAMPLE_BYTES, TextEncoding, decode, detect_encoding, sample_text
from gateway.content.formats.xmltext import safe_parser
from gateway.content.model import ContentError, Part, RedactionPlan, Table

_XML_SUFFIXES = (".xml", ".xsd", ".xsl", ".xslt", ".svg", ".rss", ".atom", ".gpx", ".kml", ".plist", ".xliff")
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_START_TAG = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!DOCTYPE\s+)?[A-Za-z_][\w.:-]*", re.DOTALL)
# Error types libxml2 reports at the very end of a document cut short.
_NOT_TRUNCATION = {"ERR_TAG_NAME_MISMATCH", "ERR_DOCUMENT_END", "ERR_INVALID_CHAR"}


def _parser() -> etree.XMLParser:
    return safe_parser(strip_cdata=False)


def local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _error(parser: etree.XMLParser, data: bytes) -> ContentError:
    errors = list(parser.error_log)
    if not errors:
        return ContentError("malformed XML document")
    first = errors[0]
    lines = data.split(b"\n")
    if first.type_name == "ERR_RESOURCE_LIMIT":
        return ContentError("XML entity expansion over the safe limit (possible entity-expansion bomb)")
    if first.type_name == "ERR_DOCUMENT_EMPTY":
        return ContentError("malformed XML: empty document")
    at_end = first.line >= len(lines) and first.column >= len(lines[-1].rstrip())
    if at_end and first.type_name not in _NOT_TRUNCATION:
        return ContentError("truncated XML document")
    what = first.type_name.removeprefix("ERR_").replace("_", " ").lower()
    return ContentError(f"malformed XML: {what} at line {first.line}")


@dataclass
class Parsed:
    tree: Any
    fallback: TextEncoding | None  # set when the bytes had to be decoded by guessing
    declaration: str


def parse(data: bytes) -> Parsed:
    """The document tree, or ContentError naming what is wrong."""
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
        return Parsed(root.getroottree(), None, "")
    except etree.XMLSyntaxError:
        errors = list(parser.error_log)
        if not errors or errors[0].type_name != "ERR_INVALID_ENCODING":
            raise _error(parser, data) from None
    # Declared (or defaulted to) UTF-8 but written in a legacy code page, as
    # hand-made exports often are: decode by content and parse the text.
    text, encoding = decode(data, "XML document")
    match = _DECLARATION.match(text)
    declaration = match.group(0) if match else ""
    body = text[len(declaration) :].encode("utf-8")
    parser = _parser()
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        raise _error(parser, body) from None
    return Parsed(root.getroottree(), encoding, declaration)


@dataclass
class _Extraction(TreeExtraction):
    records: list[list[Any]] = field(default_factory=list)
    columns: list[list[tuple[str, str | None]]] = field(default_factory=list)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _record_fields(record: Any) -> list[tuple[str, str | None]] | None:
    """The fields of a flat record as (leaf tag, attribute), or None if not flat."""
    if not _blank(record.text):
        return None
    fields: list[tuple[str, str | None]] = [("", local(a)) for a in record.attrib]
    for leaf in record:
        if not isinstance(leaf.tag, str) or len(leaf) or not _blank(leaf.tail):
            return None
        fields.append((local(leaf.tag), None))
        fields.extend((local(leaf.tag), local(a)) for a in leaf.attrib)
    if len(set(fields)) != len(fields) or not fields:
        return None
    return fields


def _as_table(element: Any) -> tuple[list[Any], list[tuple[str, str | None]]] | None:
    """Records under `element` and the union of their fields, or None."""
    kids = [k for k in element if isinstance(k.tag, str)]
    if len(kids) < 2 or len({k.tag for k in kids}) != 1 or any(not isinstance(k.tag, str) for k in element):
        return None
    columns: list[tuple[str, str | None]] = []
    seen: set[tuple[str, str | None]] = set()
    for kid in kids:
        fields = _record_fields(kid)
        if fields is None:
            return None
        for f in fields:
            if f not in seen:
                seen.add(f)
                columns.append(f)
    return kids, columns


def _column_name(column: tuple[str, str | None]) -> str:
    leaf, attr = column
    if attr is None:
        return leaf
    return f"{leaf}@{attr}" if leaf else f"@{attr}"


def _value(record: Any, column: tuple[str, str | None]) -> str:
    leaf_tag, attr = column
    node = record if not leaf_tag else next((k for k in record if local(k.tag) == leaf_tag), None)
    if node is None:
        return ""
    if attr is None:
        return node.text or ""
    return next((v for k, v in node.attrib.items() if local(k) == attr), "")


def extract(tree: Any) -> _Extraction:
    """Tables and laid-out text of a tree, in document order (deterministic)."""
    out = _Extraction()
    root = tree.getroot()
    dtd = tree.docinfo.internalDTD
    if dtd is not None:
        for entity in dtd.iterentities():
            out.add("dtd", entity.content, node=None, attr=None, prefix=f"entity {entity.name}: ")
    in_table: set[Any] = set()
    names: set[str] = set()
    top = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    for start in top:
        for node in start.iter() if start is root else [start]:
            if node in in_table:
                out.add("body", node.tail, node=node, attr=TAIL)
                continue
            if isinstance(node, etree._Comment):
                out.add("comment", node.text, node=node, attr=TEXT)
            elif isinstance(node, etree._ProcessingInstruction):
                out.add("processing-instruction", node.text, node=node, attr=TEXT, prefix=f"{node.target}: ")
            elif isinstance(node.tag, str):
                _element(out, node, in_table, names)
            if node is not root:
                out.add("body", node.tail, node=node, attr=TAIL)
    out.layout.finish()
    return out


def _element(out: _Extraction, node: Any, in_table: set[Any], names: set[str]) -> None:
    tag = local(node.tag)
    for key, value in node.attrib.items():
        out.add("attribute", value, node=node, attr=key, prefix=f"{tag}@{local(key)}: ")
    out.add("body", node.text, node=node, attr=TEXT, prefix=f"{tag}: ")
    found = _as_table(node)
    if found is None:
        return
    records, columns = found
    name = tag
    while name in names:
        name += "'"
    names.add(name)
    out.tables.append(
        Table(
            name=name,
            header=[_column_name(c) for c in columns],
            rows=[[_value(r, c) for c in columns] for r in records],
        )
    )
    out.records.append(records)
    out.columns.append(columns)
    for record in records:
        in_table.update(record.iter())


def sniff_xml(data: bytes, name: str) -> bool:
    text = sample_text(data)
    if text is None:
        return False
    if _DECLARATION.match(text):
        return True
    if not _START_TAG.match(text):
        return False
    if name.lower().endswith(_XML_SUFFIXES):
        return True
    return data.rstrip(b" \t\r\n\x00").endswith((b">", b">\x00"))


def _drop(record: Any, column: tuple[str, str | None]) -> None:
    leaf_tag, attr = column
    node = record if not leaf_tag else next((k for k in record if local(k.tag) == leaf_tag), None)
    if node is None:
        return
    if attr is not None:
        for key in list(node.attrib):
            if local(key) == attr:
                del node.attrib[key]
        return
    remove_keeping_layout(node)


class XmlHandler:
    kind = "xml"

    def sniff(self, data: bytes, name: str) -> bool:
        return sniff_xml(data, name)

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        parsed = parse(data)
        meta = {"fallback": parsed.fallback.to_meta() if parsed.fallback else None}
        return extract(parsed.tree).to_part(name, "xml", data, ctx, meta)

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        redaction = plan.for_part(part.name)
        if redaction is None:
            return part.data
        parsed = parse(part.data)
        extraction = extract(parsed.tree)
        extraction.redact_slots(redaction.spans)
        for table_index, dropped in redaction.drop_columns.items():
            if not 0 <= table_index < len(extraction.tables):
                continue
            columns = extraction.columns[table_index]
            for record in extraction.records[table_index]:
                for index in sorted(dropped):
                    if 0 <= index < len(columns):
                        _drop(record, columns[index])
        return serialise(parsed, part.data)


def serialise(parsed: Parsed, original: bytes) -> bytes:
    """The tree as bytes in the original's encoding, declaration, BOM and final newline."""
    tree = parsed.tree
    if parsed.fallback is not None:
        fallback = parsed.fallback
        text = parsed.declaration + etree.tostring(tree, encoding="unicode")
        original_text = original[len(fallback.bom) :].decode(fallback.codec, fallback.errors)
        if original_text.endswith("\n") and not text.endswith("\n"):
            text += "\n"
        return fallback.encode(text, "xmlcharrefreplace")
    encoding = tree.docinfo.encoding or "UTF-8"
    detected = detect_encoding(original[:SAMPLE_BYTES])
    bom = detected.bom if detected else b""
    head = original[len(bom) : len(bom) + 200].replace(b"\x00", b"")
    declared = head.startswith(b"<?xml")
    standalone = tree.docinfo.standalone if b"standalone" in head.split(b"?>", 1)[0] else None
    out = etree.tostring(tree, encoding=encoding, xml_declaration=declared, standalone=standalone)
    if bom == b"\xef\xbb\xbf" and not out.startswith(bom):
        out = bom + out
    if original.endswith(b"\n") and not out.endswith(b"\n") and not encoding.upper().startswith("UTF-16"):
        out += b"\n"
    return out


HANDLER = XmlHandler()
