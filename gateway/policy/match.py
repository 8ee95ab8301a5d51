"""Which agreement, if any, covers a destination.

A destination is what the gateway saw: a host the client addressed
(`sftp.g4s.com`), one e-mail recipient (`analyst@cps.gov.uk`), or None when it
is unknown. Agreements list globs of either kind:

* a host glob (`*.g4s.com`, `upload.pnd.police.uk`) matches host destinations
  only, case-insensitively; `*` matches any run of characters including dots,
  `?` one character. `*.g4s.com` does not cover `g4s.com` itself: list both.
* an e-mail glob (`*@cps.gov.uk`, `analyst@cps.gov.uk`, `*@*.pnn.police.uk`)
  matches recipients only; its local part and domain are matched separately,
  so a `*` can never reach across the `@`.

A host never matches an e-mail glob and a recipient never matches a host glob:
an upload to `www.cps.gov.uk` is not an e-mail to the CPS.

**Most specific match wins.** When several agreements in their validity window
match, the one whose matching glob is most specific is applied: a glob with no
wildcard beats any glob with one; otherwise the glob with more literal (non-
wildcard) characters wins (`*@cps.gov.uk` beats `*@*.gov.uk`). A remaining tie
goes to the agreement id that sorts first, so the choice never depends on
file order. `dlp-gateway rules check` warns about such ties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from gateway.policy.agreements import Agreement

_HOST_GLOB = re.compile(r"^[a-z0-9*?]([a-z0-9*?.-]*[a-z0-9*?])?$")
_LOCAL_GLOB = re.compile(r"^[a-z0-9!#$%&'+/=^_`{|}~.*?-]+$")


@dataclass(frozen=True)
class Destination:
    """A normalised destination: `kind` is "host", "email" or "unknown"."""

    kind: str
    value: str

    @property
    def domain(self) -> str:
        return self.value.rsplit("@", 1)[-1] if self.kind == "email" else self.value

    def describe(self) -> str:
        """How a reason names it. Recipients are named by domain only: an address is personal data."""
        if self.kind == "email":
            return f"recipients at {self.domain}"
        if self.kind == "host":
            return self.value
        return "an unknown destination"


def parse_destination(raw: str | None) -> Destination:
    """Normalise what a channel passes: lower case, no port, no trailing dot, no display name."""
    if raw is None or not raw.strip():
        return Destination("unknown", "")
    text = raw.strip()
    angle = re.search(r"<([^<>]*)>", text)
    if angle:
        text = angle.group(1).strip()
    text = text.lower()
    if text.startswith("mailto:"):
        text = text[len("mailto:"):]
    if "@" in text:
        local, _, domain = text.rpartition("@")
        domain = domain.rstrip(".")
        if not local or "@" in local or not domain:
            # An address no glob can safely judge: treat as unknown, never as a match.
            return Destination("unknown", text)
        return Destination("email", f"{local}@{domain}")
    if "://" in text:
        text = urlsplit(text).hostname or ""
    elif text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    text = text.rstrip(".")
    return Destination("host", text) if text else Destination("unknown", raw.strip())


def glob_problem(glob: str) -> str | None:
    """Why a destination glob is unusable, or None if it is fine."""
    g = glob.strip().lower()
    if not g:
        return "an empty destination"
    if any(ch.isspace() for ch in g):
        return f"{glob!r} contains spaces"
    if "://" in g or "/" in g:
        return f"{glob!r} looks like a URL; list the host name only (e.g. sftp.example.com)"
    if "[" in g or "]" in g:
        return f"{glob!r}: only * and ? wildcards are supported"
    if "@" in g:
        local, _, domain = g.rpartition("@")
        if "@" in local or not local or not domain:
            return f"{glob!r} is not an e-mail glob of the form local@domain"
        if not _LOCAL_GLOB.match(local):
            return f"{glob!r} has characters not allowed before the @"
        problem = _domain_problem(domain, glob)
        return problem
    if ":" in g:
        return f"{glob!r}: list the host name without a port"
    return _domain_problem(g, glob)


def _domain_problem(domain: str, glob: str) -> str | None:
    if not _HOST_GLOB.match(domain) or ".." in domain:
        return f"{glob!r} is not a valid host name glob"
    if not domain.strip("*?."):
        return f"{glob!r} would match every destination; that is what default.yaml is for"
    return None


def glob_kind(glob: str) -> str:
    return "email" if "@" in glob else "host"


def glob_matches(glob: str, dest: Destination) -> bool:
    g = glob.strip().lower()
    if dest.kind == "host":
        return "@" not in g and fnmatchcase(dest.value, g)
    if dest.kind == "email":
        if "@" not in g:
            return False
        g_local, _, g_domain = g.rpartition("@")
        local, _, domain = dest.value.rpartition("@")
        return fnmatchcase(local, g_local) and fnmatchcase(domain, g_domain)
    return False


def specificity(glob: str) -> tuple[int, int]:
    """Sort key, higher is more specific: (no wildcard at all, literal characters)."""
    wild = sum(glob.count(c) for c in "*?")
    return (1 if wild == 0 else 0, len(glob) - wild)


@dataclass(frozen=True)
class Match:
    """The agreement that applies (or None), and agreements that matched but are out of their window."""

    agreement: Agreement | None
    glob: str | None
    lapsed: tuple[Agreement, ...] = ()


def select(agreements: tuple[Agreement, ...], destination: Destination, today: date) -> Match:
    """Pick the agreement for `destination` on `today` (see the module docstring for the rule)."""
    candidates: list[tuple[tuple[int, int], str, Agreement, str]] = []
    lapsed: list[Agreement] = []
    for agreement in agreements:
        best: tuple[int, int] | None = None
        best_glob = ""
        for glob in agreement.destinations:
            if glob_matches(glob, destination) and (best is None or specificity(glob) > best):
                best, best_glob = specificity(glob), glob
        if best is None:
            continue
        if agreement.in_window(today):
            candidates.append((best, agreement.id, agreement, best_glob))
        else:
            lapsed.append(agreement)
    lapsed.sort(key=lambda a: a.id)
    if not candidates:
        return Match(None, None, tuple(lapsed))
    # Highest specificity first; among equals, the smallest id.
    candidates.sort(key=lambda c: (-c[0][0], -c[0][1], c[1]))
    _, _, chosen, glob = candidates[0]
    return Match(chosen, glob, tuple(lapsed))
