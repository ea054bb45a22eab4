"""Every write to a case's action plan: adding actions, updating them, recording the agreement.

The plan is agreed with the reporter (livv 4 "Case Management": the officer "will agree an action
plan with the customer"; pnp 5.1: "a risk assessment and action plan are put in place at the
earliest opportunity"); each action says who does what by when (wwh 4.0: "ensure that the persons
are clear in what they should be doing, and what we are doing") and what came of it (wwh 4.0:
"Record any actions and interventions"). A case without an agreed plan after the profile's
``casework.action_plan_within`` is a breach (``cases.selectors.plans.plan_breach``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import (
    Action,
    ActionOwner,
    ActionPlan,
    ActionStatus,
    Case,
    ContactChannel,
    Party,
    PartyRole,
)
from haven.cases.selectors.plans import ACTION_OWNER_ROLES
from haven.cases.services.core import case_refresh
from haven.common.errors import ApplicationError
from haven.common.stale import ensure_unchanged

DESCRIPTION_MAX = 2000  # default: not in seed; an action is a sentence or two, not a report
OUTCOME_MAX = 5000  # default: not in seed
NOTES_MAX = 2000
SOURCE_MAX = 40  # Action.source
PARTNER_MAX = 200  # Action.owner_partner
FINISHED = frozenset({ActionStatus.DONE, ActionStatus.NOT_DONE})


def _locked_case(actor: User, case: Case) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot change this case.")
    return case


def _opened_on(case: Case) -> date:
    return timezone.localtime(case.opened_at).date()


def _live_party(case: Case, party: Party | None) -> bool:
    return party is not None and party.case_id == case.pk and party.removed_at is None


def _owner_problems(
    *, case: Case, owner: str, owner_user: User | None, owner_party: Party | None, owner_partner: str
) -> dict[str, str]:
    """Who will do the action, by kind of owner (the landlord, the reporter, another party, a partner)."""
    if owner not in ActionOwner.values:
        return {"owner": "Say who will do this: the landlord, the reporter, another person or a partner agency."}
    if owner == ActionOwner.LANDLORD:
        if owner_user is None:
            return {"owner_user": "Choose the member of staff who will do this."}
        staff = owner_user.landlord_id == case.landlord_id and owner_user.role in ACTION_OWNER_ROLES
        if not staff or not owner_user.is_active:
            return {"owner_user": "Choose a member of staff of this landlord who is still working here."}
    elif owner in (ActionOwner.REPORTER, ActionOwner.OTHER_PARTY):
        if owner_party is None:
            return {"owner_party": "Choose the person in the case who will do this."}
        if not _live_party(case, owner_party):
            return {"owner_party": "That person is not a party to this case."}
        if owner == ActionOwner.REPORTER and owner_party.role != PartyRole.REPORTER:
            return {"owner_party": "That person is not the reporter; choose them as another person in the case."}
        if owner_party.anonymous:
            return {"owner_party": "An anonymous reporter cannot be contacted, so cannot be given an action."}
    elif not owner_partner.strip():
        return {"owner_partner": "Choose the partner agency, or type its name."}
    elif len(owner_partner.strip()) > PARTNER_MAX:
        return {"owner_partner": f"Write the partner's name in no more than {PARTNER_MAX} characters."}
    return {}


@transaction.atomic
def action_add(
    *,
    actor: User,
    case: Case,
    description: str,
    owner: str,
    owner_user: User | None = None,
    owner_party: Party | None = None,
    owner_partner: str = "",
    due_on: date | None,
    source: str = "",
    via: str = "web",
) -> Action:
    """Add an action to the case's plan: what, who (a named member of staff, the reporter or another
    party, or a partner agency: a partner code of the profile or a name), and by when (wwh 4.0).
    An action without an owner is refused; its due date cannot be before the case opened."""
    case = _locked_case(actor, case)
    problems: dict[str, str] = {}
    if not description.strip():
        problems["description"] = "Say what will be done."
    elif len(description.strip()) > DESCRIPTION_MAX:
        problems["description"] = f"Write the action in no more than {DESCRIPTION_MAX:,} characters."
    if not owner:
        problems["owner"] = "Say who will do this."
    else:
        problems.update(
            _owner_problems(
                case=case, owner=owner, owner_user=owner_user, owner_party=owner_party, owner_partner=owner_partner
            )
        )
    if due_on is None:
        problems["due_on"] = "Enter the date it is due."
    elif due_on < _opened_on(case):
        problems["due_on"] = "The due date cannot be before the case's first report was received."
    if len(source.strip()) > SOURCE_MAX:
        problems["source"] = f"Say where it came from in no more than {SOURCE_MAX} characters."
    if not case.is_open:
        problems.setdefault("description", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert due_on is not None
    partner = owner_partner.strip()
    profile = landlord_profile(case.landlord)
    codes = {p.label.lower(): p.code for p in profile.partners}
    action = Action.objects.create(
        case=case,
        description=description.strip(),
        owner=owner,
        owner_user=owner_user if owner == ActionOwner.LANDLORD else None,
        owner_party=owner_party if owner in (ActionOwner.REPORTER, ActionOwner.OTHER_PARTY) else None,
        owner_partner=codes.get(partner.lower(), partner) if owner == ActionOwner.PARTNER else "",
        due_on=due_on,
        source=source.strip(),
        created_by=actor,
    )
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.ACTION_ADDED, target=case, via=via,
        changes={"action": [None, action.pk], "owner": [None, owner], "due_on": [None, due_on.isoformat()]},
    )  # fmt: skip
    return action


@transaction.atomic
def action_update(
    *,
    actor: User,
    action: Action,
    status: str | None = None,
    outcome: str | None = None,
    due_on: date | None = None,
    completed_on: date | None = None,
    version: str | None,
    via: str = "web",
) -> Action:
    """Move an action on: its status, outcome, due date or completion date. Done or not done needs
    an outcome (wwh 4.0: record what came of it); a done action's completion date is today unless
    given, and cannot be in the future. Refused if someone else saved the action since ``version``."""
    case = _locked_case(actor, action.case)
    action = Action.objects.select_for_update().get(pk=action.pk, case=case)
    ensure_unchanged(current=action.updated_at, seen=version, what="action")
    today = timezone.localdate()
    problems: dict[str, str] = {}
    new_status = status or action.status
    new_outcome = (outcome if outcome is not None else action.outcome).strip()
    if new_status not in ActionStatus.values:
        problems["status"] = f"Choose a status: {', '.join(str(label) for label in ActionStatus.labels)}."
    elif new_status in FINISHED and not new_outcome:
        problems["outcome"] = "Say what came of it." if new_status == ActionStatus.DONE else "Say why it was not done."
    if len(new_outcome) > OUTCOME_MAX:
        problems["outcome"] = f"Write the outcome in no more than {OUTCOME_MAX:,} characters."
    if due_on is not None and due_on < _opened_on(case):
        problems["due_on"] = "The due date cannot be before the case's first report was received."
    finished_on: date | None = None
    if new_status == ActionStatus.DONE:
        finished_on = completed_on or action.completed_on or today
    elif new_status in (ActionStatus.NOT_DONE, ActionStatus.CANCELLED):
        finished_on = completed_on or action.completed_on
    elif completed_on is not None:
        problems["completed_on"] = "Only a finished action has a completion date: change its status as well."
    if finished_on is not None and finished_on > today:
        problems["completed_on"] = "The completion date cannot be in the future."
    elif finished_on is not None and finished_on < _opened_on(case):
        problems["completed_on"] = "The completion date cannot be before the case's first report was received."
    if not case.is_open:
        problems.setdefault("status", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    after: dict[str, Any] = {
        "status": new_status,
        "outcome": new_outcome,
        "due_on": due_on or action.due_on,
        "completed_on": finished_on,
    }
    changed = {name: value for name, value in after.items() if getattr(action, name) != value}
    if not changed:
        raise ApplicationError(
            "Nothing would change: give a new status, outcome or date.", fields={"status": "Nothing would change."}
        )
    changes: dict[str, Any] = {"action": [action.pk, action.pk]}
    for name, value in changed.items():
        before = getattr(action, name)
        # The outcome is free text that may name people: the audit says only that it changed.
        changes[name] = [bool(before), bool(value)] if name == "outcome" else [_plain(before), _plain(value)]
        setattr(action, name, value)
    action.save(update_fields=[*changed, "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(actor=actor, verb=Verb.ACTION_UPDATED, target=case, via=via, changes=changes)
    return action


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def action_plan_agree(
    *,
    actor: User,
    case: Case,
    agreed_with: Party | None,
    agreed_on: date | None,
    shared_how: str,
    shared_on: date | None = None,
    notes: str = "",
    via: str = "web",
) -> ActionPlan:
    """Record that the plan was agreed with a party (normally the reporter: livv 4 "Case
    Management"), when, and how and when it was shared with them. The actions come first; an
    anonymous reporter cannot agree a plan. Agreeing again updates the record (the audit keeps the
    history). Once agreed, the case is no longer in breach of ``casework.action_plan_within``."""
    case = _locked_case(actor, case)
    today = timezone.localdate()
    problems: dict[str, str] = {}
    if agreed_with is None:
        problems["agreed_with"] = "Choose who the plan was agreed with."
    elif not _live_party(case, agreed_with):
        problems["agreed_with"] = "That person is not a party to this case."
    elif agreed_with.anonymous:
        problems["agreed_with"] = "An anonymous reporter cannot be contacted, so cannot agree a plan."
    if agreed_on is None:
        problems["agreed_on"] = "Enter the date the plan was agreed."
    elif agreed_on > today:
        problems["agreed_on"] = "The plan cannot be agreed in the future."
    elif agreed_on < _opened_on(case):
        problems["agreed_on"] = "The plan cannot be agreed before the case's first report was received."
    if shared_how not in ContactChannel.values:
        problems["shared_how"] = "Choose how the plan was shared with them."
    if shared_on is not None and agreed_on is not None and shared_on < agreed_on:
        problems["shared_on"] = "The plan cannot be shared before it was agreed."
    elif shared_on is not None and shared_on > today:
        problems["shared_on"] = "The date it was shared cannot be in the future."
    if len(notes.strip()) > NOTES_MAX:
        problems["notes"] = f"Write the notes in no more than {NOTES_MAX:,} characters."
    if not case.is_open:
        problems.setdefault("agreed_with", "This case is closed.")
    elif not Action.objects.filter(case=case).exists():
        problems.setdefault("agreed_with", "Add the actions first, then record that the plan was agreed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert agreed_with is not None and agreed_on is not None
    before = ActionPlan.objects.filter(case=case).first()
    plan, _ = ActionPlan.objects.update_or_create(
        case=case,
        defaults={"agreed_with": agreed_with, "agreed_on": agreed_on, "agreed_by": actor, "shared_how": shared_how,
                  "shared_on": shared_on, "notes": notes.strip()},
    )  # fmt: skip
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.ACTION_PLAN_AGREED, target=case, via=via,
        changes={"agreed_on": [before.agreed_on.isoformat() if before else None, agreed_on.isoformat()],
                 "agreed_with": [before.agreed_with_id if before else None, agreed_with.pk],
                 "shared_how": [before.shared_how if before else None, shared_how]},
    )  # fmt: skip
    return plan
