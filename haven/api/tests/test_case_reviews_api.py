"""Case reviews through the API (issue 7; WWH 5.0, emh 7.1).

Rules proved here: ``POST .../reviews`` records a review with every checklist answer and sets the
next review date (201), awaiting a manager's sign-off; a missing answer, an unknown conclusion or a
blank reason is a 400 naming each field, nothing written; a closed case is a 409; who may see but
not work the case gets 403, another landlord's staff 404; ``GET`` lists the reviews;
``POST .../sign-off`` by a team manager signs off (200), another role or the manager who held it
gets 403, signing twice 409, an unknown review 404; ``GET /api/v1/reviews?state=`` lists overdue,
due and awaiting sign-off (400 for another state); ``Idempotency-Key`` replays a retried review;
the schema documents the endpoints.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import User
from haven.api.tests import test_reports_api as reports
from haven.cases.models import Case
from haven.policies.registry import get_profile
from haven.reviews.models import Review
from haven.reviews.tests.test_reviews_service import close

pytestmark = pytest.mark.django_db

api, emh_staff, new_report, triaged_case = reports.api, reports.emh_staff, reports.new_report, reports.triaged_case
fields_of, message_for = reports.fields_of, reports.message_for


@pytest.fixture
def case(triaged_case: str) -> str:
    return triaged_case


def _answers() -> dict[str, str]:
    return {item.code: f"Answer to {item.code}" for item in get_profile("emh").reviews.checklist}


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"answers": _answers(), "threshold_met": None, "conclusion": "continue",
                            "conclusion_note": "Incidents go on; keep the plan."}  # fmt: skip
    body.update(changes)
    return body


def _give_officer(case: str) -> None:
    Case.objects.filter(reference=case).update(officer=User.objects.get(username="emh-officer"))


def test_a_review_is_recorded_and_listed(api, case) -> None:  # type: ignore[no-untyped-def]
    """WWH 5.0: every answer kept with its question, the conclusion, the next review date set
    (emh 7.1) and the review awaiting sign-off (reviews.manager_signoff)."""
    _give_officer(case)
    created = api("officer", "post", f"/api/v1/cases/{case}/reviews", _body(conclusion="de_escalate"))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["case"], body["by"], body["conclusion"], body["signoff"]) == (
        case, "emh-officer", "de_escalate", "awaiting",
    )  # fmt: skip
    assert {a["code"]: a["answer"] for a in body["answers"]} == _answers()
    assert body["answers"][0]["question"] == get_profile("emh").reviews.checklist[0].label
    found = Case.objects.get(reference=case)
    assert found.last_reviewed_at is not None and body["next_review_at"] is not None
    assert (
        found.review_due_at is not None
        and body["next_review_at"] == timezone.localtime(found.review_due_at).isoformat()
    )
    listed = api("adviser", "get", f"/api/v1/cases/{case}/reviews")
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert listed.json()["results"][0]["id"] == body["id"]


def test_bad_input_is_a_400_naming_each_field(api, case) -> None:  # type: ignore[no-untyped-def]
    """WWH 5.0: each missing answer named by its code, the conclusion and why required; an unknown
    field is refused; nothing is written."""
    _give_officer(case)
    answers = _answers()
    answers.pop("same_issue")
    response = api("officer", "post", f"/api/v1/cases/{case}/reviews", _body(answers=answers, conclusion_note=""))
    assert response.status_code == 400
    assert set(fields_of(response)) == {"answers.same_issue", "conclusion_note"}
    assert message_for(response, "answers.same_issue").startswith("Answer the question: What is being reported")
    wrong = api("officer", "post", f"/api/v1/cases/{case}/reviews", _body(conclusion="maybe", colour="red"))
    assert wrong.status_code == 400 and set(fields_of(wrong)) == {"conclusion", "colour"}
    assert not Review.objects.exists()


def test_a_closed_case_is_a_409_and_nothing_changes(api, case, make_user) -> None:  # type: ignore[no-untyped-def]
    """Issue 7 "Bad input": reviewing a closed case is refused with the plain message."""
    _give_officer(case)
    found = Case.objects.get(reference=case)
    manager = User.objects.filter(username="emh-manager").first() or make_user(found.landlord, "manager")
    close(found, manager)
    response = api("officer", "post", f"/api/v1/cases/{case}/reviews", _body())
    assert response.status_code == 409
    assert response.json()["errors"][0]["message"] == "This case is closed; reopen it to review it."
    assert not Review.objects.exists()
    assert Case.objects.get(reference=case).last_reviewed_at is None


def test_who_cannot_work_the_case_gets_403_and_another_landlord_404(api, case, make_user, make_landlord) -> None:  # type: ignore[no-untyped-def]
    """can_work_case: an adviser or auditor sees the reviews but cannot record one (403); another
    landlord's staff do not see the case (404)."""
    make_user(Case.objects.get(reference=case).landlord, "auditor")
    for role in ("adviser", "auditor"):
        assert api(role, "get", f"/api/v1/cases/{case}/reviews").status_code == 200
        assert api(role, "post", f"/api/v1/cases/{case}/reviews", _body()).status_code == 403
    whg = make_landlord("whg")
    make_user(whg, "manager")
    assert api("manager", "get", f"/api/v1/cases/{case}/reviews", landlord=whg).status_code == 404
    assert api("manager", "post", f"/api/v1/cases/{case}/reviews", _body(), landlord=whg).status_code == 404
    assert not Review.objects.exists()


