"""ZIP: members as parts, nesting, bombs and limits, encryption, damage, rewriting."""

from __future__ import annotations

import io
import zipfile

import pytest
import pyzipper

from gateway import content
from gateway.content import Limits

CSV = b"Name,NI Number,Rank\nJohn Smith,AB123456C,PC\nAnn Lee,CD654321A,DS\n"


def _zip(members: dict[str, bytes], comment: bytes = b"", method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.comment = comment
    return out.getvalue()


def test_members_are_parts_named_by_path() -> None:
    data = _zip({"staff.csv": CSV, "docs/readme.txt": b"Contact John on 07700 900123", "empty/": b""})
    part = content.read(data, "bundle.zip")
    assert part.kind == "zip"
    assert part.uninspectable is None
    assert [(c.name, c.kind) for c in part.children] == [
        ("bundle.zip/staff.csv", "csv"),
        ("bundle.zip/docs/readme.txt", "text"),
    ]


def test_archive_comment_is_content(span_plan) -> None:
    data = _zip({"a.txt": b"hello"}, comment=b"Prepared by DC John Smith")
    part = content.read(data, "c.zip")
    assert part.segments[0].text == "Prepared by DC John Smith"
    assert part.segments[0].where == "comment"
    out = content.write(part, span_plan("c.zip", {0: [content.Span(15, 25, "PERSON")]}))
    assert zipfile.ZipFile(io.BytesIO(out)).comment == b"Prepared by DC [REDACTED:PERSON]"


def test_nested_archives_are_read_to_the_bottom() -> None:
    inner = _zip({"staff.csv": CSV})
    middle = _zip({"inner.zip": inner})
    part = content.read(_zip({"middle.zip": middle}), "outer.zip")
    leaf = part.children[0].children[0].children[0]
    assert leaf.name == "outer.zip/middle.zip/inner.zip/staff.csv"
    assert leaf.tables[0].column(1) == ["AB123456C", "CD654321A"]


def test_rewrite_drops_columns_in_a_nested_member_and_keeps_the_rest(drop_plan, expand) -> None:
    inner = _zip({"staff.csv": CSV, "notes.txt": b"keep me"}, method=zipfile.ZIP_STORED)
    data = _zip({"first.txt": b"first", "inner.zip": inner, "last.csv": CSV})
    part = content.read(data, "outer.zip")
    plan = drop_plan("outer.zip/inner.zip/staff.csv", {1})
    plan.parts.update(drop_plan("outer.zip/last.csv", {1, 2}).parts)
    out = content.write(part, plan)
    everything = expand(out)
    for value in (b"AB123456C", b"CD654321A", b"NI Number"):
        assert value not in everything
    archive = zipfile.ZipFile(io.BytesIO(out))
    assert archive.namelist() == ["first.txt", "inner.zip", "last.csv"]
    assert archive.read("first.txt") == b"first"
    assert archive.read("last.csv") == b"Name\nJohn Smith\nAnn Lee\n"
    nested = zipfile.ZipFile(io.BytesIO(archive.read("inner.zip")))
    assert nested.namelist() == ["staff.csv", "notes.txt"]
    assert nested.getinfo("staff.csv").compress_type == zipfile.ZIP_STORED
    assert nested.read("staff.csv") == b"Name,Rank\nJohn Smith,PC\nAnn Lee,DS\n"
    again = content.read(out, "outer.zip")
    assert again.uninspectable is None


def test_untouched_archive_is_returned_unchanged(drop_plan) -> None:
    data = _zip({"staff.csv": CSV, "other.csv": CSV})
    part = content.read(data, "z.zip")
    assert content.write(part, content.RedactionPlan()) is data


def test_zip_bomb_over_the_ratio_is_refused_without_expanding() -> None:
    data = _zip({"zeros.txt": b"\0" * 5_000_000, "staff.csv": CSV})
    part = content.read(data, "bomb.zip", Limits(max_ratio=100, ratio_floor_bytes=100_000))
    bomb, staff = part.children
    assert bomb.uninspectable == "compression ratio above 100:1 (possible archive bomb)"
    assert bomb.data == b""
    assert staff.kind == "csv"


def test_lying_header_sizes_do_not_bypass_the_bound() -> None:
    data = bytearray(_zip({"big.txt": b"A" * 3_000_000}))
    # Claim a tiny uncompressed size in the central directory and local header.
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    data[22:26] = (10).to_bytes(4, "little")
    part = content.read(bytes(data), "liar.zip", Limits(max_part_bytes=1_000_000))
    [member] = part.children
    assert member.uninspectable is not None


def test_too_many_members_and_too_much_expansion() -> None:
    many = _zip({f"f{i}.txt": b"x" for i in range(30)})
    part = content.read(many, "many.zip", Limits(max_members=10))
    reasons = [c.uninspectable for c in part.children]
    assert reasons[:10] == [None] * 10
    assert set(reasons[10:]) == {"more than 10 archive members"}

    wide = _zip({f"f{i}.txt": bytes(range(256)) * 100 for i in range(5)})
    part = content.read(wide, "wide.zip", Limits(max_expanded_bytes=60_000))
    assert "expands to more than 60000 bytes" in [c.uninspectable for c in part.children]


def test_nesting_deeper_than_the_limit() -> None:
    data = CSV
    for level in range(6):
        data = _zip({f"level{level}.zip" if level else "staff.csv": data})
    part = content.read(data, "deep.zip", Limits(max_depth=3))
    reasons = [p.uninspectable for p in part.walk() if p.uninspectable]
    assert reasons == ["nesting deeper than 3 levels"]


def test_zipcrypto_and_aes_archives_are_password_protected() -> None:
    out = io.BytesIO()
    with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as z:
        z.setpassword(b"secret")
        z.writestr("staff.csv", CSV)
    part = content.read(out.getvalue(), "aes.zip")
    assert part.uninspectable == "password-protected ZIP archive"
    assert part.children[0].uninspectable == "password-protected ZIP archive member"

    legacy = bytearray(_zip({"staff.csv": CSV}, method=zipfile.ZIP_STORED))
    legacy[6] |= 0x01  # general purpose flag bit 0 in the local header
    central = legacy.rfind(b"PK\x01\x02")
    legacy[central + 8] |= 0x01
    part = content.read(bytes(legacy), "zipcrypto.zip")
    assert part.uninspectable == "password-protected ZIP archive"


def test_an_archive_with_an_encrypted_member_cannot_be_redacted(drop_plan) -> None:
    data = bytearray(_zip({"secret.csv": CSV, "plain.csv": CSV}, method=zipfile.ZIP_STORED))
    data[6] |= 0x01  # mark only the first member as encrypted
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x01
    part = content.read(bytes(data), "mixed.zip")
    assert part.children[1].kind == "csv"
    with pytest.raises(content.NotRedactable, match="could not be inspected"):
        content.write(part, drop_plan("mixed.zip/plain.csv", {1}))


@pytest.mark.parametrize(
    ("mangle", "where", "reason"),
    [
        (lambda d: d[: len(d) // 2], "root", "malformed ZIP archive: central directory not found (truncated?)"),
        (lambda d: d[:60] + b"\xff" * 40 + d[100:], "member", "corrupt ZIP member (bad compressed data)"),
        (lambda d: d[:-22] + b"PK\x05\x06" + b"\xff" * 18, "root", "malformed ZIP archive: bad central directory"),
    ],
    ids=["truncated", "corrupt-data", "bad-end-record"],
)
def test_damaged_archives(mangle, where: str, reason: str) -> None:
    data = mangle(_zip({"staff.csv": CSV * 20}))
    part = content.read(data, "bad.zip")
    assert part.kind == "zip"
    found = part.uninspectable if where == "root" else part.children[0].uninspectable
    assert found == reason


def test_crc_mismatch_is_reported() -> None:
    data = bytearray(_zip({"staff.csv": CSV}, method=zipfile.ZIP_STORED))
    data[data.index(b"John")] = ord("X")
    part = content.read(bytes(data), "crc.zip")
    assert part.children[0].uninspectable == "corrupt ZIP member (CRC check failed)"


def test_duplicate_member_names_get_unique_part_names(drop_plan) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("staff.csv", CSV)
        with pytest.warns(UserWarning):
            archive.writestr("staff.csv", b"Name,Other\nX,Y\nZ,W\n")
    part = content.read(out.getvalue(), "dup.zip")
    assert [c.name for c in part.children] == ["dup.zip/staff.csv", "dup.zip/staff.csv (2)"]
    with pytest.warns(UserWarning):
        written = content.write(part, drop_plan("dup.zip/staff.csv", {1}))
    archive = zipfile.ZipFile(io.BytesIO(written))
    first, second = archive.infolist()
    assert archive.open(first).read() == b"Name,Rank\nJohn Smith,PC\nAnn Lee,DS\n"
    assert archive.open(second).read() == b"Name,Other\nX,Y\nZ,W\n"
