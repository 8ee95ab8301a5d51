"""E-mail: subject, bodies, attachments, nested messages; encryption and damage; rewriting."""

from __future__ import annotations

import gzip
import io
import zipfile
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from gateway import content

CSV = b"Name,NI Number,Rank\r\nJohn Smith,AB123456C,PC\r\nAnn Lee,CD654321A,DS\r\n"


def _message() -> EmailMessage:
    message = EmailMessage()
    message["From"] = '"Sender Person" <sender@force.police.uk>'
    message["To"] = '"Recipient Person" <analyst@cps.gov.uk>'
    message["Received"] = "from mail.force.police.uk by relay; Mon, 1 Jan 2024 10:00:00 +0000"
    message["Subject"] = "Staff list incl. Zoë Brontë (NI JK112233B)"
    message["Thread-Topic"] = "Staff list incl. Zoë Brontë (NI JK112233B)"
    message.set_content("Hi,\n\nPlease find the staff list. Call me on 07700 900123.\n\nJane\n")
    message.add_alternative("<p>Hi,</p><p>Please find the staff list. Call me on 07700 900123.</p>", subtype="html")
    message.add_attachment(CSV, maintype="text", subtype="csv", filename="staff.csv")
    inner = EmailMessage()
    inner["From"] = "someone@example.com"
    inner["Subject"] = "Original report about EF123456D"
    inner.set_content("The nested body mentions GH123456A.")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("nested.csv", CSV)
    inner.add_attachment(archive.getvalue(), maintype="application", subtype="zip", filename="bundle.zip")
    message.add_attachment(inner)
    return message


@pytest.fixture(scope="module")
def eml_bytes() -> bytes:
    return bytes(_message().as_bytes(policy=policy.SMTP))


def test_subject_bodies_attachments_and_nested_message(eml_bytes: bytes) -> None:
    part = content.read(eml_bytes, "msg.eml")
    assert part.kind == "eml"
    assert part.uninspectable is None
    assert [(s.where, s.text) for s in part.segments] == [
        ("subject", "Staff list incl. Zoë Brontë (NI JK112233B)"),
        ("header:thread-topic", "Staff list incl. Zoë Brontë (NI JK112233B)"),
    ]
    names = [c.name for c in part.children]
    assert names == ["msg.eml/body.txt", "msg.eml/body.html", "msg.eml/staff.csv", "msg.eml/message-4.eml"]
    body, html, csv_part, nested = part.children
    assert body.kind == "text"
    assert "07700 900123" in body.segments[0].text
    assert html.kind == "html"
    assert csv_part.kind == "csv"
    assert csv_part.tables[0].header == ["Name", "NI Number", "Rank"]
    assert nested.kind == "eml"
    assert nested.segments[0].text == "Original report about EF123456D"
    assert [c.name for c in nested.children] == ["msg.eml/message-4.eml/body.txt", "msg.eml/message-4.eml/bundle.zip"]
    zip_part = nested.children[1]
    assert zip_part.children[0].name == "msg.eml/message-4.eml/bundle.zip/nested.csv"
    assert zip_part.children[0].tables[0].column(1) == ["AB123456C", "CD654321A"]


def test_transport_headers_are_not_content(eml_bytes: bytes) -> None:
    part = content.read(eml_bytes, "msg.eml")
    everything = " ".join(s.text for p in part.walk() for s in p.segments)
    assert "Sender Person" not in everything
    assert "analyst@cps.gov.uk" not in everything
    assert "relay" not in everything


def test_redaction_rewrites_subject_bodies_and_attachments_at_every_depth(eml_bytes: bytes, expand) -> None:
    part = content.read(eml_bytes, "msg.eml")
    plan = content.RedactionPlan()
    for p in part.walk():
        spans: dict[int, list[content.Span]] = {}
        for index, segment in enumerate(p.segments):
            for value, label in (
                ("JK112233B", "UK_NINO"),
                ("07700 900123", "PHONE_NUMBER"),
                ("EF123456D", "UK_NINO"),
                ("GH123456A", "UK_NINO"),
            ):
                start = segment.text.find(value)
                if start >= 0:
                    spans.setdefault(index, []).append(content.Span(start, start + len(value), label))
        drops = {0: {1}} if p.kind == "csv" else {}
        if spans or drops:
            plan.parts[p.name] = content.PartRedaction(drop_columns=drops, spans=spans)
    out = content.write(part, plan)
    everything = expand(out)
    for value in (b"AB123456C", b"CD654321A", b"JK112233B", b"07700 900123", b"EF123456D", b"GH123456A", b"NI Number"):
        assert value not in everything, value
    again = content.read(out, "msg.eml")
    assert again.uninspectable is None
    assert [c.name for c in again.children] == [c.name for c in part.children]
    assert again.segments[0].text == "Staff list incl. Zoë Brontë (NI [REDACTED:UK_NINO])"
    assert again.children[2].tables[0].header == ["Name", "Rank"]
    message = message_from_bytes(out, policy=policy.default)
    assert b'From: "Sender Person" <sender@force.police.uk>\r\n' in out
    assert message["Received"].startswith("from mail.force.police.uk")
    assert out.count(b"\r\n") > 10


