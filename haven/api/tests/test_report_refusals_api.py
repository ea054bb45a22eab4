"""The reports API refuses bad input with one error per problem, on the field the API names, and
saves nothing (API.md; issue 4 "Bad input"). Fixtures and helpers come from test_reports_api.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts.services import token_create
from haven.api.tests import test_reports_api as reports
from haven.intake.models import Report
from haven.register.models import Property

pytestmark = pytest.mark.django_db

api, emh_staff, new_report = reports.api, reports.emh_staff, reports.new_report
LOW_NOISE, REPORT, fields_of, make_staff, message_for = (
    reports.LOW_NOISE,
    reports.REPORT,
    reports.fields_of,
    reports.make_staff,
    reports.message_for,
)


# ---- receiving: what is refused -----------------------------------------------------------------


def test_an_anonymous_report_keeps_and_shows_no_contact_details(api) -> None:
    body = {**REPORT, "anonymous": True}
    reference = api("adviser", "post", "/api/v1/reports", body).json()["reference"]
    shown = api("adviser", "get", f"/api/v1/reports/{reference}").json()
    assert shown["anonymous"] is True
    assert set(shown["reporter"]) == {"communication_needs"}  # emh 6.6: no name, no contact
    stored = Report.objects.get(reference=reference)
    assert (stored.reporter_name, stored.reporter_phone, stored.reporter_email) == ("", "", "")
    triaged = api("adviser", "post", f"/api/v1/reports/{reference}/triage", LOW_NOISE)
    case = api("officer", "get", f"/api/v1/cases/{triaged.json()['case']['reference']}").json()
    assert case["parties"][0]["name"] == "Anonymous reporter" and case["parties"][0]["anonymous"] is True


def test_a_named_report_without_a_name_is_refused_on_reporter_name(api) -> None:
    response = api("adviser", "post", "/api/v1/reports", {**REPORT, "reporter": {"phone": "07700 900123"}})
    assert response.status_code == 400
    assert sorted(fields_of(response)) == ["reporter.name"]


def test_a_bad_postcode_is_refused_on_location_postcode(api) -> None:
    body = {**REPORT, "location": {"address": "Behind the shops", "postcode": "NOT A CODE"}}
    response = api("adviser", "post", "/api/v1/reports", body)
    assert response.status_code == 400 and fields_of(response) == ["location.postcode"]
    assert not Report.objects.exists()


def test_an_address_and_postcode_are_kept_as_typed_and_cleaned(api) -> None:
    body = {**REPORT, "location": {"address": "The park by Elm Street", "postcode": "le67 4jp"}}
    reference = api("adviser", "post", "/api/v1/reports", body).json()["reference"]
    shown = api("adviser", "get", f"/api/v1/reports/{reference}").json()
    assert shown["location"] == {
        "property": None,
        "uprn": None,
        "address": "The park by Elm Street",
        "postcode": "LE67 4JP",
    }


def test_a_uprn_that_is_not_a_home_is_kept_as_the_place_and_a_malformed_one_is_refused(api) -> None:
    """A UPRN names any place (an owner-occupied house, a shop): it is kept, linked to no home."""
    unknown = api("adviser", "post", "/api/v1/reports", {**REPORT, "location": {"property_uprn": "999"}})
    assert unknown.status_code == 201, unknown.json()
    report = api("adviser", "get", f"/api/v1/reports/{unknown.json()['reference']}").json()
    assert report["location"]["property"] is None and report["location"]["uprn"] == "000000000999"
    bad = api("adviser", "post", "/api/v1/reports", {**REPORT, "location": {"property_uprn": "12AB"}})
    assert bad.status_code == 400 and fields_of(bad) == ["location.property_uprn"]
    short = api("adviser", "post", "/api/v1/reports", {**REPORT, "location": {"property_uprn": 100030561001}})
    assert short.status_code == 201  # a number is accepted, as the register API accepts it
    by_reference = api("adviser", "post", "/api/v1/reports", {**REPORT, "location": {"property_reference": "EMH-P1"}})
    assert by_reference.status_code == 201


def test_another_landlords_home_is_never_linked(api, make_landlord, make_user) -> None:
    make_staff(make_landlord("wwh"), make_user)
    Property.objects.filter(landlord__slug="emh").delete()
    response = api("adviser", "post", "/api/v1/reports", REPORT)
    assert response.status_code == 201
    assert Report.objects.get(reference=response.json()["reference"]).property is None


def test_received_at_in_the_future_is_refused_and_one_without_an_offset_is_uk_time(api) -> None:
    future = (timezone.now() + timedelta(days=2)).isoformat()
    response = api("adviser", "post", "/api/v1/reports", {**REPORT, "received_at": future})
    assert response.status_code == 400 and fields_of(response) == ["received_at"]
    assert "future" in response.json()["errors"][0]["message"]
    summer = api("adviser", "post", "/api/v1/reports", {**REPORT, "received_at": "2026-07-02T10:15:00"})
    assert summer.status_code == 201
    assert (
        Report.objects.get(reference=summer.json()["reference"]).received_at.isoformat() == "2026-07-02T09:15:00+00:00"
    )
    nonsense = api("adviser", "post", "/api/v1/reports", {**REPORT, "received_at": "last Tuesday"})
    assert nonsense.status_code == 400 and fields_of(nonsense) == ["received_at"]
    assert Report.objects.count() == 1


def test_received_at_defaults_to_now(api) -> None:
    body = {k: v for k, v in REPORT.items() if k != "received_at"}
    response = api("adviser", "post", "/api/v1/reports", body)
    assert response.status_code == 201
    received = Report.objects.get().received_at
    assert abs((received - timezone.now()).total_seconds()) < 60


def test_unknown_fields_are_named_one_error_each_at_every_level(api) -> None:
    body = {**REPORT, "colour": "blue", "reporter": {**REPORT["reporter"], "age": 40}, "location": {"flat": "2"}}
    response = api("adviser", "post", "/api/v1/reports", body)
    assert response.status_code == 400
    assert sorted(fields_of(response)) == ["colour", "location.flat", "reporter.age"]
    assert "channel" in message_for(response, "colour")  # the message lists the fields there are


def test_wrong_shapes_and_choices_are_400s_not_500s(api) -> None:
    assert api("adviser", "post", "/api/v1/reports", ["a", "list"]).status_code == 400
    response = api(
        "adviser",
        "post",
        "/api/v1/reports",
        {
            **REPORT,
            "channel": "pigeon",
            "what": ["x"],
            "anonymous": "maybe",
            "reporter": "Amira",
            "category": "parking",
        },
    )
    assert response.status_code == 400
    assert sorted(fields_of(response)) == ["anonymous", "category", "channel", "reporter", "what"]
    assert message_for(response, "reporter") == "Send this as a JSON object of fields."
    long = api("adviser", "post", "/api/v1/reports", {**REPORT, "reporter": {"name": "A" * 201}})
    assert long.status_code == 400 and fields_of(long) == ["reporter.name"]
    nul = api("adviser", "post", "/api/v1/reports", {**REPORT, "what": "bad\x00byte"})
    assert nul.status_code == 400 and fields_of(nul) == ["what"]


def test_service_problems_are_shown_under_the_api_names(api) -> None:
    body = {**REPORT, "reporter": {"name": "Amira Khan", "email": "not-an-email", "preferred_contact": "email"}}
    response = api("adviser", "post", "/api/v1/reports", body)
    assert response.status_code == 400
    assert fields_of(response) == ["reporter.email"]
    nowhere = {k: v for k, v in REPORT.items() if k not in ("location", "where")}
    response = api("adviser", "post", "/api/v1/reports", nowhere)
    assert response.status_code == 400 and fields_of(response) == ["location.address"]
    response = api("adviser", "post", "/api/v1/reports", {**REPORT, "what": "  "})
    assert response.status_code == 400 and fields_of(response) == ["what"]


def test_on_behalf_of_takes_a_name_or_a_name_and_relationship(api) -> None:
    plain = api("adviser", "post", "/api/v1/reports", {**REPORT, "on_behalf_of": "Doris Evans"}).json()
    shown = api("adviser", "get", f"/api/v1/reports/{plain['reference']}").json()
    assert shown["on_behalf_of"] == {"name": "Doris Evans", "relationship": ""}
    full = {**REPORT, "on_behalf_of": {"name": "Doris Evans", "relationship": "mother"}}
    reference = api("adviser", "post", "/api/v1/reports", full).json()["reference"]
    shown = api("adviser", "get", f"/api/v1/reports/{reference}").json()
    assert shown["on_behalf_of"] == {"name": "Doris Evans", "relationship": "mother"}
    bad = api("adviser", "post", "/api/v1/reports", {**REPORT, "on_behalf_of": {"name": "D", "age": 80}})
    assert bad.status_code == 400 and fields_of(bad) == ["on_behalf_of.age"]
    assert api("adviser", "post", "/api/v1/reports", {**REPORT, "on_behalf_of": 7}).status_code == 400


def test_malformed_json_is_a_400_in_the_error_format(client: Client, api, make_user, emh_staff) -> None:
    adviser = make_user(emh_staff, "adviser", username="emh-adviser-json")
    token = token_create(actor=adviser, user=adviser)
    response = client.post(
        "/api/v1/reports", data="{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": None, "message": "The request body is not valid JSON."}]}
