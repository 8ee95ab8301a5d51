"""The people an e-mail is from and to are not what it discloses.

Contract section 7: the sender's and recipients' addresses are transport, not
content. Their names and addresses come back in the body too, in the greeting,
in signatures and in quoted replies, and reporting those as disclosures would
hold every ordinary reply to an outside supplier. So a name or e-mail address
found inside a message (its bodies and attachments) that is one of that
message's own correspondents is not a disclosure; everything else found next to it (an
NI number, a health condition, a third person) still counts. Such a finding is
still reported (it is a name), marked `where="correspondent"`; it counts as no
data subject and policy does not judge it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.content.model import Part
from gateway.detect.model import Finding
from gateway.detect.names import normalise_name


@dataclass
class Correspondents:
    """Correspondent names (as word sets) and addresses, per e-mail part name."""

    by_message: dict[str, tuple[list[frozenset[str]], frozenset[str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Part) -> Correspondents:
        out = cls()
        for part in document.walk():
            pairs = part.meta.get("correspondents") if part.kind == "eml" else None
            if not pairs:
                continue
            names = [frozenset(normalise_name(name).split()) for name, _ in pairs if normalise_name(name)]
            addresses = frozenset(addr for _, addr in pairs if addr)
            out.by_message[part.name] = ([n for n in names if n], addresses)
        return out

    def _scope(self, part_name: str) -> tuple[list[frozenset[str]], frozenset[str]] | None:
        """The nearest enclosing message's correspondents (a forwarded message has its own)."""
        best: str | None = None
        for name in self.by_message:
            if (part_name == name or part_name.startswith(name + "/")) and (best is None or len(name) > len(best)):
                best = name
        return self.by_message[best] if best is not None else None

    def is_correspondent(self, finding: Finding) -> bool:
        if not self.by_message or finding.entity_type not in ("PERSON", "EMAIL_ADDRESS"):
            return False
        scope = self._scope(finding.part_name)
        if scope is None:
            return False
        names, addresses = scope
        if finding.entity_type == "EMAIL_ADDRESS":
            return finding.text.strip().lower() in addresses
        words = frozenset(normalise_name(finding.text).split())
        # "Sarah Whitfield", "Whitfield, Sarah" or "Sarah" alone, for a correspondent named Sarah Whitfield.
        return bool(words) and any(words <= name for name in names)
