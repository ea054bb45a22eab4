"""The ASB Case Review on the case page and the staff pages (2014 Act s104; Victims' Commissioner; WWH
5.0): the standing and the prompt to tell the reporter, the forms to record an agency complaint, that
the reporter was told and an application (bad input re-shown as typed with the error summary,
nothing saved), the decision and a recommendation becoming an action, the list of reporters at the
threshold, the areas kept by managers, and the printable information pack (audited)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Action
from haven.cases.tests.factories import signed_in, text
from haven.intake.models import Report
from haven.register.models import LocalAuthorityArea
from haven.reviews.models import AgencyComplaint, CaseReviewApplication, RightToReviewNotice
from haven.reviews.tests.test_case_review_detection import AMIRA, START, area, report, reporter_of, scene, three_reports

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _case_url(case) -> str:  # type: ignore[no-untyped-def]
    return reverse("cases:case", args=[case.reference])


def test_the_case_page_shows_the_standing_and_the_prompt(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Victims' Commissioner (emh 7.7, ``tell_reporter_at`` 2): two recent complaints show the count,
    the threshold not met, the prompt to tell the reporter with the directory link, and a "What is
    due" item."""
    s = scene(staff, make_user)
    case = report(s, TODAY - timedelta(days=5), TODAY - timedelta(days=6)).case
    report(s, TODAY - timedelta(days=2), TODAY - timedelta(days=2), case=case)
    page = text(signed_in(s.officer).get(_case_url(case)))
    assert 'id="case-review"' in page
    assert "2 qualifying complaints within six months of 3 needed" in page
    assert "Tell Amira Khan about their right to an ASB Case Review" in page
    assert "community-trigger-directory" in page
    assert 'data-testid="case-review-prompt"' in page


def test_recording_an_agency_complaint_and_a_refusal(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(9): a complaint to the council is recorded (audited); one about behaviour after
    the complaint is re-shown with the error summary, as typed, and nothing is saved."""
    s = scene(staff, make_user)
    case = report(s, TODAY - timedelta(days=5), TODAY - timedelta(days=6)).case
    client = signed_in(s.officer)
    url = reverse("reviews:agency-complaint-add", args=[case.reference])
    party = str(reporter_of(case).pk)
    bad = client.post(
        url,
        {"agency_complaint-party": party, "agency_complaint-agency": "City Council",
         "agency_complaint-made_on": d(TODAY - timedelta(days=3)),
         "agency_complaint-incident_on": d(TODAY - timedelta(days=1))},
    )  # fmt: skip
    assert bad.status_code == 400
    page = text(bad)
    assert "There is a problem" in page and "The behaviour cannot be after the complaint about it." in page
    assert 'value="City Council"' in page
    assert not AgencyComplaint.objects.exists()
    good = client.post(
        url,
        {"agency_complaint-party": party, "agency_complaint-agency": "City Council",
         "agency_complaint-made_on": d(TODAY - timedelta(days=3)),
         "agency_complaint-incident_on": d(TODAY - timedelta(days=4))},
    )  # fmt: skip
    assert good.status_code == 303
    assert AgencyComplaint.objects.get().agency == "City Council"
    assert AuditEvent.objects.filter(verb=Verb.AGENCY_COMPLAINT_RECORDED).count() == 1


def test_recording_that_the_reporter_was_told_clears_the_prompt(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Victims' Commissioner: once the reporter is recorded as told, the prompt goes; the notice keeps
    the complaints counted then."""
    s = scene(staff, make_user)
    case = report(s, TODAY - timedelta(days=5), TODAY - timedelta(days=6)).case
    report(s, TODAY - timedelta(days=2), TODAY - timedelta(days=2), case=case)
    client = signed_in(s.officer)
    response = client.post(
        reverse("reviews:right-told", args=[case.reference]),
        {"right_told-party": str(reporter_of(case).pk), "right_told-told_on": d(TODAY), "right_told-channel": "phone"},
    )
    assert response.status_code == 303
    assert RightToReviewNotice.objects.get().complaints == 2
    page = text(client.get(_case_url(case)))
    assert 'data-testid="case-review-prompt"' not in page
    assert "Told about their right on" in page


def _apply(client, case, received: date, complaints: list[str]):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("reviews:case-review-apply", args=[case.reference]),
        {"case_review_apply-party": str(reporter_of(case).pk), "case_review_apply-route": "from_reporter",
         "case_review_apply-received_on": d(received), "case_review_apply-complaints": complaints},
    )  # fmt: skip


