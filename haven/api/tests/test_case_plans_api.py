"""The action plan through the API (livv 4 "Case Management"; pnp 5.1; wwh 4.0).

Rules proved here: ``GET .../action-plan`` shows the policy's due time, the breach, the agreement
and the actions with their owners; ``POST .../actions`` adds an action for each kind of owner and
refuses one without an owner or with a bad date (400, one error per field, nothing written);
``PATCH .../actions/{id}`` moves it on, needs an outcome when done, and answers 409 when its
``version`` is stale; ``POST .../action-plan`` records the agreement only after actions exist and
ends the breach; ``Idempotency-Key`` replays a retried add; people who can see the case but not
work on it get 403, others 404; the schema documents every endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import User
from haven.api.tests import test_reports_api as reports
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Action, ActionPlan, Case, Party, PartyRole

pytestmark = pytest.mark.django_db

api, emh_staff, new_report = reports.api, reports.emh_staff, reports.new_report
fields_of, message_for = reports.fields_of, reports.message_for
# Received Monday 2 March 2026, 10:15 GMT: emh's 10 working days end at 17:00 on Monday 16 March.
RECEIVED = "2026-03-02T10:15:00+00:00"


@pytest.fixture
def case(api: Callable[..., Any], new_report: Callable[..., str]) -> str:
    reference = new_report(received_at=RECEIVED)
    response = api("adviser", "post", f"/api/v1/reports/{reference}/triage", reports.LOW_NOISE)
    assert response.status_code == 200, response.json()
    return str(response.json()["case"]["reference"])


def _in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _add(api: Callable[..., Any], case: str, **changes: Any) -> Any:
    body = {"description": "Visit the flat", "owner": "landlord", "owner_user": "emh-officer", "due_on": _in(7)}
    body.update(changes)
    return api("officer", "post", f"/api/v1/cases/{case}/actions", {k: v for k, v in body.items() if v is not None})


def test_the_plan_shows_the_breach_until_actions_are_agreed(api, case) -> None:
    got = api("officer", "get", f"/api/v1/cases/{case}/action-plan")
    assert got.status_code == 200
    assert got.json() == {
        "reference": case,
        "action_plan_due_at": "2026-03-16T17:00:00+00:00",
        "breach": True,
        "agreement": None,
        "actions": [],
    }
    refused = api("officer", "post", f"/api/v1/cases/{case}/action-plan",
                  {"agreed_with": "reporter", "agreed_on": _in(0), "shared_how": "letter"})  # fmt: skip
    assert refused.status_code == 400
    assert message_for(refused, "agreed_with") == "Add the actions first, then record that the plan was agreed."
    added = _add(api, case, owner="reporter", owner_user=None, owner_party="reporter", description="Keep a diary")
    assert added.status_code == 201, added.json()
    agree = {"agreed_with": "reporter", "agreed_on": _in(0), "shared_how": "letter", "shared_on": _in(0)}
    agreed = api("officer", "post", f"/api/v1/cases/{case}/action-plan", agree)
    assert agreed.status_code == 200, agreed.json()
    body = agreed.json()
    reporter = Party.objects.get(case__reference=case, role=PartyRole.REPORTER)
    assert body["breach"] is False
    assert body["agreement"] == {"agreed_with": reporter.pk, "agreed_on": _in(0), "agreed_by": "emh-officer",
                                 "shared_how": "letter", "shared_on": _in(0), "notes": ""}  # fmt: skip
    assert [(a["owner"], a["owner_party"], a["owner_name"]) for a in body["actions"]] == [
        ("reporter", reporter.pk, "Amira Khan (reporter)")
    ]
    assert AuditEvent.objects.filter(verb=Verb.ACTION_PLAN_AGREED, object_label=case, via="api").count() == 1


def test_actions_are_added_for_each_kind_of_owner(api, case) -> None:
    staff = _add(api, case, source="case review")
    assert staff.status_code == 201, staff.json()
    assert staff.json()["source"] == "case review"
    assert {k: staff.json()[k] for k in ("owner", "owner_user", "owner_name", "status", "overdue")} == {
        "owner": "landlord", "owner_user": "emh-officer", "owner_name": "Sam Tester", "status": "open",
        "overdue": False,
    }  # fmt: skip
    partner = _add(api, case, owner="partner", owner_user=None, owner_partner="police")
    assert partner.json()["owner_partner"] == "police" and partner.json()["owner_name"] == "Police Services"  # emh 6.1
    named = _add(api, case, owner="partner", owner_user=None, owner_partner="Citizens Advice")
    assert named.json()["owner_name"] == "Citizens Advice"
    assert AuditEvent.objects.filter(verb=Verb.ACTION_ADDED, object_label=case, via="api").count() == 3


def test_a_bad_action_is_refused_with_one_error_per_field_and_nothing_written(api, case) -> None:
    response = _add(api, case, owner=None, owner_user=None, description="", due_on="2026-02-30", colour="red")
    assert response.status_code == 400
    assert sorted(fields_of(response)) == ["colour", "due_on"]  # the shape first
    response = _add(api, case, owner=None, owner_user=None, description="", due_on="2026-03-01")
    assert response.status_code == 400
    assert message_for(response, "owner") == "Say who will do this."
    assert message_for(response, "description") == "Say what will be done."
    assert message_for(response, "due_on") == "The due date cannot be before the case's first report was received."
    assert message_for(_add(api, case, owner_user="nobody"), "owner_user") == (
        "There is no member of staff with the user name nobody."
    )
    assert message_for(_add(api, case, owner="party", owner_user=None, owner_party=99999), "owner_party").startswith(
        "99999 is not a party to case"
    )
    assert not Action.objects.exists()


def test_an_action_is_updated_and_a_stale_version_is_a_409(api, case) -> None:
    added = _add(api, case).json()
    url = f"/api/v1/cases/{case}/actions/{added['id']}"
    needs = api("officer", "patch", url, {"status": "done", "version": added["version"]})
    assert needs.status_code == 400 and message_for(needs, "outcome") == "Say what came of it."
    moved = api("officer", "patch", url, {"status": "in_progress", "version": added["version"]})
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    stale = api("officer", "patch", url, {"status": "done", "outcome": "Visited", "version": added["version"]})
    assert stale.status_code == 409 and fields_of(stale) == ["version"]
    assert Action.objects.get(pk=added["id"]).status == "in_progress"
    done = api("officer", "patch", url, {"status": "done", "outcome": "Visited", "version": moved.json()["version"]})
    assert done.status_code == 200, done.json()
    assert (done.json()["status"], done.json()["completed_on"]) == ("done", _in(0))
    unversioned = api("officer", "patch", url, {"outcome": "Visited twice"})  # no version: the API allows it
    assert unversioned.status_code == 200 and unversioned.json()["outcome"] == "Visited twice"
    assert api("officer", "patch", f"/api/v1/cases/{case}/actions/99999", {"status": "done"}).status_code == 404


def test_a_retried_add_with_the_same_key_creates_one_action(api, case) -> None:
    body = {"description": "Visit", "owner": "landlord", "owner_user": "emh-officer", "due_on": _in(3)}
    first = api("officer", "post", f"/api/v1/cases/{case}/actions", body, key="add-1")
    again = api("officer", "post", f"/api/v1/cases/{case}/actions", body, key="add-1")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Action.objects.count() == 1


def test_who_may_read_and_who_may_change_the_plan(api, case, make_user: Callable[..., User]) -> None:
    action = _add(api, case).json()
    make_user(Case.objects.get(reference=case).landlord, "auditor")
    for role in ("adviser", "auditor"):
        assert api(role, "get", f"/api/v1/cases/{case}/action-plan").status_code == 200
        assert _add_as(api, role, case).status_code == 403
        assert api(role, "patch", f"/api/v1/cases/{case}/actions/{action['id']}", {"status": "done"}).status_code == 403
        agree = {"agreed_with": "reporter", "agreed_on": _in(0), "shared_how": "phone"}
        assert api(role, "post", f"/api/v1/cases/{case}/action-plan", agree).status_code == 403
    Case.objects.filter(reference=case).update(restricted=True)  # now only its officer, specialists, managers
    assert api("adviser", "get", f"/api/v1/cases/{case}/action-plan").status_code == 404
    assert Action.objects.count() == 1 and not ActionPlan.objects.exists()


def _add_as(api: Callable[..., Any], role: str, case: str) -> Any:
    body = {"description": "Visit", "owner": "landlord", "owner_user": "emh-officer", "due_on": _in(3)}
    return api(role, "post", f"/api/v1/cases/{case}/actions", body)


def test_the_schema_documents_the_action_plan(api) -> None:
    schema = api("officer", "get", "/api/schema/?format=json").json()
    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/cases/{reference}/action-plan"])
    assert "post" in paths["/api/v1/cases/{reference}/actions"]
    assert "409" in paths["/api/v1/cases/{reference}/actions/{action_id}"]["patch"]["responses"]
