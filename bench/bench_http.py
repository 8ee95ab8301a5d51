"""Upload throughput and latency: plain mitmdump against the gateway, in one run.

Starts a local sink (an HTTP server that reads the body and answers 200), a
plain `mitmdump` with no addon, and the gateway's proxy exactly as
`dlp-gateway run` starts it (`proxy_process.mitmdump_command`: addon, worker
pool, real Inspector, real Redis). Then POSTs, one after another, clean and
personal-data text bodies of 1 KB, 100 KB, 1 MB and 20 MB to the sink, directly and
through each proxy, and prints a markdown table.

Personal-data bodies go to a host no agreement covers, so the gateway holds them
(403 and a quarantine write); clean bodies are allowed and forwarded.

    .venv/bin/python bench/bench_http.py [--ner] [--workers 2] [--sizes 1k,100k,1m,20m]
                                         [--timeout 900] [--repeat-scale 1.0]

Needs Redis at $REDIS_URL (default redis://127.0.0.1:6379/0); everything it
stores is under a key prefix of its own and deleted at the end.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gateway.channels.proxy_process import mitmdump_command, mitmdump_executable  # noqa: E402
from gateway.quarantine.crypto import new_key_line  # noqa: E402
from gateway.settings import Settings  # noqa: E402

HOST = "files.example.net"  # covered by no agreement: the default policy applies
SIZES = {"1k": 1_000, "100k": 100_000, "1m": 1_000_000, "20m": 20_000_000}
REPEATS = {"1k": 30, "100k": 15, "1m": 5, "20m": 2}
_PROSE = ("the of and to in a is that for it as was with be by on not this are or from at which have an they "
          "were there been one all their meeting budget contract project board minutes review report")
WORDS = _PROSE.split(" ")
FIRST = ["Jo", "Sam", "Alex", "Priya", "Tom", "Aisha", "Ben", "Chloe"]
LAST = ["Bloggs", "Smith", "Jones", "Patel", "Brown", "Khan", "Taylor", "Wilson"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_text(size: int, rng: random.Random) -> bytes:
    out: list[str] = []
    n = 0
    while n < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
        out.append(sentence)
        n += len(sentence) + 1
    return " ".join(out).encode()[:size]


def pii_text(size: int, rng: random.Random) -> bytes:
    """Ordinary prose with about one sentence in three naming a person with an NI number, phone or e-mail."""
    out: list[str] = []
    n = 0
    letters = "ABCEGHJKLMNPRSTWXYZ"
    while n < size:
        if rng.random() < 0.3:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            nino = f"{rng.choice(letters)}{rng.choice(letters)}{rng.randrange(10**6):06d}{rng.choice('ABCD')}"
            sentence = (f"{first} {last}, NI number {nino}, can be reached on 07700 9{rng.randrange(10**5):05d} "
                        f"or {first.lower()}.{last.lower()}@example.org.")
        else:
            sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + "."
        out.append(sentence)
        n += len(sentence) + 1
    return " ".join(out).encode()[:size]


# ------------------------------------------------------------------ processes


def _serve_sink(port: int) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else delayed ACKs add 40 ms to every small reply

        def do_POST(self) -> None:
            remaining = int(self.headers.get("Content-Length") or 0)
            while remaining:
                remaining -= len(self.rfile.read(min(remaining, 1 << 20)))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


def wait_port(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listening on port {port}")


@dataclass
class Started:
    name: str
    port: int | None
    process: subprocess.Popen[bytes] | None


def start_plain(work: Path, max_body: int) -> Started:
    port = free_port()
    command = [*mitmdump_executable(), "--mode", f"regular@{port}", "--listen-host", "127.0.0.1",
               "--set", f"confdir={work / 'plain'}", "--set", f"body_size_limit={max_body}",
               "--set", "connection_strategy=lazy", "--set", "flow_detail=0"]  # fmt: skip
    process = subprocess.Popen(command, stdout=(work / "plain.log").open("wb"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    wait_port(port, time.monotonic() + 60)
    return Started("mitmdump", port, process)


def start_gateway(work: Path, args: argparse.Namespace, prefix: str) -> Started:
    settings = Settings(state_dir=work / "state", listen_host="127.0.0.1", proxy_port=free_port(),
                        max_body_bytes=100 * 1024 * 1024, workers=args.workers, with_ner=args.ner)
    env = {
        **os.environ, "DLP_STATE_DIR": str(settings.state_dir), "DLP_WITH_NER": "1" if args.ner else "0",
        "DLP_WORKERS": str(args.workers), "DLP_INSPECTION_TIMEOUT": str(args.timeout),
        "REDIS_URL": args.redis_url, "DLP_QUARANTINE_KEY_PREFIX": prefix,
        "DLP_QUARANTINE_KEYS": new_key_line("bench"),
    }  # fmt: skip
    log = work / "gateway.log"
    process = subprocess.Popen(mitmdump_command(settings, None), env=env, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 300
    while "inspection workers ready" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the gateway did not start:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    return Started("gateway", settings.proxy_port, process)


def stop(started: Started) -> None:
    if started.process is not None and started.process.poll() is None:
        os.killpg(started.process.pid, 15)
        try:
            started.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(started.process.pid, 9)


# ------------------------------------------------------------------ measuring


@dataclass
class Result:
    latencies: list[float]
    statuses: set[int]
    size: int

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def mb_per_s(self) -> float:
        return self.size / 1e6 / self.median


def measure(port: int | None, sink: int, body: bytes, repeats: int, timeout: float) -> Result:
    proxy = f"http://127.0.0.1:{port}" if port else None
    latencies: list[float] = []
    statuses: set[int] = set()
    with httpx.Client(proxy=proxy, timeout=timeout) as client:
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.post(f"http://127.0.0.1:{sink}/upload", content=body,
                                   headers={"Host": HOST, "Content-Type": "text/plain"})
            latencies.append(time.perf_counter() - started)
            statuses.add(response.status_code)
    return Result(latencies, statuses, len(body))


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ner", action="store_true", help="load spaCy in the workers (default: patterns only)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", default="1k,100k,1m,20m")
    parser.add_argument("--timeout", type=float, default=900.0, help="the gateway's inspection deadline, seconds")
    parser.add_argument("--repeat-scale", type=float, default=1.0)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]

    work = Path(tempfile.mkdtemp(prefix="bench-http-"))
    prefix = f"dlpbench:{uuid.uuid4().hex[:8]}:"
    sink_port = free_port()
    sink = multiprocessing.get_context("spawn").Process(target=_serve_sink, args=(sink_port,), daemon=True)
    sink.start()
    wait_port(sink_port, time.monotonic() + 30)
    plain = start_plain(work, 100 * 1024 * 1024)
    gateway = start_gateway(work, args, prefix)
    rng = random.Random(20260101)
    rows: list[str] = []
    try:
        for target in (plain, gateway):  # warm-up: first-use costs in the proxy and in each worker
            measure(target.port, sink_port, clean_text(1000, rng), 4, args.timeout)
        for size_name in sizes:
            size = SIZES[size_name]
            repeats = max(1, round(REPEATS[size_name] * args.repeat_scale))
            for kind, make in (("clean", clean_text), ("personal data", pii_text)):
                body = make(size, rng)
                results = {}
                for target in (Started("direct", None, None), plain, gateway):
                    results[target.name] = measure(target.port, sink_port, body, repeats, args.timeout + 60)
                    print(f"{size_name} {kind} {target.name}: median {fmt_time(results[target.name].median)}",
                          file=sys.stderr)
                d, p, g = results["direct"], results["mitmdump"], results["gateway"]
                rows.append(
                    f"| {size_name.upper().replace('K', ' KB').replace('M', ' MB')} | {kind} | {repeats} "
                    f"| {fmt_time(d.median)} | {fmt_time(p.median)} / {fmt_time(p.p95)} | {p.mb_per_s:.2f} "
                    f"| {fmt_time(g.median)} / {fmt_time(g.p95)} | {g.mb_per_s:.2f} "
                    f"| {', '.join(str(s) for s in sorted(g.statuses))} | {g.median / p.median:.1f}× |"
                )
    finally:
        stop(gateway)
        stop(plain)
        sink.terminate()
        client = redis.Redis.from_url(args.redis_url)
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
        shutil.rmtree(work, ignore_errors=True)

    mode = "spaCy NER" if args.ner else "patterns only (no NER)"
    print(f"\nUpload through the proxy, {args.workers} inspection workers, analyzer: {mode}; "
          f"{os.cpu_count()} CPUs. Latency = median / p95 of sequential POSTs on one keep-alive connection.\n")
    print("| body | content | runs | direct | plain mitmdump | MB/s | gateway | MB/s | gateway status | "
          "gateway ÷ mitmdump |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
