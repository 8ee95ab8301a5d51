"""Compressed streams: gzip (with FNAME, multi-member), bzip2, xz, Zstandard; bombs and damage."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile

import pytest
import zstandard

from gateway import content
from gateway.content import Limits

CSV = b"Name,NI Number,Rank\nJohn Smith,AB123456C,PC\nAnn Lee,CD654321A,DS\n"


def _gzip_named(data: bytes, filename: str, mtime: int = 1_700_000_000) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(filename=filename, mode="wb", fileobj=out, mtime=mtime) as f:
        f.write(data)
    return out.getvalue()


def test_gzip_child_is_named_from_the_header_or_the_file_name() -> None:
    part = content.read(_gzip_named(CSV, "export/staff.csv"), "upload.gz")
    assert part.kind == "gzip"
    [child] = part.children
    assert child.name == "upload.gz/staff.csv"
    assert child.kind == "csv"
    part = content.read(gzip.compress(CSV), "staff.csv.gz")
    assert part.children[0].name == "staff.csv.gz/staff.csv"


def test_redaction_regzips_with_the_same_name_and_time(drop_plan) -> None:
    data = _gzip_named(CSV, "staff.csv")
    part = content.read(data, "staff.csv.gz")
    out = content.write(part, drop_plan("staff.csv.gz/staff.csv", {1}))
    assert gzip.decompress(out) == b"Name,Rank\nJohn Smith,PC\nAnn Lee,DS\n"
    assert out[4:8] == data[4:8]
    assert b"staff.csv\x00" in out[:40]
    assert content.write(part, content.RedactionPlan()) is data


def test_multi_member_gzip_is_read_in_full() -> None:
    data = gzip.compress(CSV[:30]) + gzip.compress(CSV[30:])
    part = content.read(data, "two.csv.gz")
    assert part.children[0].tables[0].column(1) == ["AB123456C", "CD654321A"]


def test_tar_gz_is_gzip_holding_tar(drop_plan, expand) -> None:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:gz") as archive:
        info = tarfile.TarInfo("data/staff.csv")
        info.size = len(CSV)
        archive.addfile(info, io.BytesIO(CSV))
    part = content.read(raw.getvalue(), "bundle.tgz")
    tar_part = part.children[0]
    assert (part.kind, tar_part.kind, tar_part.name) == ("gzip", "tar", "bundle.tgz/bundle.tar")
    member = tar_part.children[0]
    assert member.name == "bundle.tgz/bundle.tar/data/staff.csv"
    out = content.write(part, drop_plan(member.name, {1}))
    assert b"AB123456C" not in expand(out)
    with tarfile.open(fileobj=io.BytesIO(out), mode="r:gz") as archive:
        assert archive.extractfile("data/staff.csv").read() == b"Name,Rank\nJohn Smith,PC\nAnn Lee,DS\n"


@pytest.mark.parametrize(
    ("compress", "kind", "name"),
    [
        (bz2.compress, "bzip2", "staff.csv.bz2"),
        (lambda d: lzma.compress(d, format=lzma.FORMAT_XZ), "xz", "staff.csv.xz"),
        (lambda d: zstandard.ZstdCompressor().compress(d), "zstd", "staff.csv.zst"),
    ],
)
def test_other_compressors_read_and_rewrite(compress, kind: str, name: str, drop_plan, expand) -> None:
    part = content.read(compress(CSV), name)
    assert part.kind == kind
    child = part.children[0]
    assert child.name == f"{name}/staff.csv"
    assert child.kind == "csv"
    out = content.write(part, drop_plan(child.name, {1}))
    assert content.read(out, name).children[0].tables[0].header == ["Name", "Rank"]
    if kind != "zstd":
        assert b"AB123456C" not in expand(out)


def test_gzip_bomb_stops_at_the_limit() -> None:
    data = gzip.compress(b"\0" * 20_000_000)
    part = content.read(data, "zeros.gz", Limits(max_ratio=50, ratio_floor_bytes=1_000_000))
    child = part.children[0]
    assert child.uninspectable == "compression ratio above 50:1 (possible archive bomb)"
    part = content.read(data, "zeros.gz", Limits(max_part_bytes=1_000_000, max_ratio=10**9))
    assert part.children[0].uninspectable == "member larger than 1000000 bytes"


def test_nested_gzip_over_the_depth_limit() -> None:
    data = CSV
    for _ in range(5):
        data = gzip.compress(data)
    part = content.read(data, "deep.gz", Limits(max_depth=3))
    assert [p.uninspectable for p in part.walk() if p.uninspectable] == ["nesting deeper than 3 levels"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (gzip.compress(CSV * 50)[:-30], "truncated gzip stream"),
        (gzip.compress(CSV)[:-8] + b"\0\0\0\0" + gzip.compress(CSV)[-4:], "malformed gzip stream: checksum mismatch"),
        (gzip.compress(CSV)[:10] + b"\xff" * 30, "malformed gzip stream: corrupt compressed data"),
        (gzip.compress(CSV) + b"trailing junk", "malformed gzip stream: unexpected data after the end of the stream"),
        (bz2.compress(CSV * 50)[:-20], "truncated bzip2 stream"),
        (lzma.compress(CSV * 50)[:-20], "truncated xz stream"),
        (bz2.compress(CSV)[:10] + b"\x00" * 40, "malformed bzip2 stream: corrupt compressed data"),
    ],
    ids=["gz-truncated", "gz-crc", "gz-corrupt", "gz-trailing", "bz2-truncated", "xz-truncated", "bz2-corrupt"],
)
def test_damaged_streams(data: bytes, reason: str) -> None:
    part = content.read(data, "bad.gz")
    assert part.uninspectable == reason
