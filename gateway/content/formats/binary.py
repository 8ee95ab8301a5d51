"""Binary formats recognised by their magic bytes but not unpacked.

Images, audio and video are opaque: there is no OCR or transcription, so their
pixels and sound are not inspected. They are marked `meta["opaque"] = True`
(not uninspectable, or every e-mail with a logo would be held), and the text
an image carries in its metadata (EXIF artist, description, comments, XMP) is
read where Pillow can reach it. Other recognised binaries (7-Zip, RAR,
executables, databases, OLE files no office handler claimed) cannot be
inspected and say so by name.
"""

from __future__ import annotations

import io
import logging
import warnings

from gateway.content.formats.base import ReadContext, Writer
from gateway.content.formats.slots import SlotLayout
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan

log = logging.getLogger(__name__)


def _media_format(data: bytes) -> tuple[str, str] | None:
    """(kind, format) for images, audio and video."""
    head = data[:64]
    simple = (
        (b"\x89PNG\r\n\x1a\n", "image", "png"),
        (b"\xff\xd8\xff", "image", "jpeg"),
        (b"GIF87a", "image", "gif"),
        (b"GIF89a", "image", "gif"),
        (b"II*\x00", "image", "tiff"),
        (b"MM\x00*", "image", "tiff"),
        (b"\x00\x00\x01\x00", "image", "ico"),
        (b"ID3", "media", "mp3"),
        (b"OggS", "media", "ogg"),
        (b"fLaC", "media", "flac"),
        (b"\x1a\x45\xdf\xa3", "media", "matroska"),
        (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", "media", "asf"),
    )
    for magic, kind, fmt in simple:
        if head.startswith(magic):
            return kind, fmt
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return ("image", "webp") if head[8:12] == b"WEBP" else ("media", head[8:12].decode().strip().lower())
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
            return "image", "heif"
        return "media", "mp4"
    if head[:2] == b"BM" and len(data) > 18 and int.from_bytes(head[14:18], "little") in (12, 40, 52, 56, 108, 124):
        return "image", "bmp"
    return None


def _image_text(data: bytes, fmt: str, layout: SlotLayout) -> None:
    """Text an image carries in its metadata: EXIF fields, PNG text chunks, comments.

    Also checks that the file really is an image: anything can be given a PNG
    signature, and an "opaque" verdict must not be that easy to obtain.
    """
    try:
        from PIL import ExifTags, Image
    except ImportError:  # Pillow is optional: without it images are just opaque
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            Image.open(io.BytesIO(data)).verify()
            image = Image.open(io.BytesIO(data))
    except Exception as exc:
        # Pillow raises many exception types for damaged files; all mean the same here.
        raise ContentError(f"malformed {fmt.upper()} image") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exif = image.getexif()
            for tag, value in exif.items():
                name = ExifTags.TAGS.get(tag, str(tag))
                text = _exif_text(value)
                if text and name in _EXIF_TEXT_TAGS:
                    layout.add(f"property:{name.lower()}", text)
            for key, value in (image.info or {}).items():
                if isinstance(value, str) and value.strip() and str(key).lower() not in ("dpi", "gamma", "icc_profile"):
                    layout.add(f"property:{str(key).lower()}", value.strip())
                elif key == "comment" and isinstance(value, bytes) and value.strip():
                    layout.add("property:comment", value.decode("utf-8", "replace").strip())
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        log.debug("image metadata unreadable: %s", type(exc).__name__)


_EXIF_TEXT_TAGS = frozenset(
    {
        "ImageDescription",
        "Artist",
        "Copyright",
        "UserComment",
        "XPTitle",
        "XPComment",
        "XPAuthor",
        "XPKeywords",
        "XPSubject",
        "Make",
        "Model",
        "Software",
        "DocumentName",
        "HostComputer",
        "CameraOwnerName",
        "BodySerialNumber",
    }
)


def _exif_text(value: object) -> str:
    if isinstance(value, bytes):
        if value.startswith((b"ASCII\x00\x00\x00", b"UNICODE\x00")):
            value = value[8:]
        try:
            text = value.decode("utf-16-le") if b"\x00" in value[1::2] and len(value) % 2 == 0 else value.decode()
        except UnicodeDecodeError:
            text = value.decode("latin-1")
        return text.strip("\x00 ").strip()
    if isinstance(value, str):
        return value.strip("\x00 ").strip()
    return ""


class MediaHandler:
    """Images, audio and video: opaque content, metadata text only."""

    kind = "image"

    def sniff(self, data: bytes, name: str) -> bool:
        return _media_format(data) is not None

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        found = _media_format(data)
        kind, fmt = found if found else ("media", "unknown")
        layout = SlotLayout()
        if kind == "image":
            _image_text(data, fmt, layout)
        segments = layout.finish()
        ctx.admit_text(layout.text_chars())
        return Part(name=name, kind=kind, data=data, segments=segments, meta={"opaque": True, "format": fmt})

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        raise NotRedactable(f"{part.kind} files cannot be redacted")


def _unsupported(data: bytes) -> str | None:
    """Why a recognised binary format cannot be inspected, or None."""
    head = data[:32]
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7-Zip archive (not supported)"
    if head.startswith((b"Rar!\x1a\x07\x00", b"Rar!\x1a\x07\x01\x00")):
        return "RAR archive (not supported)"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "unsupported OLE compound document"
    if head.startswith(b"SQLite format 3\x00"):
        return "SQLite database (not supported)"
    if head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe")):
        return "executable program (not inspectable)"
    if head.startswith(b"MSCF"):
        return "Microsoft cabinet archive (not supported)"
    if head.startswith(b"\x1f\x9d"):
        return "Unix compress (.Z) stream (not supported)"
    if head.startswith((b"-----BEGIN PGP MESSAGE", b"\x85\x01", b"\x85\x02", b"\x84\x8c")):
        return "PGP-encrypted data"
    if head.startswith(b"\x78\x9f\x3e\x22"):
        return "Outlook TNEF attachment (winmail.dat, not supported)"
    if head.startswith(b"!<arch>\n"):
        return "ar archive (not supported)"
    return None


class UnsupportedHandler:
    """Binary formats known by name that the gateway does not open."""

    kind = "binary"

    def sniff(self, data: bytes, name: str) -> bool:
        return _unsupported(data) is not None

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        return Part(name=name, kind="binary", data=data, uninspectable=_unsupported(data))

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        raise NotRedactable("an uninspectable binary file cannot be redacted")


MEDIA = MediaHandler()
UNSUPPORTED = UnsupportedHandler()
