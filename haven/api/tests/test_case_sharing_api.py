"""Information sharing through the API (emh 6.3-6.4; WWH 4.0).

Rules proved here: ``POST .../information-shares`` records a disclosure and refuses one with no
agreement or lawful basis (400, nothing written); ``GET`` lists the log with the case's referrals;
a case of another landlord is 404 and one the caller may see but not work is 403;
``/sharing-agreements``: a manager creates (201), an officer may not (403), the title is unique,
a stale ``version`` is 409, another landlord's agreement is 404, the review overdue flag shows;
``POST /cases/intelligence`` opens a restricted case led by the partner, refused for an adviser
(403) and for an unknown partner (400); the schema documents each endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.api.tests import test_reports_api as reports
from haven.cases.models import Case
from haven.interventions.models.partnership import InformationShare, Referral, SharingAgreement

pytestmark = pytest.mark.django_db

api, emh_staff, new_report = reports.api, reports.emh_staff, reports.new_report
fields_of, message_for = reports.fields_of, reports.message_for


@pytest.fixture
def case(api: Callable[..., Any], new_report: Callable[..., str]) -> str:
    reference = new_report()
    response = api("adviser", "post", f"/api/v1/reports/{reference}/triage", reports.LOW_NOISE)
    assert response.status_code == 200, response.json()
    return str(response.json()["case"]["reference"])


def _agreement(api: Callable[..., Any], role: str = "manager", **changes: Any) -> Any:
    body = {"title": "Police protocol", "parties": ["Police", "Landlord"], "purpose": "Tackling ASB",
            "signed_on": "2025-04-01",
            "review_on": (timezone.localdate() + timedelta(days=90)).isoformat()}  # fmt: skip
    body.update(changes)
    return api(role, "post", "/api/v1/sharing-agreements", body)


def _disclosure(**changes: Any) -> dict[str, Any]:
    body = {"direction": "disclosed", "partner": "police", "what": "Incident dates", "method": "secure_email",
            "shared_on": timezone.localdate().isoformat(), "approved_by": "emh-manager"}  # fmt: skip
    body.update(changes)
    return body


def test_a_disclosure_is_recorded_and_the_log_lists_it_with_referrals(api, case) -> None:
    """emh 6.3-6.4: a disclosure under an active agreement, approved by a manager, is 201; the log
    lists it with the case's referrals (a referral is a disclosure), newest first."""
    agreement = _agreement(api).json()["id"]
    api("manager", "get", "/api/v1/policy")  # makes the manager who approves
    created = api("officer", "post", f"/api/v1/cases/{case}/information-shares", _disclosure(agreement=agreement))
    assert created.status_code == 201, created.json()
    entry = created.json()
    assert (entry["kind"], entry["organisation"], entry["agreement"], entry["lawful_basis"], entry["approved_by"]) == (
        "share", "Police Services", agreement, "agreement", "emh-manager",
    )  # fmt: skip
    found = Case.objects.get(reference=case)
    Referral.objects.create(  # helper C's record, made directly so this test does not wait on C's service
        case=found, partner="social_care", made_on=timezone.localdate() - timedelta(days=1), reason="Support",
        consent="given", response_due_on=timezone.localdate() + timedelta(days=9), made_by=found.officer,
    )  # fmt: skip
    listed = api("officer", "get", f"/api/v1/cases/{case}/information-shares")
    assert listed.status_code == 200
    assert [(r["kind"], r["organisation"]) for r in listed.json()["results"]] == [
        ("share", "Police Services"), ("referral", "Social Care (Adult and Children)"),
    ]  # fmt: skip


def test_a_disclosure_without_a_basis_or_with_a_bad_approver_is_refused(api, case) -> None:
    """emh 6.3-6.4: 400 with one error per problem, nothing written."""
    api("manager", "get", "/api/v1/policy")
    refused = api("officer", "post", f"/api/v1/cases/{case}/information-shares", _disclosure(approved_by="emh-officer"))
    assert refused.status_code == 400
    assert message_for(refused, "lawful_basis") == (
        "Say which information sharing agreement or lawful basis allows this disclosure."
    )
    assert "cannot approve a disclosure" in message_for(refused, "approved_by")
    nobody = api("officer", "post", f"/api/v1/cases/{case}/information-shares", _disclosure(approved_by="ghost"))
    assert nobody.status_code == 400 and fields_of(nobody) == ["approved_by"]
    assert not InformationShare.objects.exists()


