"""Every write to a case: opening one, re-categorising it, recording a contact."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_calendar, landlord_profile, response_due_at
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.extensions import extra_due
from haven.cases.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionPlan,
    Case,
    CaseFlag,
    Contact,
    ContactChannel,
    ContactPlan,
    Party,
    PartyRole,
    Reassignment,
    Recategorisation,
    RiskAssessment,
)
from haven.cases.routing import route_case
from haven.cases.selectors.risk import full_risk_deadline
from haven.common.dates import end_of_day
from haven.common.errors import ApplicationError
from haven.common.sequences import sequence_next
from haven.policies.schema import RESTRICTING_FLAGS, PolicyProfile
from haven.register.models import Person, Property


def case_flags(
    *, profile: PolicyProfile, category_code: str, extra: set[str] | frozenset[str] = frozenset()
) -> list[str]:
    """The category's flags (emh 3.4-3.6) plus any the triage added (a hate motive, safeguarding)."""
    return sorted({f.value for f in profile.category(category_code).flags} | set(extra))


def flag_rows_sync(case: Case) -> None:
    """Keep the indexed flag rows (CaseFlag, for list filters) the same as ``case.flags``."""
    wanted = set(case.flags)
    have = set(CaseFlag.objects.filter(case=case).values_list("flag", flat=True))
    if have - wanted:
        CaseFlag.objects.filter(case=case, flag__in=have - wanted).delete()
    if wanted - have:
        CaseFlag.objects.bulk_create([CaseFlag(case=case, flag=f) for f in sorted(wanted - have)])


def case_next_due(case: Case) -> datetime | None:
    """The soonest thing due on an open case, which the case lists sort by: the first response
    (emh 4.2; whg 2.5) until it is made, the next update of the contact plan (whg 2.5), the
    agreed action plan until one is agreed (casework.action_plan_within), the officer's full risk
    assessment until one is recorded (emh 4.4; casework.full_risk_within), the earliest open
    action (due at the end of its day, UK time), and what other apps have due on the case
    (``cases.extensions.case_due_source``: agreement reviews, partners' answers to referrals)."""
    if not case.is_open:
        return None
    due: list[datetime] = [t for t in [case.next_contact_due_at] if t is not None]
    if case.first_response_at is None:
        due.append(case.response_due_at)
    if not RiskAssessment.objects.filter(case=case).exists():
        due.append(full_risk_deadline(case))
    if case.action_plan_due_at is not None and not ActionPlan.objects.filter(case=case).exists():
        due.append(case.action_plan_due_at)
    first_action = (
        Action.objects.filter(case=case, status__in=OPEN_ACTION_STATUSES)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .first()
    )
    if first_action is not None:
        due.append(end_of_day(first_action))
    due.extend(extra_due(case))
    return min(due) if due else None


def case_review_due(case: Case) -> datetime | None:
    """The next regular review of an open case (issue 7; emh 7.1, WWH 5.0): its tier's
    ``review_every`` in the landlord's working time from the latest of when it was opened, last
    reviewed and reopened (a reopened case is reviewed one cadence after reopening unless reviewed
    since). None when closed, or when the tier is no longer in the profile."""
    if not case.is_open:
        return None
    profile = landlord_profile(case.landlord)
    tier = next((t for t in profile.triage.tiers if t.id == case.tier), None)
    if tier is None:
        return None
    since = max(t for t in (case.opened_at, case.last_reviewed_at, case.reopened_at) if t is not None)
    every = tier.review_every
    return landlord_calendar(case.landlord).due_at(since, every.amount, every.unit)


def case_refresh(case: Case, *, activity_at: datetime | None = None) -> None:
    """Keep a case's derived clocks true after any write to it; every service that records work
    on a case calls this in its transaction. ``activity_at`` is when the work happened: the latest
    is ``last_activity_at``, from which active / inactive is derived (WWH 5.0). ``next_due_at`` is
    recomputed by ``case_next_due``; ``review_due_at`` by ``case_review_due`` (not part of
    ``next_due_at``)."""
    fields = []
    if activity_at is not None and (case.last_activity_at is None or activity_at > case.last_activity_at):
        case.last_activity_at = activity_at
        fields.append("last_activity_at")
    due = case_next_due(case)
    if due != case.next_due_at:
        case.next_due_at = due
        fields.append("next_due_at")
    review_due = case_review_due(case)
    if review_due != case.review_due_at:
        case.review_due_at = review_due
        fields.append("review_due_at")
    if fields:
        Case.objects.filter(pk=case.pk).update(**{f: getattr(case, f) for f in fields})


