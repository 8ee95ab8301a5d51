"""Throughput of the whole recognizer set (detectors.registry.build_recognizers) on prose.

Two seeded synthetic corpora are scanned segment by segment (as the detector
feeds document segments), every recognizer over every segment:

* clean: ordinary office/policing prose with dates and numbers but no identifiers;
* dense: the same prose with an identifier or sensitive phrase in most sentences.

    .venv/bin/python bench/bench_detectors.py [--mb 2] [--segment-kb 4] [--repeat 3]

Prints MB/s for the set and the five most expensive recognizers per corpus.
No assertions: this is a measurement, compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict

from detectors.base import UkDetector
from detectors.registry import build_recognizers

PROSE = (
    "the officer attended and spoke to the reporting person about the incident on the estate where "
    "several residents had raised concerns about anti social behaviour near the shops and the park "
    "during the evening a review of the available footage was requested and the team agreed actions "
    "with partners including the council housing service and local schools at the monthly meeting "
    "figures for the quarter show 12 percent fewer reports than last year with 45 cases closed"
)
WORDS = PROSE.split()

DENSE_SNIPPETS = (
    "Subject SMITH, John (DOB 01/02/1980, PNC 79/163001B) was arrested on 03/04/2024.",
    "NI number AB123456C and NHS no 943 476 5919 were recorded.",
    "Call him on 07700 900123 or e-mail john.smith@example.com.",
    "He lives at Flat 2, 14 Acacia Avenue, Anytown SW1A 1AA.",
    "Vehicle AB51 ABC, a blue Ford Focus, was seen on ANPR.",
    "Custody record WX/01234/24, ASN 1101ZD0100000410847G, CRO 065656/91H.",
    "Suspect described as IC3 male with a history of self-harm.",
    "Sort code 20-00-00 account 12345678, IBAN GB82 WEST 1234 5698 7654 32.",
    "PC 1234 Smith took a statement; crime ref 1234567/24.",
    "Logged in from 81.2.69.160; passport number 925076473.",
)


def make_corpus(size: int, dense: bool, seed: int) -> str:
    """Seeded prose of about ``size`` characters, one sentence per line every few sentences."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        if dense and rng.random() < 0.7:
            sentence = rng.choice(DENSE_SNIPPETS)
        else:
            n = rng.randint(8, 25)
            sentence = " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."
            if rng.random() < 0.2:
                sentence += (
                    f" Meeting on {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2024 at 10:{rng.randint(10, 59)}."
                )
        parts.append(sentence)
        parts.append("\n" if rng.random() < 0.2 else " ")
        total += len(sentence) + 1
    return "".join(parts)


def segments(text: str, size: int) -> list[str]:
    """Split at line ends near ``size`` characters, as documents arrive in segments."""
    out, start = [], 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end == -1 else end + 1
        out.append(text[start:end])
        start = end
    return out


def run(recognizers: list[UkDetector], parts: list[str]) -> tuple[float, dict[str, float], int]:
    """Seconds for the whole set, per-recognizer seconds, and findings at >= 0.5."""
    per: dict[str, float] = defaultdict(float)
    findings = 0
    started = time.perf_counter()
    for part in parts:
        for recognizer in recognizers:
            t0 = time.perf_counter()
            results = recognizer.analyze(part, None)
            per[recognizer.name] += time.perf_counter() - t0
            findings += sum(1 for r in results if r.score >= 0.5)
    return time.perf_counter() - started, per, findings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=2.0, help="corpus size in MB (default 2)")
    parser.add_argument("--segment-kb", type=float, default=4.0, help="segment size in KB (default 4)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per corpus; the median is shown")
    args = parser.parse_args()

    t0 = time.perf_counter()
    recognizers: list[UkDetector] = build_recognizers()  # type: ignore[assignment]
    print(f"built {len(recognizers)} recognizers in {time.perf_counter() - t0:.2f} s")
    size = int(args.mb * 1_000_000)
    for name, dense in (("clean", False), ("dense", True)):
        text = make_corpus(size, dense, seed=7)
        parts = segments(text, int(args.segment_kb * 1000))
        runs = [run(recognizers, parts) for _ in range(args.repeat)]
        seconds = statistics.median(r[0] for r in runs)
        per = runs[-1][1]
        mb = len(text.encode()) / 1_000_000
        print(f"\n{name}: {mb:.2f} MB in {len(parts)} segments, {runs[-1][2]} findings >= 0.5")
        print(f"  whole set: {seconds:.2f} s = {mb / seconds:.2f} MB/s")
        for rec_name, spent in sorted(per.items(), key=lambda kv: -kv[1])[:5]:
            print(f"  {rec_name:32s} {spent:6.3f} s  ({mb / spent:7.1f} MB/s alone)")


if __name__ == "__main__":
    main()
