"""Two demo cases closed through the real services (issue 7): each a report triaged to the demo
officer, answered by phone, and closed with the profile's closure conditions confirmed. Where the
profile asks for a manager's sign-off (``closure.manager_signoff``), the older one has been signed
off by the team manager and the newer one still waits for it. The older one has a complaint about
its outcome (whg 3.7), answered; the newer one a complaint about its handling (whg 3.6), open.
Closing invites each reporter to the survey by their preferred channel (the phone, so no e-mail
leaves the demo); ``demo.surveys`` records the answers of one."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from haven.accounts.models import User
from haven.cases.models import Case, CaseStatus, Closure, Party, PartyRole, SignOff
from haven.cases.services import contact_record
from haven.cases.services.workflow import case_transition
from haven.intake.services import report_create, report_triage
from haven.policies.schema import PolicyProfile
from haven.reviews.services.closure import closure_sign_off, complaint_answer, complaint_record

STORIES = (
    (
        "Jordan Pike",
        "Dogs barking through the night and fouling in the shared garden",
        "The shared garden behind the block",
    ),
    (
        "Sam Okafor",
        "Bikes ridden at speed along the footpath and shouting late at night",
        "The footpath by the garages",
    ),
)


def _closed_case(users: dict[str, User], profile: PolicyProfile, n: int, days_ago: int) -> Case | None:
    adviser, officer = users["adviser"], users["officer"]
    landlord = adviser.landlord
    assert landlord is not None
    now = timezone.now()
    name, what, where = STORIES[n]
    report = report_create(
        actor=adviser, landlord=landlord, channel="phone", received_at=now - timedelta(days=days_ago),
        reporter_name=name, reporter_phone=f"07700 90065{n}", preferred_contact="phone", what=what, where=where,
        who="Not known", how_often="Most days", when="Evenings", steps_taken="None", other_agencies="None yet",
        via="command",
    )  # fmt: skip
    category = next(c.code for c in profile.categories if not c.flags and not c.restricted)
    tier = [t for t in profile.triage.tiers if t.opens_case][-1]
    report = report_triage(
        actor=adviser, report=report, is_asb=True, category=category, tier=tier.id, officer=officer, via="command"
    )
    report.refresh_from_db()
    case = report.case
    if case is None:
        return None
    reporter = Party.objects.filter(case=case, role=PartyRole.REPORTER).first()
    contact_record(
        actor=officer, case=case, party=reporter, channel="phone", at=case.opened_at + timedelta(hours=3),
        summary="Called the reporter, agreed the steps and weekly updates.", via="command",
    )  # fmt: skip
    confirms = [c.code for c in profile.closure.conditions if c.kind == "confirm"]
    return case_transition(
        actor=officer, case=case, to=CaseStatus.CLOSED, reason="No incidents for four weeks; the reporter agrees.",
        closure_reason="resolved", outcome="The behaviour stopped after a visit and advice to the household.",
        resolved=True, confirmed=confirms, via="command",
    )  # fmt: skip


def closures_generate(*, cases: list[Case], users: dict[str, User], profile: PolicyProfile) -> None:
    """Two closed demo cases, one signed off and one awaiting sign-off, and their complaints (issue 7)."""
    if "adviser" not in users or "officer" not in users:
        return
    older = _closed_case(users, profile, 0, days_ago=45)
    newer = _closed_case(users, profile, 1, days_ago=30)
    officer, manager = users["officer"], users.get("manager")
    today = timezone.localdate()
    if older is not None:
        closure = Closure.objects.get(case=older)
        if closure.signoff == SignOff.AWAITING and manager is not None:
            closure_sign_off(actor=manager, closure=closure, decision=SignOff.SIGNED_OFF,
                             note="Checked: the reporter was told and the risk reviewed.", via="command")  # fmt: skip
        complaint = complaint_record(
            actor=officer, case=older, about="outcome", received_on=today, via="command",
            summary="The reporter feels the case was closed too soon: the dogs still bark some nights.",
        )  # fmt: skip
        complaint_answer(
            actor=officer, complaint=complaint, answered_on=today, via="command",
            answer="We explained why the case was closed, that a new report opens a new case, and the ASB Case Review.",
        )  # fmt: skip
    if newer is not None:
        complaint_record(
            actor=officer, case=newer, about="handling", received_on=today, complaints_reference="CMP-1042",
            summary="Nobody called back for a week after the first report.", via="command",
        )  # fmt: skip
