"""IP addresses, entity ``IP_ADDRESS``: public addresses only.

IPv4 dotted quads (each octet 0-255, no leading-zero octets) and IPv6 in RFC 4291
forms, validated with :mod:`ipaddress`.

What is reported, and why: an IP address is personal data when it can single out
a person's connection, that is a public address an internet service provider
assigned to a subscriber (a log-in from home, an abusive post, a subscriber
check). An internal or reserved address only identifies a device on some
organisation's own network (most often the force's: an IT asset list, a server
build note), never a person outside it, and leaving the force in a routine IT
document is not a data leak. So only globally routable unicast addresses are
reported: IPv4 that :mod:`ipaddress` calls global and that is not multicast, and
IPv6 global unicast (2000::/3, global, not multicast; an IPv4-mapped IPv6
address is judged by its IPv4 address). Never reported, with or without "IP"
context: RFC 1918 private (10/8, 172.16/12, 192.168/16), carrier-grade NAT
(100.64/10), loopback, link-local, the documentation ranges (192.0.2/24,
198.51.100/24, 203.0.113/24, 2001:db8::/32, the stand-ins manuals and training
material use), benchmarking, reserved, multicast, unique-local IPv6 (fc00::/7).

Classic false positives are refused as well: version strings (``v10.2.0.1``,
"version 1.2.3.4"), OIDs and longer dotted runs (``2.16.840.1.113883``), section
numbers, versions glued to a name (``linux-2.6.8.1``) or carrying a package
revision (``3.16.2.1-2``, ``24.3.4.5+dfsg``), four single digits without
IP context (``2.0.3.5`` is a package version far more often than an address), and
network prefixes written in CIDR form (``81.2.69.0/24`` is a range, not one
subscriber's address).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from presidio_analyzer import RecognizerResult

from detectors.base import Case, Negative, Positive, UkDetector
from detectors.context import ContextProbe, Keywords

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_V4 = re.compile(rf"(?<![\w.-])(?<!\d\.){_OCTET}(?:\.{_OCTET}){{3}}(?![\w]|\.\d)")
_V6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d+\.\d+\.\d+\.\d+|[0-9A-Fa-f]{0,4})(?![\w:]|\.\d)")
_VERSION = Keywords(("version", "ver", "v", "release", "build", "firmware", "revision", "rev", "section",
                     "para", "paragraph", "OID", "chrome", "iOS", "android", "python"))  # fmt: skip


class IpAddressDetector(UkDetector):
    """Finds IPv4/IPv6 addresses that could point at a person's connection."""

    ENTITY = "IP_ADDRESS"
    CONTEXT = ("IP", "IP address", "IPv4", "IPv6", "address", "logged in from", "host", "server",
               "subscriber", "router", "connection", "source", "src", "dst", "client")  # fmt: skip

    def _scan(self, text: str, probe: ContextProbe, header: str | None) -> Iterator[RecognizerResult]:
        v6_spans: list[tuple[int, int]] = []
        if text.count(":") >= 2:
            for m in _V6.finditer(text):
                value = m.group()
                if value.count(":") < 2 or not re.search(r"[A-Fa-f]|::", value):
                    continue  # "12:30:45" is a time
                v6_spans.append(m.span())
                yield from self._scored(m, probe)
        if "." in text:
            version: ContextProbe | None = None
            for m in _V4.finditer(text):
                if any(s <= m.start() < e for s, e in v6_spans):
                    continue  # the IPv4 tail of an IPv4-mapped IPv6 address, judged above
                if version is None:
                    version = ContextProbe(text, _VERSION, 12, 0)
                if version.near(*m.span()):
                    continue
                yield from self._scored(m, probe)

    def _scored(self, m: re.Match[str], probe: ContextProbe) -> Iterator[RecognizerResult]:
        try:
            address = ipaddress.ip_address(m.group())
        except ValueError:
            return
        if not public(address) or _CIDR.match(m.string, m.end()) or _VERSION_SUFFIX.match(m.string, m.end()):
            return
        if isinstance(address, ipaddress.IPv4Address) and str(address).endswith(".255"):
            return
        context = probe.near(*m.span())
        if not context and isinstance(address, ipaddress.IPv4Address) and _SMALL_QUAD.fullmatch(m.group()):
            return  # "2.0.3.5": four single digits are a version number unless called an address
        yield self.result(*m.span(), 0.85 if context else 0.6, context=context, pattern=f"IPv{address.version}")


