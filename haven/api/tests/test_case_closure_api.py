"""Closures, sign-off, complaints and the survey through the API (issue 7).

Rules proved here: ``POST .../close`` with ``confirmed`` keeps the policy's closure conditions on
the closure (``GET .../closures``), and a blocking one not met is a 409 naming it; a team manager
who did not close it signs the closure off (``.../sign-off``), a second decision is 409, returning
needs a note; ``GET /api/v1/closures?signoff=awaiting`` is for managers; complaints are recorded
and answered, a bad body naming each field; the survey shows its links (never the link itself),
records answers by phone once (a second time 409), and refuses an open case (409).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.api.tests import test_reports_api as reports
from haven.cases.models import Case, CaseStatus, Closure
from haven.reviews.models import SurveyResponse

pytestmark = pytest.mark.django_db

api, emh_staff, new_report, triaged_case = reports.api, reports.emh_staff, reports.new_report, reports.triaged_case
fields_of, message_for = reports.fields_of, reports.message_for
CLOSE = {"reason": "Quiet for eight weeks", "closure_reason": "resolved", "outcome": "The noise stopped",
         "resolved": True, "confirmed": ["reporter_told", "risk_reviewed"]}  # fmt: skip


@pytest.fixture
def case(triaged_case: str) -> str:
    return triaged_case


def _today(days: int = 0) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_a_closure_keeps_its_conditions_and_a_manager_signs_it_off(api, case) -> None:  # type: ignore[no-untyped-def]
    closed = api("officer", "post", f"/api/v1/cases/{case}/close", {**CLOSE, "confirmed": ["reporter_told"]})
    assert closed.status_code == 200, closed.json()
    closures = api("officer", "get", f"/api/v1/cases/{case}/closures").json()
    assert len(closures) == 1 and closures[0]["signoff"] == "awaiting"
    met = {c["code"]: c["met"] for c in closures[0]["conditions"]}
    assert met["reporter_told"] is True and met["risk_reviewed"] is False and met["actions_closed"] is True
    closure_id = closures[0]["id"]
    assert api("officer", "get", "/api/v1/closures?signoff=awaiting").status_code == 403
    awaiting = api("manager", "get", "/api/v1/closures?signoff=awaiting")
    assert [c["id"] for c in awaiting.json()] == [closure_id]
    assert api("manager", "get", "/api/v1/closures?signoff=done").status_code == 400
    path = f"/api/v1/cases/{case}/closures/{closure_id}/sign-off"
    assert api("officer", "post", path, {"decision": "signed_off"}).status_code == 403
    no_note = api("manager", "post", path, {"decision": "returned"})
    assert no_note.status_code == 400 and fields_of(no_note) == ["note"]
    assert api("manager", "post", path, {"decision": "maybe"}).status_code == 400
    signed = api("manager", "post", path, {"decision": "signed_off", "note": "Fine"})
    assert signed.status_code == 200 and signed.json()["signoff"] == "signed_off"
    assert api("manager", "post", path, {"decision": "returned", "note": "Wait"}).status_code == 409
    assert api("manager", "get", "/api/v1/closures?signoff=awaiting").json() == []


def test_a_returned_closure_reopens_the_case(api, case) -> None:  # type: ignore[no-untyped-def]
    api("officer", "post", f"/api/v1/cases/{case}/close", CLOSE)
    closure = Closure.objects.get(case__reference=case)
    returned = api("manager", "post", f"/api/v1/cases/{case}/closures/{closure.pk}/sign-off",
                   {"decision": "returned", "note": "Call the reporter first"})  # fmt: skip
    assert returned.status_code == 200 and returned.json()["reopened_at"] is not None
    assert Case.objects.get(reference=case).status == CaseStatus.REOPENED
    again = api("manager", "post", f"/api/v1/cases/{case}/closures/{closure.pk}/sign-off", {"decision": "signed_off"})
    assert again.status_code == 409 and "reopened" in str(again.json())  # an earlier closure never awaits


def test_a_blocking_condition_not_met_is_a_conflict(api, case) -> None:  # type: ignore[no-untyped-def]
    body = {"description": "Visit the flat", "owner": "landlord", "owner_user": "emh-officer", "due_on": _today(7)}
    action = api("officer", "post", f"/api/v1/cases/{case}/actions", body)
    assert action.status_code == 201, action.json()
    refused = api("officer", "post", f"/api/v1/cases/{case}/close", CLOSE)
    assert refused.status_code == 409 and "open actions" in str(refused.json())
    assert not Closure.objects.exists()


def test_complaints_are_recorded_and_answered(api, case) -> None:  # type: ignore[no-untyped-def]
    path = f"/api/v1/cases/{case}/complaints"
    bad = api("officer", "post", path, {"about": "food", "received_on": "yesterday", "extra": 1})
    assert bad.status_code == 400 and set(fields_of(bad)) >= {"about", "received_on", "extra"}
    missing = api("officer", "post", path, {"about": "handling", "received_on": _today()})
    assert missing.status_code == 400 and fields_of(missing) == ["summary"]
    made = api("officer", "post", path, {"about": "outcome", "received_on": _today(), "summary": "Still noisy"})
    assert made.status_code == 201 and made.json()["case_review_signposted"] is True
    complaint_id = made.json()["id"]
    assert [c["id"] for c in api("officer", "get", path).json()] == [complaint_id]
    assert api("adviser", "get", path).status_code == 403
    answer = f"{path}/{complaint_id}/answer"
    answered = api("officer", "post", answer, {"answered_on": _today(), "answer": "We explained the decision"})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert api("officer", "post", answer, {"answered_on": _today(), "answer": "Again"}).status_code == 409
    assert api("officer", "post", f"{path}/999999/answer", {"answered_on": _today(), "answer": "x"}).status_code == 404


def test_the_survey_through_the_api(api, case) -> None:  # type: ignore[no-untyped-def]
    path = f"/api/v1/cases/{case}/survey"
    early = api("officer", "post", f"{path}/responses", {"via": "phone", "answers": {"tp12": "very_satisfied"}})
    assert early.status_code == 409 and "closed case" in str(early.json())
    api("officer", "post", f"/api/v1/cases/{case}/close", CLOSE)
    survey = api("officer", "get", path).json()
    assert survey["to_answer"] is True and len(survey["invitations"]) == 1
    assert "survey/" not in str(survey)  # the link is the reporter's key: never shown
    bad = api("officer", "post", f"{path}/responses", {"via": "phone", "answers": {"tp12": "ok", "colour": "red"}})
    assert bad.status_code == 400 and set(fields_of(bad)) == {"tp12", "colour"}
    done = api("officer", "post", f"{path}/responses",
               {"via": "phone", "answers": {"tp12": "fairly_satisfied", "comments": "Good"}})  # fmt: skip
    assert done.status_code == 201 and done.json()["responses"][0]["tp12"] == "fairly_satisfied"
    assert done.json()["to_answer"] is False
    again = api("officer", "post", f"{path}/responses", {"via": "phone", "answers": {"tp12": "very_satisfied"}})
    assert again.status_code == 409 and SurveyResponse.objects.count() == 1
    assert api("officer", "post", f"{path}/invitations").status_code == 409
