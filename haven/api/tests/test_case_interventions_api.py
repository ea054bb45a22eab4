"""Interventions, agreements and the twin track through the API (whg 2.11; pnp 1.3; emh 4.10, 5.6).

Rules proved here: ``POST .../interventions`` records a tool of the landlord's toolkit (an
agreement with its numbered terms) and refuses a legal code, a partner power without its partner
and support, and an agreement ending before it starts (400, one error per field, nothing
written); ``GET`` lists them paginated; ``PATCH .../interventions/{id}`` moves one on and answers
409 when its ``version`` is stale; ``.../breaches`` and ``.../reviews`` record an agreement's
breach and review; ``GET .../twin-track`` shows both tracks; ``Idempotency-Key`` replays a retried
record; who may see but not work the case gets 403, another landlord's staff 404; the schema
documents every endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import User
from haven.api.tests import test_reports_api as reports
from haven.cases.models import Case, PartyRole
from haven.cases.services.parties import case_party_add
from haven.interventions.models import AgreementBreach, Intervention

pytestmark = pytest.mark.django_db

api, emh_staff, new_report = reports.api, reports.emh_staff, reports.new_report
fields_of, message_for = reports.fields_of, reports.message_for


def _in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def case(api: Callable[..., Any], new_report: Callable[..., str]) -> str:
    reference = new_report()
    response = api("adviser", "post", f"/api/v1/reports/{reference}/triage", reports.LOW_NOISE)
    assert response.status_code == 200, response.json()
    return str(response.json()["case"]["reference"])


@pytest.fixture
def reported(case: str) -> int:
    found = Case.objects.get(reference=case)
    officer = User.objects.get(username="emh-officer")
    return case_party_add(actor=officer, case=found, role=PartyRole.REPORTED, name="Dan Reid").pk


def _abc(api: Callable[..., Any], case: str, reported: int, **changes: Any) -> Any:
    body = {"code": "acceptable_behaviour_contract", "party": reported, "started_on": _in(-10),
            "terms": ["No loud music after 11pm", "No shouting in the stairwell"],
            "signatories": ["Dan Reid", "Sam Tester"], "review_on": _in(20), "ends_on": _in(90)}  # fmt: skip
    body.update(changes)
    return api(
        "officer", "post", f"/api/v1/cases/{case}/interventions", {k: v for k, v in body.items() if v is not None}
    )


def test_an_agreement_is_recorded_and_listed(api, case, reported) -> None:  # type: ignore[no-untyped-def]
    """Issue 6: an agreement holds its terms (numbered 1..n), dates and signatories."""
    created = _abc(api, case, reported)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert {k: body[k] for k in ("kind", "code", "track", "party", "delivered_by", "agreement", "status")} == {
        "kind": "informal", "code": "acceptable_behaviour_contract", "track": "enforcement", "party": reported,
        "delivered_by": "emh-officer", "agreement": True, "status": "active",
    }  # fmt: skip
    assert body["terms"] == [{"number": 1, "text": "No loud music after 11pm"},
                             {"number": 2, "text": "No shouting in the stairwell"}]  # fmt: skip
    assert body["signatories"] == ["Dan Reid", "Sam Tester"] and body["review_on"] == _in(20)
    listed = api("adviser", "get", f"/api/v1/cases/{case}/interventions")
    assert listed.status_code == 200
    assert listed.json()["count"] == 1 and listed.json()["results"][0]["id"] == body["id"]
    got = api("officer", "get", f"/api/v1/cases/{case}/interventions/{body['id']}")
    assert got.status_code == 200 and got.json()["breaches"] == [] and got.json()["reviews"] == []


def test_bad_interventions_are_refused_one_error_per_field(api, case, reported) -> None:  # type: ignore[no-untyped-def]
    """A legal code is started as legal action; a partner power needs its partner and support (emh
    5.6); an agreement cannot end before it starts (issue 6 "Bad input")."""
    legal = api("officer", "post", f"/api/v1/cases/{case}/interventions", {"code": "part1_injunction",
                                                                         "started_on": _in(0)})  # fmt: skip
    assert legal.status_code == 400 and message_for(legal, "code").startswith("Start legal action for that")
    power = api("officer", "post", f"/api/v1/cases/{case}/interventions", {"code": "closure_order",
                                                                         "started_on": _in(0)})  # fmt: skip
    assert power.status_code == 400 and sorted(fields_of(power)) == ["partner", "support_given"]
    backwards = _abc(api, case, reported, ends_on=_in(-20), review_on=None)
    assert backwards.status_code == 400
    assert message_for(backwards, "ends_on") == "The agreement cannot end before it starts."
    unknown = api("officer", "post", f"/api/v1/cases/{case}/interventions", {"code": "x", "colour": "red"})
    assert unknown.status_code == 400 and "colour" in fields_of(unknown)
    assert not Intervention.objects.exists()


def test_an_update_moves_it_on_and_a_stale_one_is_409(api, case) -> None:  # type: ignore[no-untyped-def]
    """haven.common.stale: a save based on an older copy answers 409 and saves nothing."""
    created = api("officer", "post", f"/api/v1/cases/{case}/interventions",
                  {"code": "warning_letter", "started_on": _in(-2)}).json()  # fmt: skip
    url = f"/api/v1/cases/{case}/interventions/{created['id']}"
    missing = api("officer", "patch", url, {"status": "completed", "version": created["version"]})
    assert missing.status_code == 400 and message_for(missing, "outcome") == "Say what came of it."
    done = api("officer", "patch", url, {"status": "completed", "outcome": "Stopped", "version": created["version"]})
    assert done.status_code == 200 and done.json()["ended_on"] == _in(0)
    stale = api("officer", "patch", url, {"status": "ended", "outcome": "x", "version": created["version"]})
    assert stale.status_code == 409 and fields_of(stale) == ["version"]
    assert Intervention.objects.get().status == "completed"


def test_breaches_and_reviews_of_an_agreement(api, case, reported) -> None:  # type: ignore[no-untyped-def]
    """Issue 6: a breach (date, term broken, evidence, response) and a review that moves the date."""
    agreement = _abc(api, case, reported).json()
    url = f"/api/v1/cases/{case}/interventions/{agreement['id']}"
    breach = {"term": 2, "occurred_on": _in(-1), "evidence": "Two diary sheets", "response": "Warning letter"}
    recorded = api("officer", "post", f"{url}/breaches", breach)
    assert recorded.status_code == 201, recorded.json()
    assert [(b["term"], b["evidence"]) for b in recorded.json()["breaches"]] == [(2, "Two diary sheets")]
    no_term = api("officer", "post", f"{url}/breaches", {**breach, "term": 7})
    assert no_term.status_code == 400 and message_for(no_term, "term") == "The agreement has no term 7."
    after_end = api("officer", "post", f"{url}/breaches", {**breach, "occurred_on": _in(95)})
    assert after_end.status_code == 400 and fields_of(after_end) == ["occurred_on"]
    reviewed = api("officer", "post", f"{url}/reviews", {"reviewed_on": _in(0), "notes": "Better",
                                                         "next_review_on": _in(30)})  # fmt: skip
    assert reviewed.status_code == 201 and reviewed.json()["review_on"] == _in(30)
    assert reviewed.json()["reviews"][0]["next_review_on"] == _in(30)
    ended = api("officer", "post", f"{url}/reviews", {"reviewed_on": _in(0), "notes": "Kept", "end": True,
                                                      "outcome": "Kept to it"})  # fmt: skip
    assert ended.status_code == 201 and ended.json()["status"] == "completed"
    assert AgreementBreach.objects.count() == 1


def test_the_twin_track_document(api, case, reported) -> None:  # type: ignore[no-untyped-def]
    """emh 4.10: support and enforcement side by side."""
    for code in ("support_referral", "warning_letter"):
        body = {"code": code, "party": reported, "started_on": _in(0)}
        assert api("officer", "post", f"/api/v1/cases/{case}/interventions", body).status_code == 201
    got = api("officer", "get", f"/api/v1/cases/{case}/twin-track")
    assert got.status_code == 200
    body = got.json()
    assert body["reference"] == case and body["enabled"] is True and body["hidden_support_needs"] == 0
    assert [i["title"] for i in body["enforcement"]] == ["Warning letter"]
    assert [i["what"] for i in body["support"]] == ["Intervention"]
    assert body["support"][0]["who"] == "Dan Reid (reported person)"


def test_a_retried_record_with_the_same_key_creates_nothing_new(api, case) -> None:  # type: ignore[no-untyped-def]
    """API.md: a retried request with the same Idempotency-Key returns the first result."""
    body = {"code": "warning_letter", "started_on": _in(0)}
    first = api("officer", "post", f"/api/v1/cases/{case}/interventions", body, key="int-1")
    again = api("officer", "post", f"/api/v1/cases/{case}/interventions", body, key="int-1")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert Intervention.objects.count() == 1


def test_who_may_read_and_who_may_write(api, case, make_user, make_landlord) -> None:  # type: ignore[no-untyped-def]
    """Pages and API share the permissions: can_view_case reads, can_work_case writes (403), and a
    case of another landlord is a 404 (API.md)."""
    created = api("officer", "post", f"/api/v1/cases/{case}/interventions",
                  {"code": "warning_letter", "started_on": _in(0)}).json()  # fmt: skip
    make_user(Case.objects.get(reference=case).landlord, "auditor")
    for role in ("adviser", "auditor"):
        assert api(role, "get", f"/api/v1/cases/{case}/interventions").status_code == 200
        assert api(role, "get", f"/api/v1/cases/{case}/twin-track").status_code == 200
        body = {"code": "warning_letter", "started_on": _in(0)}
        assert api(role, "post", f"/api/v1/cases/{case}/interventions", body).status_code == 403
        patch = {"status": "completed", "outcome": "x"}
        assert api(role, "patch", f"/api/v1/cases/{case}/interventions/{created['id']}", patch).status_code == 403
    whg = make_landlord("whg")
    make_user(whg, "officer")
    for path in ("interventions", f"interventions/{created['id']}", "twin-track"):
        assert api("officer", "get", f"/api/v1/cases/{case}/{path}", landlord=whg).status_code == 404
    body = {"code": "tenancy_advice", "started_on": _in(0)}
    assert api("officer", "post", f"/api/v1/cases/{case}/interventions", body, landlord=whg).status_code == 404
    assert api("officer", "get", f"/api/v1/cases/{case}/interventions/99999").status_code == 404
    assert Intervention.objects.count() == 1


def test_the_schema_documents_the_interventions(api) -> None:  # type: ignore[no-untyped-def]
    """drf-spectacular: every endpoint is in the OpenAPI schema."""
    schema = api("officer", "get", "/api/schema/?format=json").json()
    paths = schema["paths"]
    base = "/api/v1/cases/{reference}/interventions"
    assert {"get", "post"} <= set(paths[base]) and {"get", "patch"} <= set(paths[base + "/{intervention_id}"])
    assert (
        "post" in paths[base + "/{intervention_id}/breaches"] and "post" in paths[base + "/{intervention_id}/reviews"]
    )
    assert "get" in paths["/api/v1/cases/{reference}/twin-track"]
