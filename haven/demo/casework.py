"""Demo reports and cases for each landlord: a triage queue with waiting reports, open cases at
each tier (one overdue, one answered and kept up to date, one with an update overdue, one with a
contact that is not yet a response), a not-ASB decision and a linked repeat report.

Everything goes through the real services (report_create, report_triage, contact_record), so the
demo shows exactly what the policy would do. Times are relative to now so the clocks look live.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.cases.models import Case, Party, PartyRole
from haven.cases.services import contact_plan_agree, contact_record
from haven.demo.case_reviews import case_reviews_generate
from haven.demo.closures import closures_generate
from haven.demo.interventions import interventions_generate
from haven.demo.letters import letters_generate
from haven.demo.reviews import reviews_generate
from haven.demo.surveys import surveys_generate
from haven.demo.workspace import workspace_generate
from haven.intake.models import Report
from haven.intake.services import report_create, report_triage
from haven.policies.registry import get_profile
from haven.policies.schema import PolicyProfile
from haven.register.models import Person, TenancyMember


@dataclass(frozen=True)
class Story:
    flag: str  # the category flag the story fits (or "" for the first category without flags)
    what: str
    where: str
    who: str
    how_often: str
    screen: tuple[str, ...] = ()


STORIES = [
    Story(
        "noise",
        "Loud music and banging from the flat above until 3am.",
        "The flat above mine",
        "The tenant upstairs",
        "Most nights for three weeks",
    ),
    Story(
        "crime",
        "People calling at the house next door at all hours; I think drugs are being sold.",
        "Next door",
        "Visitors to next door",
        "Every day",
        ("crime",),
    ),
    Story(
        "hate",
        "My neighbour shouted racist abuse at my children in the car park.",
        "The car park behind the block",
        "A neighbour from number 12",
        "Twice this month",
        ("hate", "afraid"),
    ),
    Story(
        "environmental", "Bags of rubbish dumped by the bin store again.", "The bin store", "Not known", "Every week"
    ),
    Story(
        "violence",
        "A man threatened to hurt me on the stairs and I am afraid to go out.",
        "The stairwell",
        "A visitor to flat 4",
        "Once, last night",
        ("violence", "afraid", "vulnerable"),
    ),
    Story(
        "noise",
        "Dog barking all day while the owner is out.",
        "The house behind mine",
        "The neighbour at the back",
        "Every weekday",
    ),
]


def _category(profile: PolicyProfile, flag: str) -> str:
    fits = [c for c in profile.categories if flag in {f.value for f in c.flags} and not c.restricted]
    if fits:
        return min(fits, key=lambda c: len(c.flags)).code  # "drugs" (crime) rather than "violence" (crime, violence)
    return next(c.code for c in profile.categories if not c.flags)


def _keep_in_touch(cases: list[Case], officer: User, now: datetime) -> None:
    """More of the officer's working record, through the real services: on the answered case a
    second update kept to its plan (whg 2.5); on the next, a home visit as the first response and
    a plan of updates every two days whose latest is missed, so it shows "Update overdue"; on the
    next, a call to the police that is not a response to the reporter (only a contact with the
    reporter is, emh 4.2), so that case is still waiting for its first response."""
    reporters = {p.case_id: p for p in Party.objects.filter(case__in=cases, role=PartyRole.REPORTER)}
    if len(cases) > 1 and cases[1].pk in reporters:
        case = cases[1]
        contact_record(
            actor=case.officer or officer, case=case, party=reporters[case.pk], channel="phone",
            at=now - timedelta(hours=2), summary="Weekly update: letters sent to the household at the flat above.",
            via="command",
        )  # fmt: skip
    if len(cases) > 2 and cases[2].pk in reporters:
        case = cases[2]
        worker, visited = case.officer or officer, max(case.opened_at, now - timedelta(days=3))
        contact_record(
            actor=worker, case=case, party=reporters[case.pk], channel="visit", at=visited,
            summary="Home visit: heard the account, explained the next steps and left diary sheets.", via="command",
        )  # fmt: skip
        contact_plan_agree(
            actor=worker, case=case, party=reporters[case.pk], channel="text", every_days=2, agreed_at=visited,
            notes="Text first; calls after 5pm.", via="command",
        )  # fmt: skip
    if len(cases) > 3:
        case = cases[3]
        contact_record(
            actor=case.officer or officer, case=case, party=None, channel="phone",
            at=max(case.opened_at, now - timedelta(hours=20)),
            summary="Asked the police neighbourhood team for any logs about the address.", via="command",
        )  # fmt: skip


def casework_generate(*, landlord: Landlord, users: dict[str, User], rng: random.Random) -> int:
    """Create the demo reports and cases; returns how many reports were made."""
    profile = get_profile(landlord.policy_id)
    adviser, officer = users["adviser"], users["officer"]
    tenants = list(
        Person.objects.filter(
            landlord=landlord, memberships__role="tenant", memberships__tenancy__ends_on__isnull=True
        ).order_by("reference")[:12]
    )
    homes = {
        m.person_id: m.tenancy.property
        for m in TenancyMember.objects.filter(person__in=tenants).select_related("tenancy__property")
    }
    now = timezone.now()
    made = 0

    def report(n: int, story: Story, received: datetime, channel: str = "phone") -> Report:
        nonlocal made
        person = tenants[n % len(tenants)] if tenants else None
        made += 1
        return report_create(
            actor=adviser,
            landlord=landlord,
            channel=channel,
            received_at=received,
            reporter_person=person,
            reporter_phone="07700 900" + f"{rng.randint(100, 999)}",
            preferred_contact="phone",
            property=homes.get(person.pk) if person else None,
            what=story.what,
            where=story.where,
            who=story.who,
            how_often=story.how_often,
            when="Mostly in the evenings",
            steps_taken="I have spoken to them once.",
            other_agencies="None yet",
            via="command",
        )

    # Waiting for triage: the queue, oldest first.
    for n, hours in enumerate((50, 20, 3, 1)):
        report(n, STORIES[n % len(STORIES)], now - timedelta(hours=hours), rng.choice(["phone", "email", "web"]))

    # Triaged into cases, each with the tier the profile's screen gives.
    cases = []
    for n, days in enumerate((12, 6, 4, 2, 1), start=4):
        story = STORIES[n % len(STORIES)]
        item = report(n, story, now - timedelta(days=days))
        report_triage(
            actor=adviser,
            report=item,
            is_asb=True,
            category=_category(profile, story.flag),
            screen={code: True for code in story.screen},
            via="command",
        )
        item.refresh_from_db()
        if item.case is not None:
            cases.append(item.case)
    # The first case has been answered; the oldest others are left to show "overdue".
    if len(cases) > 1:
        case = cases[1]
        reporter = Party.objects.filter(case=case, role=PartyRole.REPORTER).first()
        worker = case.officer or officer
        contact_record(
            actor=worker,
            case=case,
            party=reporter,
            channel="phone",
            at=max(case.opened_at, now - timedelta(days=1)),
            summary="Called the reporter; agreed a weekly phone update and sent diary sheets.",
            via="command",
        )
        if reporter is not None:
            contact_plan_agree(
                actor=worker, case=case, party=reporter, channel="phone", every_days=7,
                agreed_at=max(case.opened_at, now - timedelta(days=1)), notes="Weekday evenings", via="command",
            )  # fmt: skip
    _keep_in_touch(cases, officer, now)
    workspace_generate(cases=cases, officer=officer, profile=profile, rng=rng)
    interventions_generate(cases=cases, users=users, profile=profile)
    reviews_generate(cases=cases, users=users, profile=profile)
    case_reviews_generate(cases=cases, users=users, profile=profile)
    closures_generate(cases=cases, users=users, profile=profile)
    surveys_generate(cases=cases, users=users, profile=profile)
    letters_generate(cases=cases, users=users)
    # A repeat report linked to the open case, and one that is not ASB.
    if cases:
        repeat = report(10, STORIES[0], now - timedelta(hours=30))
        report_triage(actor=adviser, report=repeat, is_asb=True, link_to_case=cases[0].reference, via="command")
    everyday = report(
        11,
        Story(
            "",
            "Children playing football in the street after school.",
            "Outside my house",
            "Local children",
            "Weekdays",
        ),
        now - timedelta(days=3),
    )
    route = profile.not_asb.advice_routes[0]
    report_triage(
        actor=adviser,
        report=everyday,
        is_asb=False,
        not_asb_reason=profile.not_asb.reasons[0],
        advice_given=route.advice,
        advice_routes=[route.code],
        via="command",
    )
    return made
