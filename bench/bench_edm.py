"""Exact Data Match speed and accuracy on a synthetic register.

    .venv/bin/python -m bench.bench_edm [--register 20000] [--rows 5000]

Builds a staff register of N people (Faker en_GB names, valid NINOs, postcodes,
staff and collar numbers), indexes it, then matches a table of M rows of which
half are register people (name and date of birth only) and half are strangers
who share surnames and forenames with the register but not their dates of
birth, plus a page of prose. Prints build, load and match times and how many
rows matched of each half. Figures only; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from bench.evalset import identifiers as ids
from bench.evalset.people import People
from gateway.content.model import Part, Segment, Table
from gateway.detect.edm import EdmIndex, build_index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--register", type=int, default=20_000, help="register records (default 20000)")
    parser.add_argument("--rows", type=int, default=5_000, help="rows of the table to match (default 5000)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    people = People(rng, args.seed)
    header = [
        "Staff Number",
        "Surname",
        "Forename(s)",
        "Date of Birth",
        "NI Number",
        "Postcode",
        "Collar No",
        "Work Email",
        "Rank",
    ]
    staff = [people.person(19, 66) for _ in range(args.register)]
    rows = [
        [
            f"W{100000 + i}",
            p.surname,
            p.forenames,
            ids.date_uk(p.dob),
            p.nino,
            p.postcode,
            str(rng.randint(100, 9999)),
            people.work_email(p),
            rng.choice(["PC", "PS", "DC", "SO2"]),
        ]
        for i, p in enumerate(staff)
    ]
    register = Part(name="staff.csv", kind="csv", tables=[Table("staff.csv", header, rows)])
    out = Path(tempfile.mkdtemp(prefix="dlp-edm-bench-"))
    started = time.perf_counter()
    report = build_index(register, "staff", out)
    build = time.perf_counter() - started
    started = time.perf_counter()
    index = EdmIndex.load(out)
    load = time.perf_counter() - started
    assert index is not None
    doc_rows = []
    for i in range(args.rows):
        if i % 2 == 0:
            p = rng.choice(staff)
            doc_rows.append([f"{p.forenames} {p.surname}", ids.date_uk(p.dob, "iso"), "Response", "on duty"])
        else:
            # A stranger: a register surname and forename, a date of birth of their own.
            a, b = rng.choice(staff), rng.choice(staff)
            doc_rows.append([f"{a.first} {b.surname}", ids.date_uk(people.dob(), "iso"), "Response", "on duty"])
    document = Part(name="out.xlsx", kind="xlsx", tables=[Table("Sheet1", ["Name", "DOB", "Team", "Notes"], doc_rows)])
    started = time.perf_counter()
    findings = index.match(document)
    match = time.perf_counter() - started
    matched = {f.row for f in findings if f.row is not None}
    members = sum(1 for r in matched if (r - 1) % 2 == 0)
    strangers = len(matched) - members
    p = rng.choice(staff)
    prose = " ".join(
        [f"The team met {q.full_name} at the station." for q in rng.sample(staff, 200)]
        + [f"{p.full_name} (born {ids.date_uk(p.dob, 'long')}) was present."]
    )
    started = time.perf_counter()
    text_findings = index.match(Part(name="r.txt", kind="text", segments=[Segment(prose)]))
    text_match = time.perf_counter() - started
    print(f"register: {report.records} records, {report.entries} hashed values")
    print(f"build {build:.2f} s, load {load:.2f} s")
    print(
        f"table of {args.rows} rows: matched in {match:.3f} s; register rows matched {members}/{(args.rows + 1) // 2}, "
        f"stranger rows matched {strangers}/{args.rows // 2}"
    )
    print(
        f"prose of {len(prose) // 1024} KB with 201 register names: {text_match:.3f} s, "
        f"{len({f.text for f in text_findings})} distinct values reported"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
