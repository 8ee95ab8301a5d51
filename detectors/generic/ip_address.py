"""IP addresses, entity ``IP_ADDRESS``.

IPv4 dotted quads (each octet 0-255, no leading-zero octets) and IPv6 in RFC 4291
forms, validated with :mod:`ipaddress`. Classic false positives are refused:
version strings (``v10.2.0.1``, "version 1.2.3.4"), OIDs and longer dotted runs
(``2.16.840.1.113883``), section numbers. Loopback, unspecified, multicast and
link-local addresses never identify anyone and are dropped; private (RFC 1918)
addresses only identify machines inside a network and need context. The
documentation ranges (192.0.2.0/24 ...) are treated as ordinary addresses because
they are the stand-ins synthetic and training data use for real ones.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe, Keywords

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_V4 = re.compile(rf"(?<![\w.])(?<!\d\.){_OCTET}(?:\.{_OCTET}){{3}}(?![\w]|\.\d)")
_V6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|\d+\.\d+\.\d+\.\d+)(?![\w:])")
_VERSION = Keywords(("version", "ver", "v", "release", "build", "firmware", "revision", "rev", "section",
                     "para", "paragraph", "OID", "chrome", "iOS", "android", "python"))  # fmt: skip


class IpAddressDetector(UkDetector):
    """Finds IPv4/IPv6 addresses that could point at a person's connection."""

    ENTITY = "IP_ADDRESS"
    CONTEXT = ("IP", "IP address", "IPv4", "IPv6", "address", "logged in from", "host", "server",
               "subscriber", "router", "connection", "source", "src", "dst", "client")  # fmt: skip

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        version: ContextProbe | None = None
        if "." in text:
            for m in _V4.finditer(text):
                if version is None:
                    version = ContextProbe(text, _VERSION, 12, 0)
                if version.near(*m.span()):
                    continue
                yield from self._scored(m, probe)
        if text.count(":") >= 2:
            for m in _V6.finditer(text):
                value = m.group()
                if value.count(":") < 2 or not re.search(r"[A-Fa-f]|::", value):
                    continue  # "12:30:45" is a time
                yield from self._scored(m, probe)

    def _scored(self, m: re.Match[str], probe: ContextProbe) -> Iterator[RecognizerResult]:
        try:
            address = ipaddress.ip_address(m.group())
        except ValueError:
            return
        if address.is_loopback or address.is_unspecified or address.is_multicast or address.is_link_local:
            return
        if isinstance(address, ipaddress.IPv4Address) and str(address).endswith(".255"):
            return
        context = probe.near(*m.span())
        private = address.is_private and not _documentation(address)
        # Private addresses name a machine inside a network, not a subscriber.
        score = (0.6 if context else 0.3) if private else (0.85 if context else 0.6)
        yield self.result(*m.span(), score, context=context, pattern=f"IPv{address.version}", private=private)


_DOC_NETS = tuple(
    ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)


def _documentation(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in net for net in _DOC_NETS if net.version == address.version)


CASES: list[Case] = [
    Positive("Logged in from 203.0.113.45 at 02:14", "203.0.113.45"),
    Positive("IP address 192.0.2.14", "192.0.2.14"),
    Positive("subscriber 81.2.69.160 on the date", "81.2.69.160"),
    Positive("IPv6 2001:db8::8a2e:370:7334 seen", "2001:db8::8a2e:370:7334"),
    Positive("src=2a00:1450:4009:81f::200e", "2a00:1450:4009:81f::200e"),
    Positive("internal host IP 10.20.30.40", "10.20.30.40"),
    Positive("198.51.100.7", "198.51.100.7", header="ip_address"),
    Negative("Upgraded to version 10.2.0.1 today", "version string"),
    Negative("Build v1.2.3.4 released", "version string"),
    Negative("OID 2.16.840.1.113883", "OID"),
    Negative("See 2.16.840.1.113883.3.1 for codes", "dotted run longer than four"),
    Negative("localhost is 127.0.0.1", "loopback"),
    Negative("Meeting 12:30:45 in room 4", "time of day"),
    Negative("Printer at 10.20.30.40", "private address without IP context"),
    Negative("Value 256.1.1.1", "octet out of range"),
]
