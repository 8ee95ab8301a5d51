"""Reviewer wording: every category has a plain name, lists read as English."""

from __future__ import annotations

from gateway.detect.model import FIELD_CATEGORIES
from gateway.policy.wording import CATEGORY_NAMES, category_names, join, plural, quoted


def test_every_category_has_a_plain_name() -> None:
    assert set(CATEGORY_NAMES) == set(FIELD_CATEGORIES)
    assert all(name and name == name.strip() and "_" not in name for name in CATEGORY_NAMES.values())


def test_lists() -> None:
    assert join([]) == ""
    assert join(["a"]) == "a"
    assert join(["a", "b"]) == "a and b"
    assert join(["a", "b", "c"]) == "a, b and c"
    assert plural(1, "column") == "1 column" and plural(3, "column") == "3 columns"
    assert plural(2, "person", "people") == "2 people"
    assert quoted(["NI Number", "DOB"]) == "“NI Number” and “DOB”"


def test_category_order() -> None:
    assert category_names({"UK_NINO", "PERSON"}) == "names and NI numbers"
    assert category_names(["UK_NINO", "PERSON", "UK_NINO"], keep_order=True) == "NI numbers and names"
