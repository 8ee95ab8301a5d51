"""Shared helpers and fixtures for the quarantine tests (imported by name, not as conftest, because
several test folders have a conftest.py): the real Redis with a key prefix per test, keys, items,
a redis-server of our own for restart tests, and real SMTP / HTTP servers to deliver to."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import redis
from argon2 import PasswordHasher

from gateway.quarantine.crypto import Keyring, new_key_line
from gateway.quarantine.store import NewItem, QuarantineStore, connect, grant_key
from gateway.quarantine.users import UserStore

REDIS_URL = os.environ.get("DLP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
MARKER = "PAYLOAD-MARKER-7c1e9a"  # must never appear in clear anywhere in Redis
NINO = "QQ123456C"
PASSWORD = "correct horse battery staple"
# Cheap argon2 parameters keep the tests quick; production uses the library defaults.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_keyring() -> Keyring:
    return Keyring.parse(new_key_line("test1"), "test")


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own; every key under it is deleted afterwards."""
    value = f"dlptest:{uuid.uuid4().hex[:12]}:"
    yield value
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=value + "*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def keyring() -> Keyring:
    return make_keyring()


@pytest.fixture
def store(prefix: str, keyring: Keyring) -> QuarantineStore:
    return QuarantineStore(connect(REDIS_URL), keyring, prefix=prefix, retention_days=30, grant_ttl_seconds=600)


@pytest.fixture
def users(store: QuarantineStore) -> UserStore:
    return UserStore(store.redis, store.prefix, hasher=FAST_HASHER)


def verdict_json(action: str = "quarantine") -> dict[str, Any]:
    return {
        "action": action,
        "agreement": "g4s-support-services",
        "destination": "sftp.g4s.com",
        "reasons": ["The data includes NI numbers, which the agreement does not allow."],
        "findings": [
            {"entity_type": "UK_NINO", "score": 0.95, "hash": "a1b2c3d4e5f6",
             "location": {"part": "staff.csv", "column": "NI Number", "row": 1}},
            {"entity_type": "PERSON", "score": 0.85, "hash": "0f0e0d0c0b0a",
             "location": {"part": "staff.csv", "column": "Name", "row": 1}},
        ],
        "fields": [
            {"part": "staff.csv", "column": "Name", "category": "PERSON", "confidence": 0.9, "allowed": True},
            {"part": "staff.csv", "column": "NI Number", "category": "UK_NINO", "confidence": 0.95, "allowed": False},
        ],
        "excess_fields": ["NI Number"],
        "missing_fields": [],
        "subjects": 1,
        "content_kind": "csv",
    }  # fmt: skip


def revealed_findings() -> list[dict[str, Any]]:
    return [
        {"entity_type": "UK_NINO", "score": 0.95, "text": NINO,
         "location": {"part": "staff.csv", "column": "NI Number", "row": 1}},
        {"entity_type": "PERSON", "score": 0.85, "text": "Jane Marple",
         "location": {"part": "staff.csv", "column": "Name", "row": 1}},
    ]  # fmt: skip


CSV_BODY = f"Name,NI Number\nJane Marple,{NINO}\n# {MARKER}\n".encode()
CSV_REDACTED = f"Name\nJane Marple\n# {MARKER}-redacted\n".encode()


def http_payload(url: str, body: bytes, headers: list[list[str]] | None = None) -> bytes:
    return json.dumps(
        {
            "method": "POST",
            "url": url,
            "http_version": "HTTP/1.1",
            "headers": headers or [["Content-Type", "text/csv"], ["X-Trace", "abc"], ["Proxy-Authorization", "x"]],
            "body_b64": base64.b64encode(body).decode(),
        }
    ).encode()


def email_payload(sender: str, recipients: list[str], body: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: {', '.join(recipients)}\r\nSubject: staff list\r\n"
        f"Message-ID: <{uuid.uuid4().hex}@force.police.uk>\r\n\r\n{body}\r\n"
    ).encode()


