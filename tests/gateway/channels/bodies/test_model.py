"""Header parsing shared by every body shape."""

from __future__ import annotations

import pytest

from gateway.channels.bodies.model import header, safe_name, split_params


def test_header_lookup_is_case_insensitive_and_takes_the_first():
    assert header([("X-A", "1"), ("x-a", "2")], "X-a") == "1"
    assert header([], "x-a") is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ('Text/Plain; charset="utf-8"', ("text/plain", {"charset": "utf-8"})),
        ('form-data; name="f"; filename="C:\\dir\\a \\"b\\".csv"',
         ("form-data", {"name": "f", "filename": 'C:\\dir\\a "b".csv'})),
        ("attachment; filename=x.bin; filename*=UTF-8''r%C3%A9sum%C3%A9.csv",
         ("attachment", {"filename": "résumé.csv"})),
        ("attachment; filename*=no-such-charset''%E9x", ("attachment", {})),  # undecodable: left out
        ("attachment; filename*=utf-8''%E9x", ("attachment", {})),
    ],
)
def test_split_params(value, expected):
    assert split_params(value) == expected


def test_safe_name_keeps_the_last_path_component_without_control_characters():
    assert safe_name("C:\\fakepath\\staff\x07.csv", "body") == "staff.csv"
    assert safe_name("../../", "body") == "body"
