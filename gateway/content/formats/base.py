"""The contract every format module fulfils, and the context readers recurse through.

A format module exposes one `FormatHandler`: `sniff` recognises the format from
the bytes (never the file name alone), `read` builds a `Part`, and `write`
rewrites the part's original bytes with a `RedactionPlan` applied (or raises
`NotRedactable`). Containers (archives, e-mail) call `ctx.child(...)` for each
member so depth, member-count and expansion limits are enforced in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from gateway.content.model import Part, RedactionPlan


@dataclass(frozen=True)
class Limits:
    """Bounds on unpacking, so a crafted archive cannot exhaust the gateway.

    Exceeding any of them makes the part uninspectable with a reason naming the
    limit; policy then holds the transfer (fail closed).
    """

    max_depth: int = 8
    max_members: int = 10_000
    max_expanded_bytes: int = 512 * 1024 * 1024
    max_ratio: float = 200.0
    max_part_bytes: int = 256 * 1024 * 1024
    max_text_chars: int = 50_000_000
    # The ratio test only applies to members that expand beyond this many bytes:
    # a 20 KB run of blank spreadsheet cells can compress 1000:1 and is no bomb,
    # while a real bomb has to be large to do harm.
    ratio_floor_bytes: int = 1024 * 1024


class LimitExceeded(Exception):
    """Raised by `ReadContext` when a limit is hit; the message names the limit."""


@dataclass
class Budget:
    """Counters shared by every member of one transfer."""

    members: int = 0
    expanded_bytes: int = 0
    text_chars: int = 0


Reader = Callable[[bytes, str, "ReadContext"], Part]
Writer = Callable[[Part, RedactionPlan], bytes]


@dataclass
class ReadContext:
    """Carried through one `content.read` call; containers use it to read members."""

    limits: Limits
    reader: Reader
    depth: int = 0
    budget: Budget = field(default_factory=Budget)

    def child(self, data: bytes, name: str, compressed_size: int | None = None) -> Part:
        """Read a member one level deeper, enforcing every limit first.

        Limit breaches do not raise to the container: the member comes back as
        an uninspectable part, so the rest of the container is still inspected
        and the reason reaches the reviewer.
        """
        try:
            self.admit(len(data), compressed_size)
        except LimitExceeded as exc:
            return Part(name=name, kind="unknown", data=b"", uninspectable=str(exc))
        sub = ReadContext(self.limits, self.reader, self.depth + 1, self.budget)
        return self.reader(data, name, sub)

    def admit(self, size: int, compressed_size: int | None = None) -> None:
        """Account for one member of `size` expanded bytes, or raise LimitExceeded.

        A refused member still counts as a member, but its bytes do not count
        towards the expansion budget: they were never (fully) expanded, and
        later members should still be judged on their own.
        """
        reason = self.over_limit(size, compressed_size)
        self.budget.members += 1
        if reason is not None:
            raise LimitExceeded(reason)
        self.budget.expanded_bytes += size

    def over_limit(self, size: int, compressed_size: int | None = None) -> str | None:
        """Which limit one more member of `size` bytes would break, if any."""
        lim = self.limits
        if self.depth + 1 > lim.max_depth:
            return f"nesting deeper than {lim.max_depth} levels"
        if self.budget.members + 1 > lim.max_members:
            return f"more than {lim.max_members} archive members"
        if self.budget.expanded_bytes + size > lim.max_expanded_bytes:
            return f"expands to more than {lim.max_expanded_bytes} bytes"
        if size > lim.max_part_bytes:
            return f"member larger than {lim.max_part_bytes} bytes"
        bomb = compressed_size is not None and size > lim.max_ratio * max(compressed_size, 1)
        if bomb and size > lim.ratio_floor_bytes:
            return f"compression ratio above {lim.max_ratio:g}:1 (possible archive bomb)"
        return None

    def admit_text(self, chars: int) -> None:
        """Account for `chars` characters of extracted text, or raise LimitExceeded.

        Detection cost grows with text, not bytes: a small document can carry
        a huge amount of text, so the whole transfer shares one text budget.
        """
        self.budget.text_chars += chars
        if self.budget.text_chars > self.limits.max_text_chars:
            raise LimitExceeded(f"more than {self.limits.max_text_chars} characters of text")

    def member_cap(self, compressed_size: int | None = None) -> int:
        """The most bytes worth expanding for the next member.

        Containers decompress at most `member_cap() + 1` bytes; anything that
        reaches the extra byte is over a limit, and `child()` names which one,
        so a bomb is never expanded further than the limits allow.
        """
        lim = self.limits
        cap = min(lim.max_part_bytes, lim.max_expanded_bytes - self.budget.expanded_bytes)
        if compressed_size is not None:
            cap = min(cap, max(int(lim.max_ratio * max(compressed_size, 1)), lim.ratio_floor_bytes))
        return max(cap, 0)

    def refuse_early(
        self, name: str, declared_size: int | None = None, compressed_size: int | None = None
    ) -> Part | None:
        """An uninspectable part if the next member is over a limit before any expansion.

        Checks depth and member count, and a size the container declares, so a
        container need not decompress a member that is already known to be
        refused. Returns None when the member may be read (its declared size
        is not trusted: the container still reads at most `member_cap() + 1`).
        """
        reason = self.over_limit(declared_size or 0, compressed_size if declared_size else None)
        if reason is None:
            return None
        self.budget.members += 1
        return Part(name=name, kind="unknown", data=b"", uninspectable=reason)


def unique_name(name: str, used: set[str], *, keep_extension: bool = False) -> str:
    """`name`, or the first of "name (2)", "name (3)"... not yet in `used`; added to `used`.

    An archive or an e-mail may hold two members of the same name, and part names
    must be unique: a redaction plan finds its parts by name. With
    `keep_extension` the number goes before the extension ("staff (2).csv").
    """
    candidate = name
    n = 2
    while candidate in used:
        stem, dot, ext = name.rpartition(".")
        candidate = f"{stem} ({n}).{ext}" if keep_extension and dot and stem else f"{name} ({n})"
        n += 1
    used.add(candidate)
    return candidate


class FormatHandler(Protocol):
    """One file format: recognise it, read it, and (where safe) rewrite it."""

    kind: str

    def sniff(self, data: bytes, name: str) -> bool: ...

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part: ...

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes: ...
