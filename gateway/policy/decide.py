"""Turning a Detection into a Verdict under an agreement, or under the default policy.

Each rule that fires adds one `Reason`: a plain-English sentence naming
categories, column headers, part names and counts, never a matched value.
The verdict's action is the most severe reason's (block > quarantine >
redact > allow). Under an agreement, in order:

* uninspectable parts: the default policy's `uninspectable` action;
* a protective marking above `max_marking`: block; one that cannot be read: quarantine;
* excess data (anything whose category is not in `allowed_fields`): `on_excess`.
  When that is redact, the verdict carries a `RedactionPlan` dropping excess
  columns and cutting excess values out of running text. A value that cannot be
  located precisely enough to cut makes the transfer quarantine instead;
* special category data not in `allowed_fields`: `special_category`. Special
  category data the agreement allows explicitly (SICKNESS for an occupational
  health provider, say) is covered, since allowing it was a deliberate choice.
  Special category *columns* that `on_excess: redact` removes are not counted:
  they never leave (the seed incident: an HR export whose sickness columns the
  contractor never needed is trimmed, not held). Special category values in
  running text always count, since cutting a diagnosis out of a sentence rarely
  removes what the sentence discloses;
* `required_fields` absent from the content: `on_incomplete` (checked per table
  of records where there are tables; see `inventory.incomplete`);
* personal data in hidden sheets, columns or rows that would still leave:
  quarantine (see `hidden`);
* offender data under an agreement that allows no offender data at all:
  quarantine, even when excess is redacted (the names would still go).

A monitor-mode agreement (or default policy) reports all of this but allows:
see `monitored`.
"""

from __future__ import annotations

from gateway.detect.model import OFFENDER_FIELD_CATEGORIES, Detection
from gateway.policy.agreements import Agreement
from gateway.policy.default import DefaultPolicy
from gateway.policy.excess import Excess
from gateway.policy.hidden import hidden_reasons
from gateway.policy.inventory import found_markings, incomplete, items, present_categories
from gateway.policy.markings import Marking, highest
from gateway.policy.match import Destination
from gateway.policy.verdict import Action, Reason, Verdict
from gateway.policy.wording import category_names, plural, quoted


def consequence(action: Action) -> str:
    """What happens, as the end of a sentence."""
    return {
        Action.ALLOW: "it may go",
        Action.REDACT: "it is cut from the copy that is sent",
        Action.QUARANTINE: "it is held for a reviewer",
        Action.BLOCK: "it is blocked",
    }[action]


def common_reasons(detection: Detection, default: DefaultPolicy, max_marking: Marking, whose: str) -> list[Reason]:
    """Reasons that apply with or without an agreement: unreadable parts and markings.

    `whose` finishes "above the OFFICIAL ..." (e.g. "that agreement cps-case-files allows").
    """
    reasons = [
        Reason(
            default.uninspectable,
            f"“{part}” could not be inspected: {why}. Content nobody has inspected is never passed; "
            f"{consequence(default.uninspectable)}.",
            "uninspectable",
        )
        for part, why in detection.uninspectable
    ]
    readable, unreadable = found_markings(detection)
    top = highest(readable)
    if top is not None and top.level > max_marking.level:
        reasons.append(
            Reason(
                Action.BLOCK,
                f"Marked {top.describe()}, above the {max_marking.level_name} {whose}.",
                "marking-above-max",
            )
        )
    if unreadable:
        reasons.append(
            Reason(
                Action.QUARANTINE,
                f"{plural(unreadable, 'protective marking')} could not be placed on the OFFICIAL / SECRET "
                "scale; it is held for a reviewer to check the marking.",
                "marking-unreadable",
            )
        )
    return reasons


def decide_agreement(detection: Detection, agreement: Agreement, default: DefaultPolicy, dest: Destination) -> Verdict:
    """The verdict under one agreement in its validity window (see the module docstring)."""
    name = f"agreement {agreement.id}"
    common = common_reasons(detection, default, agreement.max_marking, f"that {name} allows")
    judged = items(detection)
    excess = Excess.of([i for i in judged if i.category not in agreement.allowed_fields])
    # Special category columns that redaction removes never leave, so only what would still go
    # counts: values in running text, or columns when excess is held or blocked rather than cut.
    cut_columns = agreement.on_excess is Action.REDACT
    special = Excess.of([
        i for i in judged
        if i.special and i.category not in agreement.allowed_fields and not (cut_columns and i.column is not None)
    ])
    later: list[Reason] = []
    if special.categories() and agreement.special_category is not Action.ALLOW:
        kinds = category_names([c for c in special.categories() if c != "SPECIAL_CATEGORY"], keep_order=True)
        later.append(
            Reason(
                agreement.special_category,
                f"Special category data{f' ({kinds})' if kinds else ''} that {name} does not allow was found "
                f"in {special.where()}; under the agreement {consequence(agreement.special_category)}.",
                "special-category",
            )
        )
    later.extend(_wrong_kind_of_record(excess, agreement))
    removed = frozenset(excess.columns) if agreement.on_excess is Action.REDACT else frozenset()
    later.extend(hidden_reasons(detection, removed))
    present = present_categories(detection)
    missing, lacking = incomplete(detection, agreement.required_fields)
    if missing:
        later.append(_incomplete_reason(agreement, missing, lacking))
    # The excess reason's wording depends on whether anything else holds the transfer.
    held = any(r.action > Action.REDACT for r in common + later)
    reasons = common + _excess_reasons(excess, agreement, held) + later
    action = max((r.action for r in reasons), default=Action.ALLOW)
    if action is Action.ALLOW:
        found = category_names(present & agreement.allowed_fields)
        what = f"everything found ({found}) is allowed" if found else "no personal data was found"
        covered = f"Covered by {name} ({agreement.title}) for {dest.describe()}: {what}."
        reasons.insert(0, Reason(Action.ALLOW, covered, "allowed"))
    verdict = Verdict(
        action=action,
        agreement=agreement.id,
        reasons=reasons,
        excess_fields=excess.fields(),
        missing_fields=missing,
        plan=excess.plan() if action is Action.REDACT else None,
        allowed_categories=agreement.allowed_fields,
    )
    return monitored(verdict, f"The {name}") if agreement.monitor else verdict


