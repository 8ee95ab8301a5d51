"""PDF: page text, document properties, XMP, annotations, form fields, bookmarks
and embedded files.

Read with pypdf. A PDF that needs a password to open is uninspectable; one
that only carries an owner password (printing/copying restrictions) opens with
the empty user password and is inspected. Pages without any text layer
(scans) are listed in `meta["pages_without_text"]`: there is no OCR, so their
content is not seen. PDFs are never rewritten: pypdf cannot remove text from a
page's content stream, so `write` raises NotRedactable and policy holds.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from typing import Any

from lxml import etree
from pypdf import PdfReader, apply_configuration
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PdfReadError, PdfStreamError

from gateway.content.formats.base import LimitExceeded, ReadContext, Writer
from gateway.content.formats.slots import SlotLayout
from gateway.content.formats.text import text_segments
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment

log = logging.getLogger(__name__)
# pypdf's warnings quote raw bytes of the document ("Invalid Elementary Object
# starting with b'...'"), which may be personal data: they must not reach the
# gateway's logs. Damage that matters surfaces as an exception instead.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

_PYPDF_DEFAULT_CAP = 75_000_000
_PYPDF_OUTPUT_LIMITS = (
    "zlib_maximum_output_length",
    "lzw_maximum_output_length",
    "run_length_maximum_output_length",
    "brotli_maximum_output_length",
    "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length",
    "image_maximum_buffer_size",
)

# The end-of-file marker sits in the last bytes of every complete PDF; a few
# writers append padding after it.
_EOF_WINDOW = 4096


def _text(value: Any) -> str:
    """A PDF object as plain text, for metadata values of any type."""
    with contextlib.suppress(AttributeError):
        value = value.get_object()
    if isinstance(value, bytes):
        return value.decode("latin-1", "replace")
    return str(value) if value is not None else ""


def _open(data: bytes) -> PdfReader:
    if b"%PDF-" not in data[:1024]:
        raise ContentError("malformed PDF: no PDF header")
    if data.rfind(b"%%EOF", max(0, len(data) - _EOF_WINDOW)) < 0:
        raise ContentError("truncated PDF (no end-of-file marker)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except (PdfReadError, PdfStreamError) as exc:
        raise ContentError(f"malformed PDF: {_reason(exc)}") from None
    except Exception as exc:
        raise ContentError(f"malformed PDF: the document structure cannot be read ({type(exc).__name__})") from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError):
            raise ContentError("PDF is encrypted with an unsupported method") from None
        if not opened:
            raise ContentError("PDF is encrypted (password-protected)")
    return reader


def _reason(exc: Exception) -> str:
    if isinstance(exc, PdfStreamError):
        return "a stream ends unexpectedly"
    if isinstance(exc, FileNotDecryptedError):
        return "the document is encrypted"
    return "the cross-reference table or trailer is damaged"


def _metadata(reader: PdfReader, layout: SlotLayout) -> None:
    info: dict[Any, Any] = dict(reader.metadata or {})
    for key, value in info.items():
        text = _text(value).strip()
        if text:
            layout.add(f"property:{str(key).lstrip('/').lower()}", text)


def _xmp(reader: PdfReader, layout: SlotLayout) -> None:
    """Text values of the XMP packet (dc:creator, dc:description, custom fields)."""
    root: Any = reader.trailer["/Root"].get_object()
    metadata = root.get("/Metadata") if hasattr(root, "get") else None
    if metadata is None:
        return
    raw = metadata.get_object().get_data()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        tree = etree.fromstring(raw.strip(), parser)
    except etree.XMLSyntaxError:
        raise ContentError("malformed PDF: the XMP metadata is not valid XML") from None
    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        for value in node.attrib.values():
            if value.strip() and not value.startswith(("uuid:", "xmp.", "adobe:", "http")):
                layout.add("property:xmp", value.strip())
        if node.text and node.text.strip():
            layout.add("property:xmp", node.text.strip())


def _annotations(reader: PdfReader, layout: SlotLayout) -> None:
    for number, page in enumerate(reader.pages, 1):
        annots = page.get("/Annots")
        if annots is None:
            continue
        for ref in annots.get_object():
            annot = ref.get_object()
            for key in ("/T", "/Subj", "/Contents", "/RC"):
                text = _text(annot.get(key)).strip()
                if text:
                    layout.add("annotation", f"page {number} {key.lstrip('/').lower()}: {text}")


def _fields(reader: PdfReader, layout: SlotLayout) -> None:
    for name, field in (reader.get_fields() or {}).items():
        value = _text(field.get("/V")).strip()
        if value:
            layout.add("form-field", f"{name}: {value}")


def _outline(reader: PdfReader, layout: SlotLayout) -> None:
    stack: list[Any] = [reader.outline]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        else:
            title = _text(getattr(item, "title", "")).strip()
            if title:
                layout.add("bookmark", title)


class PdfHandler:
    kind = "pdf"

    def sniff(self, data: bytes, name: str) -> bool:
        return b"%PDF-" in data[:1024]

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        # pypdf's own decompression limits follow ours, and it never runs an
        # external decoder (jbig2dec) on what a sender supplied.
        cap = min(_PYPDF_DEFAULT_CAP, ctx.limits.max_part_bytes)
        limits = {key: cap for key in _PYPDF_OUTPUT_LIMITS}
        # pypdf types its keyword limits loosely; at run time they are plain ints (see its _configuration.py).
        with warnings.catch_warnings(), apply_configuration(jbig2dec_binary=None, **limits):  # type: ignore[arg-type]
            warnings.simplefilter("ignore")  # PdfReadWarning texts quote content too
            return self._read(data, name, ctx)

    def _read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        reader = _open(data)
        segments: list[Segment] = []
        without_text: list[int] = []
        children: list[Part] = []
        try:
            for number, page in enumerate(reader.pages, 1):
                text = page.extract_text() or ""
                ctx.admit_text(len(text))
                if not text.strip():
                    without_text.append(number)
                    continue
                segments.extend(text_segments(text, f"page {number}")[0])
            extras = SlotLayout()
            _metadata(reader, extras)
            _xmp(reader, extras)
            _annotations(reader, extras)
            _fields(reader, extras)
            _outline(reader, extras)
            segments.extend(extras.finish())
            ctx.admit_text(extras.text_chars())
            for attachment, contents in reader.attachments.items():
                for index, content in enumerate(contents):
                    suffix = f" ({index + 1})" if index else ""
                    children.append(ctx.child(content, f"{name}/{attachment}{suffix}"))
        except (ContentError, LimitExceeded):
            raise
        except LimitReachedError:
            raise ContentError("PDF stream expands beyond the safe limit (possible decompression bomb)") from None
        except (PdfReadError, PdfStreamError) as exc:
            raise ContentError(f"malformed PDF: {_reason(exc)}") from None
        except NotImplementedError:
            raise ContentError("PDF uses a feature that cannot be read (unsupported filter or encoding)") from None
        except Exception as exc:
            log.debug("PDF parse failure: %s", type(exc).__name__)
            raise ContentError(f"malformed PDF: content cannot be read ({type(exc).__name__})") from exc
        return Part(
            name=name,
            kind="pdf",
            data=data,
            segments=segments,
            children=children,
            meta={"pages": len(reader.pages), "pages_without_text": without_text},
        )

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        raise NotRedactable("PDF cannot be redacted safely")


HANDLER = PdfHandler()
