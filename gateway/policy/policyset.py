"""The loaded rules as one object: agreements, the default policy, and `decide`.

Built once per process from a rules folder (`load_policy`), then consulted for
every transfer. Loading refuses a folder with any invalid file: a gateway
running on half its agreements would judge transfers by rules nobody wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from gateway.detect.model import Detection
from gateway.policy.agreements import Agreement, read_rules_folder
from gateway.policy.decide import decide_agreement
from gateway.policy.decide_default import decide_default
from gateway.policy.default import BUILTIN, DefaultPolicy
from gateway.policy.match import Match, parse_destination, select, specificity
from gateway.policy.schema import RuleError
from gateway.policy.verdict import Verdict


@dataclass(frozen=True)
class PolicySet:
    """Agreements (in id order) and the default policy that covers everything else.

    `default_source` is the `default.yaml` read, or None when the built-in
    default applies because the folder has none.
    """

    agreements: tuple[Agreement, ...] = ()
    default: DefaultPolicy = BUILTIN
    default_source: Path | None = None

    def match(self, destination: str | None, today: date) -> Match:
        """The agreement that applies to `destination` on `today` (see `gateway.policy.match`)."""
        return select(self.agreements, parse_destination(destination), today)

    def decide(self, detection: Detection, destination: str | None, today: date) -> Verdict:
        dest = parse_destination(destination)
        found = select(self.agreements, dest, today)
        if found.agreement is not None:
            return decide_agreement(detection, found.agreement, self.default, dest)
        return decide_default(detection, self.default, dest, found.lapsed, today)

    def get(self, agreement_id: str) -> Agreement | None:
        return next((a for a in self.agreements if a.id == agreement_id), None)

    def warnings(self, today: date) -> list[str]:
        """`file:key: warning` lines for things that are valid but probably unintended."""
        out: list[str] = []
        for a in self.agreements:
            status = a.window_status(today)
            if status is not None:
                key = "valid_until" if today > a.valid_until else "valid_from"
                out.append(f"{a.source}:{key}: agreement {a.id} {status}; it does not apply on {today.isoformat()}")
            if a.monitor:
                out.append(f"{a.source}:mode: agreement {a.id} is in monitor mode; nothing it finds is enforced")
        if self.default.monitor:
            out.append(f"{self.default_source or '(built-in default)'}:mode: the default policy is in monitor mode")
        out.extend(_shared_globs(self.agreements))
        return out


def _shared_globs(agreements: tuple[Agreement, ...]) -> list[str]:
    """Identical globs in two agreements: the tie goes to the first id, which is rarely meant."""
    owners: dict[str, Agreement] = {}
    out: list[str] = []
    for a in agreements:
        for i, glob in enumerate(a.destinations):
            first = owners.setdefault(glob, a)
            if first is not a and specificity(glob):
                out.append(
                    f"{a.source}:destinations[{i}]: {glob!r} is also listed by agreement {first.id}, "
                    f"which wins when both are in force (ties go to the first id)"
                )
    return out


def load_policy(rules_dir: Path) -> PolicySet:
    """Read a rules folder; raise RuleError (`file:key: reason`) if any file is invalid."""
    folder = read_rules_folder(Path(rules_dir))
    if folder.errors or folder.default is None:
        raise RuleError(folder.errors)
    return PolicySet(folder.agreements, folder.default, folder.default_source)


def check_rules(rules_dir: Path) -> list[str]:
    """Every problem in a rules folder as `file:key: reason` lines; empty when it is valid."""
    return read_rules_folder(Path(rules_dir)).errors
