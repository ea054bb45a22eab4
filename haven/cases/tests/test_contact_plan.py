"""The contact plan (whg 2.5: "update these customers regularly with the frequency and means of
contact agreed at the outset"): the next update due follows each contact, a missed one is overdue.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, Party, PartyRole
from haven.cases.services import contact_plan_agree, contact_record
from haven.common.errors import ApplicationError
from haven.intake.services import report_create, report_triage

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def open_case(landlord: Landlord, adviser: User, officer: User, days_ago: int = 10, anonymous: bool = False) -> Case:
    report = report_create(
        actor=adviser, landlord=landlord, channel="phone", what="Banging at night", where="Flat 3",
        reporter_name="" if anonymous else "Amira Khan", reporter_phone="" if anonymous else "07700 900123",
        anonymous=anonymous, received_at=timezone.now() - timedelta(days=days_ago),
    )  # fmt: skip
    report_triage(actor=adviser, report=report, is_asb=True, category="noise", screen={}, officer=officer)
    report.refresh_from_db()
    assert report.case is not None
    return report.case


def test_the_next_update_is_the_agreed_interval_after_the_latest_contact(staff: Staff) -> None:
    landlord, adviser, officer = staff("whg")
    case = open_case(landlord, adviser, officer)
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    agreed = timezone.now() - timedelta(days=9)
    contact_plan_agree(actor=officer, case=case, party=reporter, channel="phone", every_days=7, agreed_at=agreed)
    case.refresh_from_db()
    assert case.next_contact_due_at == agreed + timedelta(days=7)  # missed: two days ago
    called = timezone.now() - timedelta(hours=1)
    contact_record(actor=officer, case=case, party=reporter, channel="phone", at=called, summary="Weekly update")
    case.refresh_from_db()
    assert case.next_contact_due_at == called + timedelta(days=7)
    assert AuditEvent.objects.filter(verb=Verb.CONTACT_PLAN_AGREED, object_label=case.reference).count() == 1


def test_a_contact_with_someone_else_does_not_move_the_reporters_next_update(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    witness = Party.objects.create(case=case, role=PartyRole.WITNESS, name="Pat Lee")
    contact_plan_agree(actor=officer, case=case, party=reporter, channel="text", every_days=14)
    case.refresh_from_db()
    due = case.next_contact_due_at
    contact_record(actor=officer, case=case, party=witness, channel="phone", at=timezone.now(), summary="Statement")
    case.refresh_from_db()
    assert case.next_contact_due_at == due


def test_bad_plans_are_refused_with_a_reason_each(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    with pytest.raises(ApplicationError) as error:
        contact_plan_agree(
            actor=officer, case=case, party=None, channel="pigeon", every_days=0,
            agreed_at=timezone.now() + timedelta(days=1),
        )  # fmt: skip
    assert set(error.value.fields) == {"party", "channel", "every_days", "agreed_at"}
    with pytest.raises(ApplicationError, match="cannot change"):
        contact_plan_agree(actor=adviser, case=case, party=reporter, channel="phone", every_days=7)
    anonymous = open_case(landlord, adviser, officer, anonymous=True)
    nobody = Party.objects.get(case=anonymous, role=PartyRole.REPORTER)
    with pytest.raises(ApplicationError, match="anonymous reporter cannot be contacted"):
        contact_plan_agree(actor=officer, case=anonymous, party=nobody, channel="phone", every_days=7)


def test_an_officer_agrees_a_plan_on_the_case_page_and_a_missed_update_shows_in_the_list(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    client = Client()
    client.force_login(officer)
    bad = client.post(
        f"/cases/{case.reference}/contact-plan/", {"party": reporter.pk, "channel": "phone", "every_days": "weekly"}
    )
    assert bad.status_code == 400
    assert "Say how often as a whole number of days, like 7." in html.unescape(bad.content.decode())
    response = client.post(
        f"/cases/{case.reference}/contact-plan/",
        {"party": reporter.pk, "channel": "phone", "every_days": "7", "notes": "Not after 6pm"},
    )
    assert response.status_code == 303
    page = html.unescape(client.get(f"/cases/{case.reference}/").content.decode())
    assert "every 7 days" in page and "Not after 6pm" in page and "Update due" in page
    Case.objects.filter(pk=case.pk).update(next_contact_due_at=timezone.now() - timedelta(days=1))
    listed = html.unescape(client.get("/cases/?update_overdue=yes").content.decode())
    table = listed[listed.index('data-testid="cases"') :]
    assert case.reference in table and 'govuk-tag--red">Update overdue' in table