def test_an_application_dated_before_its_complaints_is_refused_on_the_page(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Bad input (issue 7; 2014 Act s104(8)): an application date before a complaint it relies on
    shows a clear message on the page and saves nothing; a good one is recorded."""
    s = scene(staff, make_user)
    case = three_reports(s)
    client = signed_in(s.officer)
    chosen = [f"report:{r.pk}" for r in Report.objects.filter(reporter_email=AMIRA)]
    bad = _apply(client, case, START + timedelta(days=39), chosen)
    assert bad.status_code == 400
    assert "The application date is before the complaint of" in text(bad)
    assert not CaseReviewApplication.objects.exists()
    good = _apply(client, case, START + timedelta(days=41), chosen)
    assert good.status_code == 303
    assert len(CaseReviewApplication.objects.get().complaints) == 3


def test_the_decision_and_a_recommendation_become_an_action(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(6); WWH 5.0: the threshold decided met with a meeting, then the panel's
    recommendation is added on the page and appears in the case's action plan."""
    s = scene(staff, make_user)
    case = three_reports(s)
    client = signed_in(s.officer)
    chosen = [f"report:{r.pk}" for r in Report.objects.filter(reporter_email=AMIRA)]
    assert _apply(client, case, TODAY, chosen).status_code == 303
    application = CaseReviewApplication.objects.get()
    update = client.post(
        reverse("reviews:case-review-update", args=[case.reference, application.pk]),
        {f"case_review_{application.pk}-decision": "met", f"case_review_{application.pk}-decided_on": d(TODAY),
         f"case_review_{application.pk}-meeting_on": d(TODAY)},
    )  # fmt: skip
    assert update.status_code == 303
    prefix = f"recommendation_{application.pk}"
    bad = client.post(
        reverse("reviews:case-review-recommendation", args=[case.reference, application.pk]),
        {f"{prefix}-text": "", f"{prefix}-owner": "landlord", f"{prefix}-due_on": d(TODAY + timedelta(days=7))},
    )
    assert bad.status_code == 400 and "Write the panel's recommendation." in text(bad)
    added = client.post(
        reverse("reviews:case-review-recommendation", args=[case.reference, application.pk]),
        {f"{prefix}-text": "Mediation with the neighbour", f"{prefix}-owner": "partner",
         f"{prefix}-owner_partner": "Nottingham Mediation", f"{prefix}-due_on": d(TODAY + timedelta(days=7))},
    )  # fmt: skip
    assert added.status_code == 303
    assert Action.objects.get(case=case).description == "Mediation with the neighbour"
    page = text(client.get(_case_url(case)))
    assert "Mediation with the neighbour" in page


def test_someone_from_another_landlord_cannot_see_or_post(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """ARCHITECTURE.md (permissions): another landlord's officer gets no case page and cannot post."""
    s = scene(staff, make_user)
    case = report(s, TODAY - timedelta(days=2), TODAY - timedelta(days=2)).case
    other = scene(staff, make_user, "whg")
    response = signed_in(other.officer).post(
        reverse("reviews:right-told", args=[case.reference]),
        {"right_told-party": str(reporter_of(case).pk), "right_told-told_on": d(TODAY), "right_told-channel": "phone"},
    )
    assert response.status_code == 404
    assert signed_in(other.officer).get(reverse("reviews:case-review-pack", args=[case.reference])).status_code == 404
    assert not RightToReviewNotice.objects.exists()


def test_the_list_shows_reporters_meeting_the_threshold(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104: /case-reviews/ lists the reporter meeting the threshold on open cases."""
    s = scene(staff, make_user)
    case = report(s, TODAY - timedelta(days=10), TODAY - timedelta(days=10)).case
    report(s, TODAY - timedelta(days=5), TODAY - timedelta(days=5), case=case)
    report(s, TODAY - timedelta(days=1), TODAY - timedelta(days=1), case=case)
    page = text(signed_in(s.officer).get(reverse("reviews:case-reviews")))
    assert case.reference in page and "Threshold met" in page


def test_the_standing_links_the_other_cases_the_complaints_came_from(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104 (complaints counted across the reporter's cases): each complaint from another
    case the officer may see links to it."""
    s = scene(staff, make_user)
    case = three_reports(s)
    others = {r.case.reference for r in Report.objects.filter(reporter_email=AMIRA) if r.case_id != case.pk}
    assert others
    page = text(signed_in(s.officer).get(_case_url(case)))
    for reference in others:
        assert f'On case <a class="govuk-link" href="/cases/{reference}/#case-review">{reference}</a>' in page


def test_a_manager_keeps_the_areas(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(10): a manager adds an area (audited); a threshold over three is refused on the
    form as typed; an officer reads the list but may not change it."""
    s = scene(staff, make_user)
    officer, manager = signed_in(s.officer), signed_in(s.manager)
    assert officer.get(reverse("reviews:areas")).status_code == 200
    assert officer.get(reverse("reviews:area-add")).status_code == 403
    bad = manager.post(reverse("reviews:area-add"), {"name": "Nottingham", "threshold_complaints": "4"})
    assert bad.status_code == 400 and "There is a problem" in text(bad)
    assert not LocalAuthorityArea.objects.exists()
    good = manager.post(
        reverse("reviews:area-add"),
        {"name": "Nottingham", "threshold_complaints": "3", "hate_incident_qualifies": "on", "community_reports": "5",
         "lead_agency": "Nottingham City Council", "decision_within_days": "10"},
    )  # fmt: skip
    assert good.status_code == 303
    saved = LocalAuthorityArea.objects.get()
    assert saved.hate_incident_qualifies and saved.community_reports == 5
    assert AuditEvent.objects.filter(verb=Verb.AREA_SAVED).count() == 1
    edit = manager.post(
        reverse("reviews:area-edit", args=[saved.pk]), {"name": "Nottingham", "threshold_complaints": "2"}
    )
    assert edit.status_code == 303
    saved.refresh_from_db()
    assert saved.threshold_complaints == 2 and saved.community_reports is None
    assert "Nottingham" in text(officer.get(reverse("reviews:areas")))


def test_the_information_pack_is_printable_and_audited(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act Sch 4 (information for the review): the pack shows the complaints counted, actions,
    interventions, referrals, risk assessments and the chronology; each view is audited."""
    from haven.accounts.selectors import landlord_profile
    from haven.cases.services.plans import action_add
    from haven.cases.services.risk import risk_assess
    from haven.cases.tests.test_risk import lowest

    s = scene(staff, make_user)
    area(s)
    case = three_reports(s)
    profile = landlord_profile(s.landlord)
    risk_assess(actor=s.officer, case=case, party=reporter_of(case), answers=lowest(profile))
    action_add(
        actor=s.officer, case=case, description="Visit the neighbour", owner="landlord", owner_user=s.officer,
        due_on=TODAY + timedelta(days=5),
    )  # fmt: skip
    response = signed_in(s.officer).get(reverse("reviews:case-review-pack", args=[case.reference]))
    assert response.status_code == 200
    page = text(response)
    for part in (
        "pack-complaints",
        "pack-actions",
        "pack-interventions",
        "pack-referrals",
        "pack-risk",
        "pack-chronology",
    ):
        assert f'data-testid="{part}"' in page
    assert "govuk-!-display-none-print" in page
    assert "Visit the neighbour" in page and "No risk assessments." not in page
    assert AuditEvent.objects.filter(verb=Verb.CASE_REVIEW_PACK_VIEWED, object_id=str(case.pk)).count() == 1
    # issue 8: the same pack as a PDF for the panel, read back, and audited as a view too
    from io import BytesIO

    from pypdf import PdfReader

    pdf = signed_in(s.officer).get(reverse("reviews:case-review-pack-pdf", args=[case.reference]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    words = " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages).split())
    for fact in ("ASB Case Review information pack", case.reference, "Visit the neighbour", "Risk assessments",
                 "Chronology", "Page 1 of"):  # fmt: skip
        assert fact in words, fact
    assert AuditEvent.objects.filter(verb=Verb.CASE_REVIEW_PACK_VIEWED, object_id=str(case.pk)).count() == 2


def test_the_case_page_reads_the_same_queries_for_one_or_three_applications(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """ARCHITECTURE.md (query counts): the ASB Case Review part costs the same for one application
    with a recommendation as for three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haven.reviews.services.case_review import case_review_update, recommendation_add

    s = scene(staff, make_user)
    case = three_reports(s)
    client = signed_in(s.officer)
    chosen = [f"report:{r.pk}" for r in Report.objects.filter(reporter_email=AMIRA)]

    def one_more() -> None:
        assert _apply(client, case, TODAY, chosen).status_code == 303
        application = CaseReviewApplication.objects.order_by("-pk").first()
        assert application is not None
        application = case_review_update(
            actor=s.officer,
            application=application,
            values={"decision": "met", "decided_on": TODAY, "meeting_on": TODAY},
        )
        recommendation_add(
            actor=s.officer, application=application, text="Mediation", owner="landlord", owner_user=s.officer,
            due_on=TODAY + timedelta(days=7),
        )  # fmt: skip

    one_more()
    client.get(_case_url(case))  # warm the session and the profile caches
    with CaptureQueriesContext(connection) as first:
        assert client.get(_case_url(case)).status_code == 200
    one_more()
    one_more()
    with CaptureQueriesContext(connection) as later:
        assert client.get(_case_url(case)).status_code == 200
    assert len(later) == len(first)
