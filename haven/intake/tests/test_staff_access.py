"""Who may see the report pages and evidence, and the queue's fixed query count (issue 4).
Fixtures and helpers come from test_staff_pages.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.intake.models import Evidence, Report, ReportStatus
from haven.intake.services import evidence_path, report_triage
from haven.intake.tests import test_staff_pages as pages

pytestmark = pytest.mark.django_db

emh_staff = pages.emh_staff
adviser_client = pages.adviser_client
home_with_tenant = pages.home_with_tenant
phone_report = pages.phone_report
intake_data = pages.intake_data
text = pages.text
NEW, PNG, BEFORE_BANK_HOLIDAY = pages.NEW, pages.PNG, pages.BEFORE_BANK_HOLIDAY


# ---- who may see what ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_auditors_and_administrators_cannot_see_the_report_pages(
    client: Client, emh_staff: tuple[Landlord, User, User], make_user: Callable[..., User], role: str
) -> None:
    landlord, adviser, _ = emh_staff
    report = phone_report(landlord, adviser)
    client.force_login(make_user(landlord, role))
    for url in ("/reports/", NEW, f"/reports/{report.reference}/", f"/reports/{report.reference}/triage/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "You cannot see reports" in text(response)


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get("/reports/")
    assert response.status_code == 302 and "sign-in" in response["Location"]


def test_another_landlords_report_is_not_found(
    client: Client,
    emh_staff: tuple[Landlord, User, User],
    make_landlord: Callable[..., Landlord],
    make_user: Callable[..., User],
) -> None:
    landlord, adviser, _ = emh_staff
    report = phone_report(landlord, adviser)
    client.force_login(make_user(make_landlord("whg"), "adviser"))
    assert client.get(f"/reports/{report.reference}/").status_code == 404
    assert client.get(f"/reports/{report.reference}/triage/").status_code == 404
    assert client.post(f"/reports/{report.reference}/triage/", {"is_asb": "no"}).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW


def test_evidence_downloads_for_an_adviser_are_audited_and_other_landlords_get_404(
    client: Client,
    emh_staff: tuple[Landlord, User, User],
    make_landlord: Callable[..., Landlord],
    make_user: Callable[..., User],
) -> None:
    landlord, adviser, _ = emh_staff
    photo = SimpleUploadedFile("stairs.png", PNG, content_type="image/png")
    report = phone_report(landlord, adviser, files=[photo])
    evidence = Evidence.objects.get(report=report)
    url = reverse("intake:evidence", args=[evidence.pk])

    client.force_login(adviser)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;") and "stairs.png" in response["Content-Disposition"]
    event = AuditEvent.objects.get(verb=Verb.EVIDENCE_VIEWED)
    assert (event.actor, event.landlord_id) == (adviser, landlord.pk)

    client.force_login(make_user(make_landlord("whg"), "adviser"))
    assert client.get(url).status_code == 404
    client.force_login(make_user(landlord, "auditor"))
    assert client.get(url).status_code == 403
    assert AuditEvent.objects.filter(verb=Verb.EVIDENCE_VIEWED).count() == 1


def test_a_missing_evidence_file_gets_a_plain_not_found_page(
    client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    photo = SimpleUploadedFile("stairs.png", PNG, content_type="image/png")
    report = phone_report(landlord, adviser, files=[photo])
    evidence = Evidence.objects.get(report=report)
    evidence_path(evidence).unlink()
    client.force_login(adviser)
    response = client.get(reverse("intake:evidence", args=[evidence.pk]))
    assert response.status_code == 404
    assert "The evidence file cannot be found" in text(response) and report.reference in text(response)


# ---- the queue -------------------------------------------------------------------------------------


def make_reports(landlord: Landlord, count: int, *, start: int = 0) -> None:
    """Reports waiting for triage, straight into the table (the queue is read, not written, here)."""
    Report.objects.bulk_create(
        Report(
            landlord=landlord,
            reference=f"REP-2025-{start + n:06d}",
            channel="email" if n % 2 else "phone",
            received_at=BEFORE_BANK_HOLIDAY - timedelta(days=400) + timedelta(minutes=start + n),
            what=f"Report number {start + n}",
        )
        for n in range(count)
    )


def queue_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/reports/")
    assert response.status_code == 200
    return len(queries)


def test_the_queue_costs_the_same_number_of_queries_for_10_and_1000_reports(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    triaged = phone_report(landlord, adviser)
    report_triage(actor=adviser, report=triaged, is_asb=False, not_asb_reason="x", advice_given="y")
    make_reports(landlord, 10)
    few = queue_queries(adviser_client)
    make_reports(landlord, 990, start=10)
    many = queue_queries(adviser_client)
    assert few == many, (few, many)
    assert "1000 reports waiting" in text(adviser_client.get("/reports/"))


def row_of(page: str, reference: str) -> str:
    """The queue's table row for one report."""
    start = page.index(reference)
    return page[page.rindex("<tr", 0, start) : page.index("</tr>", start)]


def test_the_queue_lists_the_oldest_first_and_flags_those_overdue_for_triage(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    fresh = phone_report(landlord, adviser, received_at=timezone.now(), what="Just now")
    old = phone_report(landlord, adviser, received_at=timezone.now() - timedelta(days=7), what="Last week")
    page = text(adviser_client.get("/reports/"))
    assert page.index(old.reference) < page.index(fresh.reference)
    assert "Overdue for triage" in row_of(page, old.reference)  # a week: more than 1 working day
    assert "Overdue for triage" not in row_of(page, fresh.reference)
    assert "Triage by" in row_of(page, fresh.reference)
