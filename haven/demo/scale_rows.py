"""The rows around each bulk demo case (``haven.demo.scale``): its life so far, drawn as plain
objects, then written with one ``bulk_create`` per table for a whole batch.

A case's life: the first response to the reporter (mostly within the tier's target, emh 4.2),
a contact plan agreed at that first contact (whg 2.5) and updates kept to it, the officer's full
risk assessment of the reporter from the profile's matrix (emh 4.4), incidents from the
report, diary sheets and officers, an action plan agreed with the reporter (pnp 5.1) with actions
owned by the landlord, the reporter or a partner agency, and for older cases a closure with a
reason, an outcome and whether it was resolved (pnp 8.2).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from haven.cases.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionPlan,
    Case,
    CaseFlag,
    CaseStatus,
    Contact,
    ContactPlan,
    Incident,
    Party,
    PartyRole,
    RiskAssessment,
)
from haven.policies.matrix import score_matrix

if TYPE_CHECKING:
    from haven.demo.scale import Home, World

FIRST = ("Amira", "Ben", "Chloe", "Dylan", "Eleri", "Farid", "Grace", "Harri", "Isla", "Jamal", "Kerry", "Liam")
LAST = ("Ahmed", "Brown", "Clarke", "Davies", "Evans", "Green", "Hughes", "Jones", "Khan", "Lewis", "Patel")
INCIDENTS = (
    "Loud music and shouting until the early hours.",
    "Banging on the shared wall and doors slamming.",
    "Rubbish left on the landing again.",
    "Visitors calling at all hours and arguing outside.",
    "Abuse shouted at the reporter in the car park.",
    "A group gathered by the entrance and blocked the way in.",
    "Damage to the communal door; the lock was forced.",
    "A dog left barking all day.",
)
ACTIONS = (
    "Visit the reported person and discuss the reports.",
    "Send diary sheets to the reporter and explain how to use them.",
    "Ask the police for any logs about the address.",
    "Write to the reported person with a warning.",
    "Offer mediation to both households.",
    "Check the communal CCTV for the dates reported.",
    "Keep a diary for four weeks and send it in.",
    "Refer the household to tenancy support.",
)
OUTCOMES = (
    "The behaviour stopped after the warning letter; the reporter is satisfied.",
    "No further reports since mediation.",
    "Not enough evidence to take further action; the reporter was told why.",
    "The reporter stopped responding to contact.",
)
CONTACT_CHANNELS = ("phone", "email", "visit", "text")


def _end_of(day: date) -> datetime:
    """An action is due at the end of its day, UK time (as ``cases.services.case_next_due``)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@dataclass
class CaseStory:
    """One case and the rows about it, linked by object until the batch is saved."""

    case: Case
    parties: list[Party] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    contact_plan: ContactPlan | None = None
    action_plan: ActionPlan | None = None
    actions: list[Action] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    risk: RiskAssessment | None = None
    full_risk_due: datetime | None = None


def _parties(world: World, case: Case, home: Home | None, rng: random.Random) -> list[Party]:
    """A reporter for every case (a tenant of the home for most, some anonymous), and a reported
    person for about two in three, kept in neutral roles (whg 4.1)."""
    reporter = Party(case=case, role=PartyRole.REPORTER, preferred_contact="phone")
    roll = rng.random()
    if home is not None and home.person_id and roll < 0.8:
        reporter.person_id, reporter.tenancy_id = home.person_id, home.tenancy_id
    elif roll < 0.86 and world.profile.anonymous_reports.accepted:
        reporter.anonymous, reporter.preferred_contact = True, ""
    else:
        reporter.name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        reporter.phone = f"07700 900{rng.randrange(1000):03d}"
    parties = [reporter]
    if rng.random() < 0.65:
        neighbour = rng.choice(world.homes) if world.homes else None
        reported = Party(case=case, role=PartyRole.REPORTED)
        if neighbour is not None and neighbour.person_id and neighbour is not home:
            reported.person_id, reported.tenancy_id = neighbour.person_id, neighbour.tenancy_id
        else:
            reported.name = rng.choice(
                ["Not known", "A visitor to the block", f"{rng.choice(FIRST)} (surname not known)"]
            )
        parties.append(reported)
    return parties


def _first_response(case: Case, now: datetime, closing: bool, rng: random.Random) -> datetime | None:
    """Most first responses are made within the target; about one in eight is late; some recent
    cases are still waiting, some of them overdue (emh 4.2; whg 2.5)."""
    due, opened = case.response_due_at, case.opened_at
    if not closing and rng.random() < (0.5 if due > now else 0.06):
        return None
    at = opened + (due - opened) * rng.uniform(0.05, 0.95)
    if rng.random() < 0.12:
        at = due + timedelta(hours=rng.uniform(1, 72))
    return at if at < now else (now - timedelta(minutes=5) if closing else None)


