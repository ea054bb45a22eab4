"""The reports API: receive a report from any channel, read it, triage it (API.md, issue 4).

Every call carries a Bearer token, as an integration's would. Landlords run on their real bundled
profiles, with the teams their routing names; the rules themselves are proved in
haven/intake/tests/test_triage.py, and here that the API reaches them and shows them.
The fixtures here (``api``, ``emh_staff``, ``new_report``) are used by the cases and idempotency tests too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haven.accounts.models import Landlord, User
from haven.accounts.services import team_create, token_create
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case
from haven.intake.models import Report, ReportStatus
from haven.intake.services import report_create
from haven.policies.registry import get_profile
from haven.register.models import Property

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

REPORT = {
    "channel": "phone",
    "received_at": "2026-03-02T10:15:00+00:00",
    "anonymous": False,
    "reporter": {
        "name": "Amira Khan",
        "phone": "07700 900123",
        "email": "amira@example.com",
        "preferred_contact": "phone",
        "communication_needs": "Prefers calls after 4pm",
    },
    "location": {"property_uprn": "100030561001"},
    "what": "Loud music and shouting every night until 3am",
    "where": "The flat above mine",
    "who": "The people in flat 2",
    "when": "Every night this week",
    "how_often": "Nightly",
    "steps_taken": "Knocked on their door",
    "other_agencies": "None",
    "category": "noise",
    "targets_staff": False,
}


LOW_NOISE = {"is_asb": True, "category": "noise", "tier": "low"}


def make_staff(landlord: Landlord, make_user: Callable[..., User]) -> Landlord:
    """The teams the profile's routing names, a case officer, and a home in the register."""
    for name in get_profile(landlord.policy_id).routing.teams:
        team_create(actor="tests", landlord=landlord, name=name, via="command")
    make_user(landlord, "officer")
    Property.objects.create(
        landlord=landlord,
        reference=f"{landlord.slug.upper()}-P1",
        uprn="100030561001",
        address_line_1="1 Elm Street",
        town="Coalville",
        postcode="LE67 4JP",
        tenure="social_rent",
    )
    return landlord


@pytest.fixture
def emh_staff(emh: Landlord, make_user: Callable[..., User]) -> Landlord:
    return make_staff(emh, make_user)


@pytest.fixture
def api(client: Client, make_user: Callable[..., User], emh_staff: Landlord) -> Callable[..., Any]:
    """``api(role, method, path, body=None, landlord=emh, key=None)``: a request with a Bearer token."""
    tokens: dict[tuple[str, str], str] = {}

    def call(
        role: str, method: str, path: str, body: Any = None, *, landlord: Landlord | None = None, key: str | None = None
    ) -> Any:
        landlord = landlord or emh_staff
        if (landlord.slug, role) not in tokens:
            user = User.objects.filter(username=f"{landlord.slug}-{role}").first() or make_user(landlord, role)
            tokens[landlord.slug, role] = token_create(actor=user, user=user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[landlord.slug, role]}"}
        if key is not None:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        if method == "get":
            return client.get(path, **headers)
        return getattr(client, method)(path, data=body, content_type="application/json", **headers)

    return call


@pytest.fixture
def new_report(api: Callable[..., Any]) -> Callable[..., str]:
    """``new_report(**changes)``: POST a report as an adviser; its reference."""

    def make(role: str = "adviser", landlord: Landlord | None = None, **changes: Any) -> str:
        response = api(role, "post", "/api/v1/reports", {**REPORT, **changes}, landlord=landlord)
        assert response.status_code == 201, response.json()
        return str(response.json()["reference"])

    return make


@pytest.fixture
def triaged_case(api: Callable[..., Any], new_report: Callable[..., str]) -> str:
    """The reference of a case opened by triaging a new report as low-risk noise, through the API."""
    reference = new_report()
    response = api("adviser", "post", f"/api/v1/reports/{reference}/triage", LOW_NOISE)
    assert response.status_code == 200, response.json()
    return str(response.json()["case"]["reference"])


def fields_of(response: Any) -> list[str | None]:
    return [e["field"] for e in response.json()["errors"]]


def message_for(response: Any, field: str) -> str:
    return next(e["message"] for e in response.json()["errors"] if e["field"] == field)


# ---- the journey --------------------------------------------------------------------------------