def test_another_landlords_case_is_404_and_an_adviser_gets_403(api, case, make_landlord) -> None:
    """API.md: 404 for a case the caller may not see; 403 for one they may see but not work on (the
    log is for caseworkers only)."""
    other = make_landlord("emh", slug="other")
    path_ = f"/api/v1/cases/{case}/information-shares"
    assert api("officer", "get", path_, landlord=other).status_code == 404
    assert api("officer", "post", path_, _disclosure(), landlord=other).status_code == 404
    assert api("adviser", "get", path_).status_code == 403


def test_sharing_agreements_managers_write_titles_unique_and_stale_is_409(api, make_landlord) -> None:
    """emh 6.3: a manager creates (201) and changes; an officer may not (403); the title is unique
    within the landlord (400); a change based on an old ``version`` is 409; another landlord's
    agreement is 404; an agreement past its review date is flagged."""
    created = _agreement(api)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["parties"] == ["Police", "Landlord"] and body["review_overdue"] is False
    assert _agreement(api, role="officer", title="Other").status_code == 403
    duplicate = _agreement(api, title="police protocol")
    assert duplicate.status_code == 400 and fields_of(duplicate) == ["title"]
    one = f"/api/v1/sharing-agreements/{body['id']}"
    changed = api("manager", "patch", one, {"review_on": "2020-01-01", "signed_on": None, "version": body["version"]})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["review_overdue"] is True
    stale = api("manager", "patch", one, {"title": "Renamed", "version": body["version"]})
    assert stale.status_code == 409 and fields_of(stale) == ["version"]
    assert api("officer", "patch", one, {"title": "Renamed"}).status_code == 403
    listed = api("officer", "get", "/api/v1/sharing-agreements")
    assert [a["title"] for a in listed.json()["results"]] == ["Police protocol"]
    other = make_landlord("emh", slug="other")
    assert api("manager", "get", one, landlord=other).status_code == 404
    assert api("manager", "get", "/api/v1/sharing-agreements", landlord=other).json()["count"] == 0
    assert SharingAgreement.objects.get().title == "Police protocol"


INTELLIGENCE = {"partner": "police", "received_at": "2026-03-02T10:15:00+00:00", "summary": "Dealing from a flat",
                "category": "noise", "tier": "low", "location": "Mill Court", "postcode": "LE67 4JP",
                "handling": "Police only"}  # fmt: skip


def test_intelligence_opens_a_restricted_partner_led_case(api, emh_staff) -> None:
    """WWH 4.0: a specialist opens it (201): restricted, led by the partner, the intelligence in its
    log with its handling; an adviser is 403; an unknown partner is 400; nothing else written."""
    assert api("adviser", "post", "/api/v1/cases/intelligence", INTELLIGENCE).status_code == 403
    unknown = api("specialist", "post", "/api/v1/cases/intelligence", {**INTELLIGENCE, "partner": "interpol"})
    assert unknown.status_code == 400 and fields_of(unknown) == ["partner"]
    assert not Case.objects.exists()
    created = api("specialist", "post", "/api/v1/cases/intelligence", INTELLIGENCE)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["lead_agency"], body["restricted"]) == ("police", True)
    assert (body["share"]["direction"], body["share"]["handling"]) == ("received", "Police only")
    assert api("adviser", "get", f"/api/v1/cases/{body['reference']}").status_code == 404
    at_home = {**INTELLIGENCE, "location": "", "postcode": "", "property_reference": "EMH-P1"}
    second = api("manager", "post", "/api/v1/cases/intelligence", at_home)
    assert second.status_code == 201, second.json()
    assert Case.objects.get(reference=second.json()["reference"]).property.reference == "EMH-P1"  # type: ignore[union-attr]


def test_the_schema_documents_the_sharing_endpoints(client) -> None:
    """drf-spectacular: each endpoint is in the OpenAPI schema."""
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for wanted in ("/api/v1/cases/{reference}/information-shares", "/api/v1/sharing-agreements",
                   "/api/v1/sharing-agreements/{agreement_id}", "/api/v1/cases/intelligence"):  # fmt: skip
        assert wanted in paths
