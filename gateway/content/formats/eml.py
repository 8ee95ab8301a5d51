"""E-mail messages (RFC 5322 / MIME): subject, every body, every attachment, nested messages.

The subject (and the headers that repeat it, such as Outlook's Thread-Topic)
are segments of the message part. Each text/plain or text/html body becomes a
child part ("msg.eml/body.txt", "msg.eml/body.html"), decoded with its
declared charset; each attachment becomes a child read by its own bytes
("msg.eml/staff.xlsx" is an xlsx part); an attached message is read as a
message again. Addresses and other transport headers are not content
(contract §7). Encrypted mail is recognised and reported as uninspectable.

The writer re-parses the original, walks the same MIME tree in the same order,
and replaces only the bodies and attachments that were redacted, keeping every
header, the MIME structure and attachment file names.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email import errors as email_errors
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses
from typing import Any

from gateway.content.formats.base import ReadContext, Writer, unique_name
from gateway.content.formats.slots import redact
from gateway.content.formats.text import decode
from gateway.content.model import ContentError, NotRedactable, Part, RedactionPlan, Segment

# Headers that carry words the sender wrote, rather than routing information.
CONTENT_HEADERS = ("Subject", "Thread-Topic", "Comments", "Keywords")
_KNOWN_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "received",
        "return-path",
        "delivered-to",
        "reply-to",
        "sender",
        "content-type",
        "content-transfer-encoding",
        "in-reply-to",
        "references",
        "thread-topic",
        "x-mailer",
        "user-agent",
    }
)
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:")
_SIGNATURES = frozenset({"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"})
_TRUNCATED = (email_errors.CloseBoundaryNotFoundDefect,)
_BAD_STRUCTURE = (
    email_errors.StartBoundaryNotFoundDefect,
    email_errors.NoBoundaryInMultipartDefect,
    email_errors.MultipartInvariantViolationDefect,
)
_BAD_BASE64 = (
    email_errors.InvalidBase64PaddingDefect,
    email_errors.InvalidBase64CharactersDefect,
    email_errors.InvalidBase64LengthDefect,
)
_PGP_ARMOUR = "-----BEGIN PGP MESSAGE-----"


def sniff_eml(data: bytes, name: str) -> bool:
    """A header block from the first line: enough known header names, and a
    name ending .eml breaks the tie for a message with few headers."""
    head = data[:16384]
    if head.startswith(b"From "):
        head = head.split(b"\n", 1)[1] if b"\n" in head else b""
    known = 0
    lines = 0
    for raw in head.splitlines():
        if not raw.strip():
            break
        if raw[:1] in (b" ", b"\t"):
            if lines == 0:
                return False
            continue
        if not _HEADER_LINE.match(raw):
            return False
        lines += 1
        if raw.split(b":", 1)[0].strip().lower().decode("ascii", "replace") in _KNOWN_HEADERS:
            known += 1
    if name.lower().endswith((".eml", ".msg.eml", ".mht", ".mhtml")) and lines >= 1:
        return True
    return known >= 2


@dataclass
class _Leaf:
    """One thing found in the MIME tree, in traversal order."""

    role: str  # body, attachment, message, encrypted, partial or signature
    mime: Message
    name: str = ""


def _walk(message: Message) -> Iterator[_Leaf]:
    """The leaves of the MIME tree in order; attached messages are not entered."""
    stack: list[Message] = [message]
    while stack:
        part = stack.pop()
        ctype = part.get_content_type()
        if ctype == "multipart/encrypted":
            yield _Leaf("encrypted", part)
        elif ctype in ("message/rfc822", "message/global"):
            yield _Leaf("message", part)
        elif ctype == "message/partial":
            yield _Leaf("partial", part)
        elif part.is_multipart():
            stack.extend(reversed(_subparts(part)))
        elif ctype in _SIGNATURES:
            yield _Leaf("signature", part)
        elif ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime"):
            kind = str(part.get_param("smime-type") or "enveloped-data").lower()
            yield _Leaf("encrypted" if kind != "signed-data" else "attachment", part)
        elif ctype in ("text/plain", "text/html") and part.get_content_disposition() != "attachment":
            yield _Leaf("body", part)
        else:
            yield _Leaf("attachment", part)


def _names(message: Message, root: str) -> list[_Leaf]:
    """Leaves with unique display names ("msg.eml/body.txt", "msg.eml/staff.csv")."""
    leaves = list(_walk(message))
    used: set[str] = set()
    for counter, leaf in enumerate(leaves, 1):
        if leaf.role == "body":
            base = "body.html" if leaf.mime.get_content_type() == "text/html" else "body.txt"
        else:
            base = (leaf.mime.get_filename() or "").replace("/", "_").replace("\\", "_").strip()
            if not base:
                ext = (
                    ".eml"
                    if leaf.role == "message"
                    else (mimetypes.guess_extension(leaf.mime.get_content_type()) or ".bin")
                )
                base = f"{'message' if leaf.role == 'message' else 'attachment'}-{counter}{ext}"
        leaf.name = f"{root}/{unique_name(base, used, keep_extension=True)}"
    return leaves


def _body_text(mime: Message) -> str:
    raw = mime.get_payload(decode=True) or b""
    if not isinstance(raw, bytes):
        raw = str(raw).encode("utf-8", "surrogateescape")
    charset = mime.get_content_charset()
    if charset:
        try:
            return raw.decode(charset, "replace")
        except LookupError:
            pass
    if not raw:
        return ""
    try:
        return decode(raw, "e-mail body")[0]
    except ContentError:
        return raw.decode("latin-1")


def _message_bytes(mime: Message) -> bytes:
    inner = _subparts(mime)
    if inner:
        return bytes(inner[0].as_bytes(policy=policy.default.clone(linesep="\r\n")))
    raw = mime.get_payload(decode=True)
    return raw if isinstance(raw, bytes) else b""


def _parse(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=policy.default)
    if not isinstance(message, EmailMessage):  # pragma: no cover - policy.default always builds one
        raise ContentError("malformed e-mail message")
    return message


def _defect(message: Message, kinds: tuple[type, ...]) -> bool:
    return any(isinstance(d, kinds) for p in _all_parts(message) for d in getattr(p, "defects", []))


def _all_parts(message: Message) -> Iterator[Message]:
    """Every MIME part of this message, not entering attached messages."""
    stack = [message]
    while stack:
        part = stack.pop()
        yield part
        if part.is_multipart() and part.get_content_type() not in ("message/rfc822", "message/global"):
            stack.extend(_subparts(part))


def _subparts(part: Message) -> list[Message]:
    """The MIME parts directly inside a multipart (or message/*) part."""
    payload = part.get_payload()
    if not isinstance(payload, list):
        return []
    return [p for p in payload if isinstance(p, Message)]


def _header_values(message: Message) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for header in CONTENT_HEADERS:
        # Every value, even an empty one, so indexes match `get_all` on rewrite.
        out.extend((header, str(value)) for value in message.get_all(header) or [])
    return out


ADDRESS_HEADERS = ("From", "Sender", "Reply-To", "To", "Cc")


def correspondents(message: Message) -> list[tuple[str, str]]:
    """(display name, address) of everyone the message is from or to.

    Transport, not content (contract section 7): detection uses this to tell the
    correspondents' own names and addresses, repeated in greetings and quoted
    signatures, from people the message discloses something about.
    """
    values = [str(v) for header in ADDRESS_HEADERS for v in message.get_all(header) or []]
    return [(name.strip(), addr.strip().lower()) for name, addr in getaddresses(values) if name or addr]


class EmlHandler:
    kind = "eml"

    def sniff(self, data: bytes, name: str) -> bool:
        return sniff_eml(data, name)

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part:
        message = _parse(data)
        headers = _header_values(message)
        segments = [
            Segment(text, "subject" if header == "Subject" else f"header:{header.lower()}") for header, text in headers
        ]
        ctx.admit_text(sum(len(s.text) for s in segments))
        children: list[Part] = []
        signatures = 0
        for leaf in _names(message, name):
            if leaf.role == "signature":
                signatures += 1
                continue
            children.append(self._child(leaf, ctx))
        part = Part(
            name=name,
            kind="eml",
            data=data,
            segments=segments,
            children=children,
            meta={"headers": [h for h, _ in headers], "signatures": signatures,
                  "correspondents": correspondents(message)},
        )
        if _defect(message, _TRUNCATED):
            part.uninspectable = "truncated e-mail: a multipart section has no closing boundary"
        elif _defect(message, _BAD_STRUCTURE):
            part.uninspectable = "malformed e-mail: a multipart section has no valid boundaries"
        return part

    def _child(self, leaf: _Leaf, ctx: ReadContext) -> Part:
        if leaf.role == "encrypted":
            return Part(leaf.name, "encrypted", uninspectable="encrypted e-mail content (S/MIME or PGP)")
        if leaf.role == "partial":
            return Part(leaf.name, "eml", uninspectable="partial e-mail message (one fragment of a split message)")
        if leaf.role == "message":
            return ctx.child(_message_bytes(leaf.mime), leaf.name)
        if leaf.role == "body":
            text = _body_text(leaf.mime)
            child = ctx.child(text.encode("utf-8", "surrogateescape"), leaf.name)
            if _PGP_ARMOUR in text:
                child.uninspectable = "PGP-encrypted text in an e-mail body"
        else:
            payload = leaf.mime.get_payload(decode=True)
            child = ctx.child(payload if isinstance(payload, bytes) else b"", leaf.name)
        if any(isinstance(d, _BAD_BASE64) for d in leaf.mime.defects) and not child.uninspectable:
            child.uninspectable = "corrupt base64 encoding in an e-mail part (truncated?)"
        return child

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes:
        message = _parse(part.data)
        by_name = {child.name: child for child in part.children}
        redaction = plan.for_part(part.name)
        if redaction is not None:
            if any(redaction.drop_columns.values()):
                raise NotRedactable("an e-mail message has no columns to remove")
            _redact_headers(message, list(part.meta.get("headers", [])), redaction.spans)
        for leaf in _names(message, part.name):
            child = by_name.get(leaf.name)
            if child is None or not plan.touches(child):
                continue
            new = write_child(child, plan)
            if leaf.role == "message":
                _replace_message(leaf.mime, new)
            elif leaf.role == "body":
                _replace_payload(leaf.mime, new, charset="utf-8")
            else:
                _replace_payload(leaf.mime, new)
        return _serialise(message, part.data)


def _redact_headers(message: Message, headers: list[str], spans: dict[int, list[Any]]) -> None:
    current = _header_values(message)
    if [h for h, _ in current] != headers:
        raise NotRedactable("the message headers changed since they were read")
    new_values: dict[str, list[str]] = {}
    for index, (header, text) in enumerate(current):
        new_values.setdefault(header, []).append(redact(text, spans.get(index, [])))
    for header, values in new_values.items():
        if [str(v) for v in message.get_all(header) or []] == values:
            continue
        if len(values) == 1:
            message.replace_header(header, values[0])  # keeps the header's place
            continue
        del message[header]
        for value in values:
            message[header] = value


def _replace_payload(mime: Message, data: bytes, charset: str | None = None) -> None:
    """Put new bytes in a part as base64, keeping its other headers."""
    del mime["Content-Transfer-Encoding"]
    mime["Content-Transfer-Encoding"] = "base64"
    if charset:
        mime.set_param("charset", charset)
    mime.set_payload(base64.encodebytes(data).decode("ascii"))


def _replace_message(mime: Message, data: bytes) -> None:
    payload = mime.get_payload()
    if isinstance(payload, list):
        mime.set_payload([_parse(data)])
    else:
        _replace_payload(mime, data)


def _serialise(message: EmailMessage, original: bytes) -> bytes:
    header_end = original.find(b"\n\n")
    crlf = original.find(b"\r\n") >= 0 and (header_end < 0 or original.find(b"\r\n") < header_end)
    out_policy = policy.default.clone(linesep="\r\n" if crlf else "\n", refold_source="none")
    return bytes(message.as_bytes(unixfrom=original.startswith(b"From "), policy=out_policy))


HANDLER = EmlHandler()
