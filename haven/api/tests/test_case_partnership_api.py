"""Referrals and partnership meetings through the API (emh 6.1-6.2, 4.13; WWH 4.0 "Monitor Referrals").

Rules proved here: ``POST .../referrals`` makes a referral to a partner of the policy with the
default answer date in working days, and refuses one outside the policy or without a lawful basis
(400, one error per field, nothing written); ``GET .../referrals`` lists them; ``PATCH
.../referrals/{id}`` records the answer and answers 409 when ``version`` is stale; ``POST
.../meetings`` lists the case for a forum (an agency refused) and ``.../record`` adds the agreed
actions to the plan, all or nothing; ``GET /api/v1/referrals?overdue=true`` is scoped like the
case lists; another landlord's case is a 404, someone who may only see it gets 403; a retried
create with the same ``Idempotency-Key`` creates nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import Landlord
from haven.api.tests import test_reports_api as reports
from haven.api.tests.test_reports_api import make_staff
from haven.cases.models import Action, Case
from haven.interventions.models import MeetingAction, PartnershipMeeting, Referral

pytestmark = pytest.mark.django_db

api, emh_staff, new_report = reports.api, reports.emh_staff, reports.new_report
fields_of, message_for = reports.fields_of, reports.message_for
RECEIVED = "2026-03-02T10:15:00+00:00"


@pytest.fixture
def case(api: Callable[..., Any], new_report: Callable[..., str]) -> str:
    reference = new_report(received_at=RECEIVED)
    response = api("adviser", "post", f"/api/v1/reports/{reference}/triage", reports.LOW_NOISE)
    assert response.status_code == 200, response.json()
    return str(response.json()["case"]["reference"])


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


REFERRAL = {"partner": "police", "made_on": "2026-08-28", "reason": "Threats on the stairs", "consent": "given"}


def test_a_referral_is_made_listed_and_answered(api, case) -> None:  # type: ignore[no-untyped-def]
    """WWH 4.0: made on Friday 28 August 2026, the policy's 10 working days skip the August bank
    holiday: expected Monday 14 September; the answer is recorded with its version."""
    made = api("officer", "post", f"/api/v1/cases/{case}/referrals", {**REFERRAL, "party": "reporter"})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["partner_label"], body["response_due_on"], body["lawful_basis"]) == (
        "Police Services", "2026-09-14", "consent"
    )  # fmt: skip
    assert body["about"] == "Amira Khan (reporter)" and body["overdue"] is True and body["responded_on"] is None
    listed = api("officer", "get", f"/api/v1/cases/{case}/referrals")
    assert listed.status_code == 200 and [r["id"] for r in listed.json()["results"]] == [body["id"]]
    path = f"/api/v1/cases/{case}/referrals/{body['id']}"
    answer = {"responded_on": _day(0), "response": "A patrol will call", "version": body["version"]}
    answered = api("officer", "patch", path, answer)
    assert answered.status_code == 200, answered.json()
    assert (answered.json()["response"], answered.json()["overdue"]) == ("A patrol will call", False)
    stale = api("officer", "patch", path, {**answer, "response": "Something else"})
    assert stale.status_code == 409 and fields_of(stale) == ["version"]
    assert Referral.objects.get(pk=body["id"]).response == "A patrol will call"


def test_bad_referrals_are_refused_with_each_problem_named(api, case) -> None:  # type: ignore[no-untyped-def]
    """Issue 6 "Bad input": a partner not in the policy; no consent without a lawful basis (emh 4.13)."""
    refused = api("officer", "post", f"/api/v1/cases/{case}/referrals", {**REFERRAL, "partner": "interpol"})
    assert refused.status_code == 400
    assert message_for(refused, "partner").startswith("interpol is not one of")
    no_basis = api("officer", "post", f"/api/v1/cases/{case}/referrals", {**REFERRAL, "consent": "refused"})
    assert no_basis.status_code == 400 and sorted(fields_of(no_basis)) == ["basis_detail", "lawful_basis"]
    unknown = api("officer", "post", f"/api/v1/cases/{case}/referrals", {**REFERRAL, "colour": "red"})
    assert unknown.status_code == 400 and fields_of(unknown) == ["colour"]
    assert not Referral.objects.exists()


def test_another_landlords_case_is_404_and_a_viewer_gets_403(api, case, make_landlord, make_user) -> None:  # type: ignore[no-untyped-def]
    """API.md: 404 for a case the caller may not see; 403 for who may see but not write."""
    whg: Landlord = make_staff(make_landlord("whg"), make_user)
    assert api("officer", "get", f"/api/v1/cases/{case}/referrals", landlord=whg).status_code == 404
    assert api("officer", "post", f"/api/v1/cases/{case}/referrals", REFERRAL, landlord=whg).status_code == 404
    assert api("officer", "get", f"/api/v1/cases/{case}/meetings", landlord=whg).status_code == 404
    assert api("adviser", "post", f"/api/v1/cases/{case}/referrals", REFERRAL).status_code == 403
    assert not Referral.objects.exists()


def test_a_retried_referral_with_the_same_key_creates_nothing_new(api, case) -> None:  # type: ignore[no-untyped-def]
    """API.md: Idempotency-Key on POST."""
    first = api("officer", "post", f"/api/v1/cases/{case}/referrals", REFERRAL, key="ref-1")
    again = api("officer", "post", f"/api/v1/cases/{case}/referrals", REFERRAL, key="ref-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert Referral.objects.count() == 1


def test_meetings_are_listed_for_a_forum_and_their_actions_join_the_plan(api, case) -> None:  # type: ignore[no-untyped-def]
    """emh 6.2: an agency is not a meeting; the actions a meeting agreed join the action plan, and
    one bad action saves nothing."""
    path = f"/api/v1/cases/{case}/meetings"
    agency = api("officer", "post", path, {"forum": "police", "meets_on": _day(-1), "reason": "High risk"})
    assert agency.status_code == 400 and "is an agency, not a meeting" in message_for(agency, "forum")
    listed = api("officer", "post", path, {"forum": "marac", "meets_on": _day(-1), "reason": "High risk"})
    assert listed.status_code == 201, listed.json()
    meeting = listed.json()
    assert (meeting["forum_label"], meeting["held"], meeting["actions"]) == (
        "Multi Agency Risk Assessment Conference (MARAC)", False, []
    )  # fmt: skip
    record = f"{path}/{meeting['id']}/record"
    good = {"description": "Fit a door camera", "owner": "landlord", "owner_user": "emh-officer", "due_on": _day(7)}
    bad = {"description": "Patrols", "owner": "partner", "due_on": _day(7)}
    refused = api("officer", "post", record, {"held": True, "summary": "Safety plan", "actions": [good, bad]})
    assert refused.status_code == 400 and fields_of(refused) == ["actions.1.owner_partner"]
    assert not Action.objects.exists() and not MeetingAction.objects.exists()
    assert PartnershipMeeting.objects.get(pk=meeting["id"]).summary == ""
    body = {"held": True, "summary": "Safety plan", "actions": [good, {**bad, "owner_partner": "police"}],
            "version": meeting["version"]}  # fmt: skip
    done = api("officer", "post", record, body)
    assert done.status_code == 200, done.json()
    assert [(a["description"], a["owner_name"], a["source"]) for a in done.json()["actions"]] == [
        ("Fit a door camera", "Sam Tester", "meeting"),
        ("Patrols", "Police Services", "meeting"),
    ]
    plan = api("officer", "get", f"/api/v1/cases/{case}/action-plan").json()
    assert {a["description"] for a in plan["actions"]} == {"Fit a door camera", "Patrols"}
    stale = api("officer", "post", record, {"held": True, "summary": "Changed", "version": meeting["version"]})
    assert stale.status_code == 409
    got = api("officer", "get", path)
    assert got.status_code == 200 and len(got.json()["results"][0]["actions"]) == 2


def test_the_overdue_referrals_list_is_scoped_like_the_case_lists(api, case, make_landlord, make_user) -> None:  # type: ignore[no-untyped-def]
    """WWH 4.0 "Monitor Referrals": overdue=true lists the unanswered referrals past the day
    expected on cases the caller may see; another landlord's and a restricted case's are not shown
    to an officer who may not see them."""
    late = {**REFERRAL, "made_on": _day(-10), "response_due_on": _day(-1)}
    api("officer", "post", f"/api/v1/cases/{case}/referrals", late)
    api("officer", "post", f"/api/v1/cases/{case}/referrals", {**late, "response_due_on": _day(0)})
    specialist = make_user(Case.objects.get(reference=case).landlord, "specialist")
    restricted = Case.objects.get(reference=case)
    Case.objects.filter(pk=restricted.pk).update(restricted=True, officer=specialist)
    whg: Landlord = make_staff(make_landlord("whg"), make_user)
    assert api("officer", "get", "/api/v1/referrals?overdue=true").json()["count"] == 0
    assert api("specialist", "get", "/api/v1/referrals?overdue=true").json()["count"] == 1
    Case.objects.filter(pk=restricted.pk).update(restricted=False, officer=restricted.officer)
    overdue = api("officer", "get", "/api/v1/referrals?overdue=true")
    assert overdue.status_code == 200 and overdue.json()["count"] == 1
    assert overdue.json()["results"][0]["response_due_on"] == _day(-1)
    assert api("officer", "get", "/api/v1/referrals?overdue=false").json()["count"] == 1
    assert api("officer", "get", "/api/v1/referrals").json()["count"] == 2
    assert api("officer", "get", "/api/v1/referrals?overdue=true", landlord=whg).json()["count"] == 0
    refused = api("officer", "get", "/api/v1/referrals?overdue=maybe")
    assert refused.status_code == 400 and fields_of(refused) == ["overdue"]
