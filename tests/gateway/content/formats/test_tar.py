"""Tar: members as parts, links skipped, limits, damage, rewriting."""

from __future__ import annotations

import io
import tarfile

import pytest

from gateway import content
from gateway.content import Limits

CSV = b"Name,NI Number,Rank\nJohn Smith,AB123456C,PC\nAnn Lee,CD654321A,DS\n"


def _tar(members: dict[str, bytes], fmt: int = tarfile.PAX_FORMAT, link: bool = False) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            archive.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo("passwd-link")
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            archive.addfile(info)
    return out.getvalue()


@pytest.mark.parametrize("fmt", [tarfile.PAX_FORMAT, tarfile.GNU_FORMAT, tarfile.USTAR_FORMAT])
def test_members_are_parts_and_links_are_skipped(fmt: int) -> None:
    part = content.read(_tar({"staff.csv": CSV, "notes/a.txt": b"hello"}, fmt, link=True), "bundle.tar")
    assert part.kind == "tar"
    assert [(c.name, c.kind) for c in part.children] == [
        ("bundle.tar/staff.csv", "csv"),
        ("bundle.tar/notes/a.txt", "text"),
    ]
    assert part.meta["skipped"] == ["passwd-link (symbolic link)"]


def test_v7_tar_without_magic_is_recognised() -> None:
    data = _tar({"staff.csv": CSV}, tarfile.USTAR_FORMAT)
    header = bytearray(data[:512])
    header[257:265] = b"\0" * 8
    header[148:156] = b" " * 8
    checksum = sum(header)
    header[148:156] = f"{checksum:06o}\0 ".encode()
    part = content.read(bytes(header) + data[512:], "old.tar")
    assert part.kind == "tar"
    assert part.children[0].kind == "csv"


def test_rewrite_keeps_names_order_and_links(drop_plan, expand) -> None:
    data = _tar({"a.txt": b"first", "staff.csv": CSV, "z.txt": b"last"}, link=True)
    part = content.read(data, "t.tar")
    out = content.write(part, drop_plan("t.tar/staff.csv", {1}))
    assert b"AB123456C" not in expand(out)
    with tarfile.open(fileobj=io.BytesIO(out)) as archive:
        assert archive.getnames() == ["a.txt", "staff.csv", "z.txt", "passwd-link"]
        assert archive.extractfile("staff.csv").read() == b"Name,Rank\nJohn Smith,PC\nAnn Lee,DS\n"
        assert archive.getmember("passwd-link").linkname == "/etc/passwd"
        assert archive.getmember("staff.csv").mtime == 1_700_000_000


def test_member_over_the_size_limit_is_refused_before_reading() -> None:
    part = content.read(_tar({"big.bin": b"x" * 50_000, "staff.csv": CSV}), "t.tar", Limits(max_expanded_bytes=10_000))
    assert part.children[0].uninspectable == "expands to more than 10000 bytes"
    assert part.children[1].kind == "csv"


def test_too_many_members() -> None:
    part = content.read(_tar({f"{i}.txt": b"x" for i in range(20)}), "t.tar", Limits(max_members=5))
    assert sum(1 for c in part.children if c.uninspectable == "more than 5 archive members") == 15


@pytest.mark.parametrize(
    ("cut", "reason"),
    [(1024 + 100, "truncated tar archive"), (700, "truncated tar archive")],
)
def test_truncated_tar(cut: int, reason: str) -> None:
    data = _tar({"staff.csv": CSV * 40, "b.txt": b"hello"})[:cut]
    part = content.read(data, "cut.tar")
    reasons = [p.uninspectable for p in part.walk() if p.uninspectable]
    assert reasons == [reason]


def test_bad_header_checksum_after_the_first_member() -> None:
    data = bytearray(_tar({"a.txt": b"hello", "b.txt": b"world"}, tarfile.USTAR_FORMAT))
    data[1024 + 148 : 1024 + 156] = b"0000000\0"
    part = content.read(bytes(data), "bad.tar")
    assert part.uninspectable == "malformed tar archive: bad header checksum"