def test_emh_report_to_triage_to_case_to_recategorise_to_first_response(api, emh_staff) -> None:
    created = api("adviser", "post", "/api/v1/reports", REPORT)
    assert created.status_code == 201, created.json()
    body = created.json()
    reference = body["reference"]
    assert reference.startswith("REP-2026-")
    assert body == {"reference": reference, "status": "new", "received_at": "2026-03-02T10:15:00+00:00", "case": None}

    got = api("adviser", "get", f"/api/v1/reports/{reference}")
    assert got.status_code == 200
    report = got.json()
    assert report["channel"] == "phone" and report["status"] == "new"
    assert {k: report[k] for k in ("what", "where", "who", "when", "how_often", "steps_taken", "other_agencies")} == {
        k: REPORT[k] for k in ("what", "where", "who", "when", "how_often", "steps_taken", "other_agencies")
    }
    assert report["reporter"]["name"] == "Amira Khan" and report["reporter"]["phone"] == "07700 900123"
    assert report["location"]["property"] == {
        "reference": "EMH-P1",
        "uprn": "100030561001",
        "address": "1 Elm Street, Coalville, LE67 4JP",
    }
    assert report["location"]["postcode"] == "LE67 4JP"
    assert report["category_suggested"] == "noise"
    assert report["category"] is None and report["tier"] is None and report["triage"] is None
    assert report["case"] is None and report["evidence"] == []

    # emh 4.2: the harm-centred screen raises a noise report to high.
    triaged = api(
        "adviser",
        "post",
        f"/api/v1/reports/{reference}/triage",
        {"is_asb": True, "category": "noise", "screen": {"violence": True}, "officer": "emh-officer"},
    )
    assert triaged.status_code == 200, triaged.json()
    decided = triaged.json()
    assert decided["status"] == "case_opened"
    assert (decided["category"], decided["tier"]) == ("noise", "high")
    assert decided["triage"]["screen"]["answers"]["violence"] is True
    assert decided["triage"]["policy"]["id"] == "emh"
    case_reference = decided["case"]["reference"]
    assert case_reference.startswith("ASB-2026-")
    assert AuditEvent.objects.filter(verb=Verb.REPORT_TRIAGED, via="api").exists()

    case = api("officer", "get", f"/api/v1/cases/{case_reference}")
    assert case.status_code == 200, case.json()
    shown = case.json()
    assert (shown["status"], shown["active"], shown["tier"], shown["category"]) == ("open", True, "high", "noise")
    assert shown["officer"] == {"username": "emh-officer", "name": "Sam Tester"}
    assert shown["opened_at"] == "2026-03-02T10:15:00+00:00"  # when its first report was received
    assert shown["first_response_at"] is None
    assert shown["policy"] == {"id": "emh", "version": get_profile("emh").version}
    assert shown["property"]["uprn"] == "100030561001"
    assert shown["reports"] == [reference]
    [reporter] = shown["parties"]
    assert reporter["role"] == "reporter" and reporter["name"] == "Amira Khan" and reporter["person"] is None
    due_high = shown["response_due_at"]

    moved = api(
        "officer",
        "post",
        f"/api/v1/cases/{case_reference}/recategorise",
        {"tier": "medium", "reason": "No violence on the second call"},
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["tier"] == "medium"
    assert moved.json()["response_due_at"] > due_high  # emh 4.2: 5 working days, not 24 working hours
    [history] = moved.json()["recategorisations"]
    assert (history["tier_from"], history["tier_to"], history["reason"]) == (
        "high",
        "medium",
        "No violence on the second call",
    )

    at = "2026-03-02T15:00:00+00:00"
    contact = api(
        "officer",
        "post",
        f"/api/v1/cases/{case_reference}/contacts",
        {"party": "reporter", "channel": "phone", "at": at, "summary": "Agreed a noise diary"},
    )
    assert contact.status_code == 201, contact.json()
    recorded = contact.json()
    assert recorded["party"] == reporter["id"] and recorded["channel"] == "phone" and recorded["at"] == at
    assert recorded["case"] == {
        "reference": case_reference,
        "first_response_at": at,
        "response_due_at": moved.json()["response_due_at"],
    }
    after = api("officer", "get", f"/api/v1/cases/{case_reference}").json()
    assert after["first_response_at"] == at
    assert [c["summary"] for c in after["contacts"]] == ["Agreed a noise diary"]


def test_wwh_advice_only_records_the_advice_and_opens_no_case(api, make_landlord, make_user) -> None:
    wwh = make_staff(make_landlord("wwh"), make_user)
    reference = api("adviser", "post", "/api/v1/reports", {**REPORT, "category": "vehicle_nuisance"}, landlord=wwh)
    reference = reference.json()["reference"]
    path = f"/api/v1/reports/{reference}/triage"
    decision = {"is_asb": True, "category": "vehicle_nuisance", "tier": "advice_only"}
    refused = api("adviser", "post", path, decision, landlord=wwh)
    assert refused.status_code == 400 and fields_of(refused) == ["advice_given"]  # WWH 3.0 route 1
    advised = api(
        "adviser",
        "post",
        path,
        {**decision, "advice_given": "Parking on the road is for the council.", "advice_routes": ["local_pcso"]},
        landlord=wwh,
    )
    assert advised.status_code == 200, advised.json()
    body = advised.json()
    assert (body["status"], body["tier"], body["case"]) == ("advice_only", "advice_only", None)
    assert body["triage"]["advice_routes"] == ["local_pcso"]
    assert not Case.objects.exists()


def test_wwh_screen_sets_the_tier_for_the_category(api, make_landlord, make_user) -> None:
    wwh = make_staff(make_landlord("wwh"), make_user)
    body = {**REPORT, "category": "vehicle_nuisance"}
    reference = api("adviser", "post", "/api/v1/reports", body, landlord=wwh).json()["reference"]
    body = {"is_asb": True, "category": "vehicle_nuisance", "screen": {"cannot_cope": True}}
    triaged = api("adviser", "post", f"/api/v1/reports/{reference}/triage", body, landlord=wwh)
    assert triaged.status_code == 200, triaged.json()
    assert triaged.json()["tier"] == "serious"  # a high vulnerability raises the tier (wwh screen)
    assert triaged.json()["case"]["reference"].startswith("ASB-")


# ---- triage errors ------------------------------------------------------------------------------


def test_an_unknown_category_tier_and_screen_questions_are_each_named_with_the_allowed_values(api, new_report) -> None:
    reference = new_report()
    body = {"is_asb": True, "category": "parking", "tier": "urgent", "screen": {"violence": True, "barking": True}}
    body["screen"]["smell"] = False
    response = api("adviser", "post", f"/api/v1/reports/{reference}/triage", body)
    assert response.status_code == 400
    assert sorted(fields_of(response)) == ["category", "screen.barking", "screen.smell", "tier"]
    assert "noise" in message_for(response, "category") and "harassment_threats" in message_for(response, "category")
    assert "high, medium, low" in message_for(response, "tier")
    assert "violence" in message_for(response, "screen.barking")
    assert Report.objects.get(reference=reference).status == ReportStatus.NEW


def test_not_asb_needs_a_reason_and_the_advice_given(api, new_report) -> None:
    reference = new_report()
    path = f"/api/v1/reports/{reference}/triage"
    refused = api("adviser", "post", path, {"is_asb": False})
    assert refused.status_code == 400
    assert sorted(fields_of(refused)) == ["advice_given", "not_asb_reason"]
    done = api(
        "adviser",
        "post",
        path,
        {"is_asb": False, "not_asb_reason": "Everyday living noise (emh 3.8)", "advice_given": "Talk to them"},
    )
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "not_asb" and done.json()["triage"]["reason"] == "Everyday living noise (emh 3.8)"


def test_is_asb_is_required_and_unknown_fields_flags_and_officers_are_named(api, new_report) -> None:
    reference = new_report()
    response = api(
        "adviser",
        "post",
        f"/api/v1/reports/{reference}/triage",
        {"urgent": True, "flags": ["hate", "purple"], "officer": "nobody", "advice_routes": ["prayer"]},
    )
    assert response.status_code == 400
    assert sorted(fields_of(response)) == ["advice_routes", "flags", "is_asb", "officer", "urgent"]
    adviser = api("adviser", "post", f"/api/v1/reports/{reference}/triage", {**LOW_NOISE, "officer": "emh-adviser"})
    assert adviser.status_code == 400 and "not a caseworker" in message_for(adviser, "officer")


def test_a_report_is_triaged_once(api, new_report) -> None:
    reference = new_report()
    path = f"/api/v1/reports/{reference}/triage"
    assert api("adviser", "post", path, LOW_NOISE).status_code == 200
    again = api("adviser", "post", path, LOW_NOISE)
    assert again.status_code == 409
    assert "already been triaged" in again.json()["errors"][0]["message"]


def test_a_second_report_is_linked_to_the_open_case(api, new_report) -> None:
    first, second = new_report(), new_report()
    opened = api("adviser", "post", f"/api/v1/reports/{first}/triage", LOW_NOISE)
    case_reference = opened.json()["case"]["reference"]
    linked = api(
        "adviser", "post", f"/api/v1/reports/{second}/triage", {"is_asb": True, "link_to_case": case_reference}
    )
    assert linked.status_code == 200, linked.json()
    assert linked.json()["status"] == "linked" and linked.json()["case"] == {"reference": case_reference}
    assert api("officer", "get", f"/api/v1/cases/{case_reference}").json()["reports"] == [first, second]
    nowhere = new_report()
    missing = api("adviser", "post", f"/api/v1/reports/{nowhere}/triage", {"is_asb": True, "link_to_case": "ASB-1"})
    assert missing.status_code == 400 and fields_of(missing) == ["link_to_case"]


# ---- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_auditors_and_administrators_cannot_record_reports(api, role: str) -> None:
    response = api(role, "post", "/api/v1/reports", REPORT)
    assert response.status_code == 403
    assert response.json() == {"errors": [{"field": None, "message": "Your role does not allow this."}]}
    assert not Report.objects.exists()


def test_an_auditor_reads_a_report_but_cannot_triage_it(api, new_report) -> None:
    reference = new_report()
    assert api("auditor", "get", f"/api/v1/reports/{reference}").status_code == 200
    refused = api("auditor", "post", f"/api/v1/reports/{reference}/triage", {"is_asb": False})
    assert refused.status_code == 403
    assert api("admin", "get", f"/api/v1/reports/{reference}").status_code == 404


def test_another_landlords_report_is_404(api, new_report, make_landlord, make_user) -> None:
    wwh = make_staff(make_landlord("wwh"), make_user)
    reference = new_report()
    for method, path in (("get", f"/api/v1/reports/{reference}"), ("post", f"/api/v1/reports/{reference}/triage")):
        response = api("adviser", method, path, {"is_asb": False}, landlord=wwh)
        assert response.status_code == 404
        assert response.json()["errors"][0]["field"] is None
    assert api("adviser", "get", "/api/v1/reports/REP-2026-999999").status_code == 404


def test_no_token_is_401(client: Client) -> None:
    assert client.post("/api/v1/reports", data=REPORT, content_type="application/json").status_code == 401


# ---- evidence -----------------------------------------------------------------------------------


def test_evidence_is_listed_with_its_hash_and_never_its_stored_name(api, emh_staff) -> None:
    report = report_create(
        actor=User.objects.get(username="emh-officer"),
        landlord=emh_staff,
        channel="web",
        what="Graffiti on the bin store",
        where="Bin store",
        reporter_name="Amira Khan",
        files=[SimpleUploadedFile("photo.png", PNG)],
    )
    shown = api("adviser", "get", f"/api/v1/reports/{report.reference}").json()
    [evidence] = shown["evidence"]
    stored = report.evidence.get()
    assert evidence == {
        "id": stored.pk,
        "kind": "image",
        "content_type": "image/png",
        "size": len(PNG),
        "sha256": stored.sha256,
    }
    assert stored.stored_as not in str(shown) and "photo.png" not in str(shown)


def test_the_report_documents_have_the_fields_the_schema_names(api, new_report) -> None:
    from haven.api.serializers.reports import ReportCreatedSerializer, ReportSerializer

    created = api("adviser", "post", "/api/v1/reports", REPORT).json()
    assert set(created) == set(ReportCreatedSerializer().fields)
    shown = api("adviser", "get", f"/api/v1/reports/{created['reference']}").json()
    assert set(shown) == set(ReportSerializer().fields)


def test_reports_and_cases_are_in_a_valid_openapi_schema(client: Client) -> None:
    from drf_spectacular.validation import validate_schema

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    validate_schema(schema)
    paths = schema["paths"]
    assert set(paths["/api/v1/reports"]) == {"post"}
    assert set(paths["/api/v1/reports/{reference}"]) == {"get"}
    assert set(paths["/api/v1/reports/{reference}/triage"]) == {"post"}
    assert set(paths["/api/v1/cases"]) == {"get"}
    assert set(paths["/api/v1/cases/{reference}"]) == {"get"}
    assert set(paths["/api/v1/cases/{reference}/recategorise"]) == {"post"}
    assert set(paths["/api/v1/cases/{reference}/contacts"]) == {"post"}
    for path in (
        "/api/v1/reports",
        "/api/v1/reports/{reference}/triage",
        "/api/v1/cases/{reference}/recategorise",
        "/api/v1/cases/{reference}/contacts",
    ):
        operation = paths[path]["post"]
        assert "Idempotency-Key" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}, path
        assert {"400", "403", "422"} <= set(operation["responses"]), path
    parameters = {p["name"] for p in paths["/api/v1/cases"]["get"]["parameters"]}
    assert {"status", "tier", "category", "officer", "opened_after", "opened_before", "active", "page"} <= parameters
    components = schema["components"]["schemas"]
    assert {"channel", "received_at", "anonymous", "reporter", "on_behalf_of", "location", "what", "where"} <= set(
        components["ReportCreate"]["properties"]
    )
    assert {"is_asb", "category", "tier", "screen", "link_to_case"} <= set(components["Triage"]["properties"])
    assert {"tier", "opened_at", "response_due_at", "first_response_at", "parties", "flags"} <= set(
        components["Case"]["properties"]
    )