def story_for(world: World, case: Case, home: Home | None, now: datetime, rng: random.Random) -> CaseStory:
    """Draw the case's life so far and set the stored fields that follow from it."""
    story = CaseStory(case=case, parties=_parties(world, case, home, rng))
    reporter, officer = story.parties[0], case.officer
    age = (now - case.opened_at).days
    closing = rng.random() < (0.92 if age > 120 else 0.5 if age > 30 else 0.04)
    end = now
    if closing:
        case.status = CaseStatus.CLOSED
        case.closed_at = min(case.opened_at + timedelta(days=rng.uniform(10, 150)), now - timedelta(hours=1))
        codes = [r.code for r in world.profile.closure.reasons]  # the profile's closure reasons (issue 7)
        case.closure_reason = rng.choices(codes, [40 if c == "resolved" else 10 for c in codes])[0]
        case.outcome = rng.choice(OUTCOMES)
        case.resolved = case.closure_reason in {"resolved", "legal_action", "party_moved"} or rng.random() < 0.3
        end = case.closed_at
    case.first_response_at = _first_response(case, end, closing, rng)
    activity = [case.opened_at]
    # Incidents: the report itself, then diary sheets and officers' observations.
    for k in range(rng.choices([1, 2, 3, 4], [40, 30, 20, 10])[0]):
        at = case.opened_at - timedelta(hours=rng.uniform(2, 96)) if k == 0 else (
            case.opened_at + (end - case.opened_at) * rng.random())  # fmt: skip
        source = "report" if k == 0 else rng.choice(["diary", "diary", "officer", "partner"])
        reviewed = None if source == "diary" and not closing and rng.random() < 0.3 else max(at, case.opened_at)
        story.incidents.append(
            Incident(
                case=case,
                occurred_at=at,
                location=case.location or "At or near the home",
                description=rng.choice(INCIDENTS),
                source=source,
                party=reporter if source in {"report", "diary"} else None,
                recorded_by=officer,
                recorded_via="diary_link" if source == "diary" else "web",
                reviewed_at=reviewed,
                reviewed_by=officer if reviewed else None,
            )
        )
        activity.append(max(at, case.opened_at))
    within = world.profile.casework.full_risk_within
    story.full_risk_due = world.calendar.due_at(case.opened_at, within.amount, within.unit)
    if case.first_response_at is not None:
        _contacts(story, reporter, end, rng)
        _risk(world, story, reporter, end, rng)
        _plan_and_actions(world, story, reporter, end, now, closing, rng)
    if story.risk is not None:
        activity.append(story.risk.assessed_at)
    activity += [c.at for c in story.contacts]
    activity += [_end_of(a.completed_on) - timedelta(hours=8) for a in story.actions if a.completed_on]
    if case.closed_at:
        activity.append(case.closed_at)
    case.last_activity_at = min(max(activity), now)
    case.next_due_at = next_due(story)
    return story


def _contacts(story: CaseStory, reporter: Party, end: datetime, rng: random.Random) -> None:
    """The first response, a contact plan agreed at it for most (whg 2.5), and updates kept
    (mostly) to the plan's interval."""
    case, officer = story.case, story.case.officer
    first = case.first_response_at
    assert first is not None
    channel = rng.choice(CONTACT_CHANNELS)
    story.contacts.append(
        Contact(
            case=case,
            party=reporter,
            channel=channel,
            at=first,
            recorded_by=officer,
            summary="First contact: talked through the report and what happens next.",
        )
    )
    if reporter.anonymous or rng.random() > 0.6:
        return
    every = rng.choice([7, 7, 14, 14, 28])
    story.contact_plan = ContactPlan(
        case=case,
        party=reporter,
        channel=channel,
        every_days=every,
        agreed_at=first,
        agreed_by=officer,
        notes=rng.choice(["", "Weekday evenings", "Text first"]),
    )
    last = first
    while len(story.contacts) < 6:
        at = last + timedelta(days=every * rng.uniform(0.6, 1.3))
        if at >= end:
            break
        story.contacts.append(
            Contact(
                case=case,
                party=reporter,
                channel=channel,
                at=at,
                recorded_by=officer,
                summary="Update to the reporter on the actions so far.",
            )
        )
        last = at
    case.next_contact_due_at = last + timedelta(days=every)


