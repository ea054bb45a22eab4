"""The action plan (livv 4 "Case Management": the officer "will agree an action plan with the
customer"; pnp 5.1: "a risk assessment and action plan are put in place at the earliest
opportunity"; wwh 4.0: record the actions, confirm who does what, monitor that they progress).

Rules proved here: every action has an owner (a named member of staff of the landlord, the
reporter or another party of the case, or a partner agency) and a due date not before the case
opened; done / not done needs an outcome and a done action's completion date is today unless given
and never in the future; a stale update is refused and changes nothing; the plan is agreed with a
party who can be contacted (not an anonymous reporter), not in the future, not before the case
opened, shared no earlier than agreed, and only once there are actions; each write is audited and
keeps the case's clocks (``next_due_at``, ``last_activity_at``); a case without an agreed plan past
``action_plan_due_at`` (the profile's ``casework.action_plan_within`` in working days) is in breach,
for every profile, on the page and in the list filters; open actions past their date are overdue.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Action, ActionPlan, ActionStatus, Case, Party, PartyRole
from haven.cases.selectors.plans import action_overdue_q, plan_breach, plan_breach_q
from haven.cases.selectors.risk import full_risk_deadline
from haven.cases.services import contact_record
from haven.cases.services.plans import action_add, action_plan_agree, action_update
from haven.cases.services.risk import risk_assess
from haven.cases.tests.factories import open_case, signed_in, text
from haven.cases.tests.test_risk import lowest
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.intake.services import report_create, report_triage
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
Staff = Callable[[str], tuple[Landlord, User, User]]
PROFILES = ["whg", "wwh", "emh", "livv", "pnp"]
# A category and tier of each profile that open an ordinary (unrestricted) case.
TRIAGE = {
    "whg": {"category": "animal_nuisance", "tier": "standard"},
    "wwh": {"category": "animal_nuisance", "tier": "low_level"},
    "emh": {"category": "pets_animals", "tier": "low"},
    "livv": {"category": "animal_nuisance", "tier": "low"},
    "pnp": {"category": "pets", "tier": "low_level"},
}


def a_case(policy_id: str, staff: Staff, **triage: object) -> tuple[Case, User, User]:
    landlord, adviser, officer = staff(policy_id)
    case = open_case(landlord, adviser, officer, **{**TRIAGE[policy_id], **triage})
    return case, adviser, officer


def reporter_of(case: Case) -> Party:
    return Party.objects.get(case=case, role=PartyRole.REPORTER)


def add(case: Case, officer: User, **changes: object) -> Action:
    values: dict[str, object] = {
        "description": "Visit the flat and speak to the household",
        "owner": "landlord",
        "owner_user": officer,
        "due_on": timezone.localdate() + timedelta(days=7),
    }
    values.update(changes)
    return action_add(actor=officer, case=case, **values)  # type: ignore[arg-type]


# ---- adding actions ------------------------------------------------------------------------------


def test_an_action_is_added_with_its_owner_audited_and_the_case_clocks_kept(staff: Staff) -> None:
    case, _, officer = a_case("livv", staff)
    due = timezone.localdate() + timedelta(days=2)
    action = add(case, officer, due_on=due, source="first visit")
    assert (action.owner, action.owner_user, action.status, action.created_by) == ("landlord", officer, "open", officer)
    case.refresh_from_db()
    end_of_due_day = timezone.make_aware(datetime.combine(due, datetime.max.time().replace(microsecond=0)))
    assert case.next_due_at == min(end_of_due_day, case.response_due_at, case.action_plan_due_at)
    assert case.last_activity_at is not None and case.last_activity_at > timezone.now() - timedelta(minutes=1)
    event = AuditEvent.objects.get(verb=Verb.ACTION_ADDED, object_label=case.reference)
    assert event.changes == {
        "action": [None, action.pk],
        "owner": [None, "landlord"],
        "due_on": [None, due.isoformat()],
    }


def test_each_kind_of_owner_is_kept_the_way_it_was_chosen(staff: Staff) -> None:
    case, _, officer = a_case("livv", staff)
    witness = Party.objects.create(case=case, role=PartyRole.WITNESS, name="Pat Lee")
    by_reporter = add(case, officer, owner="reporter", owner_user=officer, owner_party=reporter_of(case))
    by_witness = add(case, officer, owner="party", owner_user=None, owner_party=witness)
    by_police = add(case, officer, owner="partner", owner_user=None, owner_partner="police")
    by_label = add(case, officer, owner="partner", owner_user=None, owner_partner="merseyside police")
    by_name = add(case, officer, owner="partner", owner_user=None, owner_partner="Knowsley Mediation Service")
    assert (by_reporter.owner_user, by_reporter.owner_party) == (None, reporter_of(case))  # no stray staff owner
    assert by_witness.owner_party == witness
    assert [a.owner_partner for a in (by_police, by_label, by_name)] == [
        "police",
        "police",
        "Knowsley Mediation Service",
    ]


def test_an_action_without_an_owner_or_a_good_date_is_refused_and_nothing_is_written(
    staff: Staff, make_user: Callable[..., User], make_landlord: Callable[..., Landlord]
) -> None:
    case, _, officer = a_case("emh", staff)
    opened = timezone.localtime(case.opened_at).date()
    with pytest.raises(ApplicationError) as error:
        add(case, officer, owner="", description=" ", due_on=opened - timedelta(days=1), source="x" * 41)
    assert error.value.fields == {
        "owner": "Say who will do this.",
        "description": "Say what will be done.",
        "due_on": "The due date cannot be before the case's first report was received.",
        "source": "Say where it came from in no more than 40 characters.",
    }
    elsewhere = make_user(make_landlord("whg", slug="elsewhere"), "officer", username="elsewhere-officer")
    leaver = make_user(case.landlord, "officer", username="leaver")
    leaver.is_active = False
    leaver.save()
    other_case = open_case(case.landlord, officer, officer, **TRIAGE["emh"])
    refusals = [
        ({"owner": "landlord", "owner_user": None}, "owner_user", "Choose the member of staff"),
        ({"owner": "landlord", "owner_user": elsewhere}, "owner_user", "still working here"),
        ({"owner": "landlord", "owner_user": leaver}, "owner_user", "still working here"),
        ({"owner": "party", "owner_party": reporter_of(other_case)}, "owner_party", "not a party to this case"),
        ({"owner": "reporter", "owner_party": None}, "owner_party", "Choose the person"),
        ({"owner": "partner", "owner_partner": " "}, "owner_partner", "Choose the partner agency"),
        ({"owner": "pigeon"}, "owner", "Say who will do this"),
        ({"description": "x" * 2001}, "description", "no more than 2,000 characters"),
    ]
    for changes, field, words in refusals:
        with pytest.raises(ApplicationError) as error:
            add(case, officer, **changes)
        assert words in error.value.fields[field], (changes, error.value.fields)
    assert not Action.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(verb=Verb.ACTION_ADDED).exists()


def test_an_anonymous_reporter_cannot_be_given_an_action_or_agree_the_plan(staff: Staff) -> None:
    landlord, adviser, officer = staff("whg")
    report = report_create(
        actor=adviser, landlord=landlord, channel="phone", what="Dogs barking all day", where="Block B",
        anonymous=True, received_at=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    report_triage(actor=adviser, report=report, is_asb=True, officer=officer, **TRIAGE["whg"])  # type: ignore[arg-type]
    report.refresh_from_db()
    assert report.case is not None
    nobody = reporter_of(report.case)
    with pytest.raises(ApplicationError, match="anonymous reporter cannot be contacted"):
        add(report.case, officer, owner="reporter", owner_party=nobody)
    add(report.case, officer)
    with pytest.raises(ApplicationError, match="anonymous reporter cannot be contacted, so cannot agree a plan"):
        action_plan_agree(
            actor=officer, case=report.case, agreed_with=nobody, agreed_on=timezone.localdate(), shared_how="phone"
        )


# ---- updating actions ----------------------------------------------------------------------------


def test_done_needs_an_outcome_and_is_completed_today_unless_told(staff: Staff) -> None:
    case, _, officer = a_case("pnp", staff)
    action = add(case, officer)
    with pytest.raises(ApplicationError) as error:
        action_update(actor=officer, action=action, status="done", version=version_of(action.updated_at))
    assert error.value.fields == {"outcome": "Say what came of it."}
    with pytest.raises(ApplicationError, match="Say why it was not done"):
        action_update(actor=officer, action=action, status="not_done", outcome=" ", version=None)
    with pytest.raises(ApplicationError, match="cannot be in the future"):
        action_update(
            actor=officer, action=action, status="done", outcome="Visited", version=None,
            completed_on=timezone.localdate() + timedelta(days=1),
        )  # fmt: skip
    done = action_update(
        actor=officer, action=action, status="done", outcome="Visited; music turned down", version=None
    )
    assert (done.status, done.completed_on) == (ActionStatus.DONE, timezone.localdate())
    event = AuditEvent.objects.get(verb=Verb.ACTION_UPDATED, object_label=case.reference)
    assert event.changes["status"] == ["open", "done"]
    assert event.changes["outcome"] == [False, True]  # free text stays out of the audit
    assert "Visited" not in str(event.changes)
    case.refresh_from_db()
    assert case.next_due_at == min(case.response_due_at, case.action_plan_due_at)  # a done action is not due


def test_a_stale_update_is_refused_and_changes_nothing(staff: Staff) -> None:
    case, _, officer = a_case("wwh", staff)
    action = add(case, officer)
    seen = version_of(action.updated_at)
    action_update(actor=officer, action=action, status="in_progress", version=seen)
    with pytest.raises(ApplicationError) as error:
        action_update(actor=officer, action=action, status="done", outcome="Done it", version=seen)
    assert error.value.code == "stale" and "Someone else changed this action" in error.value.message
    action.refresh_from_db()
    assert (action.status, action.outcome) == ("in_progress", "")
    with pytest.raises(ApplicationError, match="Nothing would change"):
        action_update(actor=officer, action=action, status="in_progress", version=version_of(action.updated_at))


# ---- agreeing the plan ---------------------------------------------------------------------------


def test_the_plan_is_agreed_only_after_actions_and_with_sensible_dates(staff: Staff) -> None:
    case, _, officer = a_case("emh", staff)
    reporter, today = reporter_of(case), timezone.localdate()
    with pytest.raises(ApplicationError) as error:
        action_plan_agree(actor=officer, case=case, agreed_with=reporter, agreed_on=today, shared_how="letter")
    assert error.value.fields == {"agreed_with": "Add the actions first, then record that the plan was agreed."}
    add(case, officer)
    with pytest.raises(ApplicationError) as error:
        action_plan_agree(
            actor=officer, case=case, agreed_with=None, agreed_on=today + timedelta(days=1), shared_how="fax",
            notes="n" * 2001,
        )  # fmt: skip
    assert set(error.value.fields) == {"agreed_with", "agreed_on", "shared_how", "notes"}
    opened = timezone.localtime(case.opened_at).date()
    with pytest.raises(ApplicationError) as error:
        action_plan_agree(
            actor=officer, case=case, agreed_with=reporter, agreed_on=opened - timedelta(days=1), shared_how="email"
        )
    assert error.value.fields == {"agreed_on": "The plan cannot be agreed before the case's first report was received."}
    with pytest.raises(ApplicationError, match="cannot be shared before it was agreed"):
        action_plan_agree(
            actor=officer, case=case, agreed_with=reporter, agreed_on=today, shared_on=today - timedelta(days=1),
            shared_how="email",
        )  # fmt: skip
    assert not ActionPlan.objects.filter(case=case).exists()
    plan = action_plan_agree(
        actor=officer, case=case, agreed_with=reporter, agreed_on=today, shared_on=today, shared_how="email"
    )
    assert (plan.agreed_with, plan.agreed_by, plan.shared_how) == (reporter, officer, "email")
    again = action_plan_agree(actor=officer, case=case, agreed_with=reporter, agreed_on=today, shared_how="letter")
    assert again.pk == plan.pk and ActionPlan.objects.filter(case=case).count() == 1
    events = AuditEvent.objects.filter(verb=Verb.ACTION_PLAN_AGREED, object_label=case.reference).order_by("pk")
    assert [e.changes["shared_how"] for e in events] == [[None, "email"], ["email", "letter"]]


def test_people_who_may_not_work_the_case_cannot_touch_its_plan(
    staff: Staff, make_user: Callable[..., User], make_landlord: Callable[..., Landlord]
) -> None:
    case, adviser, officer = a_case("whg", staff)
    action = add(case, officer)
    auditor = make_user(case.landlord, "auditor")
    other_team = case.landlord.teams.exclude(pk=case.team_id).first()
    stranger = make_user(case.landlord, "officer", username="whg-officer-2")
    stranger.team = other_team
    stranger.save()
    outsider = make_user(make_landlord("emh", slug="other"), "manager", username="other-manager")
    for who in (adviser, auditor, stranger, outsider):
        with pytest.raises(ApplicationError, match="You cannot change this case"):
            add(case, who, owner_user=officer)
        with pytest.raises(ApplicationError, match="You cannot change this case"):
            action_update(actor=who, action=action, status="in_progress", version=None)
        with pytest.raises(ApplicationError, match="You cannot change this case"):
            action_plan_agree(
                actor=who, case=case, agreed_with=reporter_of(case), agreed_on=timezone.localdate(), shared_how="phone"
            )
    assert Action.objects.filter(case=case).count() == 1 and not ActionPlan.objects.exists()


# ---- the breach, for every profile ---------------------------------------------------------------

# Opened Monday 2 March 2026, 10:15 (GMT, in office hours, so deemed received then). N working days
# end at 17:00 on the Nth working day after (no bank holidays in March 2026, England or Wales):
# 5 -> Monday 9 March; 10 -> Monday 16 March.
OPENED = datetime(2026, 3, 2, 10, 15, tzinfo=LONDON)
DUE_AFTER_WORKING_DAYS = {
    5: datetime(2026, 3, 9, 17, 0, tzinfo=LONDON),
    10: datetime(2026, 3, 16, 17, 0, tzinfo=LONDON),
}


@pytest.mark.parametrize("policy_id", PROFILES)
def test_a_case_without_an_agreed_plan_in_time_is_in_breach_until_one_is_agreed(policy_id: str, staff: Staff) -> None:
    within = get_profile(policy_id).casework.action_plan_within
    assert within.unit == "working_days", "this test works the due date out in working days"
    case, _, officer = a_case(policy_id, staff, received_at=OPENED)
    assert case.action_plan_due_at == DUE_AFTER_WORKING_DAYS[within.amount]
    just_before = DUE_AFTER_WORKING_DAYS[within.amount] - timedelta(minutes=1)
    assert not plan_breach(case, just_before) and plan_breach(case, timezone.now())
    assert list(Case.objects.filter(plan_breach_q(timezone.now()))) == [case]
    page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "No action plan agreed yet." in page and "Action plan overdue" in page
    assert f"It was due by {DUE_AFTER_WORKING_DAYS[within.amount]:%a %-d %b %Y}, 17:00." in page

    add(case, officer, owner="reporter", owner_party=reporter_of(case), description="Keep a diary of the barking")
    action_plan_agree(
        actor=officer, case=case, agreed_with=reporter_of(case), agreed_on=timezone.localdate(), shared_how="letter"
    )
    assert not plan_breach(case, timezone.now())
    assert not Case.objects.filter(plan_breach_q(timezone.now())).exists()
    page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "Action plan overdue" not in page and "No action plan agreed yet." not in page
    assert "Agreed late" in page  # agreed, but after the profile's allowed time


def test_a_closed_case_is_never_in_breach(staff: Staff) -> None:
    case, _, _ = a_case("livv", staff, received_at=OPENED)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now())
    case.refresh_from_db()
    assert not plan_breach(case, timezone.now()) and not Case.objects.filter(plan_breach_q(timezone.now())).exists()


def test_open_actions_past_their_date_are_overdue_and_each_case_listed_once(staff: Staff) -> None:
    case, _, officer = a_case("livv", staff, received_at=OPENED)
    quiet = open_case(case.landlord, officer, officer, received_at=OPENED, **TRIAGE["livv"])
    late = timezone.localdate() - timedelta(days=3)
    add(case, officer, due_on=late)
    add(case, officer, due_on=late - timedelta(days=1))
    finished = add(quiet, officer, due_on=late)
    action_update(actor=officer, action=finished, status="done", outcome="Letter sent", version=None)
    add(quiet, officer, due_on=timezone.localdate())  # due today: not overdue yet
    assert list(Case.objects.filter(action_overdue_q(timezone.localdate()))) == [case]


def test_agreeing_the_plan_moves_the_next_due_to_the_earliest_open_action(staff: Staff) -> None:
    case, _, officer = a_case("emh", staff)
    contact_record(
        actor=officer, case=case, party=reporter_of(case), channel="phone", at=timezone.now(), summary="Called back"
    )
    case.refresh_from_db()
    # Responded: the full risk assessment (emh 4.4: 5 working days) comes before the plan (10).
    assert case.next_due_at == full_risk_deadline(case) < case.action_plan_due_at
    risk_assess(actor=officer, case=case, party=reporter_of(case), answers=lowest(get_profile("emh")))
    case.refresh_from_db()
    assert case.next_due_at == case.action_plan_due_at  # assessed: the plan is the next thing due
    later = timezone.localdate() + timedelta(days=40)
    add(case, officer, due_on=later)
    case.refresh_from_db()
    assert case.next_due_at == case.action_plan_due_at
    action_plan_agree(
        actor=officer, case=case, agreed_with=reporter_of(case), agreed_on=timezone.localdate(), shared_how="phone"
    )
    case.refresh_from_db()
    assert timezone.localtime(case.next_due_at).date() == later


def test_nothing_is_added_to_a_closed_case(staff: Staff) -> None:
    case, _, officer = a_case("wwh", staff)
    action = add(case, officer)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now())
    case.refresh_from_db()
    with pytest.raises(ApplicationError, match="This case is closed"):
        add(case, officer)
    with pytest.raises(ApplicationError, match="This case is closed"):
        action_update(actor=officer, action=action, status="in_progress", version=None)
    with pytest.raises(ApplicationError, match="This case is closed"):
        action_plan_agree(
            actor=officer, case=case, agreed_with=reporter_of(case), agreed_on=timezone.localdate(), shared_how="phone"
        )
    assert Action.objects.filter(case=case).count() == 1
