"""The register API: properties, people and tenancies; the same checks and upserts as the import file.

The register is loaded through the real import service from the sample files. Every call carries
a Bearer token, as an integration's would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from haven.accounts.models import Landlord, User
from haven.accounts.services import token_create
from haven.audit.models import AuditEvent, Verb
from haven.register.models import (
    HouseholdRole,
    Person,
    Property,
    Tenancy,
    TenancyMember,
    Vulnerability,
    WarningMarker,
)
from haven.register.services import register_import

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[2] / "register" / "samples"
KINDS = ("patches", "properties", "people", "tenancies")

NEW_PROPERTY = {
    "uprn": "100030569999",
    "address_line_1": "3 Birch Close",
    "address_line_2": None,
    "address_line_3": "Whitwick",
    "town": "Coalville",
    "postcode": "le67 5aa",
    "patch_code": "NWL-1",
    "property_type": "house",
    "tenure": "social_rent",
    "counts_for_tsm": True,
}
NEW_PERSON = {
    "title": "Mx",
    "first_name": "Robin",
    "last_name": "Hale",
    "date_of_birth": "1988-04-02",
    "phone": "07700 900999",
    "preferred_contact": "text",
    "vulnerabilities": ["mental_health", "isolation"],
    "warning_markers": [],
}
NEW_TENANCY = {
    "property_reference": "P000102",
    "tenancy_type": "assured",
    "start_date": "2024-05-01",
    "end_date": None,
    "tenants": ["C001005"],
    "household_members": ["C001008"],
}


def load_samples(landlord: Landlord) -> None:
    for kind in KINDS:
        _, result = register_import(
            actor="tests", landlord=landlord, kind=kind, path=SAMPLES / f"{kind}.csv", file_name=kind, apply=True
        )
        assert result.ok, [str(p) for p in result.problems]


@pytest.fixture
def register(emh: Landlord) -> Landlord:
    load_samples(emh)
    return emh


@pytest.fixture
def api(client: Client, make_user: Callable[..., User], register: Landlord) -> Callable[..., Any]:
    """``api(role, method, path, body=None)``: a request with a Bearer token of a user with that role."""
    tokens: dict[str, str] = {}

    def call(role: str, method: str, path: str, body: Any = None) -> Any:
        if role not in tokens:
            user = make_user(register, role)
            tokens[role] = token_create(actor=user, user=user)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"}
        if method == "get":
            return client.get(path, **headers)
        return getattr(client, method)(path, data=body, content_type="application/json", **headers)

    return call


def fields_of(response: Any) -> list[str | None]:
    return [e["field"] for e in response.json()["errors"]]


# ---- properties ---------------------------------------------------------------------------------


def test_put_creates_a_property_then_the_same_put_changes_nothing_and_a_change_updates(api, register) -> None:
    created = api("admin", "put", "/api/v1/properties/P000200", NEW_PROPERTY)
    assert created.status_code == 201, created.json()
    assert created.json() == {
        "reference": "P000200",
        "uprn": "100030569999",
        "address_line_1": "3 Birch Close",
        "address_line_2": "",
        "address_line_3": "Whitwick",
        "town": "Coalville",
        "postcode": "LE67 5AA",
        "patch": "NWL-1",
        "local_authority": "North West Leicestershire",
        "scheme": "",
        "property_type": "house",
        "tenure": "social_rent",
        "counts_for_tsm": True,
        "ended_on": None,
    }

    again = api("admin", "put", "/api/v1/properties/P000200", NEW_PROPERTY)
    assert again.status_code == 200
    assert again.json() == created.json()
    assert Property.objects.filter(landlord=register, reference="P000200").count() == 1

    changed = api("admin", "put", "/api/v1/properties/P000200", {**NEW_PROPERTY, "counts_for_tsm": False})
    assert changed.status_code == 200
    assert changed.json()["counts_for_tsm"] is False
    assert Property.objects.get(landlord=register, reference="P000200").counts_for_tsm is False
    outcomes = [e.changes["outcome"][1] for e in AuditEvent.objects.filter(verb=Verb.RECORD_UPSERTED).order_by("id")]
    assert outcomes == ["created", "unchanged", "updated"]
    assert set(AuditEvent.objects.filter(verb=Verb.RECORD_UPSERTED).values_list("via", flat=True)) == {"api"}


def test_a_malformed_uprn_and_postcode_are_two_errors_and_nothing_is_written(api, register) -> None:
    before = Property.objects.count()
    response = api("admin", "put", "/api/v1/properties/P000201", {**NEW_PROPERTY, "uprn": "12AB", "postcode": "L1"})
    assert response.status_code == 400
    assert sorted(fields_of(response)) == ["postcode", "uprn"]
    assert all(e["message"] for e in response.json()["errors"])
    assert Property.objects.count() == before
    assert not AuditEvent.objects.filter(verb=Verb.RECORD_UPSERTED).exists()


def test_unknown_fields_are_named_one_error_each(api, register) -> None:
    body = {**NEW_PROPERTY, "colour": "blue", "bedrooms": 3}
    response = api("admin", "put", "/api/v1/properties/P000202", body)
    assert response.status_code == 400
    assert sorted(fields_of(response)) == ["bedrooms", "colour"]
    assert "uprn" in response.json()["errors"][0]["message"]  # the message lists the fields there are
    assert not Property.objects.filter(reference="P000202").exists()


def test_values_of_the_wrong_shape_are_400s_not_500s(api, register) -> None:
    assert api("admin", "put", "/api/v1/properties/P000203", ["not", "an", "object"]).status_code == 400
    response = api("admin", "put", "/api/v1/properties/P000203", {**NEW_PROPERTY, "town": ["a", "b"]})
    assert response.status_code == 400 and fields_of(response) == ["town"]
    response = api("admin", "put", "/api/v1/properties/P000203", {**NEW_PROPERTY, "address_line_1": "x" * 201})
    assert response.status_code == 400 and fields_of(response) == ["address_line_1"]
    response = api("admin", "put", "/api/v1/properties/P000203", {**NEW_PROPERTY, "property_reference": "P9"})
    assert response.status_code == 400 and fields_of(response) == ["property_reference"]
    response = api("admin", "put", f"/api/v1/properties/{'P' * 41}", NEW_PROPERTY)
    assert response.status_code == 400 and fields_of(response) == ["property_reference"]
    assert not Property.objects.filter(reference__startswith="P0002").exists()


def test_a_matching_key_column_in_the_body_and_a_numeric_uprn_are_accepted(api, register) -> None:
    body = {**NEW_PROPERTY, "property_reference": "P000204", "uprn": 100030569998}
    response = api("admin", "put", "/api/v1/properties/P000204", body)
    assert response.status_code == 201
    assert response.json()["uprn"] == "100030569998"


def test_only_administrators_may_put(api, register) -> None:
    for role in ("officer", "adviser", "manager", "auditor"):
        response = api(role, "put", "/api/v1/properties/P000205", NEW_PROPERTY)
        assert response.status_code == 403, role
        assert response.json() == {"errors": [{"field": None, "message": "Your role does not allow this."}]}
    assert not Property.objects.filter(reference="P000205").exists()


def test_get_a_property_and_the_paginated_list(api, register) -> None:
    one = api("adviser", "get", "/api/v1/properties/P000105")
    assert one.status_code == 200
    assert one.json()["postcode"] == "NG6 8AB"
    assert one.json()["local_authority"] == "Nottingham"
    assert one.json()["counts_for_tsm"] is False

    page = api("adviser", "get", "/api/v1/properties")
    assert page.status_code == 200
    body = page.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 6 and body["next"] is None and body["previous"] is None
    assert [p["reference"] for p in body["results"]] == [f"P00010{i}" for i in range(1, 7)]

    found = api("adviser", "get", "/api/v1/properties?search=le67 3fs").json()
    assert [p["reference"] for p in found["results"]] == ["P000103", "P000104"]
    assert api("adviser", "get", "/api/v1/properties?search=100030563014").json()["count"] == 1
    assert api("adviser", "get", "/api/v1/properties?search=station street").json()["count"] == 2


def test_lists_are_50_a_page(api, register) -> None:
    Property.objects.bulk_create(
        Property(
            landlord=register,
            reference=f"Q{i:05d}",
            uprn=f"{200000000000 + i}",
            address_line_1=f"{i} Elm Street",
            town="Coalville",
            postcode="LE67 4JP",
            tenure="social_rent",
        )
        for i in range(60)
    )
    first = api("officer", "get", "/api/v1/properties").json()
    assert first["count"] == 66 and len(first["results"]) == 50
    assert first["next"].endswith("/api/v1/properties?page=2") and first["previous"] is None
    second = api("officer", "get", "/api/v1/properties?page=2").json()
    assert len(second["results"]) == 16 and second["next"] is None and second["previous"]
    assert api("officer", "get", "/api/v1/properties?page=9").status_code == 404


# ---- people -------------------------------------------------------------------------------------


def test_put_a_person_creates_then_updates_and_never_shows_vulnerabilities(api, register) -> None:
    created = api("admin", "put", "/api/v1/people/C001100", NEW_PERSON)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["reference"] == "C001100" and body["first_name"] == "Robin"
    assert body["has_vulnerabilities"] is True and "vulnerabilities" not in body
    person = Person.objects.get(landlord=register, reference="C001100")
    assert set(Vulnerability.objects.filter(person=person).values_list("kind", flat=True)) == {
        "mental_health",
        "isolation",
    }
    assert api("admin", "put", "/api/v1/people/C001100", NEW_PERSON).status_code == 200
    changed = api("admin", "put", "/api/v1/people/C001100", {**NEW_PERSON, "warning_markers": "violence"})
    assert changed.status_code == 200 and changed.json()["warning_markers"] == ["violence"]
    assert Person.objects.filter(landlord=register, reference="C001100").count() == 1


def test_a_date_of_birth_in_the_future_is_refused(api, register) -> None:
    response = api("admin", "put", "/api/v1/people/C001101", {**NEW_PERSON, "date_of_birth": "2999-01-01"})
    assert response.status_code == 400
    assert fields_of(response) == ["date_of_birth"]
    assert "future" in response.json()["errors"][0]["message"]
    assert not Person.objects.filter(reference="C001101").exists()


def test_an_officer_sees_vulnerabilities_and_the_view_is_audited(api, register) -> None:
    response = api("officer", "get", "/api/v1/people/C001002")
    assert response.status_code == 200
    body = response.json()
    assert body["vulnerabilities"] == ["older_person", "sensory"]
    assert body["has_vulnerabilities"] is True
    event = AuditEvent.objects.get(verb=Verb.VULNERABILITIES_VIEWED)
    assert event.object_label == "C001002" and event.via == "api"
    assert AuditEvent.objects.filter(verb=Verb.PERSON_VIEWED, object_label="C001002", via="api").exists()


def test_an_adviser_learns_only_that_vulnerabilities_exist(api, register) -> None:
    body = api("adviser", "get", "/api/v1/people/C001002").json()
    assert body["has_vulnerabilities"] is True
    assert "vulnerabilities" not in body
    assert not AuditEvent.objects.filter(verb=Verb.VULNERABILITIES_VIEWED).exists()
    assert api("adviser", "get", "/api/v1/people/C001001").json()["has_vulnerabilities"] is False


def test_the_people_list_never_holds_vulnerabilities(api, register) -> None:
    body = api("officer", "get", "/api/v1/people").json()
    assert body["count"] == 8
    assert all("vulnerabilities" not in p for p in body["results"])
    flagged = {p["reference"] for p in body["results"] if p["has_vulnerabilities"]}
    assert flagged == {"C001002", "C001005", "C001006"}
    markers = {p["reference"]: p["warning_markers"] for p in body["results"]}
    assert markers["C001004"] == ["violence", "visit_in_pairs"]
    assert not AuditEvent.objects.filter(verb=Verb.VULNERABILITIES_VIEWED).exists()
    found = api("officer", "get", "/api/v1/people?search=davies").json()
    assert {p["reference"] for p in found["results"]} == {"C001002", "C001003"}


# ---- tenancies ----------------------------------------------------------------------------------


def test_put_a_tenancy_creates_and_updates_its_household(api, register) -> None:
    created = api("admin", "put", "/api/v1/tenancies/T000600", NEW_TENANCY)
    assert created.status_code == 201, created.json()
    assert created.json() == {
        "reference": "T000600",
        "property": "P000102",
        "tenancy_type": "assured",
        "start_date": "2024-05-01",
        "end_date": None,
        "tenants": ["C001005"],
        "household_members": ["C001008"],
    }
    assert api("admin", "put", "/api/v1/tenancies/T000600", NEW_TENANCY).status_code == 200
    changed = api("admin", "put", "/api/v1/tenancies/T000600", {**NEW_TENANCY, "household_members": []})
    assert changed.status_code == 200 and changed.json()["household_members"] == []
    assert Tenancy.objects.filter(landlord=register, reference="T000600").count() == 1


def test_a_tenancy_ending_before_it_starts_is_refused(api, register) -> None:
    body = {**NEW_TENANCY, "start_date": "2024-05-01", "end_date": "2024-04-30"}
    response = api("admin", "put", "/api/v1/tenancies/T000601", body)
    assert response.status_code == 400
    assert fields_of(response) == ["end_date"]
    assert not Tenancy.objects.filter(reference="T000601").exists()


def test_get_tenancies_by_property_and_one_tenancy(api, register) -> None:
    listed = api("adviser", "get", "/api/v1/tenancies?property=P000103").json()
    assert listed["count"] == 1
    assert listed["results"][0]["tenants"] == ["C001002", "C001003"]
    one = api("adviser", "get", "/api/v1/tenancies/T000503").json()
    assert one["property"] == "P000106" and one["household_members"] == ["C001006"]
    assert api("adviser", "get", "/api/v1/tenancies").json()["count"] == 6


# ---- another landlord ---------------------------------------------------------------------------


def test_another_landlords_references_are_404(
    api, register, make_landlord: Callable[..., Landlord], make_user: Callable[..., User], client: Client
) -> None:
    other = make_landlord("whg")
    Property.objects.create(
        landlord=other,
        reference="W000001",
        uprn="300000000001",
        address_line_1="1 Other Road",
        town="Walsall",
        postcode="WS1 1AA",
        tenure="social_rent",
    )
    for path in ("/api/v1/properties/W000001", "/api/v1/people/NOPE", "/api/v1/tenancies/NOPE"):
        response = api("officer", "get", path)
        assert response.status_code == 404, path
        assert fields_of(response) == [None]
    assert api("officer", "get", "/api/v1/properties?search=W000001").json()["count"] == 0
    # The other landlord's staff do not see ours.
    stranger = make_user(other, "officer")
    token = token_create(actor=stranger, user=stranger)
    response = client.get("/api/v1/people/C001002", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb=Verb.VULNERABILITIES_VIEWED).exists()


# ---- queries ------------------------------------------------------------------------------------


STARTED = date(2020, 1, 1)


def _grow(landlord: Landlord, n: int) -> None:
    """n more properties, people (with a marker and a vulnerability) and tenancies with households."""
    props = Property.objects.bulk_create(
        Property(
            landlord=landlord,
            reference=f"G{i:05d}",
            uprn=f"{400000000000 + i}",
            address_line_1=f"{i} Growth Road",
            town="Coalville",
            postcode="LE67 4JP",
            tenure="social_rent",
        )
        for i in range(n)
    )
    people = Person.objects.bulk_create(
        Person(landlord=landlord, reference=f"H{i:05d}", first_name="Pat", last_name=f"Grow{i}") for i in range(n)
    )
    WarningMarker.objects.bulk_create(WarningMarker(landlord=landlord, person=p, kind="violence") for p in people)
    Vulnerability.objects.bulk_create(Vulnerability(person=p, kind="isolation") for p in people)
    tenancies = Tenancy.objects.bulk_create(
        Tenancy(landlord=landlord, reference=f"U{i:05d}", property=p, tenancy_type="assured", starts_on=STARTED)
        for i, p in enumerate(props)
    )
    TenancyMember.objects.bulk_create(
        TenancyMember(tenancy=t, person=p, role=HouseholdRole.TENANT) for t, p in zip(tenancies, people, strict=True)
    )


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/api/v1/properties", 3),  # the token (with its user), the count, the page (with patch and area)
        ("/api/v1/people", 4),  # ... and the page's warning markers
        ("/api/v1/tenancies", 4),  # ... and the page's households (with the people)
    ],
)
def test_list_queries_are_pinned_and_do_not_grow_with_rows(
    api, register, path: str, queries: int, django_assert_max_num_queries
) -> None:
    api("officer", "get", path)  # the token's first use is noted once
    with CaptureQueriesContext(connection) as small:
        assert api("officer", "get", path).status_code == 200
    _grow(register, 40)
    with django_assert_max_num_queries(queries), CaptureQueriesContext(connection) as large:
        response = api("officer", "get", path)
    assert response.status_code == 200 and len(response.json()["results"]) == response.json()["count"] > 40
    assert len(large.captured_queries) == len(small.captured_queries)
