"""OLE2 compound files (CFB): encrypted Office documents, legacy Word and PowerPoint, embedded objects.

A CFB container is a small file system of streams. What it holds decides the verdict:

- `EncryptionInfo` + `EncryptedPackage`: an Office 2007+ document saved with a
  password (Office wraps the encrypted DOCX/XLSX/PPTX in CFB). Uninspectable:
  "document is encrypted (password-protected)".
- `WordDocument`: a Word 97-2003 .doc. Its text (all stories: body, footnotes,
  headers, comments, text boxes, including text marked as deleted) is read from
  the piece table; an encrypted one is reported as such.
- `PowerPoint Document`: a PowerPoint 97-2003 .ppt. Its text atoms (slides,
  notes, masters, comments) are read record by record; encrypted ones reported.
- `Workbook`/`Book`: an Excel 97-2003 workbook, handed to the XLS handler.
- `\\x01Ole10Native` / `Package`: an embedded file (an OLE object inside a
  DOCX or XLSX), read as a child part.
- Anything else (Outlook .msg, unknown objects): uninspectable with a reason.

Summary and document-summary properties (title, author, company, manager...)
are segments wherever they exist. None of these binary formats can be
rewritten safely, so `write` raises `NotRedactable` when the plan touches them.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator

import olefile

from gateway.content.formats.base import LimitExceeded, ReadContext, Writer
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment

KIND = "ole"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED = "document is encrypted (password-protected)"

_PROPERTY_FIELDS = (
    "title",
    "subject",
    "author",
    "keywords",
    "comments",
    "last_saved_by",
    "category",
    "manager",
    "company",
)


def open_ole(data: bytes) -> olefile.OleFileIO:
    """Open a CFB container, or raise ContentError naming the problem."""
    if not data.startswith(CFB_MAGIC):
        raise ContentError("not a compound (OLE) file")
    try:
        return olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, IndexError, struct.error, NotImplementedError) as exc:
        raise ContentError("compound (OLE) file is truncated or damaged") from exc


def has_stream(ole: olefile.OleFileIO, *names: str) -> bool:
    return any(ole.exists(n) for n in names)


def read_stream(ole: olefile.OleFileIO, name: str, limit: int) -> bytes:
    try:
        size = ole.get_size(name)
        if size > limit:
            raise ContentError(f"compound file stream larger than {limit} bytes")
        return ole.openstream(name).read()
    except (OSError, ValueError, IndexError, struct.error) as exc:
        raise ContentError("compound (OLE) file is truncated or damaged") from exc


def property_segments(ole: olefile.OleFileIO) -> list[Segment]:
    """Summary properties (author, title, company...) as segments where="property:<name>"."""
    try:
        meta = ole.get_metadata()
    except Exception:  # noqa: BLE001 - broken property streams must not hide the rest of the file
        return [Segment("document properties stream is damaged", "property:damaged")]
    out: list[Segment] = []
    codepage = meta.codepage or 1252
    for name in _PROPERTY_FIELDS:
        value = getattr(meta, name, None)
        if isinstance(value, bytes):
            value = value.decode(f"cp{codepage}" if codepage not in (1200, 65001) else "utf-8", "replace")
        if isinstance(value, str) and value.strip("\x00 \r\n"):
            out.append(Segment(value.strip("\x00"), f"property:{name}"))
    return out


def is_encrypted_ooxml(ole: olefile.OleFileIO) -> bool:
    return has_stream(ole, "EncryptionInfo") and has_stream(ole, "EncryptedPackage")


# ---------------------------------------------------------------- Word 97-2003

_DOC_CONTROL = str.maketrans(
    {
        "\r": "\n",
        "\x07": "\t",
        "\x0b": "\n",
        "\x0c": "\n",
        "\x0e": "\n",
        "\x01": None,
        "\x08": None,
        "\x13": None,
        "\x14": " ",
        "\x15": None,
        "\x00": None,
        "\x02": None,
        "\x05": None,
    }
)


def doc_text(ole: olefile.OleFileIO, limit: int) -> str:
    """All text of a Word 97-2003 document, from the piece table (MS-DOC 2.4.1)."""
    word = read_stream(ole, "WordDocument", limit)
    if len(word) < 0x1AA:
        raise ContentError("Word document is truncated or damaged")
    ident, nfib = struct.unpack_from("<HH", word, 0)
    if ident != 0xA5EC:
        raise ContentError("Word document is damaged (bad header)")
    flags = struct.unpack_from("<H", word, 0x0A)[0]
    if flags & 0x0100:
        raise ContentError(ENCRYPTED)
    if nfib < 0x00C1:
        raise ContentError("Word 6/95 documents cannot be inspected")
    table_name = "1Table" if flags & 0x0200 else "0Table"
    if not ole.exists(table_name):
        raise ContentError("Word document is damaged (table stream missing)")
    table = read_stream(ole, table_name, limit)
    fc_clx, lcb_clx = struct.unpack_from("<II", word, 0x01A2)
    clx = table[fc_clx : fc_clx + lcb_clx]
    if len(clx) != lcb_clx or not clx:
        raise ContentError("Word document is damaged (piece table missing)")
    pos = 0
    while pos < len(clx) and clx[pos] == 0x01:  # RgPrc: property modifiers, skipped
        (cb,) = struct.unpack_from("<H", clx, pos + 1)
        pos += 3 + cb
    if pos + 5 > len(clx) or clx[pos] != 0x02:
        raise ContentError("Word document is damaged (piece table malformed)")
    (lcb,) = struct.unpack_from("<I", clx, pos + 1)
    plc = clx[pos + 5 : pos + 5 + lcb]
    n = (len(plc) - 4) // 12
    if n <= 0:
        return ""
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    parts: list[str] = []
    total = 0
    for i in range(n):
        _flags, fc_raw, _prm = struct.unpack_from("<HIH", plc, 4 * (n + 1) + 8 * i)
        count = cps[i + 1] - cps[i]
        if count <= 0:
            continue
        total += count
        if total > limit:
            raise ContentError(f"Word document holds more than {limit} characters")
        if fc_raw & 0x40000000:
            start = (fc_raw & 0x3FFFFFFF) // 2
            parts.append(word[start : start + count].decode("cp1252", "replace"))
        else:
            start = fc_raw & 0x3FFFFFFF
            parts.append(word[start : start + 2 * count].decode("utf-16-le", "replace"))
    return "".join(parts).translate(_DOC_CONTROL)


# ---------------------------------------------------------------- PowerPoint 97-2003

_TEXT_CHARS, _TEXT_BYTES, _CSTRING = 0x0FA0, 0x0FA8, 0x0FBA


def ppt_texts(ole: olefile.OleFileIO, limit: int) -> list[str]:
    """Text atoms of a PowerPoint 97-2003 document (MS-PPT records), in stream order."""
    if has_stream(ole, "EncryptedSummary"):
        raise ContentError(ENCRYPTED)
    stream = read_stream(ole, "PowerPoint Document", limit)
    return [t for t in _ppt_records(stream, 0, len(stream), 0) if t.strip()]


def _ppt_records(data: bytes, start: int, end: int, depth: int) -> Iterator[str]:
    pos = start
    while pos + 8 <= end:
        ver_inst, rec_type, length = struct.unpack_from("<HHI", data, pos)
        body = pos + 8
        if body + length > end:
            return
        if ver_inst & 0x000F == 0x000F and depth < 32:
            yield from _ppt_records(data, body, body + length, depth + 1)
        elif rec_type in (_TEXT_CHARS, _CSTRING):
            yield data[body : body + length].decode("utf-16-le", "replace").replace("\r", "\n")
        elif rec_type == _TEXT_BYTES:
            yield data[body : body + length].decode("cp1252", "replace").replace("\r", "\n")
        elif rec_type == 0x2F14:  # CryptSession10Container: the presentation is encrypted
            raise ContentError(ENCRYPTED)
        pos = body + length


# ---------------------------------------------------------------- embedded objects


def ole10_native(payload: bytes) -> tuple[str, bytes] | None:
    """(file name, contents) of an `\\x01Ole10Native` packaged file, or None if malformed."""
    try:
        pos = 4 + 2  # total size, type
        label_end = payload.index(b"\x00", pos)
        path_end = payload.index(b"\x00", label_end + 1)
        filename = payload[label_end + 1 : path_end].decode("cp1252", "replace")
        pos = path_end + 1 + 4  # unknown
        (tmp_len,) = struct.unpack_from("<I", payload, pos)
        pos += 4 + tmp_len
        (size,) = struct.unpack_from("<I", payload, pos)
        pos += 4
        contents = payload[pos : pos + size]
        if len(contents) != size:
            return None
        return filename.replace("\\", "/").rsplit("/", 1)[-1] or "package", contents
    except (ValueError, struct.error):
        return None


class OleHandler:
    kind = KIND

    def sniff(self, data: bytes, name: str) -> bool:
        return data.startswith(CFB_MAGIC)

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        try:
            ole = open_ole(data)
        except ContentError as exc:
            return Part(name=name, kind=KIND, data=data, uninspectable=str(exc))
        try:
            return self._read(ole, data, name, ctx)
        except ContentError as exc:
            return Part(name=name, kind=self._kind(ole), data=data, uninspectable=str(exc))
        except LimitExceeded as exc:
            return Part(name=name, kind=self._kind(ole), data=data, uninspectable=f"over a limit: {exc}")
        finally:
            ole.close()

    @staticmethod
    def _kind(ole: olefile.OleFileIO) -> str:
        if has_stream(ole, "WordDocument"):
            return "doc"
        if has_stream(ole, "PowerPoint Document"):
            return "ppt"
        return KIND

    def _read(self, ole: olefile.OleFileIO, data: bytes, name: str, ctx: ReadContext) -> Part:
        limit = ctx.limits.max_part_bytes
        if is_encrypted_ooxml(ole):
            return Part(name=name, kind=KIND, data=data, uninspectable=ENCRYPTED)
        if has_stream(ole, "Workbook", "Book"):
            from gateway.content.formats.xls import HANDLER as XLS

            return XLS.read(data, name, ctx)
        part = Part(name=name, kind=self._kind(ole), data=data)
        if has_stream(ole, "WordDocument"):
            text = doc_text(ole, ctx.limits.max_text_chars)
            ctx.admit_text(len(text))
            part.segments.append(Segment(text, "body"))
        elif has_stream(ole, "PowerPoint Document"):
            texts = ppt_texts(ole, limit)
            ctx.admit_text(sum(len(t) for t in texts))
            part.segments.extend(Segment(t, "body") for t in texts)
        elif has_stream(ole, "\x01Ole10Native"):
            found = ole10_native(read_stream(ole, "\x01Ole10Native", limit))
            if found is None:
                raise ContentError("embedded package object is damaged")
            filename, contents = found
            part.children.append(ctx.child(contents, f"{name}/{filename}"))
        elif has_stream(ole, "Package"):
            part.children.append(ctx.child(read_stream(ole, "Package", limit), f"{name}/package"))
        elif has_stream(ole, "__properties_version1.0"):
            raise ContentError("Outlook .msg messages cannot be inspected")
        else:
            part.segments.extend(property_segments(ole))
            part.uninspectable = "unrecognised compound (OLE) file: its contents cannot be inspected"
            return part
        part.segments.extend(property_segments(ole))
        return part

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        if not plan.touches(part):
            return part.data
        what = {"doc": "Word 97-2003 (.doc)", "ppt": "PowerPoint 97-2003 (.ppt)", "xls": "XLS (Excel 97-2003)"}.get(
            part.kind, "compound (OLE)"
        )
        raise NotRedactable(f"{what} files cannot be rewritten safely")


HANDLER = OleHandler()
