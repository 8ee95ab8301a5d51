"""ZIP archives: every member is read as a part of its own, under the limits.

Members are decompressed through a bounded reader that stops one byte past the
most the limits allow (`ReadContext.member_cap`), so a bomb is never expanded
beyond the budget whatever its headers claim. Password-protected members
(ZipCrypto or AES) are recognised and make the archive uninspectable. The
archive comment and member comments are content. The writer rebuilds the
archive with the same member names, order, dates, attributes and compression,
replacing only the redacted members.
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from collections.abc import Iterator

from gateway.content.formats.base import ReadContext, Writer, unique_name
from gateway.content.formats.slots import redact
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment

_CHUNK = 1024 * 1024
_SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_AES_METHOD = 99
_ZIP64_EXTRA = 0x0001


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, or ContentError naming what is wrong with it."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        if "not a zip file" in str(exc):
            raise ContentError("malformed ZIP archive: central directory not found (truncated?)") from None
        raise ContentError("malformed ZIP archive: bad central directory") from None
    except NotImplementedError:
        raise ContentError("unsupported ZIP archive version or feature") from None
    except (OSError, ValueError, EOFError):
        raise ContentError("malformed ZIP archive: bad central directory") from None


def read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """At most `limit` bytes of a member; reaching it means "over a limit"."""
    chunks: list[bytes] = []
    total = 0
    with archive.open(info) as stream:
        while total < limit:
            chunk = stream.read(min(_CHUNK, limit - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    return b"".join(chunks)


def _member_error(exc: BaseException) -> str:
    if isinstance(exc, zipfile.BadZipFile):
        text = str(exc)
        if "CRC" in text:
            return "corrupt ZIP member (CRC check failed)"
        if "Overlapped" in text or "overlap" in text:
            return "malformed ZIP archive: overlapping members (possible zip bomb)"
        return "corrupt ZIP member (bad local header)"
    if isinstance(exc, EOFError):
        return "truncated ZIP member"
    return "corrupt ZIP member (bad compressed data)"


def _members(archive: zipfile.ZipFile) -> Iterator[zipfile.ZipInfo]:
    for info in archive.infolist():
        if info.is_dir():
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            continue
        yield info


def member_names(archive: zipfile.ZipFile, root: str) -> list[tuple[zipfile.ZipInfo, str]]:
    """Members with unique display names (an archive may repeat a name)."""
    used: set[str] = set()
    return [(info, f"{root}/{unique_name(info.filename, used)}") for info in _members(archive)]


def _comments(archive: zipfile.ZipFile) -> list[tuple[str | None, str]]:
    """(member name or None for the archive, comment text) in order."""
    out: list[tuple[str | None, str]] = []
    if archive.comment.strip():
        out.append((None, archive.comment.decode("utf-8", "replace")))
    for info in archive.infolist():
        if info.comment.strip():
            out.append((info.filename, info.comment.decode("utf-8", "replace")))
    return out


class ZipHandler:
    kind = "zip"

    def sniff(self, data: bytes, name: str) -> bool:
        return data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        archive = open_zip(data)
        comments = _comments(archive)
        segments = [Segment(text, "comment") for _, text in comments]
        ctx.admit_text(sum(len(s.text) for s in segments))
        children: list[Part] = []
        encrypted = False
        for info, display in member_names(archive, name):
            children.append(self._member(archive, info, display, ctx))
            encrypted = encrypted or bool(info.flag_bits & 0x1)
        part = Part(
            name=name,
            kind="zip",
            data=data,
            segments=segments,
            children=children,
            meta={"comments": [member for member, _ in comments]},
        )
        if encrypted:
            part.uninspectable = "password-protected ZIP archive"
        return part

    def _member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, display: str, ctx: ReadContext) -> Part:
        if info.flag_bits & 0x1 or info.compress_type == _AES_METHOD:
            return Part(display, "encrypted", uninspectable="password-protected ZIP archive member")
        if info.compress_type not in _SUPPORTED_METHODS:
            return Part(display, "unknown", uninspectable=f"unsupported ZIP compression method {info.compress_type}")
        refused = ctx.refuse_early(display, info.file_size, info.compress_size)
        if refused is not None:
            return refused
        try:
            content = read_bounded(archive, info, ctx.member_cap(info.compress_size) + 1)
        except NotImplementedError:
            return Part(display, "unknown", uninspectable="ZIP member uses an unsupported feature")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as exc:
            return Part(display, "unknown", uninspectable=_member_error(exc))
        return ctx.child(content, display, info.compress_size)

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        archive = open_zip(part.data)
        by_name = {child.name: child for child in part.children}
        redaction = plan.for_part(part.name)
        if redaction is not None and any(redaction.drop_columns.values()):
            raise NotRedactable("a ZIP archive has no columns to remove")
        new_comments = _redacted_comments(archive, part, redaction.spans if redaction else {})
        replacements: dict[str, bytes] = {}
        for info, display in member_names(archive, part.name):
            child = by_name.get(display)
            if child is not None and plan.touches(child):
                replacements[info.orig_filename + "\0" + str(info.header_offset)] = write_child(child, plan)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in archive.infolist():
                copy = _copy_info(info)
                if info.filename in new_comments:
                    copy.comment = new_comments[info.filename].encode("utf-8")
                key = info.orig_filename + "\0" + str(info.header_offset)
                content = replacements.get(key)
                if content is None:
                    content = b"" if info.is_dir() else archive.read(info)
                target.writestr(copy, content, compress_type=info.compress_type)
            target.comment = new_comments[None].encode("utf-8") if None in new_comments else archive.comment
        return out.getvalue()


def _redacted_comments(archive: zipfile.ZipFile, part: Part, spans: dict[int, list]) -> dict[str | None, str]:
    comments = _comments(archive)
    if [member for member, _ in comments] != part.meta.get("comments", []):
        raise NotRedactable("the archive comments changed since they were read")
    return {member: redact(text, spans[i]) for i, (member, text) in enumerate(comments) if spans.get(i)}


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A fresh header for the rewritten member with the original's visible properties."""
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = info.compress_type
    copy.external_attr = info.external_attr
    copy.internal_attr = info.internal_attr
    copy.create_system = info.create_system
    copy.comment = info.comment
    copy.extra = _strip_zip64(info.extra)
    return copy


def _strip_zip64(extra: bytes) -> bytes:
    """Extra fields without the ZIP64 record, which zipfile writes itself if needed."""
    out = bytearray()
    pos = 0
    while pos + 4 <= len(extra):
        header_id = int.from_bytes(extra[pos : pos + 2], "little")
        size = int.from_bytes(extra[pos + 2 : pos + 4], "little")
        if header_id != _ZIP64_EXTRA:
            out += extra[pos : pos + 4 + size]
        pos += 4 + size
    return bytes(out)


HANDLER = ZipHandler()
