"""The API skeleton: Bearer tokens, the error format, the policy endpoint and the schema (API.md)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from haven.accounts.models import ApiToken
from haven.accounts.services import token_create, token_revoke
from haven.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_create_prints_the_token_alone_on_its_last_line_and_stores_only_a_hash(officer) -> None:
    out = io.StringIO()
    call_command("token", "create", "--user", officer.username, stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip().splitlines()[-1]
    assert token.startswith("hvn_") and " " not in token
    stored = ApiToken.objects.get(user=officer)
    assert token not in stored.key_hash and len(stored.key_hash) == 64
    assert AuditEvent.objects.filter(verb=Verb.TOKEN_CREATED).exists()


def test_a_bearer_token_acts_as_its_user(client: Client, officer) -> None:
    token = token_create(actor=officer, user=officer)
    response = client.get("/api/v1/policy", **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "emh"
    assert body["landlord"]
    # API.md: categories (code, label, flags) and tiers (id, label, response_target), review cadence.
    assert {"code", "label", "flags"} <= set(body["categories"][0])
    tiers = {t["id"]: t for t in body["tiers"]}
    assert set(tiers) == {"high", "medium", "low"}
    # emh 4.2: high within 24 working hours, medium and low within 5 working days.
    assert tiers["high"]["response_target"] == {"amount": 24, "unit": "working_hours", "text": "24 working hours"}
    assert tiers["medium"]["response_target"]["amount"] == 5
    assert tiers["low"]["response_target"]["unit"] == "working_days"
    # The initial risk screen (emh 4.4) and the advice routes, with the codes triage takes.
    assert "violence" in {q["code"] for q in body["risk_screen"]["questions"]}
    assert body["risk_screen"]["vulnerability_tier"] == "high"
    assert "mediation" in {r["code"] for r in body["not_asb"]["advice_routes"]}
    assert {c["tier"] for c in body["review_cadence"]} == {"high", "medium", "low"}


def test_no_token_gives_401_in_the_error_format(client: Client) -> None:
    response = client.get("/api/v1/policy")
    assert response.status_code == 401
    assert response.json() == {"errors": [{"field": None, "message": response.json()["errors"][0]["message"]}]}
    assert "Bearer" in response.json()["errors"][0]["message"]


def test_a_wrong_or_revoked_token_is_refused(client: Client, officer) -> None:
    assert client.get("/api/v1/policy", **bearer("hvn_not-a-token")).status_code == 401
    token = token_create(actor=officer, user=officer)
    token_revoke(actor=officer, token=ApiToken.objects.get(user=officer))
    response = client.get("/api/v1/policy", **bearer(token))
    assert response.status_code == 401
    assert "revoked" in response.json()["errors"][0]["message"]


def test_an_inactive_users_token_stops_working(client: Client, officer) -> None:
    token = token_create(actor=officer, user=officer)
    officer.is_active = False
    officer.save()
    assert client.get("/api/v1/policy", **bearer(token)).status_code == 401


def test_malformed_json_is_a_400_in_the_error_format_not_a_500(client: Client, officer) -> None:
    token = token_create(actor=officer, user=officer)
    # The policy endpoint is read-only: a write is refused in the error format too.
    response = client.post("/api/v1/policy", data="{not json", content_type="application/json", **bearer(token))
    assert response.status_code in {400, 405}
    assert "errors" in response.json()


def test_openapi_schema_and_docs_are_served(client: Client) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/v1/policy" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_the_openapi_schema_validates_without_a_single_warning(tmp_path: Path) -> None:
    """Every view documents its body and answers, and every enum has one name: a warning (an enum
    name collision, an undocumented field) fails here, so the published contract stays clean."""
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"), stderr=out)


def test_healthz_reports_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_an_unknown_api_address_is_a_json_404(client: Client, settings) -> None:
    settings.DEBUG = False
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": None, "message": "There is no such API address."}]}


def test_the_tests_run_on_the_database_that_database_url_names() -> None:
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected
