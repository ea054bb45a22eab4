"""Recording an ASB Case Review application (2014 Act s104 and Sch 4; WWH 5.0; emh 7.7): the complaints it
relies on, its dates kept in order (received, decision, meeting, outcome letter), the panel's
recommendations joining the case's action plan, and the local authority areas kept by managers.
Each refusal leaves nothing changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Action, ActionOwner
from haven.common.errors import ApplicationError
from haven.reviews.models import CaseReviewApplication, CaseReviewRecommendation, ThresholdDecision
from haven.reviews.services.case_review import (
    area_save,
    case_review_apply,
    case_review_update,
    complaints_relied_on,
    recommendation_add,
)
from haven.reviews.tests.test_case_review_detection import START, reporter_of, scene, standing_on, three_reports

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _applied(s, case, received_on=None):  # type: ignore[no-untyped-def]
    found = standing_on(s, case, TODAY)
    relied, unknown = complaints_relied_on([f"{c.kind}:{c.ref}" for c in found.complaints], found.complaints)
    assert not unknown
    return case_review_apply(
        actor=s.officer, case=case, applicant=reporter_of(case), route="from_reporter",
        received_on=received_on or START + timedelta(days=50), relied_on=relied,
    )  # fmt: skip


def test_an_application_records_the_complaints_it_relies_on(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(8): an application received after the three complaints is recorded with them,
    pending a decision, and audited."""
    s = scene(staff, make_user)
    case = three_reports(s)
    application = _applied(s, case)
    assert application.decision == ThresholdDecision.PENDING
    assert len(application.complaints) == 3
    assert {c["kind"] for c in application.complaints} == {"report"}
    assert AuditEvent.objects.filter(verb=Verb.CASE_REVIEW_APPLIED, object_id=str(case.pk)).count() == 1


def test_an_application_dated_before_its_complaints_is_refused(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Bad input (issue 7; 2014 Act s104(8)): an application date before a complaint it relies on is
    refused with a clear message naming the complaint's date, and nothing is saved."""
    s = scene(staff, make_user)
    case = three_reports(s)
    with pytest.raises(ApplicationError) as refused:
        _applied(s, case, received_on=START + timedelta(days=39))
    assert "before the complaint of" in refused.value.fields["received_on"]
    assert not CaseReviewApplication.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.CASE_REVIEW_APPLIED).exists()


def test_an_application_needs_complaints_and_a_route(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(8): an application relies on complaints; how it came is one of the routes."""
    s = scene(staff, make_user)
    case = three_reports(s)
    with pytest.raises(ApplicationError) as refused:
        case_review_apply(
            actor=s.officer, case=case, applicant=reporter_of(case), route="letter", received_on=TODAY, relied_on=[]
        )
    assert set(refused.value.fields) == {"route", "complaints"}
    assert not CaseReviewApplication.objects.exists()


def test_the_dates_of_an_application_keep_their_order(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act Sch 4 (the review procedure): the decision is not before the application, the meeting
    follows a decision that the threshold was met, the outcome letter follows the meeting. A refused
    change leaves the application as it was; a good one is audited."""
    s = scene(staff, make_user)
    case = three_reports(s)
    application = _applied(s, case)
    received = application.received_on
    with pytest.raises(ApplicationError) as refused:
        case_review_update(
            actor=s.officer, application=application,
            values={"decision": "met", "decided_on": received - timedelta(days=1), "meeting_on": received},
        )  # fmt: skip
    assert "decided_on" in refused.value.fields
    with pytest.raises(ApplicationError) as refused:
        case_review_update(
            actor=s.officer, application=application, values={"decision": "not_met", "decided_on": TODAY}
        )
    assert "decision_reason" in refused.value.fields
    application.refresh_from_db()
    assert application.decision == ThresholdDecision.PENDING
    case_review_update(
        actor=s.officer, application=application,
        values={"decision": "met", "decided_on": received + timedelta(days=2),
                "meeting_on": received + timedelta(days=9)},
    )  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        case_review_update(
            actor=s.officer, application=application, values={"outcome_letter_sent_on": received + timedelta(days=8)}
        )
    assert "outcome_letter_sent_on" in refused.value.fields
    case_review_update(
        actor=s.officer, application=application,
        values={"outcome": "Panel met.", "outcome_letter_sent_on": received + timedelta(days=10)},
    )  # fmt: skip
    application.refresh_from_db()
    assert application.decision == ThresholdDecision.MET
    assert application.outcome_letter_sent_on == received + timedelta(days=10)
    assert AuditEvent.objects.filter(verb=Verb.CASE_REVIEW_UPDATED, object_id=str(case.pk)).count() == 2


def test_a_recommendation_becomes_an_action_on_the_case(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(6) (the panel may make recommendations; WWH 5.0 agreed actions): a recommendation
    joins the case's action plan through the action plan service, owned by the landlord's officer or
    a partner; refused before the threshold is decided met."""
    s = scene(staff, make_user)
    case = three_reports(s)
    application = _applied(s, case)
    with pytest.raises(ApplicationError):
        recommendation_add(
            actor=s.officer, application=application, text="Fit noise monitoring", owner=ActionOwner.LANDLORD,
            owner_user=s.officer, due_on=TODAY + timedelta(days=14),
        )  # fmt: skip
    assert not Action.objects.filter(case=case).exists()
    application = case_review_update(
        actor=s.officer, application=application,
        values={"decision": "met", "decided_on": TODAY, "meeting_on": TODAY},
    )  # fmt: skip
    found = recommendation_add(
        actor=s.officer, application=application, text="Fit noise monitoring", owner=ActionOwner.LANDLORD,
        owner_user=s.officer, due_on=TODAY + timedelta(days=14),
    )  # fmt: skip
    assert found.action is not None
    action = Action.objects.get(case=case)
    assert action.description == "Fit noise monitoring" and action.owner_user == s.officer
    assert action.source == "case_review"
    assert AuditEvent.objects.filter(verb=Verb.ACTION_ADDED, object_id=str(case.pk)).count() == 1
    assert CaseReviewRecommendation.objects.get().owner == s.officer.display_name


def test_only_managers_and_administrators_keep_areas(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(10): an area's threshold is at most three complaints; a manager records the
    area (audited), an officer may not."""
    s = scene(staff, make_user)
    with pytest.raises(ApplicationError):
        area_save(actor=s.officer, values={"name": "Nottingham", "threshold_complaints": 3})
    with pytest.raises(ApplicationError) as refused:
        area_save(actor=s.manager, values={"name": "Nottingham", "threshold_complaints": 4})
    assert "threshold_complaints" in refused.value.fields
    saved = area_save(
        actor=s.manager,
        values={"name": "Nottingham", "threshold_complaints": 3, "community_reports": 5, "lead_agency": "Council"},
    )
    assert saved.community_reports == 5
    assert AuditEvent.objects.filter(verb=Verb.AREA_SAVED).count() == 1
    with pytest.raises(ApplicationError) as refused:
        area_save(actor=s.manager, values={"name": "nottingham", "threshold_complaints": 2})
    assert "name" in refused.value.fields