def case_reference(*, landlord: Landlord, year: int) -> str:
    return f"ASB-{year}-{sequence_next(f'case:{landlord.pk}:{year}'):06d}"


@transaction.atomic
def case_open(
    *,
    actor: User | str,
    landlord: Landlord,
    category: str,
    tier: str,
    flags: list[str],
    received_at: datetime,
    property: Property | None,
    location: str = "",
    postcode: str = "",
    reporter: dict[str, Any] | None,
    officer: User | None = None,
    via: str = "web",
) -> Case:
    """Open a case with its clock: ``response_due_at`` from the profile's tier target in working
    time from when the report was received (emh 4.2; whg 2.5), with the policy id and version.

    ``reporter`` holds the reporter's details for the reporter party (``anonymous`` for none).
    The named officer comes from the profile's routing unless one is given.
    """
    profile = landlord_profile(landlord)
    route = route_case(landlord=landlord, profile=profile, tier_id=tier, flags=set(flags), property=property)
    if officer is not None and officer.landlord_id != landlord.pk:
        raise ApplicationError(
            "That officer does not work for this landlord.", fields={"officer": "Choose an officer."}
        )
    plan_within = profile.casework.action_plan_within
    case = Case.objects.create(
        landlord=landlord,
        reference=case_reference(landlord=landlord, year=timezone.localtime(received_at).year),
        category=category,
        tier=tier,
        flags=flags,
        restricted=bool(set(flags) & {f.value for f in RESTRICTING_FLAGS}),
        property=property,
        patch_id=property.patch_id if property is not None else None,
        location=location[:300],
        postcode=postcode,
        team=officer.team if officer is not None and officer.team_id else route.team,
        officer=officer or route.officer,
        routing_note="chosen at triage" if officer is not None else route.note,
        procedure=route.procedure[:200],
        opened_at=received_at,
        response_due_at=response_due_at(landlord=landlord, tier_id=tier, received_at=received_at),
        action_plan_due_at=landlord_calendar(landlord).due_at(received_at, plan_within.amount, plan_within.unit),
        policy_id=profile.id,
        policy_version=profile.version,
    )
    flag_rows_sync(case)
    if reporter is not None:
        party_add(case=case, role=PartyRole.REPORTER, **reporter)
    case_refresh(case, activity_at=max(received_at, timezone.now()))
    audit_record(
        actor=actor,
        verb=Verb.CASE_OPENED,
        target=case,
        via=via,
        changes={"tier": [None, tier], "category": [None, category], "officer": [None, case.officer_id]},
    )
    return case


def party_add(
    *,
    case: Case,
    role: str,
    person: Person | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    preferred_contact: str = "",
    communication_needs: str = "",
    anonymous: bool = False,
) -> Party:
    if person is not None and person.landlord_id != case.landlord_id:
        raise ApplicationError("That person is not in this landlord's register.")
    return Party.objects.create(
        case=case,
        role=role,
        person=person,
        name="" if anonymous else name[:200],
        phone="" if anonymous else phone,
        email="" if anonymous else email,
        preferred_contact="" if anonymous else preferred_contact,
        communication_needs=communication_needs,
        anonymous=anonymous,
    )