def new_http_item(
    url: str = "https://sftp.g4s.com/upload?x=1",
    *,
    state: str = "held",
    special: bool = False,
    sender: str | None = "pc1234",
    redacted: bool = True,
) -> NewItem:
    host = url.split("/")[2].split(":", maxsplit=1)[0]
    return NewItem(
        channel="http",
        state=state,
        destination=host,
        sender=sender,
        client="10.0.0.5:51234",
        recipients=[],
        agreement="g4s-support-services",
        action="quarantine" if state == "held" else "block",
        reasons=["The data includes NI numbers, which the agreement does not allow."],
        verdict=verdict_json("quarantine" if state == "held" else "block"),
        findings_revealed=revealed_findings(),
        payload=http_payload(url, CSV_BODY),
        payload_kind="http-request",
        redacted=http_payload(url, CSV_REDACTED) if redacted else None,
        special=special,
        grant_key=grant_key("POST", host, "/" + url.split("/", 3)[3], CSV_BODY),
    )


def new_mail_item(
    *,
    sender: str = "pc.jones@force.police.uk",
    recipients: tuple[str, ...] = ("analyst@cps.gov.uk",),
    special: bool = False,
    state: str = "held",
) -> NewItem:
    body = f"Attached as discussed. NI {NINO}. {MARKER}"
    return NewItem(
        channel="smtp",
        state=state,
        destination=recipients[0],
        sender=sender,
        client="10.0.0.9:40000",
        recipients=list(recipients),
        agreement=None,
        action="quarantine" if state == "held" else "block",
        reasons=["Personal data is going where no agreement covers it."],
        verdict=verdict_json(),
        findings_revealed=revealed_findings(),
        payload=email_payload(sender, list(recipients), body),
        payload_kind="email",
        redacted=email_payload(sender, list(recipients), f"Attached as discussed. NI [UK_NINO]. {MARKER}-r"),
        special=special,
        grant_key=None,
    )


# --- a redis-server of our own (restart and outage tests) ---------------------------------
@dataclass
class OwnRedis:
    port: int
    data_dir: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.data_dir),
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--protected-mode", "yes",
             "--logfile", str(self.data_dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        pytest.fail("own redis-server did not start")

    def shutdown(self) -> None:
        """SHUTDOWN (with the AOF flushed), as an operator restart would."""
        if self.process is None:
            return
        with contextlib.suppress(redis.exceptions.ConnectionError):
            connect(self.url).shutdown(nosave=False)
        self.process.wait(timeout=10)
        self.process = None

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(port=free_port(), data_dir=tmp_path / "redis")
    server.data_dir.mkdir()
    server.start()
    yield server
    server.kill()


# --- real servers to deliver to ---------------------------------------------------------
@dataclass
class Received:
    messages: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def smtp_sink() -> Iterator[tuple[str, Received]]:
    """A real SMTP server (aiosmtpd) standing in for the next hop; returns (host:port, received)."""
    from aiosmtpd.controller import Controller

    received = Received()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.messages.append(
                {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "data": bytes(envelope.original_content)}
            )
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield f"127.0.0.1:{port}", received
    controller.stop()


@pytest.fixture
def http_sink() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A real HTTP server capturing requests; returns (base url, requests)."""
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def _capture(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            seen.append(
                {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                 "body": self.rfile.read(length)}
            )  # fmt: skip
            self.send_response(201)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_POST = do_PUT = _capture

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


# --- the CLI's environment --------------------------------------------------------------
@pytest.fixture
def cli_env(
    prefix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_sink: tuple[str, Received]
) -> QuarantineStore:
    """The environment a shell on the gateway host would have; returns the same store, for setup."""
    line = new_key_line("cli")
    for var in ("DLP_CONFIG", "DLP_KEY_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("DLP_QUARANTINE_KEYS", line)
    monkeypatch.setenv("DLP_QUARANTINE_KEY_PREFIX", prefix)
    monkeypatch.setenv("DLP_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("DLP_SMTP_NEXT_HOP", smtp_sink[0])
    store = QuarantineStore(connect(REDIS_URL), Keyring.parse(line, "t"), prefix=prefix)
    users = UserStore(store.redis, prefix, hasher=FAST_HASHER)
    users.add("alice", "reviewer", PASSWORD)
    users.add("bob", "senior-reviewer", PASSWORD)
    users.add("erin", "auditor", PASSWORD)
    return store


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `dlp-gateway ARGV` in this process: (exit status, stdout, stderr)."""
    from gateway.cli.main import main

    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
