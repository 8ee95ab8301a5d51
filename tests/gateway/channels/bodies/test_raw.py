"""Raw bodies: one item, named from the request's headers or its path."""

from __future__ import annotations

import pytest

from gateway.channels import bodies as hb


@pytest.mark.parametrize(
    "headers, path, name",
    [
        ([("Content-Disposition", 'attachment; filename="../staff.xlsx"')], "/upload", "staff.xlsx"),
        ([("X-File-Name", "report%20one.docx")], "/upload", "report one.docx"),
        ([], "/bucket/folder/export.csv?versionId=3", "export.csv"),
        ([], "/api/v1/items", "body"),
    ],
)
def test_raw_body_is_named_from_headers_or_path(headers, path, name):
    body = hb.parse([("Content-Type", "application/octet-stream"), *headers], b"\x00\x01data", path)
    assert body.kind == "raw"
    assert [(i.name, i.where) for i in body.items] == [(name, "body")]
    assert body.rebuild({0: b"new"}).body == b"new"