@transaction.atomic
def case_recategorise(
    *, actor: User, case: Case, tier: str | None = None, category: str | None = None, reason: str, via: str = "web"
) -> Case:
    """Change a case's tier and/or category, up or down, at any time (WWH 3.0; emh 4.3).

    The history is kept. Until the first response is made, the response target is recomputed by the
    profile from when the case's first report was received; flags follow the new category.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot change this case.")
    profile = landlord_profile(case.landlord)
    problems: dict[str, str] = {}
    if not reason.strip():
        problems["reason"] = "Say why the case is being re-categorised."
    if tier is not None and tier not in {t.id for t in profile.triage.tiers}:
        problems["tier"] = (
            f"'{tier}' is not a tier of this landlord's policy: {', '.join(t.id for t in profile.triage.tiers)}"
        )
    if category is not None and category not in {c.code for c in profile.categories}:
        problems["category"] = f"'{category}' is not a category of this landlord's policy."
    if tier is None and category is None:
        problems["tier"] = "Give a new tier, a new category, or both."
    if tier is not None and tier in {t.id for t in profile.triage.tiers} and not profile.tier(tier).opens_case:
        problems["tier"] = f"{profile.tier(tier).label} reports are not kept as cases; close the case instead."
    if not case.is_open:
        problems.setdefault("tier", "This case is closed; a new report opens a new case.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    new_tier, new_category = tier or case.tier, category or case.category
    if new_tier == case.tier and new_category == case.category:
        raise ApplicationError("The case already has that tier and category.", fields={"tier": "Nothing would change."})
    due_before = case.response_due_at
    due_after = (
        response_due_at(landlord=case.landlord, tier_id=new_tier, received_at=case.opened_at)
        if case.first_response_at is None
        else due_before
    )
    Recategorisation.objects.create(
        case=case,
        by=actor,
        tier_from=case.tier,
        tier_to=new_tier,
        category_from=case.category,
        category_to=new_category,
        due_from=due_before,
        due_to=due_after,
        reason=reason.strip(),
        policy_version=profile.version,
    )
    extra = set(case.flags) - {f.value for f in profile.category(case.category).flags}
    changes = {"tier": [case.tier, new_tier], "category": [case.category, new_category]}
    case.tier, case.category, case.response_due_at = new_tier, new_category, due_after
    case.flags = case_flags(profile=profile, category_code=new_category, extra=extra)
    case.restricted = bool(set(case.flags) & {f.value for f in RESTRICTING_FLAGS})
    case.policy_id, case.policy_version = profile.id, profile.version
    case.save()
    flag_rows_sync(case)
    case_refresh(case, activity_at=timezone.now())
    audit_record(actor=actor, verb=Verb.CASE_RECATEGORISED, target=case, via=via, changes=changes)
    return case


@transaction.atomic
def contact_record(
    *, actor: User, case: Case, party: Party | None, channel: str, at: datetime, summary: str, via: str = "web"
) -> Contact:
    """Record a contact with a party. The first contact with the reporter is the case's first
    response (``first_response_at``), measured against ``response_due_at``."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot record contacts on this case.")
    problems: dict[str, str] = {}
    if party is not None and party.case_id != case.pk:
        problems["party"] = "That person is not a party to this case."
    if channel not in ContactChannel.values:
        problems["channel"] = f"Choose how the contact was made: {', '.join(ContactChannel.values)}."
    if at > timezone.now() + timedelta(minutes=5):
        problems["at"] = "The contact cannot be in the future."
    elif at < case.opened_at:
        problems["at"] = "The contact cannot be before the case's first report was received."
    if not summary.strip():
        problems["summary"] = "Write a short summary of the contact."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    contact = Contact.objects.create(
        case=case, party=party, channel=channel, at=at, summary=summary.strip(), recorded_by=actor
    )
    changes: dict[str, Any] = {"channel": [None, channel]}
    if (
        party is not None
        and party.role == PartyRole.REPORTER
        and (case.first_response_at is None or at < case.first_response_at)
    ):
        changes["first_response_at"] = [case.first_response_at, at]
        case.first_response_at = at
        case.save(update_fields=["first_response_at", "updated_at"])
    _next_contact_refresh(case)
    case_refresh(case, activity_at=at)
    audit_record(actor=actor, verb=Verb.CONTACT_RECORDED, target=case, via=via, changes=_json(changes))
    return contact


def _json(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: [v.isoformat() if isinstance(v, datetime) else v for v in pair] for k, pair in changes.items()}


# ---- the contact plan (whg 2.5) -------------------------------------------------------------------

PLAN_MAX_DAYS = 90  # default: not in seed; a plan longer than three months is no plan


def next_contact_due(*, plan: ContactPlan | None, last_contact_at: datetime | None) -> datetime | None:
    """The next update due: the agreed interval after the later of the last contact with the plan's
    party and the moment the plan was agreed (whg 2.5: updates at the frequency agreed)."""
    if plan is None:
        return None
    start = max(t for t in (plan.agreed_at, last_contact_at) if t is not None)
    return start + timedelta(days=plan.every_days)


def _next_contact_refresh(case: Case) -> None:
    plan = ContactPlan.objects.filter(case=case).first()
    last = (
        Contact.objects.filter(case=case, party_id=plan.party_id).order_by("-at").values_list("at", flat=True).first()
        if plan is not None
        else None
    )
    due = next_contact_due(plan=plan, last_contact_at=last)
    if due != case.next_contact_due_at:
        case.next_contact_due_at = due
        case.save(update_fields=["next_contact_due_at", "updated_at"])


