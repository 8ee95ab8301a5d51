"""Which TLS connections pass uninspected: every name the connection carries must match a glob."""

from __future__ import annotations

import pytest

from gateway.channels.http_passthrough import matches_passthrough, passthrough_name


def test_passthrough_globs():
    assert matches_passthrough(["*.apple.com"], "Push.Apple.com.")
    assert not matches_passthrough(["*.apple.com"], "apple.com.evil.example")


@pytest.mark.parametrize(
    "patterns, address, sni, name",
    [
        (["*.pinned.example"], "api.pinned.example", "api.pinned.example", "api.pinned.example"),
        (["*.pinned.example"], "10.0.0.5", "api.pinned.example", "api.pinned.example"),  # only the SNI is a name
        (["*.pinned.example"], "api.pinned.example", "evil.example", None),  # a borrowed SNI does not pass
        (["*.pinned.example"], "10.0.0.5", None, None),  # no name at all: inspect
        ([], "api.pinned.example", "api.pinned.example", None),
    ],
)
def test_connection_passes_under_its_first_name_only_when_every_name_matches(patterns, address, sni, name):
    assert passthrough_name(patterns, address, sni) == name