def _wrong_kind_of_record(excess: Excess, agreement: Agreement) -> list[Reason]:
    """Offender data under an agreement that allows none: the wrong file, not an excess to trim.

    Redaction would strip the PNC IDs and offences but still send the names of the
    people they were about, under a heading that says what they are ("Suspect");
    that a staff-data partner receives a list of offenders is itself the disclosure.
    """
    if agreement.allowed_fields & OFFENDER_FIELD_CATEGORIES:
        return []
    found = [c for c in excess.categories() if c in OFFENDER_FIELD_CATEGORIES]
    if not found:
        return []
    return [
        Reason(
            Action.QUARANTINE,
            f"The content holds offender data ({category_names(found, keep_order=True)}), which agreement "
            f"{agreement.id} does not cover at all; cutting it would still send the names of the people it is "
            "about, so it is held for a reviewer to check this is the right file.",
            "offender-data",
        )
    ]


def _excess_reasons(excess: Excess, agreement: Agreement, held: bool) -> list[Reason]:
    """Reasons for data the agreement does not allow; `held` when another reason already stops it."""
    if not (excess.columns or excess.text or excess.unlocatable):
        return []
    name = f"agreement {agreement.id}"
    cats = category_names(excess.categories(), keep_order=True)
    action = agreement.on_excess
    if action is Action.REDACT:
        reasons = []
        if excess.columns or excess.text:
            cut = Excess(excess.columns, excess.column_categories, excess.text)
            single = len(cut.columns) + len(cut.text) == 1
            outcome = (
                "would have to be removed before it could go"
                if held
                else ("is" if single else "are") + " removed from the copy that is sent"
            )
            reasons.append(
                Reason(
                    Action.REDACT,
                    f"The {name} does not allow {category_names(cut.categories(), keep_order=True)}, so "
                    f"{cut.where()} {outcome}.",
                    "excess",
                )
            )
        if excess.unlocatable:
            what = category_names([i.category for i in excess.unlocatable], keep_order=True)
            reasons.append(
                Reason(
                    Action.QUARANTINE,
                    f"The {name} does not allow {what}, and {plural(len(excess.unlocatable), 'value')} of it "
                    f"could not be located precisely enough to cut out; it is held for a reviewer.",
                    "excess-unlocatable",
                )
            )
        return reasons
    return [
        Reason(
            action,
            f"The {name} does not allow {cats}, found in {excess.where()}; under the agreement "
            f"{consequence(action)}.",
            "excess",
        )
    ]


def _incomplete_reason(agreement: Agreement, missing: list[str], lacking: list[str]) -> Reason:
    what = quoted(lacking) if lacking else "this transfer"
    verb = "lack" if len(lacking) > 1 else "lacks"
    lacks = f"The agreement {agreement.id} requires {category_names(missing)}, which {what} {verb}"
    if agreement.on_incomplete is Action.ALLOW:
        return Reason(Action.ALLOW, f"{lacks}; the agreement lets an incomplete transfer go.", "incomplete")
    if agreement.on_incomplete is Action.BLOCK:
        return Reason(Action.BLOCK, f"{lacks}; the agreement says to block an incomplete transfer.", "incomplete")
    return Reason(
        Action.QUARANTINE,
        f"{lacks}; it is held for a reviewer rather than sent incomplete with nobody checking it.",
        "incomplete",
    )


_WOULD = {
    Action.REDACT: "sent a redacted copy of",
    Action.QUARANTINE: "held",
    Action.BLOCK: "blocked",
}


def monitored(verdict: Verdict, who: str) -> Verdict:
    """Monitor mode: keep every reason, enforce nothing.

    The action becomes ALLOW with `would_action` recording what enforcement
    would have done; each reason is prefixed so no reader mistakes it for
    something the gateway did, and a first reason says so in one sentence.
    """
    would = verdict.action
    verdict.monitor = True
    verdict.would_action = would
    if would is Action.ALLOW:
        return verdict
    head = Reason(
        would,
        f"{who} is in monitor mode: the gateway would have {_WOULD[would]} this transfer, "
        "but nothing was enforced: it goes through unchanged.",
        "monitor",
    )
    prefixed = [
        r if r.action is Action.ALLOW else Reason(r.action, f"Monitor mode, not enforced: {r.text}", r.code)
        for r in verdict.reasons
    ]
    verdict.reasons = [head, *prefixed]
    verdict.action = Action.ALLOW
    verdict.plan = None
    return verdict
