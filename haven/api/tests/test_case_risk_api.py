"""Risk and vulnerability through the API (emh 4.4-4.14): risk assessments, support needs and
safeguarding concerns of a case, and the matrix in ``GET /api/v1/policy``.

Rules proved here: the policy document carries the profile's ``risk_matrix`` so a client can build
the form (every profile); a POSTed assessment is scored by the matrix and says when its band
suggests another tier (emh 4.3-4.4); unknown and missing answers are a 400 naming each; the list
keeps the history, newest first, paginated; special category details (answers, notes, needs,
concerns) only for caseworkers (``can_view_special_category``): an auditor sees bands, not
answers, and gets a 403 for needs and concerns; a caller who cannot work the case gets a 403, one
who cannot see it a 404; a safeguarding concern needs its referral or the reason for none, and
restricts the case; ``Idempotency-Key`` replays create nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.accounts.services import token_create
from haven.cases.models import Case, Party, PartyRole, RiskAssessment, SafeguardingConcern, SupportNeed
from haven.cases.tests.test_risk import PROFILES, case_for, lowest, reporter_of
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def caller(user: User) -> Callable[..., Any]:
    token = token_create(actor=user, user=user)
    client = Client()

    def call(method: str, path: str, body: Any = None, key: str | None = None) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        if key:
            headers["HTTP_IDEMPOTENCY_KEY"] = key
        if method == "get":
            return client.get(path, **headers)
        return client.post(path, data=body, content_type="application/json", **headers)

    return call


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


@pytest.mark.parametrize("policy_id", PROFILES)
def test_the_policy_document_carries_the_risk_matrix_and_an_assessment_is_scored_by_it(
    staff: Staff, policy_id: str
) -> None:
    landlord, adviser, officer = staff(policy_id)
    api = caller(officer)
    matrix = api("get", "/api/v1/policy").json()["risk_matrix"]
    profile = get_profile(policy_id)
    assert matrix["version"] == profile.risk_matrix.version
    assert [q["code"] for q in matrix["questions"]] == [q.code for q in profile.risk_matrix.questions]
    assert {"code", "label", "weight"} <= set(matrix["questions"][0]["options"][0])
    case = case_for(landlord, adviser, officer)
    answers = {q["code"]: min(q["options"], key=lambda o: o["weight"])["code"] for q in matrix["questions"]}
    answers["harm"] = "hurt"
    response = api(
        "post", f"/api/v1/cases/{case.reference}/risk-assessments", {"party": "reporter", "answers": answers}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    top = max(profile.risk_matrix.bands, key=lambda b: b.min_score)
    assert (body["band"], body["proposed_tier"], body["answers"]) == (top.code, top.tier, answers)
    assert body["policy"] == {"id": policy_id, "version": profile.version, "matrix_version": "1"}
    assert body["case"]["suggested_tier"] == (None if top.tier == case.tier else top.tier)


def test_unknown_and_missing_answers_are_a_400_naming_each_and_nothing_is_saved(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = case_for(landlord, adviser, officer)
    answers: dict[str, Any] = {**lowest(get_profile("emh"), harm="slapped"), "colour": "red"}
    del answers["children"]
    api = caller(officer)
    url = f"/api/v1/cases/{case.reference}/risk-assessments"
    response = api("post", url, {"party": "reporter", "answers": answers, "mood": "x"})
    assert response.status_code == 400
    assert fields_of(response) == {"mood"}
    response = api("post", url, {"party": "reporter", "answers": answers})
    assert response.status_code == 400
    assert fields_of(response) == {"answers", "answers.harm", "answers.children"}
    response = api("post", url, {"party": 999999, "answers": "high"})
    assert response.status_code == 400 and fields_of(response) == {"answers"}
    response = api("post", url, {"party": 999999, "answers": lowest(get_profile("emh"))})
    assert response.status_code == 400 and fields_of(response) == {"party"}
    assert not RiskAssessment.objects.exists()


def test_the_history_is_listed_newest_first_and_an_auditor_sees_bands_not_answers(
    staff: Staff, make_user: Callable[..., User]
) -> None:
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    case = case_for(landlord, adviser, officer)
    api = caller(officer)
    url = f"/api/v1/cases/{case.reference}/risk-assessments"
    reporter = reporter_of(case)
    for answers in (lowest(profile), lowest(profile, hate="yes")):
        body = {"party": reporter.pk, "answers": answers, "notes": "Spoke at home"}
        assert api("post", url, body).status_code == 201
    listed = api("get", url).json()
    assert listed["count"] == 2 and [r["band"] for r in listed["results"]] == ["high", "low"]
    assert listed["results"][0]["notes"] == "Spoke at home"
    audited = caller(make_user(landlord, "auditor"))("get", url).json()
    assert [r["band"] for r in audited["results"]] == ["high", "low"]
    assert all(r["answers"] is None and r["notes"] is None for r in audited["results"])


def test_only_those_who_can_work_the_case_write_and_others_landlords_get_a_404(
    staff: Staff, make_user: Callable[..., User], make_landlord: Callable[..., Landlord]
) -> None:
    landlord, adviser, officer = staff("emh")
    case = case_for(landlord, adviser, officer)
    body = {"party": "reporter", "answers": lowest(get_profile("emh"))}
    base = f"/api/v1/cases/{case.reference}"
    for user in (adviser, make_user(landlord, "auditor")):
        api = caller(user)
        assert api("post", f"{base}/risk-assessments", body).status_code == 403
        assert api("post", f"{base}/support-needs", {"party": "reporter", "kind": "other"}).status_code == 403
        assert api("post", f"{base}/safeguarding-concerns", {"about": "child", "referred": False}).status_code == 403
        assert api("get", f"{base}/support-needs").status_code == 403
        assert api("get", f"{base}/safeguarding-concerns").status_code == 403
        assert api("get", f"{base}/risk-assessments").status_code == 200
    other = caller(make_user(make_landlord("emh", slug="other"), "manager"))
    for path in ("risk-assessments", "support-needs", "safeguarding-concerns"):
        assert other("get", f"{base}/{path}").status_code == 404
        assert other("post", f"{base}/{path}", body).status_code == 404
    assert not RiskAssessment.objects.exists() and not SupportNeed.objects.exists()


def test_a_support_need_is_recorded_and_listed_for_caseworkers(staff: Staff) -> None:
    landlord, adviser, officer = staff("wwh")
    case = case_for(landlord, adviser, officer)
    reported = Party.objects.create(case=case, role=PartyRole.REPORTED, name="Lee Smith")
    api = caller(officer)
    url = f"/api/v1/cases/{case.reference}/support-needs"
    half = api("post", url, {"party": reported.pk, "kind": "mental_health", "description": "Low mood",
                             "referred_to": "GP"})  # fmt: skip
    assert half.status_code == 400 and fields_of(half) == {"referred_on"}
    made = api("post", url, {"party": reported.pk, "kind": "mental_health", "description": "Low mood",
                             "referred_to": "GP", "referred_on": "2026-01-05"})  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["referred_on"] == "2026-01-05" and made.json()["recorded_by"] == officer.username
    listed = api("get", url).json()
    assert listed["count"] == 1 and listed["results"][0]["description"] == "Low mood"


def test_a_safeguarding_concern_needs_its_referral_or_a_reason_and_restricts_the_case(staff: Staff) -> None:
    landlord, adviser, officer = staff("livv")
    case = case_for(landlord, adviser, officer)
    api = caller(officer)
    url = f"/api/v1/cases/{case.reference}/safeguarding-concerns"
    missing = api("post", url, {"about": "child", "concern": "Child alone at night", "referred": True})
    assert missing.status_code == 400 and fields_of(missing) == {"referred_to", "referred_on"}
    no_reason = api("post", url, {"about": "adult", "concern": "Cuckooing", "referred": False})
    assert no_reason.status_code == 400 and fields_of(no_reason) == {"no_referral_reason"}
    body = {"about": "child", "concern": "Child alone at night", "referred": True, "referred_to": "MASH",
            "referred_on": timezone.localdate().isoformat(), "party": reporter_of(case).pk}  # fmt: skip
    made = api("post", url, body, key="sg-1")
    assert made.status_code == 201, made.json()
    assert made.json()["case"]["restricted"] is True and "safeguarding" in made.json()["case"]["flags"]
    again = api("post", url, body, key="sg-1")
    assert again.status_code == 201 and again.json()["id"] == made.json()["id"]
    assert SafeguardingConcern.objects.count() == 1
    assert Case.objects.get(pk=case.pk).restricted
    assert caller(adviser)("get", f"/api/v1/cases/{case.reference}/risk-assessments").status_code == 404


def test_the_openapi_schema_describes_the_risk_endpoints(client: Client) -> None:
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in ("risk-assessments", "support-needs", "safeguarding-concerns"):
        operations = paths[f"/api/v1/cases/{{reference}}/{path}"]
        assert {"get", "post"} <= set(operations)
