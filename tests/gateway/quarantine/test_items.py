from __future__ import annotations

import re

from gateway.quarantine.items import iso, location_text, masked, new_reference
from gateway.quarantine.store import grant_key


def test_reference_format() -> None:
    ref = new_reference(1795278872.0)
    assert re.fullmatch(r"Q-20261121-[0-9A-HJKMNP-TV-Z]{8}", ref)
    assert iso(1795278872.0) == "2026-11-21T16:34:32Z"


def test_masked_shows_no_character_of_the_value() -> None:
    finding = {"entity_type": "UK_NINO", "hash": "a1b2c3d4e5f6", "location": {"part": "x", "start": 3, "end": 12}}
    assert masked(finding) == "•••••••••" + " #a1b2c3d4"
    assert masked({"location": {}}) == "••••••••"


def test_location_text() -> None:
    assert location_text({"location": {"part": "a.xlsx/Sheet1", "column": "NI", "row": 4}}) == (
        "a.xlsx/Sheet1, column NI, row 4"
    )
    assert location_text({"location": {"part": "body", "start": 1, "end": 5}}) == "body, chars 1-5"


def test_grant_key_ignores_query_and_case_of_host_but_not_the_body() -> None:
    base = grant_key("post", "Files.Example.COM", "/up?t=1", b"abc")
    assert base == grant_key("POST", "files.example.com", "/up?t=2", b"abc")
    assert base != grant_key("POST", "files.example.com", "/up", b"abd")
    assert base != grant_key("PUT", "files.example.com", "/up", b"abc")
    assert base != grant_key("POST", "files.example.com", "/other", b"abc")
