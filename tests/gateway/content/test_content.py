"""The package's two entry points: `read` never raises, `write` refuses unsafe plans."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import random
import tarfile
import zipfile
from email.message import EmailMessage

import pytest
from fpdf import FPDF

from gateway import content
from gateway.content import Limits, PartRedaction, RedactionPlan, Span
from gateway.content.formats import delimited

CSV = b"Name,NI Number,Rank\nJohn Smith,AB123456C,PC\nAnn Lee,CD654321A,DS\nBo Day,JK112233B,PC\n"
SECRETS = ("John Smith", "AB123456C", "CD654321A")


def _samples() -> dict[str, bytes]:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("staff.csv", CSV)
        archive.writestr("notes.txt", "John Smith AB123456C")
    tarred = io.BytesIO()
    with tarfile.open(fileobj=tarred, mode="w") as archive:
        info = tarfile.TarInfo("staff.csv")
        info.size = len(CSV)
        archive.addfile(info, io.BytesIO(CSV))
    message = EmailMessage()
    message["From"] = "a@b.uk"
    message["Subject"] = "John Smith AB123456C"
    message.set_content("Body about John Smith AB123456C")
    message.add_attachment(zipped.getvalue(), maintype="application", subtype="zip", filename="b.zip")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="John Smith AB123456C")
    return {
        "staff.csv": CSV,
        "staff.json": json.dumps([{"name": "John Smith", "nino": "AB123456C"}] * 3).encode(),
        "staff.xml": b"<r><p><n>John Smith</n><i>AB123456C</i></p><p><n>Ann</n><i>CD654321A</i></p></r>",
        "page.html": b"<html><body><p>John Smith AB123456C</p></body></html>",
        "notes.txt": "John Smith AB123456C café\n".encode("cp1252") * 20,
        "bundle.zip": zipped.getvalue(),
        "bundle.tar": tarred.getvalue(),
        "bundle.tar.gz": gzip.compress(tarred.getvalue()),
        "staff.csv.bz2": bz2.compress(CSV),
        "msg.eml": bytes(message.as_bytes()),
        "doc.pdf": bytes(pdf.output()),
    }


@pytest.fixture(scope="module")
def samples() -> dict[str, bytes]:
    return _samples()


def test_every_sample_reads_cleanly(samples: dict[str, bytes]) -> None:
    for name, data in samples.items():
        part = content.read(data, name)
        assert part.name == name
        assert all(p.uninspectable is None for p in part.walk()), name


def test_read_never_raises_on_damaged_input(samples: dict[str, bytes]) -> None:
    rng = random.Random(20240601)
    for name, data in samples.items():
        variants = [data[:cut] for cut in sorted({1, 10, len(data) // 3, len(data) // 2, len(data) - 1})]
        for _ in range(12):
            damaged = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            variants.append(bytes(damaged))
        for variant in variants:
            part = content.read(variant, name)
            for p in part.walk():
                if p.uninspectable is not None:
                    assert isinstance(p.uninspectable, str) and p.uninspectable
                    assert not any(secret in p.uninspectable for secret in SECRETS)


def test_an_unexpected_parser_error_still_gives_a_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise KeyError("John Smith")

    monkeypatch.setattr(delimited.HANDLER, "read", broken)
    part = content.read(CSV, "staff.csv")
    assert part.uninspectable == "malformed delimited file: it could not be parsed (KeyError)"


def test_root_over_the_size_limit_is_uninspectable() -> None:
    part = content.read(CSV, "staff.csv", Limits(max_part_bytes=10))
    assert part.uninspectable == "file larger than 10 bytes"


def test_write_returns_the_original_bytes_when_nothing_is_touched(samples: dict[str, bytes]) -> None:
    for name, data in samples.items():
        part = content.read(data, name)
        plan = RedactionPlan({f"{name}/unrelated": PartRedaction()})
        assert content.write(part, plan) is data


@pytest.mark.parametrize(
    "plan",
    [
        RedactionPlan({"bundle.zip/missing.csv": PartRedaction(drop_columns={0: {1}})}),
        RedactionPlan({"bundle.zip/staff.csv": PartRedaction(drop_columns={3: {1}})}),
        RedactionPlan({"bundle.zip/staff.csv": PartRedaction(drop_columns={0: {7}})}),
        RedactionPlan({"bundle.zip/notes.txt": PartRedaction(spans={4: [Span(0, 4, "PERSON")]})}),
    ],
    ids=["unknown-part", "unknown-table", "unknown-column", "unknown-segment"],
)
def test_a_plan_that_does_not_match_the_content_is_refused(samples: dict[str, bytes], plan: RedactionPlan) -> None:
    part = content.read(samples["bundle.zip"], "bundle.zip")
    with pytest.raises(content.NotRedactable):
        content.write(part, plan)


def test_a_writer_producing_unreadable_output_is_caught(
    samples: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    part = content.read(samples["bundle.zip"], "bundle.zip")
    monkeypatch.setattr(
        content.sniff.HANDLERS[content.sniff.HANDLERS.index(content.handler_for("zip"))],
        "write",
        lambda *args: b"PK\x03\x04 broken",
    )
    with pytest.raises(content.NotRedactable, match="does not read back"):
        content.write(part, RedactionPlan({"bundle.zip/staff.csv": PartRedaction(drop_columns={0: {1}})}))


def test_redaction_reaches_every_container_kind(samples: dict[str, bytes], expand) -> None:
    for name in ("bundle.zip", "bundle.tar", "bundle.tar.gz", "staff.csv.bz2", "msg.eml"):
        part = content.read(samples[name], name)
        plan = RedactionPlan()
        for p in part.walk():
            if p.kind == "csv":
                plan.parts[p.name] = PartRedaction(drop_columns={0: {1}})
            spans = {
                i: [Span(s.text.index("AB123456C"), s.text.index("AB123456C") + 9, "UK_NINO")]
                for i, s in enumerate(p.segments)
                if "AB123456C" in s.text
            }
            if spans:
                plan.parts.setdefault(p.name, PartRedaction()).spans.update(spans)
        out = content.write(part, plan)
        everything = expand(out)
        for value in (b"AB123456C", b"CD654321A", b"JK112233B"):
            assert value not in everything, (name, value)
        assert content.read(out, name).kind == part.kind
