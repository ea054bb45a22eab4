"""Committee reports (issue 9; whg 3.1, Peaks & Plains 7.4.1): asked for on the page, built as a PDF
by the task (the immediate backend in tests, run when the request's transaction commits), and read
back with pypdf to check the figures in it against a hand count:

emh, January to March 2026: three cases opened (5 January, 2 February, 10 March), one closed on
19 January as resolved; the reporter of the first two is a woman on the register, so the equality
table shows "fewer than 5" for her two cases; the TSM homes figure of 2025-26 is 2,000 homes, so
NM01 (a) is 3 / 2,000 x 1,000 = 1.50.
"""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from haven.accounts.models import Team
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseStatus, Party, PartyRole
from haven.cases.tests.factories import open_case, signed_in, text
from haven.insights.models import CommitteeReport, HomesFigure, ReportStatus
from haven.insights.services.committee import committee_report_build
from haven.register.models import EqualityMonitoring, Person

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")
FORM = {
    "title": "ASB report to the Oversight Committee", "audience": "Oversight Committee", "start": "01/01/2026",
    "end": "31/03/2026", "team": "", "patch": "", "summary": "Reports rose after the summer.",
    "performance": "Two in three responses were on time.", "equality": "Few answers were given.",
    "next_steps": "Recruit a second officer.",
}  # fmt: skip


@pytest.fixture
def world(staff, make_user):  # type: ignore[no-untyped-def]
    landlord, adviser, officer = staff("emh")
    cases = [open_case(landlord, adviser, officer, received_at=datetime(*d, 10, tzinfo=UK))  # type: ignore[misc]
             for d in ((2026, 1, 5), (2026, 2, 2), (2026, 3, 10))]  # fmt: skip
    Case.objects.filter(pk=cases[0].pk).update(status=CaseStatus.CLOSED, closed_at=datetime(2026, 1, 19, 10, tzinfo=UK),
                                               closure_reason="resolved", resolved=True)  # fmt: skip
    woman = Person.objects.create(landlord=landlord, reference="W1", first_name="W", last_name="One")
    EqualityMonitoring.objects.create(person=woman, sex="Female")
    Party.objects.filter(case__in=cases[:2], role=PartyRole.REPORTER).update(person=woman)
    manager = make_user(landlord, "manager")
    HomesFigure.objects.create(landlord=landlord, year=2025, homes=2000, entered_by=manager)
    return landlord, manager


def pdf_text(report: CommitteeReport) -> str:
    reader = PdfReader(BytesIO(bytes(report.pdf)))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_manager_asks_for_a_report_it_is_built_and_holds_the_period_figures(
    world, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    _, manager = world
    client = signed_in(manager)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/insights/committee-reports/", FORM)
    assert answer.status_code == 303
    report = CommitteeReport.objects.get()
    assert (report.status, report.progress, report.step) == (ReportStatus.READY, 100, "")
    assert report.pages >= 3 and len(report.sha256) == 64
    body = " ".join(pdf_text(report).split())
    for fact in ("ASB report to the Oversight Committee", "1 January 2026 to 31 March 2026", "Oversight Committee",
                 "Reports rose after the summer.", "Recruit a second officer.", "NM01 (a)", "1.50",
                 "fewer than 5", "Policy compliance audit", "Page 1 of"):  # fmt: skip
        assert fact in body, fact
    assert "Amira" not in body  # no reporter's name in a report that leaves Haven
    page = client.get(answer["Location"])
    assert page.status_code == 200 and "The report is ready" in text(page) and "Refresh" not in page
    pdf = client.get(f"/insights/committee-reports/{report.pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    mine = (Verb.COMMITTEE_REPORT_REQUESTED, Verb.COMMITTEE_REPORT_DOWNLOADED)
    events = AuditEvent.objects.filter(object_id=str(report.pk), verb__in=mine, actor=manager)
    assert sorted(events.values_list("verb", flat=True)) == sorted(mine)
    listing = text(client.get("/insights/committee-reports/"))
    assert "ASB report to the Oversight Committee" in listing and "Ready" in listing


def test_a_queued_report_shows_its_progress_and_reloads(world) -> None:  # type: ignore[no-untyped-def]
    """Without the commit callbacks the task never runs: the report waits, and its page says so."""
    _, manager = world
    client = signed_in(manager)
    answer = client.post("/insights/committee-reports/", FORM)
    report = CommitteeReport.objects.get()
    page = client.get(answer["Location"])
    assert report.status == ReportStatus.QUEUED and page["Refresh"] == "3"
    assert "Waiting for the report to start" in text(page)
    assert client.get(f"/insights/committee-reports/{report.pk}/pdf").status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": "01/12/2025"}, "The period ends before it starts"),
        ({"title": ""}, "Enter a title for the report."),
        ({"start": "01/01/2020", "end": "31/03/2026"}, "Choose a period of no more than 60 months."),
        ({"summary": "x" * 4001}, "Write no more than 4,000 characters here."),
        ({"team": "999999"}, "Choose one of your landlord's teams."),
    ],
)
def test_bad_input_is_refused_with_the_form_kept_and_nothing_saved(world, change, message) -> None:  # type: ignore[no-untyped-def]
    _, manager = world
    answer = signed_in(manager).post("/insights/committee-reports/", {**FORM, **change})
    assert answer.status_code == 400 and message in text(answer)
    assert "Two in three responses were on time." in text(answer)  # the commentary is kept as typed
    assert not CommitteeReport.objects.exists() and not AuditEvent.objects.filter(
        verb=Verb.COMMITTEE_REPORT_REQUESTED).exists()  # fmt: skip


def test_another_landlords_team_and_reports_are_refused(world, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    landlord, manager = world
    other, _, _ = staff("whg")
    their_team = Team.objects.filter(landlord=other).first()
    answer = signed_in(manager).post("/insights/committee-reports/", {**FORM, "team": str(their_team.pk)})
    assert answer.status_code == 400 and "Choose one of your landlord's teams." in text(answer)
    their_manager = make_user(other, "manager")
    theirs = CommitteeReport.objects.create(
        landlord=other, title="Theirs", start=date(2026, 1, 1), end=date(2026, 3, 31), requested_by=their_manager
    )
    assert signed_in(manager).get(f"/insights/committee-reports/{theirs.pk}/").status_code == 404
    officer = signed_in(make_user(landlord, "officer", username="o2"))
    assert officer.get("/insights/committee-reports/").status_code == 403


def test_a_report_that_cannot_be_built_is_marked_failed_with_a_plain_message(world) -> None:  # type: ignore[no-untyped-def]
    """A row written around the service with a period that ends before it starts: the build fails in
    the selectors, and the report says so instead of waiting for ever."""
    landlord, manager = world
    report = CommitteeReport.objects.create(landlord=landlord, title="Broken", start=date(2026, 3, 1),
                                            end=date(2026, 1, 1), requested_by=manager)  # fmt: skip
    assert committee_report_build(report_id=report.pk) is None
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "Ask for it again" in report.error and not report.pdf
    page = signed_in(manager).get(f"/insights/committee-reports/{report.pk}/")
    assert "The report could not be built" in text(page) and "Refresh" not in page
    assert committee_report_build(report_id=report.pk) is None  # a failed report is not rebuilt by a stray task
