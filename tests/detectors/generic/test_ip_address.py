"""IP addresses: private, loopback and version strings."""

from __future__ import annotations

from detectors.generic.ip_address import IpAddressDetector


def test_private_needs_context() -> None:
    r = IpAddressDetector()
    assert r.analyze("10.1.2.3", None)[0].score < 0.5
    assert r.analyze("IP 10.1.2.3", None)[0].score >= 0.5
    assert r.analyze("203.0.113.9", None)[0].score == 0.6


def test_never_personal_addresses_dropped() -> None:
    r = IpAddressDetector()
    for text in ("IP 127.0.0.1", "IP 0.0.0.0", "IP 224.0.0.1", "IP ::1", "IP 169.254.1.1", "IP 10.0.0.255"):
        assert r.analyze(text, None) == [], text
