"""`dlp-gateway run` as an operator starts it: every part up, real traffic through both channels, clean stop.

No REDIS_URL: the gateway starts its own Redis. The next hop for mail and the
upload destination are real local servers that record what reached them.
"""

from __future__ import annotations

import json
import os
import signal
import smtplib
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.runner.redis_server import free_port

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[3]
HR_CSV = (
    "Surname,Forename,Job Title,NI Number\n"
    "SMITH,John,Fleet Manager,AB123456C\n"
    "JONES,Mary,Estates Officer,JG103759A\n"
)


class Sinks:
    def __init__(self) -> None:
        self.mail: list[dict[str, Any]] = []
        self.http: list[bytes] = []


@pytest.fixture(scope="module")
def sinks() -> Iterator[tuple[Sinks, int, int]]:
    from aiosmtpd.controller import Controller

    seen = Sinks()

    class MailHandler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            seen.mail.append({"to": list(envelope.rcpt_tos), "data": bytes(envelope.original_content)})
            return "250 OK"

    class Web(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.http.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"stored")

        def log_message(self, *args: Any) -> None:
            pass

    smtp_port, web_port = free_port(), free_port()
    controller = Controller(MailHandler(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    web = ThreadingHTTPServer(("127.0.0.1", web_port), Web)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    yield seen, smtp_port, web_port
    controller.stop()
    web.shutdown()


@pytest.fixture(scope="module")
def gateway(sinks, tmp_path_factory) -> Iterator[dict[str, Any]]:
    _, smtp_sink, _ = sinks
    state = tmp_path_factory.mktemp("state")
    ports = {name: free_port() for name in ("proxy", "smtp", "console", "metrics")}
    env = {**os.environ, "DLP_STATE_DIR": str(state), "DLP_WITH_NER": "0", "DLP_WORKERS": "1",
           "DLP_LISTEN_HOST": "127.0.0.1"}
    env.pop("REDIS_URL", None)
    env.pop("DLP_RULES_DIR", None)
    log = (state / "run.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gateway.cli", "run", "--proxy-port", str(ports["proxy"]),
         "--smtp-port", str(ports["smtp"]), "--smtp-next-hop", f"127.0.0.1:{smtp_sink}",
         "--console-port", str(ports["console"]), "--metrics-port", str(ports["metrics"])],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    ready = False
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            ready = httpx.get(f"http://127.0.0.1:{ports['metrics']}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            ready = False
        if ready:
            break
        time.sleep(0.5)
    if not ready:
        proc.kill()
        pytest.fail("the gateway did not become ready:\n" + (state / "run.log").read_text()[-3000:])
    yield {"proc": proc, "ports": ports, "state": state, "env": env}
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def send_mail(port: int, to: str, subject: str, body: str, attachment: str | None = None) -> tuple[int, str]:
    msg = EmailMessage()
    msg["From"] = "pc.jones@force.pnn.police.uk"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    if attachment:
        msg.add_attachment(attachment.encode(), maintype="text", subtype="csv", filename="staff.csv")
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
        client.ehlo()
        client.mail("pc.jones@force.pnn.police.uk")
        client.rcpt(to)
        code, text = client.data(msg.as_bytes())
    return code, text.decode()


def test_mail_is_redacted_for_the_contractor_and_held_where_no_agreement(gateway, sinks) -> None:
    seen, _, _ = sinks
    port = gateway["ports"]["smtp"]
    code, _ = send_mail(port, "bids@g4s.com", "Staff list", "List attached.", HR_CSV)
    assert code == 250
    relayed = [m for m in seen.mail if m["to"] == ["bids@g4s.com"]]
    assert len(relayed) == 1
    data = relayed[0]["data"]
    assert b"X-DLP-Redacted" in data
    assert b"AB123456C" not in data and b"JG103759A" not in data
    import base64
    import email

    attachment = next(p for p in email.message_from_bytes(data).walk() if p.get_filename() == "staff.csv")
    text = base64.b64decode(attachment.get_payload()) if attachment["Content-Transfer-Encoding"] == "base64" \
        else attachment.get_payload().encode()
    assert text.decode().splitlines()[0] == "Surname,Forename,Job Title"

    code, text = send_mail(port, "someone@gmail.com", "Nominal", "Please check PNC ID 2002/0073319Z for me.")
    assert code == 250 and "held for review" in text
    ref = text.rsplit(" ", 1)[-1]
    listed = subprocess.run(
        [sys.executable, "-m", "gateway.cli", "quarantine", "list", "--json"],
        cwd=ROOT, env=gateway["env"], capture_output=True, text=True, timeout=60, check=False,
    )
    items = {json.loads(line)["ref"]: json.loads(line) for line in listed.stdout.splitlines()}
    assert items[ref]["state"] == "held" and items[ref]["channel"] == "smtp"
    assert not any(m["to"] == ["someone@gmail.com"] for m in seen.mail)


def test_uploads_through_the_proxy(gateway, sinks) -> None:
    seen, _, web_port = sinks
    proxy = f"http://127.0.0.1:{gateway['ports']['proxy']}"
    with httpx.Client(proxy=proxy, timeout=60) as client:
        held = client.post(f"http://127.0.0.1:{web_port}/upload",
                           files={"file": ("nominals.csv", b"Name,PNC ID\nJohn SMITH,2002/0073319Z\n", "text/csv")})
        clean = client.post(f"http://127.0.0.1:{web_port}/upload",
                            files={"file": ("minutes.txt", b"The boiler is fixed.\n", "text/plain")})
    assert held.status_code == 403 and held.headers["X-DLP-Reference"].startswith("Q-")
    assert "0073319Z" not in held.text
    assert clean.status_code == 200
    assert len(seen.http) == 1 and b"The boiler is fixed." in seen.http[0]


def test_metrics_aggregate_both_channels(gateway) -> None:
    body = httpx.get(f"http://127.0.0.1:{gateway['ports']['metrics']}/metrics", timeout=10).text
    assert 'dlp_transfers_total{action="redact",channel="smtp"}' in body
    assert 'dlp_transfers_total{action="quarantine",channel="http"}' in body
    assert 'dlp_quarantine_items{state="held"}' in body
    ready = httpx.get(f"http://127.0.0.1:{gateway['ports']['metrics']}/readyz", timeout=10).json()
    assert ready == {"ready": True, "problems": {}}


def test_sigterm_stops_every_part(gateway) -> None:
    proc = gateway["proc"]
    record = json.loads((gateway["state"] / "redis.json").read_text())
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    assert not (gateway["state"] / "redis.json").exists()
    for port in gateway["ports"].values():
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
    if record.get("pid"):
        with pytest.raises(ProcessLookupError):
            os.kill(record["pid"], 0)
