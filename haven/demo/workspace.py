"""The demo's case workspace (issue 5): on the demo case that has been answered, the officer's
full risk assessment, a reported person with a support need, an agreed action plan, an incident
they saw, and notes (one sensitive). Everything goes through the real services, so the demo shows
what the rules make of it; the other cases are left without a plan or an assessment, so their
breaches show as they fall due.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.utils import timezone

from haven.accounts.models import User
from haven.cases.models import Case, Party, PartyRole
from haven.cases.services.incidents import incident_record
from haven.cases.services.notes import note_add
from haven.cases.services.parties import case_party_add
from haven.cases.services.plans import action_add, action_plan_agree
from haven.cases.services.risk import risk_assess, support_need_record
from haven.policies.schema import PolicyProfile


def _middling(profile: PolicyProfile, rng: random.Random) -> dict[str, str]:
    """Answers a little above the lowest to each matrix question (deterministic for the seed)."""
    answers = {}
    for question in profile.risk_matrix.questions:
        options = sorted(question.options, key=lambda o: o.weight)
        answers[question.code] = options[min(len(options) - 1, rng.choice((0, 0, 1)))].code
    return answers


def workspace_generate(*, cases: list[Case], officer: User, profile: PolicyProfile, rng: random.Random) -> None:
    """Fill the workspace of the demo's answered case (``cases[1]``)."""
    if len(cases) < 2:
        return
    now = timezone.now()
    case = Case.objects.get(pk=cases[1].pk)
    worker = case.officer or officer
    reporter = Party.objects.filter(case=case, role=PartyRole.REPORTER).first()
    if reporter is None:
        return
    risk_assess(actor=worker, case=case, party=reporter, answers=_middling(profile, rng),
                notes="Reporter is anxious about going out in the evening.", via="command")  # fmt: skip
    reported = case_party_add(
        actor=worker, case=case, role=PartyRole.REPORTED, name="Occupant of the flat above",
        notes="Not yet identified from the register.", via="command",
    )  # fmt: skip
    support_need_record(actor=worker, case=case, party=reported, kind="mental_health",
                        description="Neighbours say the occupant has been unwell.", via="command")  # fmt: skip
    today = timezone.localdate()
    action_add(actor=worker, case=case, description="Visit the flat above and speak to the occupant.",
               owner="landlord", owner_user=worker, due_on=today + timedelta(days=3), via="command")  # fmt: skip
    action_add(actor=worker, case=case, description="Keep a diary of each incident for two weeks.",
               owner="reporter", owner_party=reporter, due_on=today + timedelta(days=14), via="command")  # fmt: skip
    action_plan_agree(actor=worker, case=case, agreed_with=reporter, agreed_on=today, shared_how="phone",
                      shared_on=today, notes="Read through on the phone.", via="command")  # fmt: skip
    incident_record(
        actor=worker, case=case, occurred_at=_earlier(now, case, hours=20), location="Stairwell outside flat 3",
        people="Two adults, not known", description="Officer heard loud music and shouting from the flat above.",
        source="officer", via="command",
    )  # fmt: skip
    note_add(actor=worker, case=case, text="Spoke to the caretaker: he has heard the noise too.", via="command")
    note_add(actor=worker, case=case, text="Reporter disclosed a health condition; see the risk assessment.",
             sensitive=True, via="command")  # fmt: skip


def _earlier(now: datetime, case: Case, *, hours: int) -> datetime:
    """A time ``hours`` ago, but never before the case's first report."""
    return max(case.opened_at, now - timedelta(hours=hours))
