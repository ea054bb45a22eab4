"""The ASB Case Review through the API (2014 Act s104 and Sch 4; Victims' Commissioner; WWH 5.0).

Rules proved here: managers and administrators add and change local authority areas (a threshold
over three refused, others 403); ``GET .../case-review`` shows the reporter's complaints counted
across cases and the threshold met; an agency complaint about the same incident counts once; the
reporter told clears the prompt; an application dated before its complaints is refused (400,
nothing saved), a good one is recorded; its decision is patched (409 when stale) and a
recommendation becomes an action; ``GET /api/v1/case-reviews`` lists the reporter; another
landlord's staff get 404; the schema documents the paths.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.api.tests import test_reports_api as reports
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Action, Case
from haven.register.models import LocalAuthorityArea
from haven.reviews.models import CaseReviewApplication
from haven.reviews.tests.test_case_review_detection import START, Scene, report, three_reports

pytestmark = pytest.mark.django_db

api, emh_staff = reports.api, reports.emh_staff
fields_of, message_for = reports.fields_of, reports.message_for
TODAY = timezone.localdate()


@pytest.fixture
def s(emh_staff: Landlord, make_user: Callable[..., User]) -> Scene:
    return Scene(
        emh_staff, make_user(emh_staff, "adviser"), User.objects.get(username="emh-officer"),
        make_user(emh_staff, "manager"),
    )  # fmt: skip


def test_areas_are_kept_by_managers(api, s) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(10): a manager adds an area (201, audited); a threshold of four is refused with
    the field named; an officer may read but not write (403); a change keeps what is left out."""
    body = {"name": "North West Leicestershire", "threshold_complaints": 3, "hate_incident_qualifies": True}
    assert api("officer", "post", "/api/v1/local-authority-areas", body).status_code == 403
    bad = api("manager", "post", "/api/v1/local-authority-areas", {**body, "threshold_complaints": 4})
    assert bad.status_code == 400 and fields_of(bad) == ["threshold_complaints"]
    odd = api("manager", "post", "/api/v1/local-authority-areas",
              {**body, "contact_email": "not an address", "procedure_url": "javascript:alert(1)"})  # fmt: skip
    assert odd.status_code == 400 and sorted(fields_of(odd)) == ["contact_email", "procedure_url"]
    made = api("manager", "post", "/api/v1/local-authority-areas", body)
    assert made.status_code == 201, made.json()
    area_id = made.json()["id"]
    changed = api("manager", "patch", f"/api/v1/local-authority-areas/{area_id}", {"community_reports": 5})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["hate_incident_qualifies"] is True and changed.json()["community_reports"] == 5
    listed = api("officer", "get", "/api/v1/local-authority-areas")
    assert [a["name"] for a in listed.json()] == ["North West Leicestershire"]
    assert AuditEvent.objects.filter(verb=Verb.AREA_SAVED).count() == 2


def test_the_case_review_counts_across_cases_and_agencies_once(api, s) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104: three reports across two cases meet the statutory threshold; a complaint to the
    council about the same incident as a report counts once (still three)."""
    case = three_reports(s)
    got = api("officer", "get", f"/api/v1/cases/{case.reference}/case-review")
    assert got.status_code == 200
    reporter = got.json()["reporters"][0]
    assert reporter["counted"] == 3 and reporter["met"] is True and reporter["rule"] == "statutory"
    assert got.json()["area"] is None and got.json()["tell_reporter_at"] == 2
    incident = START + timedelta(days=40 - 30)
    added = api(
        "officer", "post", f"/api/v1/cases/{case.reference}/agency-complaints",
        {"party": "reporter", "agency": "Council", "made_on": (START + timedelta(days=41)).isoformat(),
         "incident_on": incident.isoformat()},
    )  # fmt: skip
    assert added.status_code == 201, added.json()
    standing = added.json()["reporters"][0]
    assert len(standing["complaints"]) == 4 and standing["counted"] == 3


def test_telling_the_reporter_clears_the_prompt(api, s) -> None:  # type: ignore[no-untyped-def]
    """Victims' Commissioner: at the second complaint the prompt is due; once told, it is not."""
    case = report(s, TODAY - timedelta(days=4), TODAY - timedelta(days=4)).case
    assert case is not None
    report(s, TODAY - timedelta(days=1), TODAY - timedelta(days=1), case=case)
    got = api("officer", "get", f"/api/v1/cases/{case.reference}/case-review")
    assert got.json()["reporters"][0]["tell_now"] is True
    bad = api("officer", "post", f"/api/v1/cases/{case.reference}/right-to-review-notices", {"party": "reporter"})
    assert bad.status_code == 400 and set(fields_of(bad)) == {"told_on", "channel"}
    told = api(
        "officer", "post", f"/api/v1/cases/{case.reference}/right-to-review-notices",
        {"party": "reporter", "told_on": TODAY.isoformat(), "channel": "phone"},
    )  # fmt: skip
    assert told.status_code == 201, told.json()
    assert told.json()["reporters"][0]["tell_now"] is False
    assert told.json()["reporters"][0]["told_on"] == TODAY.isoformat()


