"""``haven demo --cases N``: many cases written in bulk (haven.demo.scale) hold the same stored
values the services would have written, so lists and pages built on them tell the truth.

Rules proved: flag rows match ``Case.flags``, which are the category's flags (emh 3.4-3.6), and
``restricted`` follows the restricting flags; ``response_due_at`` is the tier's target in working
time (emh 4.2; whg 2.5) and ``action_plan_due_at`` the profile's casework.action_plan_within
(pnp 5.1); ``next_contact_due_at`` is the last contact plus the plan's interval (whg 2.5);
``next_due_at`` is what ``cases.services.case_next_due`` gives (with the full risk assessment
due by casework.full_risk_within until one is recorded, emh 4.4, scored by the profile's
matrix); references come from the sequence the services use, which is moved on; the same seed
gives the same cases; queries grow with batches, not rows; every profile (whg, wwh, emh, livv,
pnp).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.accounts.selectors import landlord_calendar
from haven.cases.models import (
    OPEN_STATUSES,
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
from haven.cases.services.core import case_next_due, next_contact_due
from haven.cases.tests.factories import open_case
from haven.common.models import Sequence
from haven.demo.builder import demo_load
from haven.demo.scale import cases_generate
from haven.policies.matrix import score_matrix
from haven.policies.registry import get_profile
from haven.policies.schema import RESTRICTING_FLAGS

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 11, 23, 14, 30))
REFERENCE = re.compile(r"^ASB-(\d{4})-(\d{6})$")


def _landlord(policy_id: str = "emh") -> Landlord:
    demo_load(seed=5, properties_per_landlord=30, profiles=(policy_id,))
    return Landlord.objects.get(slug=policy_id)


def test_bulk_cases_come_with_reporters_contacts_incidents_plans_and_closures() -> None:
    landlord = _landlord()
    before = Case.objects.filter(landlord=landlord).count()  # the normal demo's cases, opened by the services
    made = cases_generate(landlord=landlord, count=300, seed=1, now=NOW, batch_size=120)
    cases = Case.objects.filter(landlord=landlord, routing_note="demo data (haven demo --cases)")
    assert made.cases == 300 and cases.count() == 300
    assert Case.objects.filter(landlord=landlord).count() == before + 300
    reporters = Counter(Party.objects.filter(case__in=cases, role=PartyRole.REPORTER).values_list("case", flat=True))
    assert len(reporters) == 300 and set(reporters.values()) == {1}
    reported = Party.objects.filter(case__in=cases, role=PartyRole.REPORTED).count()
    assert 100 < reported < 300
    assert made.rows["contacts"] == Contact.objects.filter(case__in=cases).count() > 300
    assert made.rows["incidents"] == Incident.objects.filter(case__in=cases).count() >= 300
    assert made.rows["actions"] == Action.objects.filter(case__in=cases).count() > 0
    assert ActionPlan.objects.filter(case__in=cases).count() > 0
    # Full risk assessments of the reporter, scored by the profile's matrix (emh 4.4).
    risks = list(RiskAssessment.objects.filter(case__in=cases).select_related("party"))
    assert made.rows["risk_assessments"] == len(risks) > 100
    profile = get_profile("emh")
    for risk in risks:
        result = score_matrix(profile=profile, answers=risk.answers)
        assert (risk.score, risk.band, risk.proposed_tier) == (result.score, result.band.code, result.proposed_tier)
        assert risk.party.role == PartyRole.REPORTER and risk.matrix_version == profile.risk_matrix.version
    # Spread over the last two years, with the older ones mostly closed, each with its closure.
    opened = sorted(cases.values_list("opened_at", flat=True))
    assert opened[0] > NOW - timedelta(days=731) and opened[-1] < NOW
    closed = cases.filter(status=CaseStatus.CLOSED)
    assert made.closed == closed.count() and 150 < closed.count() < 300
    assert not closed.filter(closed_at__isnull=True).exists()
    assert set(closed.values_list("closure_reason", flat=True)) <= {r.code for r in profile.closure.reasons}
    assert not closed.filter(resolved__isnull=True).exists() and not closed.filter(outcome="").exists()
    assert not cases.filter(status__in=OPEN_STATUSES, closed_at__isnull=False).exists()
    # Most have had their first response; some open ones are overdue, for the overdue list.
    assert cases.filter(first_response_at__isnull=False).count() > 250
    assert cases.filter(status=CaseStatus.OPEN, first_response_at__isnull=True, response_due_at__lt=NOW).exists()


@pytest.mark.parametrize("policy_id", ["whg", "wwh", "emh", "livv", "pnp"])
def test_flags_tiers_clocks_and_routing_follow_the_profile(policy_id: str) -> None:
    landlord = _landlord(policy_id)
    profile = get_profile(policy_id)
    calendar = landlord_calendar(landlord)
    cases_generate(landlord=landlord, count=120, seed=2, now=NOW)
    cases = list(
        Case.objects.filter(landlord=landlord, routing_note="demo data (haven demo --cases)").prefetch_related(
            "flag_rows"
        )
    )
    opening = {t.id for t in profile.triage.tiers if t.opens_case}  # never wwh's advice only (WWH 3.0)
    restricting = {f.value for f in RESTRICTING_FLAGS}
    staff = set(User.objects.filter(landlord=landlord).values_list("pk", flat=True))
    plan_within = profile.casework.action_plan_within
    for case in cases:
        assert sorted(row.flag for row in case.flag_rows.all()) == sorted(case.flags)
        assert {f.value for f in profile.category(case.category).flags} <= set(case.flags)
        assert case.restricted == bool(set(case.flags) & restricting)
        assert case.tier in opening
        assert case.officer_id in staff and case.team_id is not None
        target = profile.tier(case.tier).response_target
        assert case.response_due_at == calendar.due_at(case.opened_at, target.amount, target.unit)
        assert case.action_plan_due_at == calendar.due_at(case.opened_at, plan_within.amount, plan_within.unit)
        assert case.policy_id == policy_id and case.policy_version == profile.version
    assert len({c.category for c in cases}) > 3 and {c.status for c in cases} == {"open", "closed"}
    # Specialist routes by flag (emh 3.5-3.6): a hate case goes to the profile's specialist team.
    hate = [c for c in cases if "hate" in c.flags]
    assert hate and all(len(c.hate_strands) == 1 for c in hate)  # a monitored strand (TSM NM01 (b))
    assert not any(c.hate_strands for c in cases if "hate" not in c.flags)
    route = profile.routing.specialist_for({"hate"})
    if route is not None:
        assert {c.team.name for c in hate} == {route.team}  # type: ignore[union-attr]


def test_stored_clocks_are_what_the_services_would_compute() -> None:
    landlord = _landlord()
    cases_generate(landlord=landlord, count=200, seed=3, now=NOW)
    cases = Case.objects.filter(landlord=landlord, routing_note="demo data (haven demo --cases)")
    plans = {p.case_id: p for p in ContactPlan.objects.filter(case__in=cases)}
    assert plans, "some cases have a contact plan"
    for case in cases:
        # next_due_at: as case_refresh leaves it (cases.services.case_next_due).
        assert case.next_due_at == case_next_due(case), case.reference
        contacts = list(Contact.objects.filter(case=case).order_by("at").values_list("at", flat=True))
        plan = plans.get(case.pk)
        assert case.next_contact_due_at == next_contact_due(plan=plan, last_contact_at=contacts[-1] if plan else None)
        if case.first_response_at is not None:
            assert contacts[0] == case.first_response_at  # the first contact is the first response
        assert case.last_activity_at is not None and case.last_activity_at >= max([case.opened_at, *contacts])
        assert case.closed_at is None or case.last_activity_at >= case.closed_at


def test_references_are_unique_and_a_case_opened_afterwards_gets_the_next_one() -> None:
    landlord = _landlord()
    demo_cases = set(Case.objects.filter(landlord=landlord).values_list("reference", flat=True))
    assert demo_cases  # the normal demo opened some through the services: bulk cases go on top
    cases_generate(landlord=landlord, count=300, seed=4, now=NOW, batch_size=100)
    references = list(Case.objects.filter(landlord=landlord).values_list("reference", "opened_at"))
    assert len({r for r, _ in references}) == len(references)
    highest: dict[int, int] = {}
    for reference, opened_at in references:
        found = REFERENCE.match(reference)
        assert found is not None and int(found.group(1)) == timezone.localtime(opened_at).year
        year, number = int(found.group(1)), int(found.group(2))
        highest[year] = max(highest.get(year, 0), number)
    assert set(highest) == {2024, 2025, 2026}
    for year, number in highest.items():
        assert Sequence.objects.get(key=f"case:{landlord.pk}:{year}").last == number
    adviser = User.objects.get(username="emh-adviser")
    new = open_case(landlord, adviser, received_at=NOW)
    assert new.reference == f"ASB-2026-{highest[2026] + 1:06d}"


def _snapshot(landlord: Landlord) -> list[tuple[object, ...]]:
    # By the officer's username, not id: PostgreSQL does not roll its sequences back with the
    # transaction that made the demo officers, so ids differ between runs.
    cases = (
        Case.objects.filter(landlord=landlord, routing_note="demo data (haven demo --cases)")
        .select_related("officer")
        .order_by("reference")
    )
    return [
        (c.reference, c.category, c.tier, tuple(c.flags), c.status, c.opened_at, c.first_response_at,
         c.officer.username if c.officer else None,
         c.property_id, c.next_due_at, c.parties.count(), c.contacts.count(), c.incidents.count(), c.actions.count())
        for c in cases
    ]  # fmt: skip


class _Undo(Exception):
    pass


def test_the_same_seed_gives_the_same_cases() -> None:
    landlord = _landlord()
    runs = []
    for seed in (8, 8, 9):
        try:
            with transaction.atomic():
                cases_generate(landlord=landlord, count=80, seed=seed, now=NOW)
                runs.append(_snapshot(landlord))
                raise _Undo
        except _Undo:
            pass
    assert len(runs[0]) == 80
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_queries_grow_with_batches_not_with_cases() -> None:
    """Reads and counter updates are per batch; rows go in multi-row INSERTs (on SQLite, as many
    rows a statement as its 999-parameter limit allows, so INSERTs grow with rows / 20 or so)."""
    landlord = _landlord()
    cases_generate(landlord=landlord, count=100, seed=1, now=NOW)  # makes the extra officers and counters once
    others, inserts, rows = [], [], []
    for count in (100, 300):
        with CaptureQueriesContext(connection) as captured:
            made = cases_generate(landlord=landlord, count=count, seed=1, now=NOW, batch_size=300)
        sql = [q["sql"] for q in captured.captured_queries]
        others.append(sum(1 for q in sql if not q.startswith("INSERT")))
        inserts.append(sum(1 for q in sql if q.startswith("INSERT")))
        rows.append(sum(made.rows.values()))
    assert others[0] == others[1]
    assert inserts[1] <= rows[1] / 10
    assert CaseFlag.objects.filter(case__landlord=landlord).count() == sum(
        len(f) for f in Case.objects.filter(landlord=landlord).values_list("flags", flat=True)
    )


def test_the_command_adds_cases_to_the_landlords_asked_for(settings) -> None:  # type: ignore[no-untyped-def]
    """A landlord given cases that has as many as read month summaries (here 1) gets them worked out
    (ADR 0012)."""
    from io import StringIO

    from haven.insights.models import SummaryState

    settings.HAVEN_INSIGHT_SUMMARY_FROM = 1
    out = StringIO()
    call_command("demo", "--scale", "5", "--cases", "41", "--cases-for", "emh,pnp", stdout=out)
    said = out.getvalue()
    assert "Added 21 cases to emh" in said and "Added 20 cases to pnp" in said
    assert "Worked out the month summaries of emh" in said and "summaries of pnp" in said
    states = dict(SummaryState.objects.values_list("landlord__slug", "cases"))
    assert states == {slug: Case.objects.filter(landlord__slug=slug).count() for slug in ("emh", "pnp")}
    bulk = Case.objects.filter(routing_note="demo data (haven demo --cases)")
    assert Counter(bulk.values_list("landlord__slug", flat=True)) == {"emh": 21, "pnp": 20}
    with pytest.raises(CommandError, match="--cases-for takes demo landlords"):
        call_command("demo", "--cases", "5", "--cases-for", "nobody", stdout=StringIO())
    with pytest.raises(CommandError, match="--cases must be 0 or more"):
        call_command("demo", "--cases", "-1", stdout=StringIO())


# ---- the normal demo's casework, through the real services ----------------------------------------


@pytest.mark.parametrize("policy_id", ["whg", "wwh", "emh", "livv", "pnp"])
def test_the_normal_demo_records_contacts_and_plans_through_the_services(policy_id: str) -> None:
    from haven.audit.models import AuditEvent, Verb

    landlord = _landlord(policy_id)
    now = timezone.now()
    cases = Case.objects.filter(landlord=landlord)
    # Answered and kept to its plan; one whose latest update is missed (whg 2.5: "Update overdue").
    assert cases.filter(first_response_at__isnull=False, next_contact_due_at__gt=now).exists()
    assert cases.filter(next_contact_due_at__lt=now).count() == 1
    # A contact that is not with the reporter is not a first response (emh 4.2).
    other = Contact.objects.filter(case__in=cases, party__isnull=True).select_related("case")
    assert len(other) == 1 and other[0].case.first_response_at is None
    # Each written by the services, so each is in the audit trail (ARCHITECTURE.md 6): four on the
    # open cases and the first response of each of the two closed ones (demo/closures.py).
    events = AuditEvent.objects.filter(landlord=landlord)
    assert events.filter(verb=Verb.CONTACT_RECORDED).count() == Contact.objects.filter(case__in=cases).count() == 6
    assert events.filter(verb=Verb.CONTACT_PLAN_AGREED).count() == ContactPlan.objects.filter(case__in=cases).count()
    assert ContactPlan.objects.filter(case__in=cases).count() == 2
    for case in cases:
        assert case.next_due_at == case_next_due(case)