@transaction.atomic
def contact_plan_agree(
    *,
    actor: User,
    case: Case,
    party: Party | None,
    channel: str,
    every_days: int | None,
    agreed_at: datetime | None = None,
    notes: str = "",
    via: str = "web",
) -> ContactPlan:
    """Agree (or change) how and how often the reporter is kept updated (whg 2.5). The next update
    due is worked out from it and from each contact with that person; a missed one is overdue."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot change this case.")
    agreed_at = agreed_at or timezone.now()
    problems: dict[str, str] = {}
    if party is None:
        problems["party"] = "Choose who the plan is agreed with."
    elif party.case_id != case.pk:
        problems["party"] = "That person is not a party to this case."
    elif party.anonymous:
        problems["party"] = "An anonymous reporter cannot be contacted, so no contact plan can be agreed."
    if channel not in ContactChannel.values:
        problems["channel"] = f"Choose how they want to be updated: {', '.join(ContactChannel.values)}."
    if every_days is None or not 1 <= every_days <= PLAN_MAX_DAYS:
        problems["every_days"] = f"Say how often, as a number of days from 1 to {PLAN_MAX_DAYS}."
    if agreed_at > timezone.now() + timedelta(minutes=5):
        problems["agreed_at"] = "The plan cannot be agreed in the future."
    elif agreed_at < case.opened_at:
        problems["agreed_at"] = "The plan cannot be agreed before the case's first report was received."
    if not case.is_open:
        problems.setdefault("party", "This case is closed.")
    if len(notes) > 2000:
        problems["notes"] = "Write the notes in no more than 2,000 characters."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert party is not None and every_days is not None
    before = ContactPlan.objects.filter(case=case).first()
    plan, _ = ContactPlan.objects.update_or_create(
        case=case,
        defaults={"party": party, "channel": channel, "every_days": every_days, "agreed_at": agreed_at,
                  "agreed_by": actor, "notes": notes.strip()},
    )  # fmt: skip
    _next_contact_refresh(case)
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.CONTACT_PLAN_AGREED, target=case, via=via,
        changes={"every_days": [before.every_days if before else None, every_days],
                 "channel": [before.channel if before else None, channel]},
    )  # fmt: skip
    return plan


# ---- assignment -----------------------------------------------------------------------------------

CASEWORK = {"officer", "specialist", "manager"}


@transaction.atomic
def case_reassign(*, actor: User, case: Case, officer: User | None, reason: str, via: str = "web") -> Case:
    """Give the case a new named officer (and their team), with the reason; the history is kept.

    Team managers and ASB specialists reassign any case they can see; an officer can hand over
    their own. The new officer must be an active caseworker of the same landlord, and for a
    restricted case someone allowed to see it (a specialist or manager, or its own officer).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    may = can_work_case(actor, case) and (actor.role in ("manager", "specialist") or case.officer_id == actor.pk)
    if not may:
        raise ApplicationError("Only a team manager, an ASB specialist or the case's officer can reassign it.")
    problems: dict[str, str] = {}
    if officer is None:
        problems["officer"] = "Choose the officer who will take the case."
    elif officer.landlord_id != case.landlord_id or not officer.is_active or officer.role not in CASEWORK:
        problems["officer"] = "Choose an officer, specialist or manager of this landlord."
    elif officer.pk == case.officer_id:
        problems["officer"] = f"{officer.display_name} already has this case."
    elif case.restricted and officer.role == "officer":
        problems["officer"] = "This case is restricted: give it to an ASB specialist or a team manager."
    if not reason.strip():
        problems["reason"] = "Say why the case is being reassigned."
    if not case.is_open:
        problems.setdefault("officer", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert officer is not None
    Reassignment.objects.create(
        case=case, by=actor, officer_from_id=case.officer_id, officer_to=officer, team_from_id=case.team_id,
        team_to_id=officer.team_id or case.team_id, reason=reason.strip(),
    )  # fmt: skip
    changes = {"officer": [case.officer_id, officer.pk], "team": [case.team_id, officer.team_id or case.team_id]}
    case.officer = officer
    case.team_id = officer.team_id or case.team_id
    case.routing_note = f"reassigned: {reason.strip()}"[:300]
    case.save(update_fields=["officer", "team", "routing_note", "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(actor=actor, verb=Verb.CASE_REASSIGNED, target=case, via=via, changes=changes)
    return case
