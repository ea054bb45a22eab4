"""Every write to a legal action: starting it, the proportionality assessment, the approval and
the moves through its stages (``interventions.workflow``). Hearings are in ``legal_hearings``.

- The tool is one of the profile's legal tools (whg 2.11; emh 5.5; pnp 5.6), against a person on
  the case (the reported person or a household member).
- A tool with ``conditions`` (Ground 7A, pnp 5.6.2; Housing Act 1988 Sch 2 Ground 7A conditions
  1-5) needs one of them recorded, with its date and details; the notice must then be served within
  12 months beginning with that day (Housing Act 1988 s8).
- The guard (emh 4.9; pnp 5.6.3): nothing moves past "considering" until a proportionality
  assessment is recorded, where the tool needs one; approval is refused while the latest assessment
  says the action is not proportionate; a tool that ``needs_manager_approval`` is approved only by a
  team manager of the landlord.
- Twin track (emh 4.10): nothing here waits for support work (referrals, support needs).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, Party, PartyRole
from haven.cases.services.core import case_refresh
from haven.interventions.models import LegalAction, LegalStage, LegalStageChange, ProportionalityAssessment
from haven.interventions.selectors.legal import day, tool_of
from haven.interventions.services.common import locked_case
from haven.interventions.services.legal_moves import (
    TEXT_MAX,
    _locked_action,
    _refuse,
    _stage,
    legal_action_approve,
    legal_action_move,
)

S = LegalStage
AGAINST = (PartyRole.REPORTED, PartyRole.HOUSEHOLD)
__all__ = ["legal_action_approve", "legal_action_move", "legal_action_start", "proportionality_assess"]


def _text(value: str, name: str, missing: str, problems: dict[str, str], limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if not value:
        problems[name] = missing
    elif len(value) > limit:
        problems[name] = f"Write no more than {limit:,} characters."
    return value


@transaction.atomic
def legal_action_start(
    *,
    actor: User,
    case: Case,
    code: str,
    party: Party | None,
    reason: str,
    started_on: date | None,
    condition: str = "",
    condition_on: date | None = None,
    condition_detail: str = "",
    via: str = "web",
) -> LegalAction:
    """Start considering a legal action (stage "considering"): a legal tool of the landlord's
    profile (whg 2.11; emh 5.5; pnp 5.6) against the reported person or a household member, with
    the reason, on a day not in the future. A tool with conditions (Ground 7A, pnp 5.6.2) needs one
    of them, its date (not in the future) and details (court, reference); another tool takes none."""
    case = locked_case(actor, case)
    profile = landlord_profile(case.landlord)
    today = timezone.localdate()
    problems: dict[str, str] = {}
    tool = tool_of(case, code)
    if not code:
        problems["code"] = "Choose the legal action."
    elif tool is None:
        kind = profile.interventions.kind_of(code)
        what = "is not legal action" if kind else "is not a tool"
        problems["code"] = f"{code} {what} in {case.landlord.name}'s toolkit: choose one of its legal actions."
    if party is None:
        problems["party"] = "Choose the person the action is against."
    elif party.case_id != case.pk or party.removed_at is not None:
        problems["party"] = "That person is not a party to this case."
    elif party.role not in AGAINST:
        problems["party"] = "Legal action is against the reported person or a member of their household."
    reason = _text(reason, "reason", "Say why legal action is being considered.", problems)
    if started_on is None:
        problems["started_on"] = "Enter the date the action was started."
    elif started_on > today:
        problems["started_on"] = "The start date cannot be in the future."
    detail = (condition_detail or "").strip()
    if tool is not None and tool.conditions:
        codes = {c.code: c.label for c in tool.conditions}
        if condition not in codes:
            listed = "; ".join(c.label for c in tool.conditions)
            problems["condition"] = f"{tool.label} needs one of its conditions recorded: {listed}."
        if condition_on is None:
            problems["condition_on"] = "Enter the date of the conviction, finding or order."
        elif condition_on > today:
            problems["condition_on"] = "The date of the condition cannot be in the future."
        if not detail:
            problems["condition_detail"] = "Give the details of the condition: the court and its reference."
    elif tool is not None and (condition or condition_on or detail):
        problems["condition"] = f"{tool.label} takes no condition: the conditions are for Ground 7A only."
    if not case.is_open:
        problems.setdefault("code", "This case is closed.")
    _refuse(problems)
    assert tool is not None and party is not None and started_on is not None
    action = LegalAction.objects.create(
        case=case,
        code=tool.code,
        label=tool.label,
        route=tool.route,
        party=party,
        started_on=started_on,
        reason=reason,
        condition=condition if tool.conditions else "",
        condition_on=condition_on if tool.conditions else None,
        condition_detail=detail if tool.conditions else "",
        recorded_by=actor,
    )
    LegalStageChange.objects.create(legal_action=action, stage_from="", stage_to=S.CONSIDERING, on=started_on, by=actor)
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor,
        verb=Verb.LEGAL_ACTION_STARTED,
        target=case,
        via=via,
        changes={
            "legal_action": [None, action.pk],
            "code": [None, tool.code],
            "party": [None, party.pk],
            "started_on": [None, started_on.isoformat()],
            "condition": [None, action.condition or None],
        },
    )
    return action


ASSESSMENT_PARTS = {
    "legitimate_aim": "Say what legitimate aim the action pursues.",
    "support_needs": "Record the reported person's known support needs and what was done about them.",
    "protected_characteristics": "Record their protected characteristics, known or believed, or write 'None known'.",
    "equality_consideration": "Record the Equality Act 2010 consideration.",
    "household_effect": "Record the effect on others in the household.",
    "conclusion": "Give the conclusion of the assessment.",
}


@transaction.atomic
def proportionality_assess(
    *,
    actor: User,
    legal_action: LegalAction,
    legitimate_aim: str,
    less_intrusive_tried: str,
    less_intrusive_why_not: str,
    support_needs: str,
    protected_characteristics: str,
    equality_consideration: str,
    household_effect: str,
    conclusion: str,
    proportionate: bool | None,
    assessed_on: date | None,
    via: str = "web",
) -> ProportionalityAssessment:
    """Record the proportionality assessment (emh 4.9; pnp 5.6.3): the legitimate aim, the less
    intrusive options tried or why none were (one of the two), the reported person's known support
    needs, their protected characteristics ("None known" allowed) with the Equality Act 2010
    consideration, the effect on others in the household, the conclusion and whether it is
    proportionate. From "considering" it moves the action to "proportionality assessed"; later it is
    a reassessment and the stage stays. Each missing part is refused by name."""
    case, action = _locked_action(actor, legal_action)
    problems: dict[str, str] = {}
    given = {
        "legitimate_aim": legitimate_aim,
        "support_needs": support_needs,
        "conclusion": conclusion,
        "protected_characteristics": protected_characteristics,
        "household_effect": household_effect,
        "equality_consideration": equality_consideration,
    }
    values = {name: _text(given[name], name, missing, problems) for name, missing in ASSESSMENT_PARTS.items()}
    tried = (less_intrusive_tried or "").strip()
    why_not = (less_intrusive_why_not or "").strip()
    if not tried and not why_not:
        problems["less_intrusive_tried"] = "Record the less intrusive options tried, or why none were."
    if proportionate is None:
        problems["proportionate"] = "Say whether the action is proportionate."
    if assessed_on is None:
        problems["assessed_on"] = "Enter the date of the assessment."
    elif assessed_on > timezone.localdate():
        problems["assessed_on"] = "The assessment date cannot be in the future."
    elif assessed_on < action.started_on:
        problems["assessed_on"] = f"The assessment cannot be before the action started on {day(action.started_on)}."
    if action.stage == S.CONCLUDED:
        problems.setdefault("legitimate_aim", "This legal action is concluded.")
    _refuse(problems)
    assert assessed_on is not None and proportionate is not None
    # The tool's say as the profile has it now; the tool kept its route when started.
    tool = tool_of(case, action.code)
    assessment = ProportionalityAssessment.objects.create(
        legal_action=action,
        less_intrusive_tried=tried,
        less_intrusive_why_not=why_not,
        proportionate=proportionate,
        assessed_on=assessed_on,
        assessed_by=actor,
        **values,
    )
    changes: dict[str, Any] = {
        "legal_action": [action.pk, action.pk],
        "assessment": [None, assessment.pk],
        "proportionate": [None, proportionate],
        "assessed_on": [None, assessed_on.isoformat()],
    }
    if action.stage == S.CONSIDERING and (tool is None or tool.needs_proportionality):
        _stage(actor, action, S.PROPORTIONALITY, assessed_on, "")
        changes["stage"] = [S.CONSIDERING, S.PROPORTIONALITY]
    action.save(update_fields=["stage", "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(actor=actor, verb=Verb.PROPORTIONALITY_ASSESSED, target=case, via=via, changes=changes)
    return assessment
