"""Closing and reopening a case through the API (API.md: ``POST /api/v1/cases/{reference}/close``
``{"reason", "outcome", "resolved": bool}``), and the timeline endpoint in the schema.

Rules proved here, in every bundled profile: the case's officer, ASB specialists and team managers
close (with reason, outcome and resolved, pnp 8.2) and reopen (with a reason); advisers, auditors
and other officers get a 403, another landlord's staff a 404; a move the workflow does not allow
(closing a closed case) is a 409; missing or bad fields are a 400 naming each with nothing saved;
a retry with the same Idempotency-Key closes once; the API case document's ``active`` is the
WWH 5.0 rule; the OpenAPI schema documents the new paths and filters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from haven.accounts.models import Landlord, Role, Team, User
from haven.accounts.services import token_create, user_create
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, StatusChange
from haven.cases.tests.test_workflow import open_any

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]
PROFILES = ["whg", "wwh", "emh", "livv", "pnp"]
CLOSE = {"reason": "Quiet for eight weeks", "outcome": "Warning letter worked", "resolved": True}


def _user(landlord: Landlord, role: str, name: str, team: Team | None = None) -> User:
    return user_create(
        actor="tests", landlord=landlord, username=f"{landlord.slug}-{name}", role=Role(role), password="x" * 16,
        first_name=name.title(), last_name="Tester", team=team, via="command",
    )  # fmt: skip


def _post(user: User, path: str, body: Any, key: str | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_create(actor=user, user=user)}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return Client().post(path, data=body, content_type="application/json", **headers)


def _fields(response: Any) -> set[str | None]:
    return {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize("policy_id", PROFILES)
def test_the_officer_closes_and_reopens_a_case(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = open_any(landlord, adviser, officer)
    closed = _post(officer, f"/api/v1/cases/{case.reference}/close", CLOSE)
    assert closed.status_code == 200, closed.json()
    body = closed.json()
    assert (body["status"], body["active"], body["reference"]) == ("closed", False, case.reference)
    assert body["closed_at"] is not None
    case.refresh_from_db()
    assert (case.closure_reason, case.outcome, case.resolved) == ("other", "Warning letter worked", True)
    event = AuditEvent.objects.get(verb=Verb.CASE_STATUS_CHANGED, object_id=str(case.pk))
    assert event.via == "api"
    reopened = _post(officer, f"/api/v1/cases/{case.reference}/reopen", {"reason": "More reports"})
    assert reopened.status_code == 200 and reopened.json()["status"] == "reopened"
    assert reopened.json()["active"] is True


def test_a_closure_reason_code_may_be_given_and_a_bad_one_is_named(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_any(landlord, adviser, officer)
    bad = _post(officer, f"/api/v1/cases/{case.reference}/close", {**CLOSE, "closure_reason": "bored"})
    assert bad.status_code == 400 and _fields(bad) == {"closure_reason"}
    good = _post(officer, f"/api/v1/cases/{case.reference}/close", {**CLOSE, "closure_reason": "legal_action"})
    assert good.status_code == 200
    case.refresh_from_db()
    assert case.closure_reason == "legal_action"


@pytest.mark.parametrize(
    ("body", "fields"),
    [({}, {"reason", "outcome", "resolved"}), ({**CLOSE, "resolved": None}, {"resolved"}),
     ({**CLOSE, "resolved": "perhaps"}, {"resolved"}), ({**CLOSE, "outcome": "  "}, {"outcome"}),
     ({**CLOSE, "colour": "red"}, {"colour"}), ({**CLOSE, "reason": "x" * 2001}, {"reason"})],
)  # fmt: skip
def test_missing_or_bad_fields_are_named_and_nothing_is_saved(
    staff: Staff, body: dict[str, Any], fields: set[str]
) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_any(landlord, adviser, officer)
    response = _post(officer, f"/api/v1/cases/{case.reference}/close", body)
    assert response.status_code == 400 and _fields(response) == fields
    case.refresh_from_db()
    assert case.status == "open" and not StatusChange.objects.exists()


def test_closing_a_closed_case_is_a_conflict_and_reopening_an_open_one_too(staff: Staff) -> None:
    landlord, adviser, officer = staff("wwh")
    case = open_any(landlord, adviser, officer)
    refused = _post(officer, f"/api/v1/cases/{case.reference}/reopen", {"reason": "x"})
    assert refused.status_code == 409 and "Only a closed case can be reopened." in str(refused.json())
    assert _post(officer, f"/api/v1/cases/{case.reference}/close", CLOSE).status_code == 200
    again = _post(officer, f"/api/v1/cases/{case.reference}/close", CLOSE)
    assert again.status_code == 409 and again.json()["errors"][0]["message"] == "This case is already closed."


def test_a_retry_with_the_same_key_closes_once(staff: Staff) -> None:
    landlord, adviser, officer = staff("livv")
    case = open_any(landlord, adviser, officer)
    first = _post(officer, f"/api/v1/cases/{case.reference}/close", CLOSE, key="close-1")
    second = _post(officer, f"/api/v1/cases/{case.reference}/close", CLOSE, key="close-1")
    assert first.status_code == second.status_code == 200 and second["Idempotent-Replayed"] == "true"
    assert StatusChange.objects.filter(case=case).count() == 1


def test_who_may_not_close_or_reopen(staff: Staff) -> None:
    landlord, adviser, _officer = staff("pnp")
    team = Team.objects.filter(landlord=landlord).first()
    owner, colleague = _user(landlord, "officer", "owner", team), _user(landlord, "officer", "colleague", team)
    auditor = _user(landlord, "auditor", "auditor")
    _, _, stranger = staff("emh")
    case = open_any(landlord, adviser, owner)
    for someone, status in ((adviser, 403), (auditor, 403), (colleague, 403), (stranger, 404)):
        response = _post(someone, f"/api/v1/cases/{case.reference}/close", CLOSE)
        assert response.status_code == status, (someone.role, response.json())
    assert _post(owner, "/api/v1/cases/ASB-2026-999999/close", CLOSE).status_code == 404
    for role in ("specialist", "manager"):
        decider = _user(landlord, role, role)
        assert _post(decider, f"/api/v1/cases/{case.reference}/close", CLOSE).status_code == 200
        assert _post(decider, f"/api/v1/cases/{case.reference}/reopen", {"reason": "Again"}).status_code == 200
    assert _post(colleague, f"/api/v1/cases/{case.reference}/reopen", {"reason": "Again"}).status_code == 403
    assert Case.objects.get(pk=case.pk).status == "reopened"


def test_the_schema_documents_close_reopen_timeline_and_the_new_filters(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for suffix in ("close", "reopen", "timeline"):
        assert f"/api/v1/cases/{{reference}}/{suffix}" in paths
    names = {p["name"] for p in paths["/api/v1/cases"]["get"]["parameters"]}
    assert {"flag", "patch", "due", "sort", "active"} <= names
