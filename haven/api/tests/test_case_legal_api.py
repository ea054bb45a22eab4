"""Legal actions through the API (whg 2.11; emh 5.5; pnp 5.6; emh 4.9; pnp 5.6.3).

Rules proved here: ``POST .../legal-actions`` starts one (201) and refuses an informal tool or a
Ground 7A action without its condition (400, one error per field, nothing written); ``GET`` lists
them and shows one with ``next_stages``, assessments, hearings and stage history; the assessment
is refused part by part and moves the action on; approval by a team manager only; ``move`` refuses
a stage skipped with what comes next and answers 409 for a stale ``version``; hearings only after
the claim, ``PATCH`` changes one; 404 for a case the caller may not see, 403 for who may see but
not work it; ``Idempotency-Key`` replays a retried start; the schema documents every endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts.services import token_create
from haven.interventions.models import LegalAction
from haven.interventions.tests.factories import Setting, setting
from haven.interventions.tests.test_legal import ASSESSMENT, REASON

pytestmark = pytest.mark.django_db


def _ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


@pytest.fixture
def api(emh: Setting) -> Callable[..., Any]:
    client = Client()
    tokens: dict[str, str] = {}

    def call(who: str, method: str, path: str, body: Any = None, key: str | None = None) -> Any:
        user = getattr(emh, who)
        if who not in tokens:
            tokens[who] = token_create(actor=user, user=user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[who]}"}
        if key:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        if method == "get":
            return client.get(path, **headers)
        return getattr(client, method)(path, data=body, content_type="application/json", **headers)

    return call


def errors(response: Any) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def base(emh: Setting) -> str:
    return f"/api/v1/cases/{emh.case.reference}/legal-actions"


def started(api: Callable[..., Any], emh: Setting, **more: Any) -> dict[str, Any]:
    body = {"code": "part1_injunction", "party": emh.reported.pk, "reason": REASON, "started_on": _ago(20), **more}
    response = api("officer", "post", base(emh), body)
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_start_list_and_show_with_next_stages(api, emh) -> None:  # type: ignore[no-untyped-def]
    """Start (stage considering), list, and one action with what can come next and its history."""
    action = started(api, emh)
    assert action["stage"] == "considering" and action["route"] == "injunction"
    assert action["next_stages"] == [{"stage": "concluded", "label": "Concluded", "needs": ["concluded_on", "outcome"]}]
    assert [c["stage_to"] for c in action["stage_history"]] == ["considering"]
    listed = api("officer", "get", base(emh)).json()
    assert listed["count"] == 1 and listed["results"][0]["next_step"].startswith("Record the proportionality")
    assert api("officer", "get", f"{base(emh)}/{action['id']}").json()["id"] == action["id"]


def test_start_refuses_an_informal_tool_and_ground_7a_without_its_condition(api, emh) -> None:  # type: ignore[no-untyped-def]
    """400 with one error per field (whg 2.11; pnp 5.6.2), nothing written."""
    body = {"code": "warning_letter", "party": emh.reported.pk, "reason": REASON, "started_on": _ago(1)}
    response = api("officer", "post", base(emh), body)
    assert response.status_code == 400 and "is not legal action" in errors(response)["code"]
    response = api("officer", "post", base(emh), {**body, "code": "possession_ground_7a"})
    assert set(errors(response)) == {"condition", "condition_on", "condition_detail"}
    assert not LegalAction.objects.exists()


def test_assessment_approval_move_and_hearings(api, emh) -> None:  # type: ignore[no-untyped-def]
    """The assessment part by part (emh 4.9), approval by a manager only, a skipped stage refused
    with what is next, a stale version 409, hearings after the claim only."""
    action = started(api, emh)
    url = f"{base(emh)}/{action['id']}"
    response = api("officer", "post", f"{url}/proportionality", {"legitimate_aim": "Protect neighbours"})
    assert response.status_code == 400 and "household_effect" in errors(response)
    body = {**ASSESSMENT, "assessed_on": _ago(15)}
    response = api("officer", "post", f"{url}/proportionality", body)
    assert response.status_code == 201 and response.json()["stage"] == "proportionality_assessed"
    response = api("officer", "post", f"{url}/approve", {"on": _ago(14), "note": "Go"})
    assert (
        response.status_code == 400
        and response.json()["errors"][0]["message"] == "Only a team manager can approve this legal action."
    )
    response = api("manager", "post", f"{url}/approve", {"on": _ago(14), "note": "Go"})
    assert response.status_code == 200 and response.json()["approved_by"] == "emh-manager"
    version = response.json()["version"]
    response = api("officer", "post", f"{url}/move", {"to": "notice_served", "on": _ago(13)})
    assert response.status_code == 400 and "Serve the notice or issue the claim" in errors(response)["to"]
    response = api("officer", "post", f"{url}/hearings", {"at": f"{_ago(1)}T10:00:00+00:00", "kind": "first"})
    assert errors(response)["at"] == "Record the claim being issued before its hearings."
    claim = {"to": "issued", "on": _ago(13), "court": "Derby County Court", "claim_number": "K1", "version": version}
    response = api("officer", "post", f"{url}/move", claim)
    assert response.status_code == 200 and response.json()["stage"] == "issued"
    response = api("officer", "post", f"{url}/move", {**claim, "to": "concluded", "outcome": "Dropped"})
    assert response.status_code == 409
    response = api("officer", "post", f"{url}/hearings", {"at": f"{_ago(2)}T10:00:00+00:00", "kind": "first"})
    assert response.status_code == 201 and response.json()["court"] == "Derby County Court"
    hearing = response.json()
    response = api(
        "officer", "patch", f"{url}/hearings/{hearing['id']}", {"outcome": "Adjourned", "version": hearing["version"]}
    )
    assert response.status_code == 200 and response.json()["outcome"] == "Adjourned"
    shown = api("officer", "get", url).json()
    assert shown["stage"] == "hearing" and len(shown["hearings"]) == 1 and len(shown["assessments"]) == 1


def test_unseen_case_404_reader_403_and_idempotent_start(api, emh, make_user) -> None:  # type: ignore[no-untyped-def]
    """404 for a case the caller may not see; 403 for who may see it but not work it (API.md);
    a retried start with the same Idempotency-Key creates nothing new."""
    body = {"code": "part1_injunction", "party": emh.reported.pk, "reason": REASON, "started_on": _ago(2)}
    assert api("adviser", "post", base(emh), body).status_code == 403
    first = api("officer", "post", base(emh), body, key="start-1")
    again = api("officer", "post", base(emh), body, key="start-1")
    assert first.status_code == again.status_code == 201 and LegalAction.objects.count() == 1
    assert api("officer", "get", "/api/v1/cases/ASB-2026-999999/legal-actions").status_code == 404


def test_the_schema_documents_every_legal_endpoint(client) -> None:  # type: ignore[no-untyped-def]
    """The OpenAPI schema lists each legal action path (API.md)."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for tail in (
        "legal-actions",
        "{legal_action_id}/proportionality",
        "{legal_action_id}/approve",
        "{legal_action_id}/move",
        "{legal_action_id}/hearings/{hearing_id}",
    ):
        assert tail in schema
