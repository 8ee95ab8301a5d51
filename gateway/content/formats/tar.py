"""Tar archives (ustar, GNU, pax and old v7): every regular file is a part.

Compressed tars arrive as a gzip/bzip2/xz part holding this one. Symbolic and
hard links, devices and FIFOs have no content of their own: they are listed in
`meta["skipped"]` and copied unchanged on rewrite. Member sizes come from the
headers, so a member over a limit is refused before it is read.
"""

from __future__ import annotations

import io
import tarfile

from gateway.content.formats.base import ReadContext, Writer, unique_name
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan

_BLOCK = 512


def _checksum_ok(header: bytes) -> bool:
    """A v7 tar header (no "ustar" magic) is recognised by its own checksum."""
    if len(header) < _BLOCK or not header[:100].strip(b"\x00"):
        return False
    try:
        stored = int(header[148:156].replace(b"\x00", b" ").strip() or b"-1", 8)
    except ValueError:
        return False
    computed = sum(header[:148]) + 8 * 32 + sum(header[156:_BLOCK])
    return stored == computed


def open_tar(data: bytes) -> tarfile.TarFile:
    try:
        return tarfile.open(fileobj=io.BytesIO(data), mode="r:")
    except tarfile.ReadError as exc:
        raise ContentError(_error(exc)) from None


def _error(exc: Exception) -> str:
    text = str(exc)
    if "unexpected end" in text or "truncated" in text or isinstance(exc, EOFError):
        return "truncated tar archive"
    if "checksum" in text:
        return "malformed tar archive: bad header checksum"
    return "malformed tar archive: invalid header"


def members(archive: tarfile.TarFile, root: str) -> list[tuple[tarfile.TarInfo, str]]:
    """Every member with a unique display name, reading all headers (raises ContentError)."""
    used: set[str] = set()
    out: list[tuple[tarfile.TarInfo, str]] = []
    try:
        for info in archive:
            out.append((info, f"{root}/{unique_name(info.name, used)}"))
    except (tarfile.ReadError, EOFError) as exc:
        raise ContentError(_error(exc)) from None
    _check_end(archive)
    return out


def _check_end(archive: tarfile.TarFile) -> None:
    """tarfile stops quietly at a damaged header after the first member; what
    follows would then never be read. Only zero blocks may follow the last member."""
    if not isinstance(archive.fileobj, io.BytesIO):
        return
    buffer = archive.fileobj.getbuffer()
    block = bytes(buffer[archive.offset : archive.offset + _BLOCK])
    rest = bytes(buffer[archive.offset :])
    del buffer
    if not rest.strip(b"\x00"):
        return
    if not block.strip(b"\x00"):
        raise ContentError("malformed tar archive: data after the end-of-archive marker")
    try:
        tarfile.TarInfo.frombuf(block, tarfile.ENCODING, "surrogateescape")
    except tarfile.HeaderError as exc:
        raise ContentError(_error(exc)) from None
    raise ContentError("malformed tar archive: invalid header")


class TarHandler:
    kind = "tar"

    def sniff(self, data: bytes, name: str) -> bool:
        return data[257:262] == b"ustar" or _checksum_ok(data[:_BLOCK])

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        archive = open_tar(data)
        children: list[Part] = []
        skipped: list[str] = []
        for info, display in members(archive, name):
            if info.isdir():
                continue
            if not info.isfile():
                skipped.append(f"{info.name} ({_kind(info)})")
                continue
            refused = ctx.refuse_early(display, info.size)
            if refused is not None:
                children.append(refused)
                continue
            try:
                stream = archive.extractfile(info)
                content = stream.read(min(info.size, ctx.member_cap()) + 1) if stream else b""
            except (tarfile.ReadError, EOFError, OSError) as exc:
                children.append(Part(display, "unknown", uninspectable=_error(exc)))
                continue
            if len(content) < min(info.size, ctx.member_cap() + 1):
                children.append(Part(display, "unknown", uninspectable="truncated tar archive"))
                continue
            children.append(ctx.child(content, display))
        return Part(name=name, kind="tar", data=data, children=children, meta={"skipped": skipped})

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        if plan.for_part(part.name) is not None:
            raise NotRedactable("a tar archive has no text of its own to redact")
        archive = open_tar(part.data)
        by_name = {child.name: child for child in part.children}
        out = io.BytesIO()
        fmt = tarfile.GNU_FORMAT if part.data[257:265] == b"ustar  \x00" else tarfile.PAX_FORMAT
        with tarfile.open(fileobj=out, mode="w:", format=fmt) as target:
            for info, display in members(archive, part.name):
                child = by_name.get(display)
                if info.isfile():
                    if child is not None and plan.touches(child):
                        content = write_child(child, plan)
                    else:
                        stream = archive.extractfile(info)
                        content = stream.read() if stream else b""
                    info.size = len(content)
                    # A stale pax size would override the new one.
                    info.pax_headers = {k: v for k, v in info.pax_headers.items() if k != "size"}
                    target.addfile(info, io.BytesIO(content))
                else:
                    target.addfile(info)
        return out.getvalue()


def _kind(info: tarfile.TarInfo) -> str:
    if info.issym():
        return "symbolic link"
    if info.islnk():
        return "hard link"
    if info.isdev():
        return "device"
    return "special file"


HANDLER = TarHandler()
