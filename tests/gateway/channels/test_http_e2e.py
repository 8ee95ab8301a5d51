"""End to end: a real mitmdump with the addon, a local sink recording exactly what reached it,
the real Inspector (patterns only, no spaCy), the real Redis, and uploads sent with curl and httpx.

For allow, redact, quarantine and block, in every body shape (multipart, urlencoded, raw,
JSON with base64 attachments), plain and gzip-compressed: what the sink received, byte for
byte, and what the quarantine holds. Then HTTPS interception, TLS passthrough for pinned
hosts, oversized and chunked bodies, a store that is down, and a GET answered while twenty
large uploads are being inspected.
"""

from __future__ import annotations

import asyncio
import base64
import datetime
import gzip
import ipaddress
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote_plus

import brotli
import httpx
import pytest
import redis
import zstandard
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from gateway.channels import bodies
from gateway.channels.proxy_process import mitmdump_command
from gateway.quarantine.crypto import Keyring, new_key_line
from gateway.quarantine.store import QuarantineStore, connect
from gateway.settings import Settings

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

REDIS_URL = os.environ.get("DLP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
USER, PASSWORD = "alice", "s3cret-proxy-pw"
PARTNER = "partner.localtest"  # covered by the test agreement below
STRANGER = "files.example.net"  # covered by no agreement: the default policy applies
REFERENCE = re.compile(r"^Q-\d{8}-[0-9A-Z]+$")
NINOS = ("AB123456C", "JT654321B", "JK112233A")

AGREEMENT = """\
id: e2e-partner
title: HTTP channel end-to-end test partner
owner: Test SIRO
purpose: Exercise the HTTP channel
valid_from: 2020-01-01
valid_until: 2099-12-31
destinations: ["partner.localtest"]
allowed_fields: [PERSON, JOB_TITLE, RANK, WORK_LOCATION]
required_fields: []
on_excess: redact
on_incomplete: allow
special_category: quarantine
max_marking: OFFICIAL
"""

CSV_PII = (b"Name,Job Title,NI Number\nJo Bloggs,Analyst,AB123456C\nSam Smith,Clerk,JT654321B\n"
           b"Al Jones,Driver,JK112233A\n")
CSV_REDACTED = b"Name,Job Title\nJo Bloggs,Analyst\nSam Smith,Clerk\nAl Jones,Driver\n"
CSV_CLEAN = b"Item,Quantity\nPens,20\nPaper,5\n"
NOTE_PII = b"Please update the record for Jo Bloggs, NI number AB123456C, before Friday."
NOTE_REDACTED = NOTE_PII.replace(b"AB123456C", b"[REDACTED:UK_NINO]")
NOTE_CLEAN = b"Meeting notes for the project board: agenda and actions."
SECRET_DOC = b"SECRET\nOperation plans for the next quarter.\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------ the sink


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Sink:
    """A destination server that records every request it receives and every connection made to it."""

    port: int
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    server: ThreadingHTTPServer | None = None

    def at(self, token: str) -> list[Received]:
        return [r for r in self.received if token in r.path]


def start_sink(tls: ssl.SSLContext | None = None) -> Sink:
    sink = Sink(free_port())

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else delayed ACKs add 40 ms to every small reply

        def setup(self) -> None:
            sink.connections += 1
            super().setup()

        def _record(self) -> None:
            if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
                body = b""
                while True:
                    size = int(self.rfile.readline().split(b";")[0], 16)
                    if size == 0:
                        self.rfile.readline()
                        break
                    body += self.rfile.read(size)
                    self.rfile.readline()
            else:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            sink.received.append(Received(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                          body))
            reply = b'{"stored": true}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_GET = do_POST = do_PUT = _record

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", sink.port), Handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    sink.server = server
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return sink


def make_cert(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (the sink's own, as a pinned server's)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "sink.pem", directory / "sink.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


# ------------------------------------------------------------------ the proxy


@dataclass
class Proxy:
    port: int
    confdir: Path
    metrics_dir: Path
    store: QuarantineStore
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"http://{USER}:{PASSWORD}@127.0.0.1:{self.port}"

    @property
    def ca(self) -> Path:
        return self.confdir / "mitmproxy-ca-cert.pem"

    def metric(self, name: str, labels: dict[str, str] | None = None) -> float:
        from prometheus_client import CollectorRegistry
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(self.metrics_dir))
        return registry.get_sample_value(name, labels or {}) or 0.0


def start_proxy(base: Path, *, redis_url: str, prefix: str, keys: str, max_body: int = 50_000_000,
                workers: int = 2) -> Proxy:
    rules = base / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "e2e-partner.yaml").write_text(AGREEMENT)
    state, metrics_dir = base / "state", base / "metrics"
    metrics_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(state_dir=state, rules_dir=rules, listen_host="127.0.0.1", proxy_port=free_port(),
                        max_body_bytes=max_body, proxy_auth=f"{USER}:{PASSWORD}")
    env = {
        **os.environ,
        "DLP_STATE_DIR": str(state), "DLP_RULES_DIR": str(rules), "DLP_WITH_NER": "0",
        "DLP_WORKERS": str(workers), "DLP_INSPECTION_TIMEOUT": "300", "DLP_MAX_BODY_BYTES": str(max_body),
        "DLP_PASSTHROUGH_HOSTS": "localhost", "REDIS_URL": redis_url, "DLP_QUARANTINE_KEY_PREFIX": prefix,
        "DLP_QUARANTINE_KEYS": keys, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }  # fmt: skip
    env.pop("DLP_CONFIG", None)
    # ssl_insecure: the test sink's certificate is self-signed (a real egress verifies upstream certificates)
    command = [*mitmdump_command(settings, None), "--set", "ssl_insecure=true"]
    log = base / "mitmdump.log"
    process = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    store = QuarantineStore(connect(REDIS_URL), Keyring.parse(keys, "test"), prefix=prefix)
    proxy = Proxy(settings.proxy_port, state / "mitmproxy", metrics_dir, store, log, process)
    deadline = time.monotonic() + 240
    while "inspection workers ready" not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_proxy(proxy)
            pytest.fail(f"mitmdump did not become ready:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)
    return proxy


def stop_proxy(proxy: Proxy) -> None:
    if proxy.process.poll() is None:
        os.killpg(proxy.process.pid, 15)
        try:
            proxy.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proxy.process.pid, 9)
            proxy.process.wait(5)


