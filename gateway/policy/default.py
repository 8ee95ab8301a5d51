"""The default policy: what happens where no data sharing agreement applies.

Most outbound traffic has no agreement: mail to a supplier, a webmail upload,
a form on a public site. The default policy lets ordinary work through (clean
content, a signature, one person's contact card) and holds or blocks what
should only ever leave under an agreement. It is read from `rules/default.yaml`;
when that file does not exist, `BUILTIN` applies, with the same values as the
shipped file (a test keeps the two equal).

Rules, in the order they are judged (every one that fires adds a reason; the
most severe action wins):

1. `uninspectable`: any part that could not be read. This one applies to every
   destination, with or without an agreement, because an agreement cannot
   allow what nobody has looked at.
2. `max_marking` / `above_max_marking`: a protective marking above the maximum.
3. `special_category`: special category data (a SPECIAL_CATEGORY finding or a
   SICKNESS / SPECIAL_CATEGORY column).
4. `high_risk`: any of its `categories` (offender identifiers, NI numbers...).
5. `bulk`: personal data about `subjects` or more people.
6. `contact_details`: if none of 3-5 fired and the personal data is about at
   most `max_subjects` people and only of its `categories`, it is allowed (an
   e-mail signature, a contact card);
7. `other_personal_data`: otherwise, any personal data none of 3-5 caught.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.policy.markings import MARKING_NAMES, OFFICIAL_MARKING, Marking, parse_level_name
from gateway.policy.schema import Keys
from gateway.policy.verdict import Action

ENFORCE = "enforce"
MONITOR = "monitor"
MODES = (ENFORCE, MONITOR)

HOLD_OR_BLOCK = (Action.QUARANTINE, Action.BLOCK)
ANY_BUT_REDACT = (Action.ALLOW, Action.QUARANTINE, Action.BLOCK)


@dataclass(frozen=True)
class DefaultPolicy:
    """The parsed default policy; see the module docstring for how each key is used."""

    mode: str
    max_marking: Marking
    above_max_marking: Action
    uninspectable: Action
    special_category: Action
    high_risk_categories: frozenset[str]
    high_risk_action: Action
    bulk_subjects: int
    bulk_action: Action
    contact_max_subjects: int
    contact_categories: frozenset[str]
    other_personal_data: Action

    @property
    def monitor(self) -> bool:
        return self.mode == MONITOR


BUILTIN = DefaultPolicy(
    mode=ENFORCE,
    max_marking=OFFICIAL_MARKING,
    above_max_marking=Action.BLOCK,
    uninspectable=Action.QUARANTINE,
    special_category=Action.QUARANTINE,
    high_risk_categories=frozenset(
        {
            "UK_PNC_ID",
            "UK_CRO",
            "OFFENDER_RECORD",
            "OFFENCE",
            "WARNING_MARKER",
            "CUSTODY_REFERENCE",
            "UK_NINO",
            "UK_NHS",
            "UK_PASSPORT",
            "UK_DRIVING_LICENCE",
            "UK_BANK_ACCOUNT",
            "IBAN_CODE",
            "CREDIT_CARD",
            "DATE_OF_BIRTH",
        }
    ),
    high_risk_action=Action.QUARANTINE,
    bulk_subjects=5,
    bulk_action=Action.QUARANTINE,
    contact_max_subjects=1,
    contact_categories=frozenset(
        {
            "PERSON",
            "PHONE_NUMBER",
            "EMAIL_ADDRESS",
            "POLICE_COLLAR_NUMBER",
            "JOB_TITLE",
            "RANK",
            "WORK_LOCATION",
            "STREET_ADDRESS",
            "UK_POSTCODE",
            "STAFF_RECORD",
        }
    ),
    other_personal_data=Action.QUARANTINE,
)


def parse_default(path: Path, data: Any, errors: list[str]) -> DefaultPolicy | None:
    """Validate a parsed `default.yaml`; append `file:key: reason` lines and return None on error."""
    if not isinstance(data, dict):
        errors.append(f"{path}:(file): must be a mapping of key: value")
        return None
    before = len(errors)
    keys = Keys(path, data, errors)
    mode = keys.choice("mode", MODES, ENFORCE)
    max_marking = _marking(keys, "max_marking", BUILTIN.max_marking)
    above = keys.action("above_max_marking", HOLD_OR_BLOCK, BUILTIN.above_max_marking)
    uninspectable = keys.action("uninspectable", HOLD_OR_BLOCK, BUILTIN.uninspectable)
    special = keys.action("special_category", ANY_BUT_REDACT, BUILTIN.special_category)
    high_risk = keys.mapping("high_risk")
    hr_categories = hr_action = None
    if high_risk is not None:
        hr_categories = high_risk.categories("categories")
        if hr_categories is not None and "categories" not in high_risk.data:
            hr_categories = BUILTIN.high_risk_categories
        hr_action = high_risk.action("action", ANY_BUT_REDACT, BUILTIN.high_risk_action)
        high_risk.finish()
    bulk = keys.mapping("bulk")
    bulk_subjects = bulk_action = None
    if bulk is not None:
        bulk_subjects = bulk.integer("subjects", BUILTIN.bulk_subjects, minimum=1)
        bulk_action = bulk.action("action", ANY_BUT_REDACT, BUILTIN.bulk_action)
        bulk.finish()
    contact = keys.mapping("contact_details")
    contact_max = contact_categories = None
    if contact is not None:
        contact_max = contact.integer("max_subjects", BUILTIN.contact_max_subjects, minimum=0)
        contact_categories = contact.categories("categories")
        if contact_categories is not None and "categories" not in contact.data:
            contact_categories = BUILTIN.contact_categories
        contact.finish()
    other = keys.action("other_personal_data", ANY_BUT_REDACT, BUILTIN.other_personal_data)
    keys.finish()
    # A getter that returned None has recorded an error; the checks narrow the types.
    if (
        len(errors) > before
        or mode is None
        or max_marking is None
        or above is None
        or uninspectable is None
        or special is None
        or other is None
        or hr_categories is None
        or hr_action is None
        or bulk_subjects is None
        or bulk_action is None
        or contact_max is None
        or contact_categories is None
    ):
        return None
    return DefaultPolicy(
        mode=mode,
        max_marking=max_marking,
        above_max_marking=above,
        uninspectable=uninspectable,
        special_category=special,
        high_risk_categories=hr_categories,
        high_risk_action=hr_action,
        bulk_subjects=bulk_subjects,
        bulk_action=bulk_action,
        contact_max_subjects=contact_max,
        contact_categories=contact_categories,
        other_personal_data=other,
    )


def _marking(keys: Keys, key: str, default: Marking) -> Marking | None:
    text = keys.text(key, required=False)
    if text is None:
        return default
    marking = parse_level_name(text)
    if marking is None:
        keys.error(key, f"unknown marking {text!r}; expected one of {', '.join(MARKING_NAMES)}")
    return marking
