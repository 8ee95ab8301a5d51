"""Sample bodies shared by the body-shape tests."""

from __future__ import annotations

from gateway.channels import bodies as hb

CSV = b"name,ni number\r\nJo Bloggs,AB123456C\r\n"


def multipart(boundary: str = "----WebKitFormBoundary7MA4YWxkTrZu0gW", nl: bytes = b"\r\n") -> bytes:
    b = boundary.encode()
    return nl.join([
        b"--" + b,
        b'Content-Disposition: form-data; name="comment"',
        b"",
        b"Please see attached",
        b"--" + b,
        b'Content-Disposition: form-data; name="upload"; filename="C:\\fakepath\\staff.csv"',
        b"Content-Type: text/csv",
        b"",
        CSV,
        b"--" + b,
        b'Content-Disposition: form-data; name="empty"',
        b"",
        b"",
        b"--" + b + b"--",
        b"",
    ])


def content(body: hb.Body) -> list[hb.Item]:
    """The items that carry the parts' content (the names item is tested on its own)."""
    return [i for i in body.items if i.name != "form:field-names"]


def mp_headers(boundary: str = "----WebKitFormBoundary7MA4YWxkTrZu0gW") -> list[tuple[str, str]]:
    return [("Content-Type", f"multipart/form-data; boundary={boundary}")]
