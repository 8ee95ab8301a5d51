"""Bytes in, a tree of parts out; and back to bytes after redaction.

`read` identifies the format from the bytes, unpacks containers under the
limits, and never raises for bad input: whatever cannot be read comes back as
a part with `uninspectable` set to a reason that names the problem and never
quotes the content. `write` hands a `RedactionPlan` to the format that read
each part and returns the rewritten bytes, or raises `NotRedactable`.
"""

from __future__ import annotations

import logging

from gateway.content.formats.base import FormatHandler, LimitExceeded, Limits, ReadContext
from gateway.content.model import (
    ContentError,
    NotRedactable,
    Part,
    PartRedaction,
    RedactionPlan,
    Segment,
    Span,
    Table,
)
from gateway.content.sniff import handler_for, identify

__all__ = [
    "ContentError",
    "FormatHandler",
    "LimitExceeded",
    "Limits",
    "NotRedactable",
    "Part",
    "PartRedaction",
    "ReadContext",
    "RedactionPlan",
    "Segment",
    "Span",
    "Table",
    "identify",
    "read",
    "write",
]

log = logging.getLogger(__name__)

# The meta key recording which handler read a part, so its writer can be found.
HANDLER_KEY = "handler"

_LABELS = {
    "text": "text file",
    "csv": "delimited file",
    "json": "JSON document",
    "xml": "XML document",
    "html": "HTML document",
    "pdf": "PDF",
    "eml": "e-mail message",
    "zip": "ZIP archive",
    "gzip": "gzip stream",
    "bzip2": "bzip2 stream",
    "xz": "xz stream",
    "zstd": "Zstandard stream",
    "tar": "tar archive",
    "image": "image",
}


def read(data: bytes, name: str, limits: Limits | None = None) -> Part:
    """The part tree of one file or message. Never raises for bad input."""
    limits = limits or Limits()
    if len(data) > limits.max_part_bytes:
        return Part(
            name=name, kind="binary", data=data, uninspectable=f"file larger than {limits.max_part_bytes} bytes"
        )
    return _read_part(data, name, ReadContext(limits, _read_part))


def _read_part(data: bytes, name: str, ctx: ReadContext) -> Part:
    handler = identify(data, name)
    if handler is None:
        return Part(name=name, kind="binary", data=data, uninspectable="unrecognised binary format")
    label = _LABELS.get(handler.kind, f"{handler.kind} file")
    try:
        part = handler.read(data, name, ctx)
    except (ContentError, LimitExceeded) as exc:
        part = Part(name=name, kind=handler.kind, data=data, uninspectable=str(exc) or f"malformed {label}")
    except RecursionError:
        part = Part(name=name, kind=handler.kind, data=data, uninspectable=f"{label} is nested too deeply to read")
    except MemoryError:
        part = Part(name=name, kind=handler.kind, data=data, uninspectable=f"{label} is too large to read")
    except Exception as exc:  # noqa: BLE001 - any parser failure must still yield a verdict
        # A parser bug or an exception type a library did not document: the
        # part is still answered (fail closed), and the type is logged, never
        # the message, which could quote content.
        log.warning("%s reader failed: %s", handler.kind, type(exc).__name__)
        part = Part(
            name=name,
            kind=handler.kind,
            data=data,
            uninspectable=f"malformed {label}: it could not be parsed ({type(exc).__name__})",
        )
    part.meta.setdefault(HANDLER_KEY, handler.kind)
    return part


# The rewritten bytes come from content that was already read within the
# limits, so reading them back only needs to catch a writer's mistake, not a
# bomb; the transfer's own limits are not known here.
_VERIFY_LIMITS = Limits(
    max_members=2**40,
    max_expanded_bytes=2**40,
    max_ratio=1e12,
    max_part_bytes=2**40,
    max_text_chars=2**40,
)


def write(part: Part, plan: RedactionPlan) -> bytes:
    """The bytes of `part` with `plan` applied, in the original format.

    Raises NotRedactable when the plan names content that is not in the tree
    (a redaction that silently did nothing would send what it was meant to
    remove), when any part of the tree could not be inspected, when a format
    cannot be rewritten safely, or when the rewritten bytes do not read back.
    """
    _check_plan(part, plan)
    if not plan.touches(part):
        return part.data
    out = _write_part(part, plan)
    if any(p.uninspectable for p in read(out, part.name, _VERIFY_LIMITS).walk()):
        raise NotRedactable("the redacted copy does not read back cleanly")
    return out


def _check_plan(root: Part, plan: RedactionPlan) -> None:
    """Refuse a plan that refers to parts, tables, columns or segments that do not exist.

    Writers skip what they cannot find, so a mismatched plan would otherwise
    "succeed" and send exactly what it was meant to remove.
    """
    parts = {p.name: p for p in root.walk()}
    for name, redaction in plan.parts.items():
        if redaction.is_empty():
            continue
        part = parts.get(name)
        if part is None:
            raise NotRedactable("the redaction plan names content that is not in this transfer")
        for table_index, columns in redaction.drop_columns.items():
            if not columns:
                continue
            if not 0 <= table_index < len(part.tables):
                raise NotRedactable("the redaction plan names a table that is not in this transfer")
            table = part.tables[table_index]
            width = max([len(table.header), *(len(r) for r in table.rows)])
            if any(not 0 <= c < width for c in columns):
                raise NotRedactable("the redaction plan names a column that is not in this transfer")
        for segment_index, spans in redaction.spans.items():
            if spans and not 0 <= segment_index < len(part.segments):
                raise NotRedactable("the redaction plan names text that is not in this transfer")


def _write_part(part: Part, plan: RedactionPlan) -> bytes:
    if not plan.touches(part):
        return part.data
    if any(p.uninspectable for p in part.walk()):
        raise NotRedactable("part of the content could not be inspected, so a redacted copy cannot be vouched for")
    handler = handler_for(str(part.meta.get(HANDLER_KEY, part.kind)))
    if handler is None:
        raise NotRedactable(f"{part.kind} content cannot be redacted")
    return handler.write(part, plan, _write_part)
