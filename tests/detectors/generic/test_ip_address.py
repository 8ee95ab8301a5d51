"""IP addresses: only public addresses are reported; internal and reserved ones never are."""

from __future__ import annotations

import ipaddress

import pytest

from detectors.generic.ip_address import IpAddressDetector, public


def test_public_scores_with_and_without_context() -> None:
    r = IpAddressDetector()
    assert r.analyze("81.2.69.160", None)[0].score == 0.6
    assert r.analyze("IP 81.2.69.160", None)[0].score == 0.85


@pytest.mark.parametrize(
    "text",
    [
        "IP 10.1.2.3", "IP 172.31.255.1", "IP 192.168.0.10", "IP 127.0.0.1", "IP 0.0.0.0", "IP 224.0.0.1",
        "IP ::1", "IP 169.254.1.1", "IP 10.0.0.255", "IP 192.0.2.14", "IP 198.51.100.7", "IP 203.0.113.9",
        "IP 100.64.0.1", "IP 198.18.0.1", "IP 240.0.0.1", "IP 2001:db8::1", "IP fd00::1", "IP fe80::1",
        "IP ff02::1", "IP ::ffff:10.0.0.1",
    ],
)  # fmt: skip
def test_internal_and_reserved_addresses_are_never_reported(text: str) -> None:
    assert IpAddressDetector().analyze(text, None) == [], text


def test_public_matches_global_unicast_only() -> None:
    assert public(ipaddress.ip_address("8.8.8.8"))
    assert public(ipaddress.ip_address("2a00:1450:4009:81f::200e"))
    assert public(ipaddress.ip_address("::ffff:81.2.69.160"))
    assert not public(ipaddress.ip_address("64:ff9b::1.2.3.4"))  # NAT64 well-known prefix, outside 2000::/3
    assert not public(ipaddress.ip_address("233.252.0.1"))  # multicast (also its documentation block)
