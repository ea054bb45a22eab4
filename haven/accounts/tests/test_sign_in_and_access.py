"""Deny by default, sign-in, the staff home page and landlord separation (issue 2, items 2 and 6)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from haven.accounts.models import Role
from haven.audit.models import AuditEvent, Verb
from haven.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/admin/"])
def test_pages_need_sign_in(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"] or "/admin/login/" in response["Location"]


def test_healthz_and_sign_in_page_are_public(client: Client) -> None:
    assert client.get("/healthz").status_code == 200
    page = client.get(reverse("accounts:login"))
    assert page.status_code == 200
    assert b"Sign in to Haven" in page.content


def test_sign_in_with_a_wrong_password_shows_an_error_summary_and_keeps_the_user_name(client: Client, officer) -> None:
    page = client.post(reverse("accounts:login"), {"username": officer.username, "password": "wrong"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "govuk-error-summary" in html
    assert "The user name or password is not right" in html
    assert f'value="{officer.username}"' in html
    assert "<title>Error: Sign in" in html


def test_empty_sign_in_names_each_missing_field(client: Client, db) -> None:
    html = client.post(reverse("accounts:login"), {"username": "", "password": ""}).content.decode()
    assert "Enter your user name" in html and "Enter your password" in html


def test_sign_in_is_audited_and_the_home_page_shows_landlord_role_and_policy(client: Client, officer) -> None:
    response = client.post(reverse("accounts:login"), {"username": officer.username, "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb=Verb.SIGNED_IN, actor=officer).count() == 1
    html = client.get("/").content.decode()
    assert "emh test landlord" in html
    assert "Case officer" in html
    # emh 4.2: the home page summarises the response targets of the landlord's own policy.
    assert "24 working hours" in html and "5 working days" in html


def test_home_page_query_count_is_bounded(client: Client, officer, django_assert_max_num_queries) -> None:
    client.force_login(officer)
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200


def test_staff_without_landlord_or_role_cannot_be_saved(emh) -> None:
    from django.db import IntegrityError, transaction

    from haven.accounts.models import User

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="nobody", role="")


def test_each_user_sees_only_their_own_landlords_policy(client: Client, make_landlord, make_user) -> None:
    whg_user = make_user(make_landlord("whg"), "auditor")
    wwh_user = make_user(make_landlord("wwh"), "adviser")
    client.force_login(whg_user)
    assert client.get("/api/v1/policy").json()["id"] == "whg"
    client.force_login(wwh_user)
    assert client.get("/api/v1/policy").json()["id"] == "wwh"


def test_sign_out_is_a_post_and_is_audited(client: Client, officer) -> None:
    client.force_login(officer)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(verb=Verb.SIGNED_OUT, actor=officer).exists()
    assert client.get("/").status_code == 302


def test_every_role_exists() -> None:
    assert {r.value for r in Role} == {"adviser", "officer", "specialist", "manager", "auditor", "admin"}
