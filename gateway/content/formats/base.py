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


class LimitExceeded(Exception):
    """Raised by `ReadContext` when a limit is hit; the message names the limit."""


@dataclass
class Budget:
    """Counters shared by every member of one transfer."""

    members: int = 0
    expanded_bytes: int = 0


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
        """Account for one member of `size` expanded bytes, or raise LimitExceeded."""
        if self.depth + 1 > self.limits.max_depth:
            raise LimitExceeded(f"nesting deeper than {self.limits.max_depth} levels")
        self.budget.members += 1
        if self.budget.members > self.limits.max_members:
            raise LimitExceeded(f"more than {self.limits.max_members} archive members")
        self.budget.expanded_bytes += size
        if self.budget.expanded_bytes > self.limits.max_expanded_bytes:
            raise LimitExceeded(f"expands to more than {self.limits.max_expanded_bytes} bytes")
        if size > self.limits.max_part_bytes:
            raise LimitExceeded(f"member larger than {self.limits.max_part_bytes} bytes")
        if compressed_size is not None and compressed_size > 0 and size / compressed_size > self.limits.max_ratio:
            raise LimitExceeded(f"compression ratio above {self.limits.max_ratio:g}:1 (possible archive bomb)")


class FormatHandler(Protocol):
    """One file format: recognise it, read it, and (where safe) rewrite it."""

    kind: str

    def sniff(self, data: bytes, name: str) -> bool: ...

    def read(self, data: bytes, name: str, ctx: ReadContext) -> Part: ...

    def write(self, part: Part, plan: RedactionPlan, write_child: Writer) -> bytes: ...
