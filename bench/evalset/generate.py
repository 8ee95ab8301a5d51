"""Generate the labelled evaluation set: `python -m bench.evalset.generate OUT [--seed N] [--scale X]`.

Writes `OUT/docs/` (CSV and XLSX staff exports and custody extracts, intelligence
reports as text and DOCX, e-mails as .eml, clean documents and look-alike
documents as text, DOCX, PDF, CSV and XLSX) and `OUT/labels.jsonl`, one line per
document: every labelled entity (type, text, and where: character offsets and
context for text, sheet / column / row for table cells), the look-alikes that
must not be reported, the table columns left unscored, and whether the
document is clean (no personal data: it must never be quarantined or blocked).

The same seed gives the same documents and labels. Values are realistic but
never real: Faker en_GB names, check-digit-valid identifiers from test or
never-issued ranges (bench/evalset/identifiers.py), Ofcom drama phone numbers,
`.example` and force-fictional e-mail domains.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections import Counter
from pathlib import Path

from bench.evalset.clean import clean_prose_document, clean_table_document, lookalike_document
from bench.evalset.labels import DocLabels
from bench.evalset.people import People
from bench.evalset.prose import email_document, intel_document
from bench.evalset.tables import table_document

# Documents per category at --scale 1.
BASE_COUNTS: dict[str, int] = {
    "staff_export": 30,
    "custody_extract": 24,
    "access_log": 8,
    "intelligence_report": 60,
    "email": 60,
    "clean": 50,
    "lookalike": 30,
}


def _count(name: str, scale: float) -> int:
    return max(1, round(BASE_COUNTS[name] * scale))


def generate(out: Path, seed: int = 7, scale: float = 1.0) -> list[DocLabels]:
    """Write the set under `out` (replacing `out/docs` and `out/labels.jsonl`); return the labels."""
    rng = random.Random(seed)
    people = People(rng, seed)
    docs_dir = out / "docs"
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True)
    labels: list[DocLabels] = []
    serial = 0

    def emit(stem: str, ext: str, make) -> None:  # type: ignore[no-untyped-def]
        nonlocal serial
        serial += 1
        rel = f"docs/{serial:04d}_{stem}.{ext}"
        data, doc = make(rel)
        (out / rel).write_bytes(data)
        doc.doc = rel
        labels.append(doc)

    for i in range(_count("staff_export", scale)):
        fmt = "xlsx" if i % 2 else "csv"
        emit("staff_export", fmt, lambda rel, f=fmt: table_document(rng, people, "staff_export", f, rel))
    for i in range(_count("custody_extract", scale)):
        fmt = "xlsx" if i % 3 == 2 else "csv"
        emit("custody_extract", fmt, lambda rel, f=fmt: table_document(rng, people, "custody_extract", f, rel))
    for i in range(_count("access_log", scale)):
        fmt = "xlsx" if i % 2 else "csv"
        emit("access_log", fmt, lambda rel, f=fmt: table_document(rng, people, "access_log", f, rel))
    for i in range(_count("intelligence_report", scale)):
        fmt = "docx" if i % 2 else "txt"
        emit("intelligence_report", fmt, lambda rel, f=fmt: intel_document(rng, people, rel, f))
    styles = ("request", "request", "attachment", "signature")
    for i in range(_count("email", scale)):
        style = styles[i % len(styles)]
        emit(f"email_{style}", "eml", lambda rel, s=style: email_document(rng, people, rel, s))
    clean_kinds = (
        ("policy", "docx"),
        ("policy", "txt"),
        ("minutes", "docx"),
        ("press_release", "txt"),
        ("press_release", "pdf"),
        ("timetable", "csv"),
        ("timetable", "xlsx"),
        ("assets", "csv"),
        ("assets", "xlsx"),
        ("minutes", "pdf"),
    )
    for i in range(_count("clean", scale)):
        kind, fmt = clean_kinds[i % len(clean_kinds)]
        if kind in ("timetable", "assets"):
            emit(f"clean_{kind}", fmt, lambda rel, k=kind, f=fmt: clean_table_document(rng, rel, f, k))
        else:
            emit(f"clean_{kind}", fmt, lambda rel, k=kind, f=fmt: clean_prose_document(rng, rel, f, k))
    for _ in range(_count("lookalike", scale)):
        emit("lookalike", "txt", lambda rel: lookalike_document(rng, rel))
    with (out / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for doc in labels:
            fh.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
    (out / "manifest.json").write_text(
        json.dumps(
            {"seed": seed, "scale": scale, "documents": len(labels), "categories": Counter(d.category for d in labels)},
            indent=2,
        )
        + "\n"
    )
    return labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the set to")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the number of documents (default 1)")
    args = parser.parse_args(argv)
    labels = generate(args.out, args.seed, args.scale)
    entities = Counter(e.type for d in labels for e in d.entities)
    print(f"{len(labels)} documents, {sum(entities.values())} labelled entities written to {args.out}")
    for kind, n in sorted(entities.items()):
        print(f"  {kind:<22} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
