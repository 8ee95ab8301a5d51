"""Images and media are opaque but their metadata text is read; other binaries are named."""

from __future__ import annotations

import io
import sqlite3

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from gateway import content


def _png(text: dict[str, str] | None = None) -> bytes:
    info = PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _jpeg_with_artist(artist: str) -> bytes:
    exif = Image.Exif()
    exif[0x013B] = artist  # Artist
    exif[0x010E] = "Custody photo"  # ImageDescription
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_png_is_opaque_with_its_text_chunks_as_content() -> None:
    part = content.read(_png({"Author": "DC John Smith"}), "photo.png")
    assert part.kind == "image"
    assert part.uninspectable is None
    assert part.meta == {"opaque": True, "format": "png", "handler": "image"}
    assert [(s.where, s.text) for s in part.segments] == [("property:author", "DC John Smith")]


def test_jpeg_exif_text_is_content() -> None:
    part = content.read(_jpeg_with_artist("PC 1234 Jane Doe"), "photo.jpg")
    assert part.kind == "image"
    text = {s.where: s.text for s in part.segments}
    assert text["property:artist"] == "PC 1234 Jane Doe"
    assert text["property:imagedescription"] == "Custody photo"


def test_a_file_only_pretending_to_be_an_image_is_uninspectable() -> None:
    fake = b"\x89PNG\r\n\x1a\n" + b"Name,NI Number\nJohn,AB123456C\n" * 10
    part = content.read(fake, "data.csv")
    assert part.uninspectable == "malformed PNG image"
    truncated = _png()[:40]
    assert content.read(truncated, "cut.png").uninspectable == "malformed PNG image"


def test_video_and_audio_are_opaque_media() -> None:
    mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 100
    part = content.read(mp4, "clip.mp4")
    assert (part.kind, part.uninspectable, part.meta["opaque"]) == ("media", None, True)
    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 100
    assert content.read(wav, "a.wav").kind == "media"


def test_images_cannot_be_redacted(span_plan) -> None:
    part = content.read(_png({"Author": "DC John Smith"}), "photo.png")
    with pytest.raises(content.NotRedactable):
        content.write(part, span_plan("photo.png", {0: [content.Span(0, 2, "PERSON")]}))


def test_sqlite_database_is_named_and_uninspectable(tmp_path) -> None:
    db = tmp_path / "nominals.db"
    with sqlite3.connect(db) as connection:
        connection.execute("create table t (name text)")
        connection.execute("insert into t values ('John Smith')")
    connection.close()
    part = content.read(db.read_bytes(), "nominals.db")
    assert part.uninspectable == "SQLite database (not supported)"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 40, "7-Zip archive (not supported)"),
        (b"Rar!\x1a\x07\x01\x00" + b"\x00" * 40, "RAR archive (not supported)"),
        (b"MZ\x90\x00" + b"\x00" * 60, "executable program (not inspectable)"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 60, "executable program (not inspectable)"),
        (b"-----BEGIN PGP MESSAGE-----\n\nhQEMA...\n-----END PGP MESSAGE-----\n", "PGP-encrypted data"),
        (bytes(range(256)) * 4, "unrecognised binary format"),
    ],
    ids=["7z", "rar", "exe", "elf", "pgp", "random"],
)
def test_other_binaries_are_named(data: bytes, reason: str) -> None:
    part = content.read(data, "upload.dat")
    assert part.uninspectable == reason
