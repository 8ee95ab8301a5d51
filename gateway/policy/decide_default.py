"""The verdict where no agreement in force covers the destination.

The default policy has no allow-list, so it looks at everything detection
found, wherever it sits (a PNC ID in a column classified as something else
still counts). The rules and their order are described in
`gateway.policy.default`.
"""

from __future__ import annotations

from datetime import date

from gateway.detect.model import SPECIAL_FIELD_CATEGORIES, Detection
from gateway.policy.agreements import Agreement
from gateway.policy.decide import common_reasons, consequence, monitored
from gateway.policy.default import DefaultPolicy
from gateway.policy.hidden import hidden_reasons
from gateway.policy.inventory import present_categories
from gateway.policy.match import Destination
from gateway.policy.verdict import Action, Reason, Verdict
from gateway.policy.wording import category_names, plural


def decide_default(
    detection: Detection,
    default: DefaultPolicy,
    dest: Destination,
    lapsed: tuple[Agreement, ...] = (),
    today: date | None = None,
) -> Verdict:
    """Judge a transfer no agreement covers. `lapsed` are agreements for this destination out of their window."""
    uncovered = f"no data sharing agreement in force covers {dest.describe()}"
    reasons = common_reasons(
        detection, default, default.max_marking, "this destination may receive without a data sharing agreement"
    )
    reasons.extend(hidden_reasons(detection))
    present = present_categories(detection)
    subjects = detection.subjects
    fired = False

    special = present & SPECIAL_FIELD_CATEGORIES
    if special:
        fired = True
        kinds = category_names(special - {"SPECIAL_CATEGORY"})
        reasons.append(
            Reason(
                default.special_category,
                f"The content holds special category data{f' ({kinds})' if kinds else ''} and {uncovered}; "
                f"{consequence(default.special_category)}.",
                "special-category",
            )
        )
    high_risk = present & default.high_risk_categories
    if high_risk:
        fired = True
        reasons.append(
            Reason(
                default.high_risk_action,
                f"The content holds {category_names(high_risk)} and {uncovered}; "
                f"{consequence(default.high_risk_action)}.",
                "high-risk",
            )
        )
    if present and subjects >= default.bulk_subjects:
        fired = True
        reasons.append(
            Reason(
                default.bulk_action,
                f"Content is about {plural(subjects, 'person', 'people')} and {uncovered}; "
                f"{consequence(default.bulk_action)}.",
                "bulk",
            )
        )
    if present and not fired:
        reasons.append(_personal_reason(default, present, subjects, uncovered))
    if not reasons:
        reasons.append(
            Reason(
                Action.ALLOW,
                "No personal data, no protective marking above "
                f"{default.max_marking.level_name} and nothing uninspectable was found; it may go.",
                "clean",
            )
        )
    for agreement in lapsed:
        status = (agreement.window_status(today) if today else None) or "is not in force"
        reasons.append(
            Reason(
                Action.ALLOW,
                f"The agreement {agreement.id} covers {dest.describe()} but {status}, "
                "so the default policy applies.",
                "agreement-lapsed",
            )
        )
    verdict = Verdict(
        action=max(r.action for r in reasons),
        agreement=None,
        reasons=reasons,
        allowed_categories=None,
    )
    return monitored(verdict, "The default policy") if default.monitor else verdict


def _personal_reason(default: DefaultPolicy, present: set[str], subjects: int, uncovered: str) -> Reason:
    """Contact details of one person go; any other personal data gets `other_personal_data`."""
    if subjects <= default.contact_max_subjects and present <= default.contact_categories:
        whose = "one person's" if subjects <= 1 else f"at most {subjects} people's"
        return Reason(
            Action.ALLOW,
            f"Only {whose} contact details ({category_names(present)}) were found, as in an e-mail "
            "signature; they may go without an agreement.",
            "contact-details",
        )
    about = f", about {plural(subjects, 'person', 'people')}" if subjects else ""
    action = default.other_personal_data
    return Reason(
        action,
        f"The content holds personal data ({category_names(present)}{about}) and {uncovered}; "
        f"{consequence(action)}.",
        "personal-data",
    )
