"""The short pages the gateway answers with instead of the destination (403, 413, 503).

HTML for browsers, JSON for scripts and web applications, chosen by `Accept`.
They name the quarantine reference and the reasons, never a matched value:
reasons come from policy as sentences about kinds of data, and the worker has
already scrubbed any matched text out of them.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

SUPPORT_LINE = "If you believe this is wrong, contact your information security team and quote the reference."


@dataclass(frozen=True)
class Page:
    """A ready response: status, body and headers (the addon turns it into an HTTP response)."""

    status: int
    body: bytes
    headers: dict[str, str]


def wants_json(accept: str | None) -> bool:
    """True when the client prefers JSON over HTML; scripts sending `*/*` or nothing get JSON."""
    if not accept:
        return True
    html_q = _quality(accept, "text", "html")
    json_q = max(_quality(accept, "application", "json"), _quality(accept, "application", "problem+json"))
    return json_q >= html_q


def _quality(accept: str, main: str, sub: str) -> float:
    """The q-value the most specific matching range of `Accept` gives `main/sub`."""
    best: tuple[int, float] = (-1, 0.0)
    for entry in accept.split(","):
        media, *params = (p.strip() for p in entry.split(";"))
        media = media.lower()
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media == f"{main}/{sub}":
            rank = 2
        elif media == f"{main}/*":
            rank = 1
        elif media == "*/*":
            rank = 0
        else:
            continue
        if rank > best[0]:
            best = (rank, q)
    return best[1]


def refused(action: str, reference: str, reasons: list[str], accept: str | None) -> Page:
    """403 for a held or blocked transfer; the reference is in the page and in `X-DLP-Reference`."""
    if action == "block":
        title = "Upload blocked"
        summary = "This upload was blocked by the force's data protection gateway and was not sent."
    else:
        title = "Upload held for review"
        summary = ("This upload contains data that needs a reviewer's approval. It has not been sent; "
                   "it is held under the reference below.")
    page = _page(403, "blocked" if action == "block" else "held", title=title, summary=summary, reasons=reasons,
                 accept=accept, reference=reference)
    return Page(page.status, page.body, {**page.headers, "X-DLP-Reference": reference})


def unavailable(reasons: list[str], accept: str | None, retry_after: int = 30) -> Page:
    """503 when a transfer that must be held cannot be stored: it is not sent, the client should retry."""
    summary = ("This upload needs to be held for review, but the gateway cannot store it right now. "
               "It has not been sent. Please try again in a few minutes.")
    page = _page(503, "unavailable", title="Upload not sent: try again later", summary=summary, reasons=reasons,
                 accept=accept, reference=None)
    return Page(page.status, page.body, {**page.headers, "Retry-After": str(retry_after)})


def too_large(limit: int, accept: str | None) -> Page:
    """413 when a body is larger than the gateway may inspect."""
    summary = (f"This upload is larger than the gateway can inspect ({_size(limit)}), so it was not sent. "
               "Split it into smaller files or ask your information security team.")
    return _page(413, "too_large", title="Upload too large to inspect", summary=summary, reasons=[], accept=accept,
                 reference=None)


def _page(status: int, error: str, *, title: str, summary: str, reasons: list[str], accept: str | None,
          reference: str | None) -> Page:
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if wants_json(accept):
        doc: dict[str, object] = {"error": error, "message": summary, "reasons": reasons}
        if reference:
            doc["reference"] = reference
            doc["help"] = SUPPORT_LINE
        body = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        return Page(status, body, {**headers, "Content-Type": "application/json; charset=utf-8"})
    items = "".join(f"<li>{html.escape(r)}</li>" for r in reasons)
    ref_html = (f'<p>Reference: <strong id="reference">{html.escape(reference)}</strong></p>'
                f"<p>{html.escape(SUPPORT_LINE)}</p>") if reference else ""
    body_text = (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.4}</style></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(summary)}</p>"
        f"{'<ul>' + items + '</ul>' if items else ''}{ref_html}</body></html>"
    )
    headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return Page(status, body_text.encode("utf-8"), {**headers, "Content-Type": "text/html; charset=utf-8"})


def _size(n: int) -> str:
    value = float(n)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024:
            return f"{n} bytes" if unit == "bytes" else f"{value:.0f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
