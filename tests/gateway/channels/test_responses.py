"""The 403 / 413 / 503 pages: HTML or JSON by Accept, reference present, values absent."""

from __future__ import annotations

import json

import pytest

from gateway.channels import responses

REASONS = ["NI numbers sent where no agreement applies.", "<script>alert(1)</script>"]


@pytest.mark.parametrize(
    "accept, expect_json",
    [
        (None, True),
        ("*/*", True),
        ("application/json", True),
        ("application/json, text/plain, */*", True),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", False),
        ("text/html;q=0.5, application/json;q=0.9", True),
        ("application/json;q=0.2, text/*", False),
        ("image/png", True),
    ],
)
def test_accept_negotiation(accept, expect_json):
    assert responses.wants_json(accept) is expect_json


def test_refused_json_names_reference_and_reasons():
    page = responses.refused("quarantine", "Q-20260101-ABCDEFGH", REASONS, "application/json")
    assert page.status == 403
    assert page.headers["X-DLP-Reference"] == "Q-20260101-ABCDEFGH"
    assert page.headers["Content-Type"].startswith("application/json")
    doc = json.loads(page.body)
    assert doc["error"] == "held" and doc["reference"] == "Q-20260101-ABCDEFGH" and doc["reasons"] == REASONS


def test_refused_html_escapes_and_shows_reference():
    page = responses.refused("block", "Q-20260101-ABCDEFGH", REASONS, "text/html")
    text = page.body.decode()
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Upload blocked" in text and "Q-20260101-ABCDEFGH" in text
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_unavailable_has_retry_after_and_no_reference():
    page = responses.unavailable(REASONS[:1], "*/*")
    assert page.status == 503 and page.headers["Retry-After"] == "30"
    assert "X-DLP-Reference" not in page.headers
    assert "reference" not in json.loads(page.body)


def test_too_large_states_the_limit():
    page = responses.too_large(100 * 1024 * 1024, "text/html")
    assert page.status == 413 and "100 MB" in page.body.decode()
