"""OLE2 containers: encrypted Office files, legacy Word and PowerPoint text, embedded packages.

No library writes Word 97 or PowerPoint 97 files, so `cfb` below builds minimal
compound files by hand (MS-CFB version 3, every stream at least 4096 bytes so
no mini stream is needed), with the streams each format defines.
"""

from __future__ import annotations

import io
import struct

import docx
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from gateway import content
from gateway.content import NotRedactable, PartRedaction, RedactionPlan, Span
from gateway.content.formats.ole import HANDLER

FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def cfb(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` at its root."""
    names = list(streams)
    bodies = [streams[n].ljust(max(4096, -(-len(streams[n]) // 512) * 512), b"\x00") for n in names]
    dir_sectors = -(-(len(names) + 1) // 4)
    fat = [FAT_SECTOR] + [1 + i + 1 if i < dir_sectors - 1 else END for i in range(dir_sectors)]
    starts = []
    for body in bodies:
        first = len(fat)
        count = len(body) // 512
        starts.append(first)
        fat += [first + k + 1 for k in range(count - 1)] + [END]
    assert len(fat) <= 128
    fat += [FREE] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, END, 0, END, 0)
    struct.pack_into("<109I", header, 76, 0, *([FREE] * 108))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        e = bytearray(128)
        e[: len(raw)] = raw
        struct.pack_into("<HBBIII", e, 64, len(raw), kind, 1, NONE, right, child)
        struct.pack_into("<II", e, 116, start, size)
        return bytes(e)

    entries = [entry("Root Entry", 5, NONE, 1 if names else NONE, END, 0)]
    for i, (name, body) in enumerate(zip(names, bodies, strict=True)):
        entries.append(entry(name, 2, i + 2 if i + 1 < len(names) else NONE, NONE, starts[i], len(body)))
    directory = b"".join(entries).ljust(dir_sectors * 512, b"\x00")
    return bytes(header) + struct.pack("<128I", *fat) + directory + b"".join(bodies)


def word97(text: str, *, encrypted: bool = False) -> bytes:
    """A minimal Word 97 document: FIB, one piece of 8-bit text, the piece table in 1Table."""
    fib = bytearray(0x800)
    flags = 0x0200 | (0x0100 if encrypted else 0)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<H", fib, 0x0A, flags)
    raw = text.encode("cp1252")
    plc = struct.pack("<II", 0, len(raw)) + struct.pack("<HIH", 0, (0x800 * 2) | 0x40000000, 0)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", fib, 0x01A2, 0, len(clx))
    return cfb({"WordDocument": bytes(fib) + raw, "1Table": clx})


def ppt97(texts: list[str], *, encrypted: bool = False) -> bytes:
    atoms = b""
    for text in texts:
        body = text.encode("utf-16-le")
        atoms += struct.pack("<HHI", 0, 0x0FA0, len(body)) + body
    container = struct.pack("<HHI", 0x000F, 0x03E8, len(atoms)) + atoms
    streams = {"PowerPoint Document": container}
    if encrypted:
        streams["EncryptedSummary"] = b"\x01" * 64
    return cfb(streams)


def packaged(filename: str, data: bytes) -> bytes:
    """An OLE Package object (`\\x01Ole10Native`) wrapping a file, as Word embeds an icon-linked file."""
    label = filename.encode() + b"\x00"
    path = f"C:\\Users\\pc\\{filename}".encode() + b"\x00"
    body = struct.pack("<H", 2) + label + path + struct.pack("<I", 0x00030000)
    body += struct.pack("<I", len(path)) + path + struct.pack("<I", len(data)) + data
    return cfb({"\x01Ole10Native": struct.pack("<I", len(body)) + body})


def test_legacy_word_text_is_inspected_and_never_rewritten() -> None:
    part = content.read(word97("Intelligence report\rSubject John Smith, NI AB123456C\r"), "IR_7.doc")

    assert part.kind == "doc" and part.uninspectable is None
    assert part.segments[0].text == "Intelligence report\nSubject John Smith, NI AB123456C\n"
    with pytest.raises(NotRedactable, match=r"Word 97-2003 \(\.doc\) files cannot be rewritten safely"):
        content.write(part, RedactionPlan({"IR_7.doc": PartRedaction(spans={0: [Span(0, 5, "PERSON")]})}))


def test_legacy_powerpoint_text_atoms_are_inspected() -> None:
    part = content.read(ppt97(["Operation Falcon", "Nominal: Carl Reed 98/123456X"]), "brief.ppt")

    assert part.kind == "ppt" and part.uninspectable is None
    assert [s.text for s in part.segments] == ["Operation Falcon", "Nominal: Carl Reed 98/123456X"]


def test_encrypted_office_files_are_recognised() -> None:
    document = docx.Document()
    document.add_paragraph("secret")
    plain = io.BytesIO()
    document.save(plain)
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain.getvalue())).encrypt("Password1", encrypted)

    for data, name in (
        (encrypted.getvalue(), "a.docx"),
        (word97("x", encrypted=True), "a.doc"),
        (ppt97(["x"], encrypted=True), "a.ppt"),
    ):
        assert content.read(data, name).uninspectable == "document is encrypted (password-protected)", name


def test_embedded_package_is_read_as_a_child_part() -> None:
    csv = b"Name,NI Number\r\nJohn Smith,AB123456C\r\nAnn Cole,CE654321A\r\n"
    part = content.read(packaged("nominals.csv", csv), "oleObject1.bin")

    [child] = part.children
    assert child.name == "oleObject1.bin/nominals.csv"
    assert child.tables and child.tables[0].header == ["Name", "NI Number"]
    with pytest.raises(NotRedactable):
        content.write(part, RedactionPlan({child.name: PartRedaction(drop_columns={0: {1}})}))


def test_unrecognised_damaged_and_message_containers_get_a_reason() -> None:
    unknown = content.read(cfb({"Contents": b"opaque"}), "object.bin")
    message = content.read(cfb({"__properties_version1.0": b"\x00" * 32}), "mail.msg")
    whole = word97("text")
    damaged = content.read(whole[:700], "x.doc")

    assert unknown.uninspectable == "unrecognised compound (OLE) file: its contents cannot be inspected"
    assert message.uninspectable == "Outlook .msg messages cannot be inspected"
    assert damaged.uninspectable == "compound (OLE) file is truncated or damaged"
    assert HANDLER.sniff(whole, "x.doc")