def test_a_team_manager_signs_off_once(api, case) -> None:  # type: ignore[no-untyped-def]
    """reviews.manager_signoff: the manager signs off (200); the officer gets 403; a second sign-off
    is a 409; an unknown review 404; the return needs a note (400)."""
    _give_officer(case)
    review = api("officer", "post", f"/api/v1/cases/{case}/reviews", _body()).json()["id"]
    url = f"/api/v1/cases/{case}/reviews/{review}/sign-off"
    refused = api("officer", "post", url, {"decision": "signed_off"})
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["message"] == "Only a team manager can sign off a review."
    no_note = api("manager", "post", url, {"decision": "returned"})
    assert no_note.status_code == 400 and fields_of(no_note) == ["note"]
    signed = api("manager", "post", url, {"decision": "signed_off", "note": "Agreed."})
    assert signed.status_code == 200, signed.json()
    assert (signed.json()["signoff"], signed.json()["signed_off_by"]) == ("signed_off", "emh-manager")
    again = api("manager", "post", url, {"decision": "returned", "note": "Look again."})
    assert again.status_code == 409
    assert again.json()["errors"][0]["message"] == "This review is already signed off."
    assert api("manager", "post", f"/api/v1/cases/{case}/reviews/{review + 99}/sign-off", {}).status_code == 404


def test_a_manager_cannot_sign_off_their_own_review(api, case) -> None:  # type: ignore[no-untyped-def]
    """WWH 5.0 sign-off: the manager who held the review gets 403 and it still awaits sign-off."""
    review = api("manager", "post", f"/api/v1/cases/{case}/reviews", _body()).json()["id"]
    response = api("manager", "post", f"/api/v1/cases/{case}/reviews/{review}/sign-off", {"decision": "signed_off"})
    assert response.status_code == 403
    assert "another team manager" in response.json()["errors"][0]["message"]
    assert Review.objects.get().signoff == "awaiting"


def test_the_lists_of_reviews_due_overdue_and_awaiting(api, case, new_report) -> None:  # type: ignore[no-untyped-def]
    """emh 7.1: overdue before now, due within the next working days, awaiting sign-off; another
    state is a 400."""
    _give_officer(case)
    late = api("adviser", "post", f"/api/v1/reports/{new_report()}/triage", reports.LOW_NOISE).json()["case"]
    Case.objects.filter(reference=late["reference"]).update(review_due_at=timezone.now() - timedelta(days=2))
    Case.objects.filter(reference=case).update(review_due_at=timezone.now() + timedelta(days=1))
    overdue = api("manager", "get", "/api/v1/reviews?state=overdue")
    assert overdue.status_code == 200
    assert [row["case"] for row in overdue.json()["results"]] == [late["reference"]]
    due = api("manager", "get", "/api/v1/reviews?state=due").json()["results"]
    assert [row["case"] for row in due] == [case] and due[0]["state"] == "due" and due[0]["review"] is None
    review = api("officer", "post", f"/api/v1/cases/{case}/reviews", _body()).json()["id"]
    awaiting = api("manager", "get", "/api/v1/reviews?state=awaiting_signoff").json()["results"]
    assert [(row["case"], row["review"]["id"]) for row in awaiting] == [(case, review)]
    wrong = api("manager", "get", "/api/v1/reviews?state=soon")
    assert wrong.status_code == 400 and fields_of(wrong) == ["state"]


def test_a_retried_review_is_replayed_not_doubled(api, case) -> None:  # type: ignore[no-untyped-def]
    """API.md Idempotency-Key: the same key and body give the first answer and one review."""
    _give_officer(case)
    first = api("officer", "post", f"/api/v1/cases/{case}/reviews", _body(), key="review-1")
    again = api("officer", "post", f"/api/v1/cases/{case}/reviews", _body(), key="review-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert Review.objects.count() == 1


def test_the_schema_documents_the_review_endpoints(api) -> None:  # type: ignore[no-untyped-def]
    """ARCHITECTURE: every endpoint is in the OpenAPI schema."""
    schema = api("adviser", "get", "/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for wanted in ("/api/v1/cases/{reference}/reviews", "/api/v1/cases/{reference}/reviews/{review_id}/sign-off",
                   "/api/v1/reviews"):  # fmt: skip
        assert wanted in paths
