"""The moves of a legal action through its stages (``interventions.workflow``) and its approval,
with the helpers every legal action service shares.

- A move not in the table (a stage skipped, a notice for an injunction) is refused saying what
  comes next; the move's facts are required; dates are not in the future nor before the last step.
- The guard (emh 4.9; pnp 5.6.3): nothing moves past "considering" until a proportionality
  assessment is recorded, where the tool needs one; nothing goes ahead while the latest assessment
  says it is not proportionate; a tool that ``needs_manager_approval`` is approved only by a team
  manager of the landlord.
- Ground 7A (Housing Act 1988 s8): the notice within 12 months beginning with the day of the
  condition; a claim not before its notice; expiries not before service or the order.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.services.core import case_refresh
from haven.common.errors import ApplicationError
from haven.common.stale import ensure_unchanged
from haven.interventions.models import LegalAction, LegalStage, LegalStageChange
from haven.interventions.selectors.legal import (
    day,
    ground_7a_last_day,
    hint,
    last_stage_on,
    latest_assessment,
    may_approve,
    tool_of,
)
from haven.interventions.services.common import locked_case
from haven.interventions.workflow import Move, move_for, moves_from, stage_label
from haven.policies.toolkit import Intervention

S = LegalStage
TEXT_MAX = 5000  # default: not in seed; a reason or an assessment part is a few paragraphs
SHORT_MAX = {"court": 200, "claim_number": 50}  # LegalAction field lengths
# The fact that holds each stage's date: ``on`` fills it.
DATE_FACT: dict[str, str] = {
    S.APPROVED: "approved_on",
    S.NOTICE_SERVED: "notice_served_on",
    S.ISSUED: "claim_issued_on",
    S.ORDER_MADE: "order_made_on",
    S.WARRANT: "warrant_on",
    S.CONCLUDED: "concluded_on",
}
# Facts a move may record besides those it needs.
OPTIONAL: dict[str, tuple[str, ...]] = {
    S.NOTICE_SERVED: ("notice_expires_on",),
    S.ORDER_MADE: ("order_expires_on", "power_of_arrest"),
}
FACT_NAMES = {
    "approval_note": "the approval note",
    "notice_served_on": "the date the notice was served",
    "notice_expires_on": "the date the notice expires",
    "claim_issued_on": "the date the claim was issued",
    "court": "the court",
    "claim_number": "the claim number",
    "order_made_on": "the date of the order",
    "order_terms": "the terms of the order",
    "order_expires_on": "the date the order expires",
    "power_of_arrest": "whether a power of arrest was attached",
    "note": "what happened",
    "warrant_on": "the date of the warrant",
    "concluded_on": "the date it concluded",
    "outcome": "the outcome",
    "approved_on": "the date of the approval",
}
FACTS = frozenset(FACT_NAMES)
TEXT_FACTS = frozenset({"approval_note", "court", "claim_number", "order_terms", "note", "outcome"})


def _refuse(problems: dict[str, str]) -> None:
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)


def _locked_action(actor: User, action: LegalAction) -> tuple[Case, LegalAction]:
    case = locked_case(actor, action.case)
    found = LegalAction.objects.select_for_update().get(pk=action.pk, case=case)
    if not case.is_open:
        raise ApplicationError("This case is closed.")
    return case, found


def _stage(actor: User, action: LegalAction, to: str, on: date, note: str) -> None:
    LegalStageChange.objects.create(
        legal_action=action, stage_from=action.stage, stage_to=to, on=on, by=actor, note=note
    )
    action.stage = to


def _guard(actor: User, case: Case, action: LegalAction, tool: Intervention | None, to: str) -> None:
    """The guard before the action moves on (emh 4.9; pnp 5.6.3): an assessment where the tool
    needs one, not saying "not proportionate"; a manager's approval where the profile asks."""
    if to == S.CONCLUDED:
        return
    needs_assessment = tool is None or tool.needs_proportionality
    latest = latest_assessment(action)
    if needs_assessment and latest is None:
        raise ApplicationError(
            "Record the proportionality assessment (emh 4.9) before the legal action goes past considering.",
            fields={"to": "Record the proportionality assessment first."},
        )
    if latest is not None and not latest.proportionate:
        raise ApplicationError(
            "The latest proportionality assessment says this action is not proportionate: it cannot go ahead "
            "unless a reassessment finds it is.",
            fields={"to": "The latest assessment says the action is not proportionate."},
        )
    if to == S.APPROVED and not may_approve(actor, case, action):
        raise ApplicationError(
            "Only a team manager can approve this legal action.",
            fields={"approval_note": "Only a team manager can approve this legal action."},
        )


