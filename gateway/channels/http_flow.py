"""Between mitmproxy flows and the gateway: the job a request becomes, and the redacted body put back.

These are the only helpers that read or write mitmproxy's request objects;
the judging itself (`http_inspect`) sees nothing but a `RequestJob`.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
from dataclasses import dataclass

from mitmproxy import http

from gateway.channels.http_job import Outcome, RequestJob


@dataclass(frozen=True)
class Transfer:
    """One request being decided: the flow, the job sent to the workers, and who sent it."""

    flow: http.HTTPFlow
    job: RequestJob
    client: str | None
    user: str | None
    accept: str | None


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def destinations(request: http.Request) -> tuple[str, ...]:
    """The host the client addressed first; the host the proxy will connect to, if it is another name.

    Contract section 4 judges the addressed host (Host / :authority). When the
    connection goes to a different name (absolute-form URL or CONNECT target
    disagreeing with Host: domain fronting), that name is judged too and the
    stricter verdict wins; an IP address (transparent mode) is not a name.
    """
    addressed = request.pretty_host.lower().rstrip(".")
    target = request.host.lower().rstrip(".")
    if target and target != addressed and not is_ip(target):
        return (addressed, target)
    return (addressed,)


def request_job(request: http.Request, max_decoded: int) -> RequestJob:
    """The picklable copy of a request that goes to a worker (the body is the bytes as sent, still encoded)."""
    return RequestJob(
        method=request.method,
        url=request.url,
        path=request.path,
        http_version=request.http_version,
        headers=tuple((k, v) for k, v in request.headers.items(multi=True)),
        body=request.raw_content or b"",
        destinations=destinations(request),
        max_decoded=max_decoded,
    )


def transfer(flow: http.HTTPFlow, job: RequestJob) -> Transfer:
    client, user = sender(flow)
    return Transfer(flow, job, client, user, flow.request.headers.get("accept"))


def sender(flow: http.HTTPFlow) -> tuple[str | None, str | None]:
    """The client's address and, with proxy authentication on, its user name (never the password)."""
    peer = flow.client_conn.peername
    client = str(peer[0]) if peer else None
    auth = flow.metadata.get("proxyauth")
    user = str(auth[0]) if isinstance(auth, tuple | list) and auth else None
    return client, user


def apply_redaction(request: http.Request, outcome: Outcome) -> None:
    """Swap in the redacted body and fix the headers that describe it."""
    assert outcome.body is not None
    request.raw_content = outcome.body
    for name, value in outcome.headers.items():
        request.headers[name] = value
    chunked = "chunked" in request.headers.get("transfer-encoding", "").lower()
    if "content-length" in request.headers or not (chunked or request.is_http2 or request.is_http3):
        request.headers["content-length"] = str(len(outcome.body))
    if "content-md5" in request.headers:
        digest = hashlib.md5(outcome.body, usedforsecurity=False).digest()
        request.headers["content-md5"] = base64.b64encode(digest).decode()