def _risk(world: World, story: CaseStory, reporter: Party, end: datetime, rng: random.Random) -> None:
    """The officer's full risk assessment of the reporter for most answered cases, scored by the
    profile's matrix (emh 4.4; ``policies.matrix.score_matrix``), mostly within
    ``casework.full_risk_within``; the rest are still waiting for one."""
    case, due = story.case, story.full_risk_due
    first = case.first_response_at
    assert first is not None and due is not None and case.officer is not None
    if rng.random() < 0.25:
        return
    at = first + (max(due, first + timedelta(hours=1)) - first) * rng.uniform(0.1, 1.3)
    if at >= end:
        return
    matrix = world.profile.risk_matrix
    result = score_matrix(profile=world.profile, answers={q.code: rng.choice(q.options).code for q in matrix.questions})
    story.risk = RiskAssessment(
        case=case, party=reporter, matrix_version=result.matrix_version, policy_id=world.profile.id,
        policy_version=world.profile.version, answers=result.answers, score=result.score, band=result.band.code,
        proposed_tier=result.proposed_tier, tier_at_assessment=case.tier, assessed_at=at, assessed_by=case.officer,
    )  # fmt: skip


def _plan_and_actions(
    world: World, story: CaseStory, reporter: Party, end: datetime, now: datetime, closing: bool, rng: random.Random
) -> None:
    """An action plan agreed with the reporter for most answered cases (pnp 5.1), some after
    ``action_plan_due_at``, with one to three actions."""
    case = story.case
    first = case.first_response_at
    assert first is not None and case.action_plan_due_at is not None
    agreed = first + (case.action_plan_due_at - first) * rng.uniform(0.2, 1.4)
    if agreed >= end or rng.random() < 0.3:
        return
    officer = case.officer
    assert officer is not None
    story.action_plan = ActionPlan(
        case=case, agreed_with=reporter, agreed_on=timezone.localdate(agreed), agreed_by=officer,
        shared_how=rng.choice(["letter", "email", "phone"]), shared_on=timezone.localdate(agreed),
    )  # fmt: skip
    today = timezone.localdate(now)
    for _ in range(rng.choice([1, 2, 2, 3])):
        due = timezone.localdate(agreed) + timedelta(days=rng.randint(7, 42))
        owner = rng.choices(["landlord", "reporter", "partner"], [70, 20, 10])[0]
        action = Action(
            case=case, description=rng.choice(ACTIONS), owner=owner, due_on=due, created_by=officer,
            owner_user=officer if owner == "landlord" else None, owner_party=reporter if owner == "reporter" else None,
            owner_partner=rng.choice(world.partners) if owner == "partner" and world.partners else "",
            source="action plan",
        )  # fmt: skip
        if closing:
            action.status = rng.choices(["done", "not_done", "cancelled"], [75, 10, 15])[0]
        elif due < today:
            action.status = rng.choices(["done", "in_progress", "open"], [60, 25, 15])[0]
        else:
            action.status = rng.choices(["open", "in_progress"], [70, 30])[0]
        if action.status == "done":
            action.completed_on = min(due, timezone.localdate(end))
            action.outcome = "Done as agreed."
        story.actions.append(action)


def next_due(story: CaseStory) -> datetime | None:
    """``cases.services.case_next_due`` over the drawn rows: the first response until made, the
    next update of the contact plan, the full risk assessment until one is recorded (emh 4.4), the
    action plan until agreed, and the earliest open action."""
    case = story.case
    if case.status == CaseStatus.CLOSED:
        return None
    due = [t for t in [case.next_contact_due_at] if t is not None]
    if case.first_response_at is None:
        due.append(case.response_due_at)
    if story.risk is None and story.full_risk_due is not None:
        due.append(story.full_risk_due)
    if case.action_plan_due_at is not None and story.action_plan is None:
        due.append(case.action_plan_due_at)
    open_actions = [a.due_on for a in story.actions if a.status in OPEN_ACTION_STATUSES]
    if open_actions:
        due.append(_end_of(min(open_actions)))
    return min(due) if due else None


class Batch:
    """A batch of stories, saved table by table (cases first, so the others can point at them)."""

    def __init__(self, stories: list[CaseStory]) -> None:
        self.stories = stories

    def write(self) -> Counter[str]:
        stories = self.stories
        written: Counter[str] = Counter()

        def save(name: str, manager: Any, rows: list[Any]) -> None:
            if rows:
                manager.bulk_create(rows, batch_size=500)
                written[name] += len(rows)

        save("cases", Case.objects, [s.case for s in stories])
        save("flag_rows", CaseFlag.objects, [CaseFlag(case=s.case, flag=f) for s in stories for f in s.case.flags])
        save("parties", Party.objects, [p for s in stories for p in s.parties])
        save("contacts", Contact.objects, [c for s in stories for c in s.contacts])
        save("contact_plans", ContactPlan.objects, [s.contact_plan for s in stories if s.contact_plan is not None])
        save("incidents", Incident.objects, [i for s in stories for i in s.incidents])
        save("risk_assessments", RiskAssessment.objects, [s.risk for s in stories if s.risk is not None])
        save("action_plans", ActionPlan.objects, [s.action_plan for s in stories if s.action_plan is not None])
        save("actions", Action.objects, [a for s in stories for a in s.actions])
        return written