def _ids(api, case: Case) -> list[str]:  # type: ignore[no-untyped-def]
    got = api("officer", "get", f"/api/v1/cases/{case.reference}/case-review")
    return [c["id"] for c in got.json()["reporters"][0]["complaints"]]


def test_an_application_its_decision_and_a_recommendation(api, s) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(6), (8): an application dated before a complaint it relies on is refused (nothing
    saved); a good one is recorded; the decision is patched, a stale version is 409; a recommendation
    joins the action plan."""
    case = three_reports(s)
    path = f"/api/v1/cases/{case.reference}/case-review-applications"
    ids = _ids(api, case)
    body: dict[str, Any] = {"applicant": "reporter", "route": "from_reporter", "complaints": ids}
    early = api("officer", "post", path, {**body, "received_on": (START + timedelta(days=39)).isoformat()})
    assert early.status_code == 400 and "before the complaint of" in message_for(early, "received_on")
    assert not CaseReviewApplication.objects.exists()
    unknown = api("officer", "post", path, {**body, "complaints": ["report:999999"], "received_on": TODAY.isoformat()})
    assert unknown.status_code == 400 and fields_of(unknown) == ["complaints"]
    made = api("officer", "post", path, {**body, "received_on": TODAY.isoformat()})
    assert made.status_code == 201, made.json()
    application = made.json()
    assert application["decision"] == "pending" and len(application["complaints"]) == 3
    one = f"{path}/{application['id']}"
    patched = api(
        "officer", "patch", one,
        {"decision": "met", "decided_on": TODAY.isoformat(), "meeting_on": TODAY.isoformat(),
         "version": application["version"]},
    )  # fmt: skip
    assert patched.status_code == 200, patched.json()
    stale = api("officer", "patch", one, {"outcome": "Late", "version": application["version"]})
    assert stale.status_code == 409
    rec = api(
        "officer", "post", f"{one}/recommendations",
        {"text": "Fit noise monitoring equipment", "owner": "landlord", "owner_user": "emh-officer",
         "due_on": (TODAY + timedelta(days=14)).isoformat()},
    )  # fmt: skip
    assert rec.status_code == 201, rec.json()
    assert rec.json()["recommendations"][0]["action"] == Action.objects.get(case=case).pk
    listed = api("officer", "get", "/api/v1/case-reviews")
    assert listed.status_code == 200
    assert case.reference in {a["case"] for a in listed.json()["applications"]}


def test_the_list_and_other_landlords(api, s, make_landlord, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104; ARCHITECTURE.md (permissions): the list holds the reporter at the threshold;
    another landlord's officer gets 404 for the case and sees none of it in their list."""
    case = report(s, TODAY - timedelta(days=10), TODAY - timedelta(days=10)).case
    assert case is not None
    report(s, TODAY - timedelta(days=5), TODAY - timedelta(days=5), case=case)
    report(s, TODAY - timedelta(days=1), TODAY - timedelta(days=1), case=case)
    LocalAuthorityArea.objects.create(landlord=s.landlord, name="Leicester", threshold_complaints=3)
    listed = api("officer", "get", "/api/v1/case-reviews")
    assert [r["case"] for r in listed.json()["reporters"]] == [case.reference]
    assert listed.json()["reporters"][0]["area"] == "Leicester"
    whg = make_landlord("whg")
    make_user(whg, "officer")
    assert api("officer", "get", f"/api/v1/cases/{case.reference}/case-review", landlord=whg).status_code == 404
    assert api("officer", "get", "/api/v1/case-reviews", landlord=whg).json()["reporters"] == []


def test_the_schema_documents_the_paths(api, s) -> None:  # type: ignore[no-untyped-def]
    """API.md: every endpoint is in the OpenAPI schema."""
    schema = api("officer", "get", "/api/schema/?format=json").json()
    for p in (
        "/api/v1/local-authority-areas", "/api/v1/case-reviews", "/api/v1/cases/{reference}/case-review",
        "/api/v1/cases/{reference}/agency-complaints", "/api/v1/cases/{reference}/right-to-review-notices",
        "/api/v1/cases/{reference}/case-review-applications",
        "/api/v1/cases/{reference}/case-review-applications/{application_id}/recommendations",
    ):  # fmt: skip
        assert p in schema["paths"], p
