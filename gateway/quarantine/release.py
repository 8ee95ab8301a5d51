"""Talking to the outside world on a reviewer's behalf: deliver mail, replay uploads, notify senders.

These functions do one network exchange each and report what happened as a
small dict (`ok`, `summary`, details) that the caller records in the item's
history and the audit log. They never raise for a network failure; a failed
delivery is an outcome like any other, and the item stays held so it can be
tried again. Summaries carry hosts, status codes and counts, never content.

Released mail goes to `smtp_next_hop`, the same relay the SMTP filter forwards
to, so it does not pass through the filter (and its inspection) again. Replays
go straight to the destination (proxy variables are ignored on purpose: the
gateway's own proxy would hold the request again).
"""

from __future__ import annotations

import http.client
import json
import smtplib
import ssl
import time
from base64 import b64decode
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit

# Headers that describe one hop, not the request; a replay makes its own.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authorization",
        "proxy-authenticate",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "host",
    }
)


def split_host_port(value: str, default_port: int = 25) -> tuple[str, int]:
    value = value.strip()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        port = rest.lstrip(":")
    else:
        host, _, port = value.rpartition(":") if value.count(":") == 1 else (value, "", "")
    return host, int(port) if port else default_port


def with_reference_header(message: bytes, ref: str) -> bytes:
    """Prepend `X-DLP-Reference` so the recipient's side can correlate a released message."""
    newline = b"\r\n" if b"\r\n" in message[:4096] else b"\n"
    return b"X-DLP-Reference: " + ref.encode("ascii") + newline + message


def deliver_email(
    next_hop: str,
    sender: str | None,
    recipients: list[str],
    message: bytes,
    ref: str,
    *,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """Hand a released message to the next hop. Returns the outcome; never raises for SMTP trouble."""
    host, port = split_host_port(next_hop)
    data = with_reference_header(message, ref)
    started = time.time()
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            smtp.ehlo_or_helo_if_needed()
            mail_options: list[str] = []
            if any(b > 127 for b in data) and smtp.has_extn("8bitmime"):
                mail_options.append("BODY=8BITMIME")
            if any(not r.isascii() for r in [*recipients, sender or ""]) and smtp.has_extn("smtputf8"):
                mail_options.append("SMTPUTF8")
            refused = smtp.sendmail(sender or "", recipients, data, mail_options=mail_options)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted({str(code) for code, _msg in exc.recipients.values()})
        return _failed(f"next hop {host}:{port} refused every recipient ({', '.join(codes)})", started)
    except smtplib.SMTPResponseException as exc:
        return _failed(f"next hop {host}:{port} answered {exc.smtp_code}", started)
    except (smtplib.SMTPException, OSError) as exc:
        return _failed(f"next hop {host}:{port} unreachable: {type(exc).__name__}", started)
    accepted = len(recipients) - len(refused)
    summary = f"delivered to next hop {host}:{port} for {accepted} of {len(recipients)} recipient(s)"
    return {
        "ok": True,
        "summary": summary,
        "next_hop": f"{host}:{port}",
        "accepted": [r for r in recipients if r not in refused],
        "refused": {r: code for r, (code, _msg) in refused.items()},
        "seconds": round(time.time() - started, 3),
    }


def _failed(summary: str, started: float) -> dict[str, Any]:
    return {"ok": False, "summary": summary, "seconds": round(time.time() - started, 3)}


def parse_http_payload(payload: bytes) -> dict[str, Any]:
    """The stored `http-request` payload: method, url, http_version, headers, body."""
    data = json.loads(payload.decode("utf-8"))
    return {
        "method": str(data["method"]).upper(),
        "url": str(data["url"]),
        "http_version": str(data.get("http_version") or "HTTP/1.1"),
        "headers": [(str(k), str(v)) for k, v in data.get("headers") or []],
        "body": b64decode(data.get("body_b64") or ""),
    }


def replay_http(payload: bytes, timeout: float = 60.0, verify_tls: bool = True) -> dict[str, Any]:
    """Send the stored request again, as the sender sent it, directly to its destination.

    Method, URL, headers (less hop-by-hop ones) and body are honoured exactly;
    the response body is read and discarded (it may hold personal data the
    gateway has no reason to keep), only its status and size are recorded.
    """
    started = time.time()
    try:
        request = parse_http_payload(payload)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return _failed("the stored request cannot be read", started)
    url = urlsplit(request["url"])
    if url.scheme not in ("http", "https") or not url.hostname:
        return _failed(f"cannot replay a request to a {url.scheme or 'relative'} URL", started)
    target = url.path or "/"
    if url.query:
        target += "?" + url.query
    port = url.port or (443 if url.scheme == "https" else 80)
    conn: http.client.HTTPConnection
    if url.scheme == "https":
        context = ssl.create_default_context()
        if not verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        conn = http.client.HTTPSConnection(url.hostname, port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(url.hostname, port, timeout=timeout)
    where = f"{url.hostname}:{port}"
    try:
        conn.putrequest(request["method"], target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", url.netloc.rsplit("@", 1)[-1])
        for name, value in request["headers"]:
            if name.lower() not in HOP_BY_HOP:
                conn.putheader(name, value)
        body: bytes = request["body"]
        if body or request["method"] in ("POST", "PUT", "PATCH"):
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body or None)
        response = conn.getresponse()
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return _failed(f"{request['method']} to {where} failed: {type(exc).__name__}", started)
    finally:
        conn.close()
    return {
        "ok": 200 <= status < 400,
        "summary": f"{request['method']} to {where} answered {status}",
        "status": status,
        "response_bytes": size,
        "seconds": round(time.time() - started, 3),
    }


def notify_sender(
    next_hop: str,
    sender: str,
    ref: str,
    recipients: list[str],
    reason: str,
    *,
    from_address: str | None = None,
    timeout: float = 60.0,
) -> dict[str, Any]:
    """Tell the sender their held message was rejected, and why. Never quotes the message.

    Sent with a null envelope sender, as a delivery report is, so that a
    failure cannot bounce back and forth.
    """
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "localhost"
    note = EmailMessage()
    note["From"] = from_address or f"Data Loss Prevention Gateway <postmaster@{domain}>"
    note["To"] = sender
    note["Subject"] = f"Message not sent: {ref}"
    note["Date"] = formatdate(localtime=False)
    note["Message-ID"] = make_msgid(domain=domain)
    note["Auto-Submitted"] = "auto-replied"
    note["X-DLP-Reference"] = ref
    note.set_content(
        "Your message to "
        + ", ".join(recipients)
        + f" was held by the data loss prevention gateway (reference {ref}).\n\n"
        + "A reviewer has decided that it will not be sent.\n\n"
        + f"Reason given: {reason or '(none)'}\n\n"
        + "If you believe this is wrong, contact your information security team and quote the reference.\n"
    )
    host, port = split_host_port(next_hop)
    started = time.time()
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            smtp.sendmail("", [sender], note.as_bytes())
    except smtplib.SMTPResponseException as exc:
        return _failed(f"next hop {host}:{port} answered {exc.smtp_code}", started)
    except smtplib.SMTPRecipientsRefused:
        return _failed(f"next hop {host}:{port} refused the sender's address", started)
    except (smtplib.SMTPException, OSError) as exc:
        return _failed(f"next hop {host}:{port} unreachable: {type(exc).__name__}", started)
    return {"ok": True, "summary": f"sender notified via {host}:{port}", "seconds": round(time.time() - started, 3)}