def test_untouched_message_is_returned_unchanged(eml_bytes: bytes, drop_plan) -> None:
    part = content.read(eml_bytes, "msg.eml")
    assert content.write(part, content.RedactionPlan()) is eml_bytes
    out = content.write(part, drop_plan("msg.eml/staff.csv", {1}))
    assert b'Content-Disposition: attachment; filename="staff.csv"' in out


def test_smime_and_pgp_encrypted_mail_is_uninspectable() -> None:
    smime = EmailMessage()
    smime["Subject"] = "Encrypted"
    smime["From"] = "a@b.uk"
    smime.set_content(
        b"\x30\x82\x01\x00" + b"\x00" * 64,
        maintype="application",
        subtype="pkcs7-mime",
        params={"smime-type": "enveloped-data"},
        filename="smime.p7m",
    )
    part = content.read(bytes(smime.as_bytes()), "s.eml")
    assert part.children[0].uninspectable == "encrypted e-mail content (S/MIME or PGP)"

    pgp = (
        b"From: a@b.uk\r\nTo: c@d.uk\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="XX"\r\n\r\n'
        b"--XX\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
        b"--XX\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\nabc\r\n"
        b"-----END PGP MESSAGE-----\r\n--XX--\r\n"
    )
    part = content.read(pgp, "p.eml")
    assert part.children[0].uninspectable == "encrypted e-mail content (S/MIME or PGP)"

    inline = (
        b"From: a@b.uk\r\nTo: c@d.uk\r\nSubject: x\r\n\r\n"
        b"-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n-----END PGP MESSAGE-----\r\n"
    )
    part = content.read(inline, "i.eml")
    assert part.children[0].uninspectable == "PGP-encrypted text in an e-mail body"


def test_truncated_message_is_uninspectable(eml_bytes: bytes) -> None:
    cut = eml_bytes[: eml_bytes.index(b'filename="staff.csv"') + 60]
    part = content.read(cut, "cut.eml")
    assert part.uninspectable == "truncated e-mail: a multipart section has no closing boundary"


def test_corrupt_base64_attachment_is_uninspectable() -> None:
    data = (
        b"From: a@b.uk\r\nTo: c@d.uk\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
        b"--B\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="data.bin"\r\n\r\nTmFtZSxOSQpKb2huLEFCMTIzNDU2Q\r\n--B--\r\n'
    )
    part = content.read(data, "b.eml")
    assert part.children[1].uninspectable == "corrupt base64 encoding in an e-mail part (truncated?)"


def test_multipart_without_its_boundary_is_malformed() -> None:
    data = (
        b"From: a@b.uk\r\nTo: c@d.uk\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="NOT-THERE"\r\n\r\n'
        b"--OTHER\r\nContent-Type: text/plain\r\n\r\nhidden text AB123456C\r\n--OTHER--\r\n"
    )
    part = content.read(data, "m.eml")
    assert part.uninspectable == "malformed e-mail: a multipart section has no valid boundaries"


def test_signed_mail_skips_the_signature_and_reads_the_body() -> None:
    data = (
        b"From: a@b.uk\r\nTo: c@d.uk\r\nSubject: signed\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/signed; protocol="application/pkcs7-signature"; boundary="S"\r\n\r\n'
        b"--S\r\nContent-Type: text/plain\r\n\r\nBody with AB123456C\r\n"
        b"--S\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMIIC\r\n--S--\r\n"
    )
    part = content.read(data, "signed.eml")
    assert part.uninspectable is None
    assert [c.name for c in part.children] == ["signed.eml/body.txt"]
    assert part.meta["signatures"] == 1


def test_attachment_names_are_unique_and_gz_attachment_is_unpacked() -> None:
    message = EmailMessage()
    message["From"] = "a@b.uk"
    message["Subject"] = "two files"
    message.set_content("see attached")
    message.add_attachment(CSV, maintype="text", subtype="csv", filename="data.csv")
    message.add_attachment(gzip.compress(CSV), maintype="application", subtype="gzip", filename="data.csv")
    part = content.read(bytes(message.as_bytes()), "m.eml")
    assert [c.name for c in part.children] == ["m.eml/body.txt", "m.eml/data.csv", "m.eml/data (2).csv"]
    assert part.children[2].kind == "gzip"
    assert part.children[2].children[0].kind == "csv"


def test_eml_recognised_from_headers() -> None:
    data = b"Received: from x\r\nFrom: a@b.uk\r\nSubject: hello\r\n\r\nBody\r\n"
    assert content.read(data, "upload.bin").kind == "eml"
    assert content.read(b"Subject: hello\r\n\r\nBody\r\n", "note.txt").kind == "text"
    assert content.read(b"Subject: hello\r\n\r\nBody\r\n", "note.eml").kind == "eml"


def test_bomb_attachment_is_refused_and_the_rest_still_read() -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\0" * 3_000_000)
    message = EmailMessage()
    message["From"] = "a@b.uk"
    message["Subject"] = "bundle"
    message.set_content("see attached, NI AB123456C")
    message.add_attachment(bomb.getvalue(), maintype="application", subtype="zip", filename="bomb.zip")
    part = content.read(bytes(message.as_bytes()), "m.eml", content.Limits(max_ratio=100, ratio_floor_bytes=100_000))
    body, archive = part.children
    assert "AB123456C" in body.segments[0].text
    assert archive.children[0].uninspectable == "compression ratio above 100:1 (possible archive bomb)"
