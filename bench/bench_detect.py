"""Throughput of detection: prose of 1 KB, 10 KB and 100 KB, and a 5,000-row table.

Run: .venv/bin/python bench/bench_detect.py [--no-ner] [--rows 5000] [--baseline]

`--baseline` also times presidio out of the box (default recognizers, the same
spaCy model, whole text in one `analyze` call) on the same prose, so the
figures can be compared on a machine whose load varies.

Prints figures only; nothing here asserts a time. The prose is synthetic police
writing with names, dates of birth, PNC IDs, NI numbers and addresses in about a
third of the sentences; the table is a staff export (names, DOB, NI number,
address, postcode, rank, station, sickness, notes).
"""

from __future__ import annotations

import argparse
import random
import string
import time
from pathlib import Path

from detectors.checks import pnc_check_letter
from gateway.content.model import Part, Segment, Table
from gateway.detect import Detector, DetectorConfig

ROOT = Path(__file__).resolve().parent.parent
FORENAMES = ["John", "Sarah", "David", "Amy", "Mohammed", "Priya", "Liam", "Grace", "Tomasz", "Chloe"]
SURNAMES = ["Smith", "Jenkins", "Okafor", "Patel", "Kowalski", "Hughes", "O'Neill", "Brown", "Khan", "Lowe"]
STREETS = ["Mill Lane", "High Street", "Acacia Avenue", "Church Road", "Station Road"]
NINO_FIRST = "ABCEGHJKLMNOPRSTWXYZ"
NINO_SECOND = "ABCEGHJKLMNPRSTWXYZ"

FILLER = [
    "The team reviewed the overnight incidents and agreed the priorities for the coming week.",
    "Intelligence suggests that the vehicle is used regularly in the early hours.",
    "It is assessed that the risk to the public remains low at this stage.",
    "Officers attended the address but there was no reply and the premises appeared secure.",
    "The matter has been passed to the neighbourhood team for further enquiries.",
    "No further action is required until the forensic results have been received.",
]


def nino(rng: random.Random) -> str:
    return rng.choice(NINO_FIRST) + rng.choice(NINO_SECOND) + "".join(rng.choices(string.digits, k=6)) + "C"


def pnc(rng: random.Random) -> str:
    year, serial = str(rng.randint(1990, 2023)), str(rng.randint(1, 9999999)).zfill(7)
    return f"{year}/{serial}{pnc_check_letter(year, serial)}"


def person_sentence(rng: random.Random) -> str:
    forename, surname = rng.choice(FORENAMES), rng.choice(SURNAMES)
    name = f"{forename} {surname}"
    dob = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2005)}"
    street = f"{rng.randint(1, 200)} {rng.choice(STREETS)}"
    return rng.choice(
        [
            f"Subject {surname.upper()}, {forename} (DOB {dob}, PNC {pnc(rng)}) was at {street}.",
            f"{name} stated that she had been threatened by her neighbour on Tuesday evening.",
            f"PC {rng.randint(100, 9999)} spoke to {name}, NI number {nino(rng)}, who lives at {street}.",
            f"Mr {rng.choice(SURNAMES)} was interviewed and released under investigation.",
        ]
    )


def prose(size: int, rng: random.Random) -> str:
    out: list[str] = []
    total = 0
    while total < size:
        sentence = person_sentence(rng) if rng.random() < 0.33 else rng.choice(FILLER)
        out.append(sentence)
        total += len(sentence) + 1
        if rng.random() < 0.2:
            out.append("\n")
    return " ".join(out)[:size]


def staff_table(rows: int, rng: random.Random) -> Table:
    header = [
        "Staff No",
        "Surname",
        "Forename(s)",
        "D.O.B",
        "NI Number",
        "Home Address",
        "Post Code",
        "Rank",
        "Station",
        "Sickness Days",
        "Notes",
    ]
    data = []
    for i in range(rows):
        data.append(
            [
                f"W{100000 + i}",
                rng.choice(SURNAMES).upper(),
                rng.choice(FORENAMES),
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1960, 2000)}",
                nino(rng),
                f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
                "BS1 4DJ",
                rng.choice(["PC", "PS", "Insp"]),
                rng.choice(["Central", "North", "Harbour"]),
                str(rng.randint(0, 30)),
                rng.choice(["", "", "Phased return agreed with line manager", "None"]),
            ]
        )
    return Table("Staff", header, data)


def timed(detector: Detector, part: Part) -> tuple[float, int]:
    started = time.perf_counter()
    detection = detector.detect(part)
    return time.perf_counter() - started, len(detection.findings)


def baseline(texts: dict[int, str]) -> None:
    """Presidio as shipped, on the same texts: the figure the gateway is meant to beat."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from gateway.detect.analyzer import SPACY_MODEL, make_tldextract_offline

    make_tldextract_offline()
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    engine = AnalyzerEngine(nlp_engine=NlpEngineProvider(nlp_configuration=conf).create_engine())
    engine.analyze(texts[min(texts)], "en")
    for size, text in texts.items():
        started = time.perf_counter()
        found = engine.analyze(text, "en")
        seconds = time.perf_counter() - started
        rate = len(text) / 1024 / seconds
        print(f"presidio baseline {size // 1000:>4} KB: {seconds * 1000:8.1f} ms  {rate:7.1f} KB/s  {len(found)} hits")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-ner", action="store_true", help="patterns only (no spaCy)")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--baseline", action="store_true", help="also time presidio out of the box")
    args = parser.parse_args()
    rng = random.Random(7)
    started = time.perf_counter()
    detector = Detector(DetectorConfig(config_dir=ROOT / "config", with_ner=not args.no_ner))
    print(f"detector built in {time.perf_counter() - started:.2f} s (NER {'off' if args.no_ner else 'on'})")
    detector.detect(Part(name="warm.txt", kind="text", segments=[Segment(prose(2000, rng))]))
    texts = {size: prose(size, rng) for size in (1_000, 10_000, 100_000)}
    for size, text in texts.items():
        seconds, found = timed(detector, Part(name="p.txt", kind="text", segments=[Segment(text)]))
        rate = len(text) / 1024 / seconds
        print(f"prose {size // 1000:>4} KB: {seconds * 1000:8.1f} ms  {rate:7.1f} KB/s  {found} findings")
    if args.baseline:
        baseline(texts)
    table = staff_table(args.rows, rng)
    size = sum(len(c) + 1 for row in table.rows for c in row)
    seconds, found = timed(detector, Part(name="staff.csv", kind="csv", tables=[table]))
    print(
        f"table {args.rows} rows x {len(table.header)} cols ({size / 1024:.0f} KB): {seconds * 1000:8.1f} ms  "
        f"{size / 1024 / seconds:7.1f} KB/s  {args.rows / seconds:8.0f} rows/s  {found} findings"
    )


if __name__ == "__main__":
    main()
