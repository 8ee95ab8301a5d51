"""HTML: visible text, and the text people forget is there.

The title, meta tags, comments, scripts, styles and attribute values (alt text,
hidden form fields, mailto links) are content too. A `<table>` that looks like
data (a header row and rows of the same width, no nested tables) becomes a
`Table`; layout tables, as in most HTML e-mail, are read as ordinary text.
Redaction edits the parsed tree (text nodes, attributes, whole table columns)
and serialises it in the original encoding; a table with merged cells cannot
lose a column safely and raises NotRedactable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from lxml import etree

from gateway.content.formats.base import ReadContext, Writer
from gateway.content.formats.nodeslots import TAIL, TEXT, TreeExtraction, remove_keeping_layout
from gateway.content.formats.text import TextEncoding, decode, sample_text
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Table

_HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_LEADING_NOISE = re.compile(r"^(?:\s+|<!--.*?-->|<\?xml[^>]*\?>)*", re.DOTALL)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title)[\s>/]", re.IGNORECASE)
# A fragment that opens with one of these is HTML (an e-mail body, a pasted
# snippet), not an XML document with an unusual root.
_FRAGMENT_START = re.compile(
    r"<(?:p|div|span|table|br|b|i|u|a|ul|ol|li|h[1-6]|font|strong|em|center|blockquote|pre|img|style)[\s>/]",
    re.IGNORECASE,
)
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "caption",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "option",
        "p",
        "pre",
        "section",
        "select",
        "summary",
        "table",
        "tbody",
        "td",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
    }
)
# Attributes that carry layout or machinery, never something a person wrote.
_STRUCTURAL_ATTRS = frozenset(
    {
        "align",
        "bgcolor",
        "border",
        "cellpadding",
        "cellspacing",
        "charset",
        "class",
        "color",
        "colspan",
        "dir",
        "face",
        "height",
        "hidden",
        "http-equiv",
        "id",
        "lang",
        "rel",
        "rowspan",
        "span",
        "style",
        "tabindex",
        "target",
        "type",
        "valign",
        "width",
        "xmlns",
        "role",
    }
)
_SPECIAL_WHERE = {"title": "title", "script": "script", "style": "style", "noscript": "body", "template": "body"}


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(remove_comments=False, remove_pis=False, no_network=True, remove_blank_text=False)


@dataclass
class Parsed:
    root: Any
    encoding: TextEncoding
    declaration: str
    whole_document: bool


def parse(data: bytes) -> Parsed:
    text, encoding = decode(data, "HTML document")
    match = _DECLARATION.match(text)
    declaration = match.group(0) if match else ""
    body = text[len(declaration) :]
    if not body.strip():
        raise ContentError("malformed HTML: empty document")
    try:
        root = lxml.html.document_fromstring(body, parser=_parser())
    except (etree.ParserError, ValueError):
        # No element at all (only a comment or a doctype): give the parser one.
        try:
            root = lxml.html.document_fromstring(f"<html><body>{body}</body></html>", parser=_parser())
        except (etree.ParserError, ValueError):
            raise ContentError("malformed HTML: no document could be parsed") from None
    whole = re.search(r"<html[\s>]", body[:65536], re.IGNORECASE) is not None
    return Parsed(root, encoding, declaration, whole)


@dataclass
class _Extraction(TreeExtraction):
    table_rows: list[list[Any]] = field(default_factory=list)


def _tag(node: Any) -> str:
    return node.tag.lower() if isinstance(node.tag, str) else ""


def _cell_text(cell: Any) -> str:
    return " ".join(cell.text_content().split())


def _nearest_table(node: Any) -> Any:
    parent = node.getparent()
    while parent is not None and _tag(parent) != "table":
        parent = parent.getparent()
    return parent


def _data_table(table: Any) -> list[list[Any]] | None:
    """The rows of cells of a table that holds data, or None for a layout table."""
    if any(_tag(t) == "table" for t in table.iterdescendants()):
        return None
    rows = [[c for c in tr if _tag(c) in ("td", "th")] for tr in table.iter("tr") if _nearest_table(tr) is table]
    rows = [r for r in rows if r]
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    width = len(rows[0])
    if sum(1 for r in rows[1:] if len(r) == width) < 0.8 * (len(rows) - 1):
        return None
    return rows


def extract(root: Any) -> _Extraction:
    """Tables and laid-out text in document order (deterministic, iterative)."""
    out = _Extraction()
    in_table: set[Any] = set()
    for table in root.iter("table"):
        rows = _data_table(table)
        if rows is None:
            continue
        out.tables.append(
            Table(
                name=f"table {len(out.tables) + 1}",
                header=[_cell_text(c) for c in rows[0]],
                rows=[[_cell_text(c) for c in row] for row in rows[1:]],
            )
        )
        out.table_rows.append(rows)
        for row in rows:
            for cell in row:
                in_table.update(cell.iter())
    pending_break = True
    top = [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]
    stack: list[tuple[Any, bool, str]] = [(n, False, "body") for n in reversed(top)]

    def add(where: str, text: str | None, node: Any, attr: str, prefix: str = "") -> None:
        # Body text flows like the page (inline elements continue the line);
        # everything else is one labelled string a line.
        nonlocal pending_break
        if where != "body":
            out.add(where, text, node=node, attr=attr, prefix=prefix)
        elif out.add(where, text, node=node, attr=attr, new_line=pending_break):
            pending_break = False

    while stack:
        node, leaving, where = stack.pop()
        parent_where = where
        if isinstance(node, etree._Comment):
            add("comment", node.text, node, TEXT)
            if node.getparent() not in in_table:
                add(parent_where, node.tail, node, TAIL)
            continue
        if isinstance(node, etree._ProcessingInstruction | etree._Entity):
            if node.getparent() not in in_table:
                add(parent_where, node.tail, node, TAIL)
            continue
        tag = _tag(node)
        if leaving:
            if tag in _BLOCKS:
                pending_break = True
            if node.getparent() is not None and node.getparent() not in in_table:
                add(where, node.tail, node, TAIL)
            continue
        inner = _SPECIAL_WHERE.get(tag, where)
        if tag in _BLOCKS:
            pending_break = True
        for key, value in node.attrib.items():
            if key.lower() in _STRUCTURAL_ATTRS or value.startswith("data:image/"):
                continue  # layout, or an embedded picture (opaque, like any image)
            if tag == "meta" and key.lower() == "content":
                label = node.get("name") or node.get("property") or node.get("http-equiv") or "meta"
                add("meta", value, node, key, f"{label}: ")
            elif tag != "meta":
                add("attribute", value, node, key, f"{tag}@{key}: ")
        if node not in in_table:
            add(inner, node.text, node, TEXT)
        # Leaving the node is handled after its children; the tail belongs to
        # the parent's flow, hence the parent's `where`.
        stack.append((node, True, where))
        stack.extend((child, False, inner) for child in reversed(list(node)))
    out.layout.finish()
    return out


def sniff_html(data: bytes, name: str) -> bool:
    text = sample_text(data)
    if text is None:
        return False
    noise = _LEADING_NOISE.match(text[:8192])
    head = text[noise.end() if noise else 0 :][:256]
    if _HTML_START.match(head) or _FRAGMENT_START.match(head):
        return True
    if re.match(r"<html[\s>]", text[:4096].lstrip(), re.IGNORECASE):
        return True
    if _DECLARATION.match(text):
        return False  # an XML document whose root is not <html>
    return name.lower().endswith(_HTML_SUFFIXES) and re.search(r"<[A-Za-z!/]", text[:8192]) is not None


def serialise(parsed: Parsed) -> bytes:
    root = parsed.root
    if parsed.whole_document:
        body = lxml.html.tostring(root.getroottree(), encoding="unicode", method="html")
    else:
        # A fragment (an e-mail body, a snippet) comes back as a fragment, not
        # wrapped in the <html><body> the parser added.
        pieces: list[str] = []
        for section in root:
            if not isinstance(section.tag, str):
                continue
            pieces.append(section.text or "")
            pieces.extend(lxml.html.tostring(child, encoding="unicode", method="html") for child in section)
        body = "".join(pieces)
    return parsed.encoding.encode(parsed.declaration + body, "xmlcharrefreplace")


class HtmlHandler:
    kind = "html"

    def sniff(self, data: bytes, name: str) -> bool:
        return sniff_html(data, name)

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        parsed = parse(data)
        return extract(parsed.root).to_part(name, "html", data, ctx, parsed.encoding.to_meta())

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        redaction = plan.for_part(part.name)
        if redaction is None:
            return part.data
        parsed = parse(part.data)
        extraction = extract(parsed.root)
        extraction.redact_slots(redaction.spans)
        for table_index, dropped in redaction.drop_columns.items():
            if not dropped or not 0 <= table_index < len(extraction.tables):
                continue
            rows = extraction.table_rows[table_index]
            if any(
                (c.get("colspan") or "1").strip() != "1" or (c.get("rowspan") or "1").strip() != "1"
                for row in rows
                for c in row
            ):
                raise NotRedactable("an HTML table with merged cells cannot lose a column safely")
            for row in rows:
                for index in sorted(dropped, reverse=True):
                    if 0 <= index < len(row):
                        remove_keeping_layout(row[index])
        return serialise(parsed)


HANDLER = HtmlHandler()
