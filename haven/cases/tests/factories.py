"""Shared test set-up for the case workspace: a case opened the real way (report, triage), and a
signed-in client. Each part's tests build on these."""

from __future__ import annotations

import html
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.cases.models import Case
from haven.intake.services import report_create, report_triage


def open_case(landlord: Landlord, adviser: User, officer: User | None = None, **triage: object) -> Case:
    """A case from a phone report triaged by ``adviser`` (noise, low unless told otherwise)."""
    received = triage.pop("received_at", timezone.now() - timedelta(hours=1))
    report = report_create(
        actor=adviser, landlord=landlord, channel="phone", what="Shouting and banging at night", where="Flat 3",
        reporter_name="Amira Khan", reporter_phone="07700 900123", received_at=received,  # type: ignore[arg-type]
        reporter_email=triage.pop("reporter_email", "amira@example.org"),  # type: ignore[arg-type]
        property=triage.pop("property", None),  # type: ignore[arg-type]
    )  # fmt: skip
    values: dict[str, object] = {"category": "noise", "tier": "low"}
    values.update(triage)
    report_triage(actor=adviser, report=report, is_asb=True, officer=officer, **values)  # type: ignore[arg-type]
    report.refresh_from_db()
    assert report.case is not None
    return report.case


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]
