"""The register API's schema, its length checks and joined problems, and that one record reads only
what it names. Fixtures and helpers come from test_register_api.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from haven.accounts.services import token_create
from haven.api.tests import test_register_api as base
from haven.register.models import (
    Person,
    Property,
)

pytestmark = pytest.mark.django_db

register = base.register
api = base.api
fields_of = base.fields_of
NEW_PROPERTY = base.NEW_PROPERTY
NEW_PERSON = base.NEW_PERSON
NEW_TENANCY = base.NEW_TENANCY
_grow = base._grow


# ---- the OpenAPI schema -------------------------------------------------------------------------


def test_the_register_endpoints_are_in_a_valid_openapi_schema(client: Client) -> None:
    from drf_spectacular.validation import validate_schema

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    validate_schema(schema)
    paths = schema["paths"]
    for name in ("properties", "people", "tenancies"):
        assert set(paths[f"/api/v1/{name}"]) == {"get"}
        assert set(paths[f"/api/v1/{name}/{{reference}}"]) == {"get", "put"}
    body = schema["components"]["schemas"]["PropertyUpsert"]
    assert "property_reference" not in body["properties"]  # the key is in the address
    assert {"uprn", "postcode", "tenure", "counts_for_tsm"} <= set(body["properties"])
    person = schema["components"]["schemas"]["PersonDetail"]
    assert "vulnerabilities" in person["properties"] and "vulnerabilities" not in person.get("required", [])
    assert "vulnerabilities" not in schema["components"]["schemas"]["Person"]["properties"]


def test_the_documents_have_the_fields_the_schema_names(api, register) -> None:
    from haven.api.serializers.register import (
        PersonDetailSerializer,
        PersonSerializer,
        PropertySerializer,
        TenancySerializer,
    )

    assert set(api("adviser", "get", "/api/v1/properties/P000101").json()) == set(PropertySerializer().fields)
    assert set(api("adviser", "get", "/api/v1/tenancies/T000501").json()) == set(TenancySerializer().fields)
    assert set(api("adviser", "get", "/api/v1/people/C001001").json()) == set(PersonSerializer().fields)
    assert set(api("officer", "get", "/api/v1/people/C001001").json()) == set(PersonDetailSerializer().fields)
    listed = api("officer", "get", "/api/v1/people").json()["results"][0]
    assert set(listed) == set(PersonSerializer().fields)


def test_malformed_json_is_a_400_in_the_error_format(client: Client, api, register, make_user) -> None:
    admin = make_user(register, "admin", username="emh-admin-json")
    token = token_create(actor=admin, user=admin)
    response = client.put(
        "/api/v1/properties/P000101",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": None, "message": "The request body is not valid JSON."}]}


# ---- lengths, joined problems, and reading only what a single record needs ----------------------


def test_values_longer_than_haven_keeps_are_named_not_500s(api, register) -> None:
    """The register's columns have maximum lengths; PostgreSQL refuses longer text, so the check must."""
    body = {**NEW_PERSON, "last_name": "K" * 101, "sex": "x" * 41}
    response = api("admin", "put", "/api/v1/people/C009999", body)
    assert response.status_code == 400
    assert set(fields_of(response)) == {"last_name", "sex"}
    long_reference = "P" + "0" * 40
    response = api("admin", "put", f"/api/v1/properties/{long_reference}", NEW_PROPERTY)
    assert response.status_code == 400 and "property_reference" in fields_of(response)
    assert not Person.objects.filter(reference="C009999").exists()
    assert not Property.objects.filter(reference=long_reference).exists()


def test_every_problem_of_a_column_is_reported(api, register) -> None:
    response = api(
        "admin", "put", "/api/v1/tenancies/T000601", {**NEW_TENANCY, "household_members": ["C001005", "NOBODY"]}
    )
    assert response.status_code == 400
    message = next(e["message"] for e in response.json()["errors"] if e["field"] == "household_members")
    assert "NOBODY" in message and "already named as a tenant" in message


@pytest.mark.parametrize(
    ("path", "body", "tables"),
    [
        ("/api/v1/properties/P000200", NEW_PROPERTY, ("register_property",)),
        ("/api/v1/people/C009999", NEW_PERSON, ("register_person", "register_vulnerability", "register_warningmarker")),
        ("/api/v1/tenancies/T000600", NEW_TENANCY, ("register_tenancy", "register_tenancymember", "register_person")),
    ],
)
def test_a_single_put_reads_only_the_records_it_names(api, register, path: str, body: dict, tables: tuple) -> None:
    """One record through the API must not read the landlord's whole register (100k properties)."""
    _grow(register, 30)
    with CaptureQueriesContext(connection) as queries:
        assert api("admin", "put", path, body).status_code == 201
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and any(f'FROM "{t}"' in sql for t in tables):
            assert " IN (" in sql or '"reference" = ' in sql, sql