_GLOBAL_UNICAST_V6 = ipaddress.ip_network("2000::/3")
_CIDR = re.compile(r"/\d")
# "3.16.2.1-2", "24.3.4.5+dfsg", "1.2.3.4~rc1": package revision suffixes only versions carry.
_VERSION_SUFFIX = re.compile(r"-\d{1,3}(?![\d.])|\+[A-Za-z]|~\w")
_SMALL_QUAD = re.compile(r"\d\.\d\.\d\.\d")


def public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address`` is a globally routable unicast address (see the module docstring)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return public(address.ipv4_mapped)
        if address not in _GLOBAL_UNICAST_V6:
            return False
    return address.is_global and not address.is_multicast


CASES: list[Case] = [
    Positive("Logged in from 81.2.69.160 at 02:14", "81.2.69.160"),
    Positive("IP address 8.8.4.4", "8.8.4.4"),
    Positive("subscriber 81.2.69.160 on the date", "81.2.69.160"),
    Positive("Abusive posts came from 185.199.108.153.", "185.199.108.153"),
    Positive("src=2a00:1450:4009:81f::200e", "2a00:1450:4009:81f::200e"),
    Positive("IPv6 2a02:c7c:8b4e:1200:5d1e:3f0a:9e21:7c44 seen", "2a02:c7c:8b4e:1200:5d1e:3f0a:9e21:7c44"),
    Positive("client ::ffff:81.2.69.160 connected", "::ffff:81.2.69.160"),
    Positive("94.12.200.17", "94.12.200.17", header="ip_address"),
    Positive("Source IP, 31.125.4.66, resolved to a BT broadband line", "31.125.4.66"),
    Positive("The client connected from 5.6.7.8", "5.6.7.8"),
    Negative("Upgraded to version 10.2.0.1 today", "version string"),
    Negative("Build v1.2.3.4 released", "version string"),
    Negative("OID 2.16.840.1.113883", "OID"),
    Negative("See 2.16.840.1.113883.3.1 for codes", "dotted run longer than four"),
    Negative("localhost is 127.0.0.1", "loopback"),
    Negative("Meeting 12:30:45 in room 4", "time of day"),
    Negative("Value 256.1.1.1", "octet out of range"),
    Negative("internal host IP 10.20.30.40", "RFC 1918 private: a device on the force's own network"),
    Negative("10.241.44.217", "RFC 1918 private, even in an IP column", header="IP Address"),
    Negative("Printer at 172.16.8.20, gateway 192.168.1.1", "RFC 1918 private addresses"),
    Negative("IP address 192.0.2.14 in the example", "RFC 5737 documentation range"),
    Negative("Logged in from 198.51.100.7 and 203.0.113.45", "RFC 5737 documentation ranges"),
    Negative("IPv6 2001:db8::8a2e:370:7334 seen", "RFC 3849 documentation prefix"),
    Negative("IP 100.64.12.9 behind the ISP's NAT", "carrier-grade NAT shared space, not routable"),
    Negative("APIPA gave it 169.254.10.3", "IPv4 link-local"),
    Negative("interface fe80::1c2b:3aff:fe4d:5e6f up", "IPv6 link-local"),
    Negative("ULA prefix fd12:3456:789a:1::1 in the lab", "IPv6 unique local"),
    Negative("mDNS uses 224.0.0.251 and ff02::fb", "multicast"),
    Negative("netmask 255.255.255.0", "reserved range (a netmask)"),
    Negative("Block 81.2.69.0/24 at the firewall", "CIDR network prefix, not a host"),
    Negative("base-passwd (2.0.3.5) unstable; urgency=high", "package version of four single digits"),
    Negative("suspended on linux-2.6.8.1, in spite of", "version glued to a name"),
    Negative("erlang (1:24.3.4.5+dfsg-1) unstable", "package version with a revision suffix"),
    Negative("adwaita-icon-theme (3.16.2.1-2) unstable", "package version with a Debian revision"),
]