def _fact_problems(
    action: LegalAction, move: Move, on: date, facts: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The facts the move records, checked: what it needs, and the dates in order (Housing Act
    1988 s8 for the Ground 7A notice; a claim not before its notice; expiries not before)."""
    problems: dict[str, str] = {}
    date_fact = DATE_FACT.get(move.stage_to)
    allowed = {*move.needs, *OPTIONAL.get(move.stage_to, ()), *([date_fact] if date_fact else [])}
    for name, value in facts.items():
        if name not in FACTS or (name not in allowed and value not in (None, "")):
            problems[name] = f"{FACT_NAMES.get(name, name).capitalize()} is not part of this step."
    found: dict[str, Any] = {}
    for name in sorted(allowed):
        value = facts.get(name)
        if name == date_fact and value is None:
            value = on
        if name in TEXT_FACTS:
            value = (value or "").strip()
            limit = SHORT_MAX.get(name, TEXT_MAX)
            if name in move.needs and not value:
                problems[name] = f"Give {FACT_NAMES[name]}."
            elif len(value) > limit:
                problems[name] = f"Write {FACT_NAMES[name]} in no more than {limit:,} characters."
        elif name in move.needs and value is None:
            problems[name] = f"Give {FACT_NAMES[name]}."
        found[name] = value
    if date_fact and date_fact in found and found[date_fact] != on:
        problems[date_fact] = f"{FACT_NAMES[date_fact].capitalize()} is the date of this step: give one date."
    if found.get("power_of_arrest") is not None and action.route != "injunction":
        problems["power_of_arrest"] = "A power of arrest goes only with a Part 1 injunction (2014 Act, s4)."
    expires = found.get("notice_expires_on")
    if expires is not None and expires < on:
        problems["notice_expires_on"] = "The notice cannot expire before it was served."
    expires = found.get("order_expires_on")
    if expires is not None and expires < on:
        problems["order_expires_on"] = "The order cannot expire before it was made."
    if move.stage_to == S.ISSUED and action.notice_served_on and on < action.notice_served_on:
        problems["claim_issued_on"] = (
            f"The claim cannot be issued before the notice was served on {day(action.notice_served_on)}."
        )
    if move.stage_to == S.NOTICE_SERVED and action.condition_on is not None:
        last = ground_7a_last_day(action.condition_on)
        if on > last:
            problems["notice_served_on"] = (
                f"The notice had to be served within 12 months of the condition on {day(action.condition_on)}, "
                f"so by {day(last)} (Housing Act 1988 s8)."
            )
    return found, problems


@transaction.atomic
def legal_action_move(
    *,
    actor: User,
    legal_action: LegalAction,
    to: str,
    on: date | None,
    version: str | None,
    via: str = "web",
    **facts: Any,
) -> LegalAction:
    """Move a legal action to its next stage, by the table in ``interventions.workflow``: a move not
    in it (a stage skipped, a notice for an injunction) is refused saying what comes next; the
    move's facts are required; its date is not in the future nor before the action started or the
    previous stage; the guard (emh 4.9; pnp 5.6.3) holds; a stale edit is refused."""
    case, action = _locked_action(actor, legal_action)
    ensure_unchanged(current=action.updated_at, seen=version, what="legal action")
    tool = tool_of(case, action.code)
    needs_assessment = tool is None or tool.needs_proportionality
    move = move_for(action.stage, to, route=action.route, needs_proportionality=needs_assessment)
    if move is None or move.by_service:
        nexts = ", ".join(
            stage_label(m.stage_to).lower()
            for m in moves_from(action.stage, route=action.route, needs_proportionality=needs_assessment)
            if not m.by_service
        )
        if move is not None:
            what = f"{stage_label(to)} is recorded through {move.by_service}."
        elif to not in S.values:
            what = "Choose the next stage."
        else:
            what = f"This legal action cannot go from {stage_label(action.stage).lower()} to {stage_label(to).lower()}."
        message = f"{what} {hint(action)}" + (f" Next can be: {nexts}." if nexts else "")
        raise ApplicationError(message, fields={"to": message})
    _guard(actor, case, action, tool, to)
    previous = last_stage_on(action)
    problems: dict[str, str] = {}
    if on is None:
        problems["on"] = "Enter the date of this step."
    elif on > timezone.localdate():
        problems["on"] = "The date of this step cannot be in the future."
    elif on < action.started_on:
        problems["on"] = f"The date cannot be before the action started on {day(action.started_on)}."
    elif on < previous:
        problems["on"] = f"The date cannot be before the last step, on {day(previous)}."
    _refuse(problems)
    assert on is not None
    found, problems = _fact_problems(action, move, on, facts)
    _refuse(problems)
    note = found.pop("note", "") or found.get("approval_note", "")
    if to == S.APPROVED:
        found["approved_by"] = actor
    from_stage = action.stage
    for name, value in found.items():
        setattr(action, name, value)
    _stage(actor, action, to, on, note)
    action.save()
    case_refresh(case, activity_at=timezone.now())
    dates = {k: [None, v.isoformat()] for k, v in found.items() if isinstance(v, date)}
    verb = Verb.LEGAL_ACTION_APPROVED if to == S.APPROVED else Verb.LEGAL_STAGE_CHANGED
    audit_record(
        actor=actor,
        verb=verb,
        target=case,
        via=via,
        changes={
            "legal_action": [action.pk, action.pk],
            "stage": [from_stage, to],
            "on": [None, on.isoformat()],
            **dates,
        },
    )
    return action


def legal_action_approve(
    *,
    actor: User,
    legal_action: LegalAction,
    on: date | None,
    note: str,
    version: str | None = None,
    via: str = "web",
) -> LegalAction:
    """Approve the legal action (stage "approved"): where the tool ``needs_manager_approval``, only
    a team manager of this landlord may; otherwise the officer records the decision. Refused before
    the assessment (emh 4.9; pnp 5.6.3) or when the latest one says it is not proportionate."""
    return legal_action_move(
        actor=actor, legal_action=legal_action, to=S.APPROVED, on=on, version=version, via=via, approval_note=note
    )