def clean_prefix(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=prefix + "*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(scope="module")
def sink() -> Iterator[Sink]:
    s = start_sink()
    yield s
    assert s.server is not None
    s.server.shutdown()


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    prefix = f"dlptest:http:{uuid.uuid4().hex[:10]}:"
    p = start_proxy(tmp_path_factory.mktemp("gateway"), redis_url=REDIS_URL, prefix=prefix,
                    keys=new_key_line("e2e"))
    yield p
    stop_proxy(p)
    clean_prefix(prefix)


# ------------------------------------------------------------------ bodies


def graph_mail(subject: bytes, attachment: bytes, filename: str) -> dict:
    return {
        "message": {
            "subject": subject.decode(),
            "body": {"contentType": "Text", "content": "Please see the attached file."},
            "toRecipients": [{"emailAddress": {"name": "Sam Partner", "address": "sam@partner.localtest"}}],
            "attachments": [{"@odata.type": "#microsoft.graph.fileAttachment", "name": filename,
                             "contentType": "text/plain", "contentBytes": base64.b64encode(attachment).decode()}],
        },
        "saveToSentItems": True,
    }


def multipart(note: bytes, filename: str, data: bytes) -> bytes:
    return (b'--e2eBoundary\r\nContent-Disposition: form-data; name="note"\r\n\r\n' + note + b"\r\n"
            b'--e2eBoundary\r\nContent-Disposition: form-data; name="file"; filename="' + filename.encode() + b'"\r\n'
            b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n--e2eBoundary--\r\n")


@dataclass(frozen=True)
class Case:
    shape: str
    verdict: str

    @property
    def host(self) -> str:
        return PARTNER if self.verdict in ("allow", "redact") else STRANGER

    def content(self) -> tuple[bytes, bytes, str]:
        """(note text, file bytes, file name) for this verdict."""
        return {
            "allow": (NOTE_CLEAN, CSV_CLEAN, "stock.csv"),
            "redact": (NOTE_PII, CSV_PII, "staff.csv"),
            "quarantine": (NOTE_PII, CSV_PII, "staff.csv"),
            "block": (NOTE_CLEAN, SECRET_DOC, "plans.txt"),
        }[self.verdict]

    def request(self) -> tuple[str, str, dict[str, str], bytes]:
        """(method, path suffix, headers, body) before compression."""
        note, data, filename = self.content()
        if self.shape == "multipart":
            return "POST", "upload", {"Content-Type": "multipart/form-data; boundary=e2eBoundary"}, multipart(
                note, filename, data)
        if self.shape == "urlencoded":
            text = data if self.verdict == "block" else note
            return "POST", "form", {"Content-Type": "application/x-www-form-urlencoded"}, (
                b"note=" + quote_plus(text).encode() + b"&ref=12345")
        if self.shape == "raw":
            return "PUT", f"bucket/{filename}", {"Content-Type": "text/csv"}, data
        body = json.dumps(graph_mail(note, data, filename)).encode()
        return "POST", "me/sendMail", {"Content-Type": "application/json"}, body

    def redacted(self) -> bytes:
        """Exactly what the destination must receive, decoded, when this case is redacted."""
        if self.shape == "multipart":
            return multipart(NOTE_REDACTED, "staff.csv", CSV_REDACTED)
        if self.shape == "urlencoded":
            return b"note=" + quote_plus(NOTE_REDACTED).encode() + b"&ref=12345"
        if self.shape == "raw":
            return CSV_REDACTED
        doc = graph_mail(NOTE_REDACTED, CSV_REDACTED, "staff.csv")
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


ENCODERS = {
    None: lambda d: d,
    "gzip": gzip.compress,
    "br": brotli.compress,
    "zstd": lambda d: zstandard.ZstdCompressor().compress(d),
    "deflate": zlib.compress,
}


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def send_curl(proxy: Proxy, method: str, url: str, headers: dict[str, str], body: bytes, tmp: Path,
              extra: tuple[str, ...] = ()) -> Reply:
    data, head, out = tmp / f"{uuid.uuid4().hex}.bin", tmp / "head.txt", tmp / "out.bin"
    data.write_bytes(body)
    args = ["curl", "-sS", "-x", proxy.url, "-X", method, "--data-binary", f"@{data}", "-D", str(head),
            "-o", str(out), "--max-time", "120", *extra]
    for k, v in headers.items():
        args += ["-H", f"{k}: {v}"]
    done = subprocess.run([*args, url], check=False, capture_output=True)
    # curl may fail to finish sending a body the proxy refused early (413): the reply still counts
    if not head.exists() or not head.read_text():
        raise AssertionError(f"curl got no reply (exit {done.returncode}): {done.stderr.decode()[-500:]}")
    lines = head.read_text().splitlines()
    status_line = [ln for ln in lines if ln.startswith("HTTP/")][-1]
    parsed = dict(ln.split(": ", 1) for ln in lines[lines.index(status_line) + 1 :] if ": " in ln)
    body_out = out.read_bytes() if out.exists() else b""
    return Reply(int(status_line.split()[1]), {k.lower(): v for k, v in parsed.items()}, body_out)


def send_httpx(proxy: Proxy, method: str, url: str, headers: dict[str, str], body: bytes) -> Reply:
    with httpx.Client(proxy=proxy.url, timeout=300) as client:
        r = client.request(method, url, content=body, headers=headers)
    return Reply(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.content)


def send(client: str, proxy: Proxy, method: str, url: str, headers: dict[str, str], body: bytes,
         tmp: Path) -> Reply:
    if client == "curl":
        return send_curl(proxy, method, url, headers, body, tmp)
    return send_httpx(proxy, method, url, headers, body)


# ------------------------------------------------------------------ the matrix

CASES = [Case(shape, verdict) for shape in ("multipart", "urlencoded", "raw", "json")
         for verdict in ("allow", "redact", "quarantine", "block")]


@pytest.fixture(scope="module")
def curl() -> str:
    found = shutil.which("curl")
    if not found:
        pytest.fail("curl is needed for these tests: apt-get install -y curl")
    return found


@pytest.mark.parametrize("client", ["curl", "httpx"])
@pytest.mark.parametrize("coding", [None, "gzip"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.shape}-{c.verdict}")
def test_upload_reaches_the_sink_exactly_as_the_verdict_says(proxy, sink, curl, tmp_path, case, coding, client):
    method, suffix, headers, plain = case.request()
    body = ENCODERS[coding](plain)
    if coding:
        headers = {**headers, "Content-Encoding": coding}
    token = uuid.uuid4().hex
    url = f"http://127.0.0.1:{sink.port}/{token}/{suffix}"
    reply = send(client, proxy, method, url, {**headers, "Host": case.host, "Accept": "application/json"}, body,
                 tmp_path)
    arrived = sink.at(token)

    if case.verdict in ("allow", "redact"):
        assert reply.status == 200, reply.body[:500]
        assert len(arrived) == 1
        got = arrived[0]
        assert got.headers["host"] == case.host
        if case.verdict == "allow":
            assert got.body == body  # untouched, byte for byte, still compressed as sent
            assert "x-dlp-redacted" not in got.headers
        else:
            assert got.headers.get("content-encoding") == coding
            codings = bodies.content_codings(list(got.headers.items()))
            assert bodies.decode(got.body, codings, 10_000_000) == case.redacted()
            assert re.fullmatch(r"\d+ field\(s\) removed under agreement e2e-partner", got.headers["x-dlp-redacted"])
            assert int(got.headers["content-length"]) == len(got.body)
        return

    assert reply.status == 403, reply.body[:500]
    assert arrived == []  # the destination never saw it
    assert "x-dlp-reference" in reply.headers, (reply.headers, reply.body[:300])
    ref = reply.headers["x-dlp-reference"]
    assert REFERENCE.match(ref)
    page = json.loads(reply.body)
    assert page["reference"] == ref and page["error"] == ("blocked" if case.verdict == "block" else "held")
    for nino in NINOS:
        assert nino.encode() not in reply.body
    item = proxy.store.get(ref)
    assert item.state == ("blocked" if case.verdict == "block" else "held")
    assert (item.channel, item.destination, item.sender, item.client) == ("http", case.host, USER, "127.0.0.1")
    payload = json.loads(proxy.store.payload(ref))
    assert base64.b64decode(payload["body_b64"]) == body  # stored whole, as sent
    assert payload["method"] == method
    assert not any(k.lower() == "proxy-authorization" for k, _ in payload["headers"])


@pytest.mark.parametrize("coding", ["br", "zstd", "deflate"])
def test_other_codings_are_redacted_and_re_encoded(proxy, sink, tmp_path, coding):
    token = uuid.uuid4().hex
    reply = send_httpx(proxy, "PUT", f"http://127.0.0.1:{sink.port}/{token}/staff.csv",
                       {"Host": PARTNER, "Content-Type": "text/csv", "Content-Encoding": coding},
                       ENCODERS[coding](CSV_PII))
    assert reply.status == 200
    [got] = sink.at(token)
    assert got.headers["content-encoding"] == coding
    assert bodies.decode(got.body, [coding], 1_000_000) == CSV_REDACTED


def test_curl_native_multipart_upload_is_redacted(proxy, sink, curl, tmp_path):
    token = uuid.uuid4().hex
    (tmp_path / "staff.csv").write_bytes(CSV_PII)
    subprocess.run(["curl", "-sS", "-x", proxy.url, "-H", f"Host: {PARTNER}", "-F", f"file=@{tmp_path / 'staff.csv'}",
                    "-F", "note=quarterly list", "-o", os.devnull, f"http://127.0.0.1:{sink.port}/{token}"], check=True)
    [got] = sink.at(token)
    body = bodies.parse(list(got.headers.items()), got.body)
    assert [(i.name, i.data) for i in body.items if i.name != "form:field-names"] == [
        ("staff.csv", CSV_REDACTED), ("form:note", b"quarterly list")]


def test_chunked_upload_is_inspected_and_forwarded_redacted(proxy, sink, curl, tmp_path):
    token = uuid.uuid4().hex
    reply = send_curl(proxy, "PUT", f"http://127.0.0.1:{sink.port}/{token}/staff.csv",
                      {"Host": PARTNER, "Content-Type": "text/csv", "Transfer-Encoding": "chunked"}, CSV_PII, tmp_path)
    assert reply.status == 200
    [got] = sink.at(token)
    assert got.body == CSV_REDACTED


def test_html_page_for_a_browser(proxy, sink, tmp_path):
    reply = send_httpx(proxy, "POST", f"http://127.0.0.1:{sink.port}/{uuid.uuid4().hex}",
                       {"Host": STRANGER, "Content-Type": "text/plain",
                        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, NOTE_PII)
    assert reply.status == 403 and reply.headers["content-type"].startswith("text/html")
    assert reply.headers["x-dlp-reference"] in reply.body.decode()
    assert b"AB123456C" not in reply.body


def test_get_without_body_passes_uninspected(proxy, sink):
    token = uuid.uuid4().hex
    with httpx.Client(proxy=proxy.url, timeout=60) as client:
        r = client.get(f"http://127.0.0.1:{sink.port}/{token}?q=1", headers={"Host": STRANGER})
    assert r.status_code == 200 and len(sink.at(token)) == 1


def test_held_upload_never_opens_a_connection_to_the_destination(proxy, tmp_path):
    lonely = start_sink()
    try:
        reply = send_httpx(proxy, "POST", f"http://127.0.0.1:{lonely.port}/x", {"Host": STRANGER}, CSV_PII)
        assert reply.status == 403
        assert lonely.connections == 0 and lonely.received == []
    finally:
        assert lonely.server is not None
        lonely.server.shutdown()


# ------------------------------------------------------------------ HTTPS


@pytest.fixture(scope="module")
def tls_sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sink, Path]]:
    cert, key = make_cert(tmp_path_factory.mktemp("tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    s = start_sink(context)
    yield s, cert
    assert s.server is not None
    s.server.shutdown()


def test_https_upload_is_intercepted_and_judged(proxy, tls_sink, curl, tmp_path):
    sink, _ = tls_sink
    held = uuid.uuid4().hex
    reply = send_curl(proxy, "POST", f"https://127.0.0.1:{sink.port}/{held}", {"Content-Type": "text/csv"}, CSV_PII,
                      tmp_path, extra=("--cacert", str(proxy.ca)))
    assert reply.status == 403 and sink.at(held) == []
    clean = uuid.uuid4().hex
    reply = send_curl(proxy, "POST", f"https://127.0.0.1:{sink.port}/{clean}", {"Content-Type": "text/csv"},
                      CSV_CLEAN, tmp_path, extra=("--cacert", str(proxy.ca)))
    assert reply.status == 200 and [r.body for r in sink.at(clean)] == [CSV_CLEAN]


def test_pinned_host_passes_through_uninspected_and_is_counted(proxy, tls_sink, curl, tmp_path):
    sink, cert = tls_sink
    before = proxy.metric("dlp_passthrough_flows_total")
    token = uuid.uuid4().hex
    # the client sees the sink's own certificate, not the gateway's: nothing was intercepted
    reply = send_curl(proxy, "POST", f"https://localhost:{sink.port}/{token}", {"Content-Type": "text/csv"}, CSV_PII,
                      tmp_path, extra=("--cacert", str(cert)))
    assert reply.status == 200 and [r.body for r in sink.at(token)] == [CSV_PII]
    assert proxy.metric("dlp_passthrough_flows_total") == before + 1


# ------------------------------------------------------------------ load


async def test_get_is_answered_while_twenty_large_uploads_are_inspected(proxy, sink):
    words = b"the minutes of the board record that the contract and the budget were agreed for next year".split()
    big = b" ".join(words[i % len(words)] for i in range(100_000))[:512_000]  # 512 KB of ordinary text each
    done: list[str] = []
    async with httpx.AsyncClient(proxy=proxy.url, timeout=600, limits=httpx.Limits(max_connections=40)) as client:

        async def upload(i: int) -> int:
            r = await client.post(f"http://127.0.0.1:{sink.port}/load{i}", content=big,
                                  headers={"Host": PARTNER, "Content-Type": "text/plain"})
            done.append(f"upload{i}")
            return r.status_code

        uploads = [asyncio.create_task(upload(i)) for i in range(20)]
        while not any(r.path.startswith("/load") for r in sink.received) and len(done) < 20:
            await asyncio.sleep(0.05)  # wait until inspection is under way (the first upload got through)
        pending_when_asked = 20 - len(done)
        r = await client.get(f"http://127.0.0.1:{sink.port}/ping", headers={"Host": STRANGER})
        pending_when_answered = 20 - len(done)
        statuses = await asyncio.gather(*uploads)
    assert r.status_code == 200
    assert statuses == [200] * 20
    # The GET came back while the uploads were still being inspected, not after them.
    assert pending_when_asked >= 15 and pending_when_answered >= 10, (pending_when_asked, pending_when_answered)


def test_metrics_count_each_inspected_upload(proxy):
    for action in ("allow", "redact", "quarantine", "block"):
        assert proxy.metric("dlp_transfers_total", {"channel": "http", "action": action}) > 0
    assert proxy.metric("dlp_blocked_disclosures_total",
                        {"channel": "http", "agreement": "none", "entity_type": "UK_NINO"}) > 0
    assert proxy.metric("dlp_redacted_fields_total", {"agreement": "e2e-partner", "category": "UK_NINO"}) > 0
    assert proxy.metric("dlp_inspected_bytes_total", {"channel": "http"}) > 0


def test_the_proxy_log_has_no_client_addresses_or_urls(proxy):
    """Runs after the traffic above: connection and flow lines (addresses, URLs) never reach the log."""
    text = proxy.log.read_text(errors="replace")
    assert "inspection workers ready" in text
    assert "client connect" not in text and "server connect" not in text
    assert "/staff.csv" not in text  # the upload URLs used above


# ------------------------------------------------------------------ a store that is down, small limits


@pytest.fixture(scope="module")
def broken_store_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    dead = f"redis://127.0.0.1:{free_port()}/0"
    p = start_proxy(tmp_path_factory.mktemp("nostore"), redis_url=dead, prefix="dlptest:unused:",
                    keys=new_key_line("e2e"), max_body=1_000_000, workers=1)
    yield p
    stop_proxy(p)


def test_store_down_refuses_what_must_be_held_and_lets_clean_uploads_pass(broken_store_proxy, sink):
    held, clean = uuid.uuid4().hex, uuid.uuid4().hex
    reply = send_httpx(broken_store_proxy, "POST", f"http://127.0.0.1:{sink.port}/{held}",
                       {"Host": STRANGER, "Content-Type": "text/csv"}, CSV_PII)
    assert reply.status == 503 and reply.headers["retry-after"] and sink.at(held) == []
    reply = send_httpx(broken_store_proxy, "POST", f"http://127.0.0.1:{sink.port}/{clean}",
                       {"Host": STRANGER, "Content-Type": "text/csv"}, CSV_CLEAN)
    assert reply.status == 200 and len(sink.at(clean)) == 1
    assert broken_store_proxy.metric("dlp_inspection_errors_total", {"reason": "store_unavailable"}) >= 1


@pytest.mark.parametrize("chunked", [False, True])
def test_body_over_the_limit_is_refused_not_forwarded(broken_store_proxy, sink, curl, tmp_path, chunked):
    token = uuid.uuid4().hex
    headers = {"Host": STRANGER, "Content-Type": "application/octet-stream"}
    if chunked:
        headers["Transfer-Encoding"] = "chunked"
    reply = send_curl(broken_store_proxy, "POST", f"http://127.0.0.1:{sink.port}/{token}", headers,
                      b"x" * 1_500_000, tmp_path)
    assert reply.status == 413 and sink.at(token) == []
