"""Which TLS connections pass uninspected: those of apps that pin their servers' certificates.

A connection passes only when every name it carries matches a configured glob:
the CONNECT target (when it is a name) and the TLS SNI, so a client cannot
borrow a listed name in its SNI to reach another host.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from gateway.channels.http_flow import is_ip


def matches_passthrough(patterns: Sequence[str], host: str) -> bool:
    """Glob match of a host name (`*.apple.com`, `pinned.example.org`), case-insensitive."""
    host = host.lower().rstrip(".")
    return any(fnmatch.fnmatchcase(host, p.lower().rstrip(".")) for p in patterns)


def passthrough_name(patterns: Sequence[str], address: str | None, sni: str | None) -> str | None:
    """The name a connection passes under, or None when it must be intercepted (and inspected)."""
    if not patterns:
        return None
    names = [n for n in (address, sni) if n and not is_ip(n)]
    if names and all(matches_passthrough(patterns, n) for n in names):
        return names[0]
    return None
