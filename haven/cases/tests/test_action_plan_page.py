"""The action plan on the case page (livv 4 "Case Management"; pnp 5.1; wwh 4.0).

Rules proved here: an officer adds actions (owner by radio: a member of staff, a person in the case,
a partner of the profile or another agency by name), updates them and records the agreement from
the case page; bad input shows the form again as typed with its errors in the error summary and
writes nothing; a stale update says someone else changed the action, keeps what was typed and lets
the officer save again; "What is due" shows the plan due, the breach and overdue actions; people
who may not work the case see no forms and are refused (403, or 404 when they may not see it); the
part costs the same queries however many actions the case has.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.cases.models import Action, ActionPlan, Party, PartyRole
from haven.cases.selectors import case_detail
from haven.cases.services.plans import action_add, action_update
from haven.cases.tests.factories import open_case, signed_in, text
from haven.cases.views.plans import _part
from haven.common.stale import version_of

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]
LIVV = {"category": "animal_nuisance", "tier": "low"}


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).strftime("%d/%m/%Y")


def _add(case, officer, **changes) -> Action:  # type: ignore[no-untyped-def]
    values = {"description": "Visit the flat", "owner": "landlord", "owner_user": officer,
              "due_on": timezone.localdate() + timedelta(days=5)}  # fmt: skip
    values.update(changes)
    return action_add(actor=officer, case=case, **values)


@pytest.fixture
def livv(staff: Staff) -> tuple[object, User, User]:
    landlord, adviser, officer = staff("livv")
    return open_case(landlord, adviser, officer, **LIVV), adviser, officer


def test_an_officer_adds_actions_for_each_kind_of_owner_from_the_case_page(livv) -> None:  # type: ignore[no-untyped-def]
    case, _, officer = livv
    client = signed_in(officer)
    url = f"/cases/{case.reference}/actions/"
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    posts = [
        {"owner": "landlord", "owner_user": str(officer.pk), "description": "Write to the household"},
        {"owner": "person", "owner_party": str(reporter.pk), "description": "Keep a diary of the barking"},
        {"owner": "partner", "owner_partner": "kmbc_environmental_health", "description": "Noise monitoring"},
        {"owner": "partner", "owner_partner": "other", "owner_partner_name": "Dogs Trust", "description": "Advice"},
    ]
    for post in posts:
        data = {f"action-add-{k}": v for k, v in {**post, "due_on": _day(7), "source": "first visit"}.items()}
        response = client.post(url, data)
        assert response.status_code == 303 and response["Location"].endswith("#action-plan")
    page = text(client.get(f"/cases/{case.reference}/"))
    assert "Sam Tester" in page and "Amira Khan (reporter)" in page
    assert "KMBC Environmental Health" in page and "Dogs Trust" in page
    owners = list(Action.objects.filter(case=case).order_by("pk").values_list("owner", flat=True))
    assert owners == ["landlord", "reporter", "partner", "partner"]
    assert 'id="agree-plan"' in page  # the agreement form appears once there are actions


def test_a_bad_action_shows_the_form_again_as_typed_and_writes_nothing(livv) -> None:  # type: ignore[no-untyped-def]
    case, _, officer = livv
    client = signed_in(officer)
    data = {"action-add-description": "Speak to the neighbours", "action-add-owner": "landlord",
            "action-add-due_on": "31/02/2026"}  # fmt: skip
    response = client.post(f"/cases/{case.reference}/actions/", data)
    page = text(response)
    assert response.status_code == 400 and "There is a problem" in page
    assert "Enter the date as DD/MM/YYYY" in page and "Speak to the neighbours" in page
    data["action-add-due_on"] = _day(3)
    response = client.post(f"/cases/{case.reference}/actions/", data)
    assert response.status_code == 400
    assert '<a href="#action-add-owner_user">Choose the member of staff who will do this.</a>' in text(response)
    assert not Action.objects.exists()


def test_an_update_from_the_page_moves_the_action_on(livv) -> None:  # type: ignore[no-untyped-def]
    case, _, officer = livv
    action = _add(case, officer)
    client = signed_in(officer)
    prefix = f"action-{action.pk}"
    data = {f"{prefix}-status": "done", f"{prefix}-outcome": "", f"{prefix}-due_on": _day(5),
            f"{prefix}-version": version_of(action.updated_at)}  # fmt: skip
    response = client.post(f"/cases/{case.reference}/actions/{action.pk}/", data)
    assert response.status_code == 400 and '<a href="#' + prefix + '-outcome">Say what came of it.</a>' in text(
        response
    )
    data[f"{prefix}-outcome"] = "Letter sent and acknowledged"
    response = client.post(f"/cases/{case.reference}/actions/{action.pk}/", data)
    assert response.status_code == 303
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("done", timezone.localdate())


def test_a_stale_update_keeps_what_was_typed_and_can_be_saved_again(livv) -> None:  # type: ignore[no-untyped-def]
    case, _, officer = livv
    action = _add(case, officer)
    seen = version_of(action.updated_at)
    action_update(actor=officer, action=action, status="in_progress", version=seen)  # a colleague, meanwhile
    client = signed_in(officer)
    prefix = f"action-{action.pk}"
    data = {f"{prefix}-status": "done", f"{prefix}-outcome": "Mediation booked for Tuesday",
            f"{prefix}-due_on": _day(5), f"{prefix}-version": seen}  # fmt: skip
    response = client.post(f"/cases/{case.reference}/actions/{action.pk}/", data)
    page = text(response)
    assert response.status_code == 400 and "Someone else changed this action" in page
    assert "Mediation booked for Tuesday" in page
    action.refresh_from_db()
    assert action.status == "in_progress" and action.outcome == ""
    renewed = re.search(rf'name="{prefix}-version" value="([^"]+)"', page)
    assert renewed is not None and renewed.group(1) == version_of(action.updated_at)
    data[f"{prefix}-version"] = renewed.group(1)
    assert client.post(f"/cases/{case.reference}/actions/{action.pk}/", data).status_code == 303
    action.refresh_from_db()
    assert action.outcome == "Mediation booked for Tuesday"


def test_the_agreement_is_recorded_from_the_page(livv) -> None:  # type: ignore[no-untyped-def]
    case, _, officer = livv
    client = signed_in(officer)
    assert 'id="agree-plan"' not in text(client.get(f"/cases/{case.reference}/"))  # no actions yet
    _add(case, officer)
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    data = {"agree-plan-agreed_with": str(reporter.pk), "agree-plan-agreed_on": _day(0),
            "agree-plan-shared_how": "letter", "agree-plan-shared_on": _day(-1)}  # fmt: skip
    response = client.post(f"/cases/{case.reference}/action-plan/", data)
    assert response.status_code == 400 and "The plan cannot be shared before it was agreed." in text(response)
    data["agree-plan-shared_on"] = _day(0)
    assert client.post(f"/cases/{case.reference}/action-plan/", data).status_code == 303
    plan = ActionPlan.objects.get(case=case)
    assert (plan.agreed_with, plan.shared_how, plan.shared_on) == (reporter, "letter", timezone.localdate())
    page = text(client.get(f"/cases/{case.reference}/"))
    assert 'data-testid="action-plan-agreement"' in page and "Amira Khan (reporter)" in page
    assert "Action plan due" not in page and "Agreed late" not in page


def test_what_is_due_shows_the_plan_due_and_actions_overdue(staff: Staff) -> None:
    landlord, adviser, officer = staff("pnp")
    case = open_case(landlord, adviser, officer, category="pets", tier="low_level",
                     received_at=timezone.now() - timedelta(days=3))  # fmt: skip
    client = signed_in(officer)
    due_box = text(client.get(f"/cases/{case.reference}/")).split('data-testid="due"')[1].split("</div>")[0]
    assert "Action plan due" in due_box and "Agree an action plan with the reporter by" in due_box
    assert "Action plan overdue" not in due_box and "Actions overdue" not in due_box
    late = _add(case, officer, due_on=timezone.localdate() - timedelta(days=1))
    _add(case, officer, due_on=timezone.localdate() - timedelta(days=2))
    due_box = text(client.get(f"/cases/{case.reference}/")).split('data-testid="due"')[1].split("</div>")[0]
    earliest = timezone.localdate() - timedelta(days=2)
    assert f"2 actions past the due date, the earliest due {earliest.day} {earliest:%b %Y}" in due_box
    action_update(actor=officer, action=late, status="cancelled", version=None)
    due_box = text(client.get(f"/cases/{case.reference}/")).split('data-testid="due"')[1].split("</div>")[0]
    assert "1 action past the due date" in due_box


def test_people_who_may_not_work_the_case_see_no_forms_and_are_refused(
    livv, make_user: Callable[..., User], make_landlord: Callable[..., Landlord]
) -> None:  # type: ignore[no-untyped-def]
    case, adviser, officer = livv
    action = _add(case, officer)
    auditor = make_user(case.landlord, "auditor")
    stranger = make_user(case.landlord, "officer", username="livv-officer-2")
    stranger.team = case.landlord.teams.exclude(pk=case.team_id).first()
    stranger.save()
    outsider = make_user(make_landlord("emh", slug="other"), "manager", username="other-manager")
    posts = [
        (f"/cases/{case.reference}/actions/", {"action-add-description": "x", "action-add-owner": "landlord",
                                               "action-add-owner_user": str(officer.pk), "action-add-due_on": _day(1)}),
        (f"/cases/{case.reference}/actions/{action.pk}/", {f"action-{action.pk}-status": "in_progress",
                                                          f"action-{action.pk}-due_on": _day(5)}),
        (f"/cases/{case.reference}/action-plan/", {"agree-plan-agreed_on": _day(0)}),
    ]  # fmt: skip
    for who, refused in ((adviser, 403), (auditor, 403), (stranger, 404), (outsider, 404)):
        client = signed_in(who)
        if refused == 403:
            page = text(client.get(f"/cases/{case.reference}/"))
            assert "Visit the flat" in page and 'id="action-add"' not in page and f'id="action-{action.pk}"' not in page
        for url, data in posts:
            assert client.post(url, data).status_code == refused, (who.username, url)
    action.refresh_from_db()
    assert Action.objects.count() == 1 and action.status == "open" and not ActionPlan.objects.exists()


def test_an_action_of_another_case_is_not_found(livv) -> None:  # type: ignore[no-untyped-def]
    case, adviser, officer = livv
    other = open_case(case.landlord, adviser, officer, **LIVV)
    theirs = _add(other, officer)
    data = {f"action-{theirs.pk}-status": "in_progress", f"action-{theirs.pk}-due_on": _day(5)}
    assert signed_in(officer).post(f"/cases/{case.reference}/actions/{theirs.pk}/", data).status_code == 404


def test_the_action_plan_part_costs_the_same_queries_however_many_actions(livv) -> None:  # type: ignore[no-untyped-def]
    case, _, officer = livv
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    client = signed_in(officer)
    _add(case, officer)
    client.get(f"/cases/{case.reference}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.reference}/")
    for n in range(8):
        _add(case, officer, description=f"Action {n}", owner="reporter", owner_party=reporter, owner_user=None)
        _add(case, officer, description=f"Partner {n}", owner="partner", owner_partner="police", owner_user=None)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(f"/cases/{case.reference}/"))
    assert "Partner 7" in page and "Merseyside Police" in page
    assert len(many.captured_queries) == len(few.captured_queries)
    loaded = case_detail(user=officer, reference=case.reference)  # as the case page loads it
    with CaptureQueriesContext(connection) as part:
        _part(officer, loaded, {})
    assert len(part.captured_queries) <= 3  # the agreement, the actions with owners, the staff list
