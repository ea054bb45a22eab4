"""Casework quality reviews (whg 3.5) and persistent reports (emh 7.8) through the API.

Rules proved here: ``POST /api/v1/quality-reviews`` records a team manager's score against the
profile's checklist and refuses another role (403), an unknown question or a missing answer (400,
nothing written) and a case of another landlord (400: no such case the caller can see); ``GET``
lists them for managers, specialists and auditors; ``GET /api/v1/persistent-reporters`` lists the
reporters waiting (window edge: 182 days in, 183 out), ``POST .../{id}/decision`` decides and the
reporter leaves the list (404 on a second decision); the schema documents every endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import include, path

from config import urls as site_urls
from haven.accounts.models import Landlord, User
from haven.accounts.selectors import landlord_profile
from haven.api.tests import test_reports_api as reports
from haven.api.views import quality
from haven.cases.tests.any_profile import noise_case
from haven.reviews.models import PersistentReportDecision, QualityReview
from haven.reviews.tests.test_persistent import days_ago, not_asb

# Until haven/api/urls.py includes ``quality.urlpatterns``, this module is its own URLconf: the site's
# URLs with the quality API in front (harmless once the API's URLconf has them too).
urlpatterns = [path("api/", include((quality.urlpatterns, "quality-api"))), *site_urls.urlpatterns]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

api, emh_staff = reports.api, reports.emh_staff
fields_of, message_for = reports.fields_of, reports.message_for


def _answers(landlord: Landlord, answer: str = "yes") -> dict[str, str]:
    return {i.code: answer for i in landlord_profile(landlord).quality_review.checklist}


@pytest.fixture
def case(emh_staff: Landlord, make_user: Callable[..., User]) -> str:
    adviser = User.objects.filter(username="emh-adviser").first() or make_user(emh_staff, "adviser")
    officer = User.objects.get(username="emh-officer")
    return noise_case(emh_staff, adviser, officer).reference


def test_a_manager_records_a_quality_review_and_reads_it(api: Any, emh_staff: Landlord, case: str) -> None:
    """whg 3.5: 201 with the score; listed for managers, specialists and auditors, by sample too."""
    answers = {**_answers(emh_staff), "risk_assessed": "partly", "reviews_on_time": "na"}
    made = api("manager", "post", "/api/v1/quality-reviews", {"case": case, "answers": answers, "sample": "2026-12",
                                                               "learning": "Review the risk sooner."})  # fmt: skip
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["case"] == case and body["by"] == "emh-manager" and (body["score"], body["out_of"]) == (11, 12)
    for role in ("manager", "specialist", "auditor"):
        listed = api(role, "get", "/api/v1/quality-reviews")
        assert listed.status_code == 200 and listed.json()["count"] == 1
    assert api("manager", "get", "/api/v1/quality-reviews?sample=other").json()["count"] == 0
    assert api("officer", "get", "/api/v1/quality-reviews").status_code == 403


@pytest.mark.parametrize("role", ["officer", "specialist", "adviser"])
def test_only_a_manager_records_one(api: Any, emh_staff: Landlord, case: str, role: str) -> None:
    """whg 3.5: 403 for another role, nothing written."""
    refused = api(role, "post", "/api/v1/quality-reviews", {"case": case, "answers": _answers(emh_staff)})
    assert refused.status_code == 403 and "Only a team manager" in refused.json()["errors"][0]["message"]
    assert not QualityReview.objects.exists()


def test_bad_answers_are_refused_one_error_each(api: Any, emh_staff: Landlord, case: str) -> None:
    """whg 3.5: an unknown question and a missing answer are named; nothing written."""
    answers = {**_answers(emh_staff), "tea_offered": "yes"}
    answers.pop("action_plan")
    refused = api("manager", "post", "/api/v1/quality-reviews", {"case": case, "answers": answers})
    assert refused.status_code == 400
    assert set(fields_of(refused)) == {"answers", "action_plan"}
    assert "tea_offered" in message_for(refused, "answers")
    assert not QualityReview.objects.exists()


def test_a_case_of_another_landlord_is_refused(
    api: Any, emh_staff: Landlord, make_landlord: Callable[..., Landlord], make_user: Callable[..., User]
) -> None:
    """whg 3.5: another landlord's case is no case the manager can see (400 on ``case``)."""
    other = make_landlord("whg")
    theirs = noise_case(other, make_user(other, "adviser"), make_user(other, "officer")).reference
    refused = api("manager", "post", "/api/v1/quality-reviews", {"case": theirs, "answers": _answers(other)})
    assert refused.status_code == 400 and fields_of(refused) == ["case"]
    assert not QualityReview.objects.exists()


def test_persistent_reporters_are_listed_and_decided(
    api: Any, emh_staff: Landlord, make_user: Callable[..., User]
) -> None:
    """emh 7.8: 182 days in, 183 out; a decision takes the reporter off the list until a new report."""
    adviser = make_user(emh_staff, "adviser")
    for days in (182, 20, 2):
        not_asb(emh_staff, adviser, days_ago(days))
    for days in (183, 20, 2):
        not_asb(emh_staff, adviser, days_ago(days), email="jo@example.org", name="Jo Shah")
    listed = api("manager", "get", "/api/v1/persistent-reporters")
    assert listed.status_code == 200, listed.json()
    [row] = listed.json()["results"]
    assert row["name"] == "Pat Lee" and row["count"] == 3 and row["earlier_decision"] is None
    assert "@" not in row["id"]

    bad = api("manager", "post", f"/api/v1/persistent-reporters/{row['id']}/decision", {"decision": "support"})
    assert bad.status_code == 400 and fields_of(bad) == ["note"]
    url = f"/api/v1/persistent-reporters/{row['id']}/decision"
    made = api("specialist", "post", url, {"decision": "procedure", "note": "Follow the procedure."})
    assert made.status_code == 201, made.json()
    assert made.json()["reports"] == row["reports"] and made.json()["by"] == "emh-specialist"
    assert api("manager", "get", "/api/v1/persistent-reporters").json()["count"] == 0
    again = api("manager", "post", url, {"decision": "support", "note": "Again."})
    assert again.status_code == 404
    assert PersistentReportDecision.objects.count() == 1


@pytest.mark.parametrize("role", ["officer", "adviser", "auditor"])
def test_persistent_reporters_are_for_the_deciders(api: Any, emh_staff: Landlord, role: str) -> None:
    """emh 7.8: other roles get 403."""
    assert api(role, "get", "/api/v1/persistent-reporters").status_code == 403
    assert (
        api(role, "post", "/api/v1/persistent-reporters/abc/decision", {"decision": "support", "note": "x"}).status_code
        == 403
    )


def test_the_schema_documents_the_endpoints(api: Any) -> None:
    """API.md: every endpoint in the OpenAPI schema."""
    paths = api("manager", "get", "/api/schema/?format=json").json()["paths"]
    for wanted in ("/api/v1/quality-reviews", "/api/v1/persistent-reporters",
                   "/api/v1/persistent-reporters/{reporter_id}/decision"):  # fmt: skip
        assert wanted in paths
