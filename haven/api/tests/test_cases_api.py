"""The cases API: the filtered list, one case, re-categorising and contacts (API.md, issue 4).

Cases are opened the way they are in use: a report through the API, then its triage. Who may see a
case is ``can_view_case`` (a case one may not see is a 404, like one that does not exist); who may
work on it is ``can_work_case`` (403 for the others who can see it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import Landlord, Team, User
from haven.api.tests import test_reports_api as reports
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseStatus, Contact, Party, PartyRole, Recategorisation
from haven.policies.registry import get_profile
from haven.register.models import Property

pytestmark = pytest.mark.django_db

# The reports tests' fixtures and helpers, shared.
api, emh_staff, new_report = reports.api, reports.emh_staff, reports.new_report
LOW_NOISE, REPORT, fields_of, make_staff, message_for = (
    reports.LOW_NOISE,
    reports.REPORT,
    reports.fields_of,
    reports.make_staff,
    reports.message_for,
)


@pytest.fixture
def open_case(api: Callable[..., Any], new_report: Callable[..., str]) -> Callable[..., str]:
    """``open_case(received_at=..., **decision)``: a report through the API, triaged to a case."""

    def make(received_at: str = REPORT["received_at"], landlord: Landlord | None = None, **decision: Any) -> str:
        reference = new_report(received_at=received_at, landlord=landlord)
        body = {**LOW_NOISE, **decision}
        response = api("adviser", "post", f"/api/v1/reports/{reference}/triage", body, landlord=landlord)
        assert response.status_code == 200, response.json()
        return str(response.json()["case"]["reference"])

    return make


def listed(api: Callable[..., Any], query: str, role: str = "manager") -> list[str]:
    response = api(role, "get", f"/api/v1/cases{query}")
    assert response.status_code == 200, response.json()
    return sorted(c["reference"] for c in response.json()["results"])


# ---- the list -----------------------------------------------------------------------------------


def test_each_filter_of_the_case_list_works(api, open_case, make_user, emh_staff) -> None:
    a = open_case(received_at="2026-03-02T10:15:00+00:00")
    b = open_case(received_at="2026-04-10T10:00:00+01:00", category="drugs", tier="medium")
    c = open_case(received_at="2026-05-01T10:00:00+01:00", screen={"violence": True})
    make_user(emh_staff, "officer", username="emh-officer-2")
    d = open_case(received_at="2026-06-01T10:00:00+01:00", category="vandalism", tier="medium", officer="emh-officer-2")
    Case.objects.filter(reference=c).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
    contact = {"party": "reporter", "channel": "phone", "summary": "Called back"}
    assert api("officer", "post", f"/api/v1/cases/{a}/contacts", contact).status_code == 201

    assert listed(api, "") == [a, b, c, d]
    assert listed(api, "?status=closed") == [c]
    assert listed(api, "?status=open") == [a, b, d]
    assert listed(api, "?active=true") == [a, b, d]
    assert listed(api, "?active=false") == [c]
    assert listed(api, "?tier=medium") == [b, d]
    assert listed(api, "?tier=high") == [c]
    assert listed(api, "?category=noise") == [a, c]
    assert listed(api, "?officer=emh-officer-2") == [d]
    assert listed(api, "?officer=emh-officer") == [a, b, c]
    assert listed(api, "?opened_after=2026-04-10") == [b, c, d]  # from the start of that day
    assert listed(api, "?opened_before=2026-04-10") == [a]  # before the start of that day
    assert listed(api, "?opened_before=2026-05-01T10:00:00%2B01:00") == [a, b]
    assert listed(api, "?opened_before=2026-05-01T10:00:00+01:00") == [a, b]  # an unencoded "+" is a space
    assert listed(api, "?opened_after=2026-04-01&opened_before=2026-05-31") == [b, c]
    # All were received months ago: open and without a first response is overdue.
    assert listed(api, "?overdue=true") == [b, d]
    assert listed(api, "?overdue=false") == [a, c]
    assert listed(api, "?category=noise&active=true&tier=low") == [a]


def test_the_list_items_say_what_a_list_needs(api, open_case) -> None:
    reference = open_case(received_at="2026-03-02T10:15:00+00:00")
    [item] = api("manager", "get", "/api/v1/cases").json()["results"]
    assert item["reference"] == reference
    assert (item["status"], item["active"], item["tier"], item["category"]) == ("open", True, "low", "noise")
    assert (item["tier_label"], item["category_label"]) == (
        get_profile("emh").tier("low").label,
        get_profile("emh").category("noise").label,
    )
    assert item["officer"]["username"] == "emh-officer" and item["overdue"] is True
    assert item["opened_at"] == "2026-03-02T10:15:00+00:00"
    assert item["property"]["reference"] == "EMH-P1"
    assert "parties" not in item


def test_bad_filter_values_are_400s_naming_each_parameter(api, emh_staff) -> None:
    response = api(
        "manager",
        "get",
        "/api/v1/cases?status=pending&tier=urgent&category=parking&opened_after=yesterday"
        "&opened_before=9999-12-31T23:59:59-05:00&active=maybe&overdue=often",
    )
    assert response.status_code == 400
    assert sorted(fields_of(response)) == [
        "active",
        "category",
        "opened_after",
        "opened_before",
        "overdue",
        "status",
        "tier",
    ]
    assert "high, medium, low" in message_for(response, "tier")
    assert "YYYY-MM-DD" in message_for(response, "opened_after")


def _grow(landlord: Landlord, count: int) -> None:
    """``count`` more open cases, each with an officer, a team, a home and two parties."""
    officer = User.objects.get(username=f"{landlord.slug}-officer")
    team = Team.objects.filter(landlord=landlord).first()
    home = Property.objects.filter(landlord=landlord).first()
    now = timezone.now()
    start = Case.objects.count()
    cases = Case.objects.bulk_create(
        Case(
            landlord=landlord,
            reference=f"ASB-2026-{start + i + 1:06d}",
            category="noise",
            tier="low",
            flags=["noise"],
            property=home,
            team=team,
            officer=officer,
            opened_at=now - timedelta(days=3),
            response_due_at=now + timedelta(days=2),
            policy_id="emh",
            policy_version="test",
        )
        for i in range(count)
    )
    Party.objects.bulk_create(
        Party(case=case, role=role, name=f"Party {case.pk}")
        for case in cases
        for role in (PartyRole.REPORTER, PartyRole.REPORTED)
    )


def test_the_list_is_50_a_page(api, emh_staff) -> None:
    _grow(emh_staff, 60)
    first = api("manager", "get", "/api/v1/cases").json()
    assert first["count"] == 60 and len(first["results"]) == 50
    assert first["next"].endswith("/api/v1/cases?page=2") and first["previous"] is None
    second = api("manager", "get", "/api/v1/cases?page=2").json()
    assert len(second["results"]) == 10 and second["next"] is None
    assert api("manager", "get", "/api/v1/cases?page=9").status_code == 404


def test_list_queries_are_pinned_and_the_same_for_10_or_60_cases(api, emh_staff, django_assert_max_num_queries) -> None:
    _grow(emh_staff, 10)
    api("manager", "get", "/api/v1/cases")  # the token's first use is noted once
    with CaptureQueriesContext(connection) as small:
        assert len(api("manager", "get", "/api/v1/cases").json()["results"]) == 10
    _grow(emh_staff, 50)
    # The token (with its user and landlord), the count, the page (with officer, team and home).
    with django_assert_max_num_queries(3), CaptureQueriesContext(connection) as large:
        assert len(api("manager", "get", "/api/v1/cases").json()["results"]) == 50
    assert len(large.captured_queries) == len(small.captured_queries)


# ---- one case -----------------------------------------------------------------------------------


def test_one_case_queries_are_pinned_whatever_its_parties_contacts_and_history(
    api, open_case, emh_staff, django_assert_max_num_queries
) -> None:
    reference = open_case()
    contact = {"party": "reporter", "channel": "phone", "summary": "Called"}
    assert api("officer", "post", f"/api/v1/cases/{reference}/contacts", contact).status_code == 201
    api("officer", "get", f"/api/v1/cases/{reference}")  # the token's first use is noted once
    with CaptureQueriesContext(connection) as small:
        assert api("officer", "get", f"/api/v1/cases/{reference}").status_code == 200
    case = Case.objects.get(reference=reference)
    parties = Party.objects.bulk_create(Party(case=case, role=PartyRole.WITNESS, name=f"W{i}") for i in range(20))
    Contact.objects.bulk_create(
        Contact(case=case, party=p, channel="phone", at=case.opened_at, summary="Spoke") for p in parties
    )
    Recategorisation.objects.bulk_create(
        Recategorisation(
            case=case,
            tier_from="low",
            tier_to="medium",
            category_from="noise",
            category_to="noise",
            due_from=case.response_due_at,
            due_to=case.response_due_at,
            reason="test",
            policy_version="1",
        )
        for _ in range(5)
    )
    # The token, the case, its parties, history, contacts and their parties, the audit event (with
    # its savepoint, in a test's transaction), the reports: 10 (and 1 more when parties are register people).
    with django_assert_max_num_queries(11), CaptureQueriesContext(connection) as large:  # + the reassignment history
        body = api("officer", "get", f"/api/v1/cases/{reference}").json()
    assert len(body["parties"]) == 21 and len(body["contacts"]) == 21 and len(body["recategorisations"]) == 5
    assert len(large.captured_queries) == len(small.captured_queries)


def test_each_view_of_a_case_is_audited_as_through_the_api(api, open_case) -> None:
    reference = open_case()
    api("officer", "get", f"/api/v1/cases/{reference}")
    assert AuditEvent.objects.filter(verb=Verb.CASE_VIEWED, via="api", object_label=reference).exists()


def test_a_restricted_case_is_hidden_from_advisers_and_other_officers(api, open_case, make_user, emh_staff) -> None:
    reference = open_case(flags=["domestic_abuse"])
    assert Case.objects.get(reference=reference).restricted
    make_user(emh_staff, "officer", username="emh-officer-2")  # after routing: the case is emh-officer's
    assert api("officer", "get", f"/api/v1/cases/{reference}").json()["restricted"] is True
    assert api("adviser", "get", f"/api/v1/cases/{reference}").status_code == 404
    assert listed(api, "", role="adviser") == []
    assert api("manager", "get", f"/api/v1/cases/{reference}").status_code == 200


def test_another_landlords_case_is_404_for_every_call(api, open_case, make_landlord, make_user) -> None:
    wwh = make_staff(make_landlord("wwh"), make_user)
    reference = open_case()
    for method, path, body in (
        ("get", f"/api/v1/cases/{reference}", None),
        ("post", f"/api/v1/cases/{reference}/recategorise", {"tier": "high", "reason": "x"}),
        ("post", f"/api/v1/cases/{reference}/contacts", {"party": "reporter", "channel": "phone", "summary": "x"}),
    ):
        response = api("manager", method, path, body, landlord=wwh)
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["field"] is None
    assert api("manager", "get", "/api/v1/cases", landlord=wwh).json()["count"] == 0
    assert api("manager", "get", "/api/v1/cases/ASB-2026-999999").status_code == 404


# ---- re-categorising ----------------------------------------------------------------------------


def test_an_adviser_can_see_a_case_but_not_change_it_or_record_contacts(api, open_case) -> None:
    reference = open_case()
    assert api("adviser", "get", f"/api/v1/cases/{reference}").status_code == 200
    moved = api("adviser", "post", f"/api/v1/cases/{reference}/recategorise", {"tier": "high", "reason": "Worse"})
    assert moved.status_code == 403
    assert moved.json() == {"errors": [{"field": None, "message": "You cannot change this case."}]}
    contact = {"party": "reporter", "channel": "phone", "summary": "Called"}
    refused = api("adviser", "post", f"/api/v1/cases/{reference}/contacts", contact)
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["message"] == "You cannot record contacts on this case."
    assert not Recategorisation.objects.exists() and not Contact.objects.exists()


def test_an_auditor_cannot_change_a_case(api, open_case) -> None:
    reference = open_case()
    response = api("auditor", "post", f"/api/v1/cases/{reference}/recategorise", {"tier": "high", "reason": "x"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == "Your role does not allow this."


def test_recategorise_problems_are_named(api, open_case) -> None:
    reference = open_case()
    path = f"/api/v1/cases/{reference}/recategorise"
    unknown = api("officer", "post", path, {"tier": "urgent", "category": "parking", "reason": "x", "why": "y"})
    assert unknown.status_code == 400
    assert sorted(fields_of(unknown)) == ["category", "tier", "why"]
    assert "high, medium, low" in message_for(unknown, "tier")
    assert "noise" in message_for(unknown, "category")
    no_reason = api("officer", "post", path, {"tier": "high"})
    assert no_reason.status_code == 400 and fields_of(no_reason) == ["reason"]
    nothing = api("officer", "post", path, {"reason": "Because"})
    assert nothing.status_code == 400 and fields_of(nothing) == ["tier"]
    same = api("officer", "post", path, {"tier": "low", "reason": "Because"})
    assert same.status_code == 400 and fields_of(same) == ["tier"]
    assert not Recategorisation.objects.exists()


def test_a_new_category_brings_its_flags_and_history(api, open_case) -> None:
    reference = open_case()
    moved = api(
        "officer", "post", f"/api/v1/cases/{reference}/recategorise", {"category": "hate_crime", "reason": "Slurs"}
    )
    assert moved.status_code == 200, moved.json()
    body = moved.json()
    assert body["category"] == "hate_crime" and "hate" in body["flags"]
    assert body["recategorisations"][0]["category_from"] == "noise"


# ---- contacts -----------------------------------------------------------------------------------


def test_contact_problems_are_named(api, open_case) -> None:
    reference = open_case()
    path = f"/api/v1/cases/{reference}/contacts"
    future = (timezone.now() + timedelta(days=1)).isoformat()
    response = api("officer", "post", path, {"party": "reporter", "channel": "phone", "at": future, "summary": "x"})
    assert response.status_code == 400 and fields_of(response) == ["at"]
    response = api("officer", "post", path, {"party": 999999, "channel": "phone", "summary": "x"})
    assert response.status_code == 400 and fields_of(response) == ["party"]
    response = api("officer", "post", path, {"party": "someone", "channel": "pigeon", "summary": "x"})
    assert response.status_code == 400 and sorted(fields_of(response)) == ["channel", "party"]
    response = api("officer", "post", path, {"party": "reporter", "channel": "phone", "summary": " "})
    assert response.status_code == 400 and fields_of(response) == ["summary"]
    before = "2026-03-01T09:00:00+00:00"  # the report was received on 2 March
    response = api("officer", "post", path, {"party": "reporter", "channel": "phone", "at": before, "summary": "x"})
    assert response.status_code == 400 and fields_of(response) == ["at"]
    assert not Contact.objects.exists()


def test_a_contact_by_party_id_and_only_the_reporter_sets_the_first_response(api, open_case) -> None:
    reference = open_case()
    case = Case.objects.get(reference=reference)
    witness = Party.objects.create(case=case, role=PartyRole.WITNESS, name="Pat Witness")
    path = f"/api/v1/cases/{reference}/contacts"
    body = {"party": witness.pk, "channel": "visit", "at": "2026-03-03T10:00:00Z", "summary": "Took a statement"}
    response = api("officer", "post", path, body)
    assert response.status_code == 201, response.json()
    assert response.json()["party"] == witness.pk and response.json()["case"]["first_response_at"] is None
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    body = {"party": str(reporter.pk), "channel": "phone", "at": "2026-03-04T10:00:00Z", "summary": "Update"}
    response = api("officer", "post", path, body)
    assert response.status_code == 201
    assert response.json()["case"]["first_response_at"] == "2026-03-04T10:00:00+00:00"


def test_the_case_documents_have_the_fields_the_schema_names(api, open_case) -> None:
    from haven.api.serializers.cases import CaseSerializer, CaseSummarySerializer, ContactCreatedSerializer

    reference = open_case()
    assert set(api("officer", "get", f"/api/v1/cases/{reference}").json()) == set(CaseSerializer().fields)
    [item] = api("officer", "get", "/api/v1/cases").json()["results"]
    assert set(item) == set(CaseSummarySerializer().fields)
    contact = {"party": "reporter", "channel": "phone", "summary": "Called"}
    created = api("officer", "post", f"/api/v1/cases/{reference}/contacts", contact).json()
    assert set(created) == set(ContactCreatedSerializer().fields)


def test_a_contact_plan_is_agreed_and_the_next_update_follows_it(api, open_case) -> None:
    """whg 2.5: updates at the frequency and by the means agreed; a missed one is overdue."""
    reference = open_case()
    path = f"/api/v1/cases/{reference}/contact-plan"
    bad = api("officer", "post", path, {"party": "reporter", "channel": "pigeon", "every_days": 7})
    assert bad.status_code == 400 and fields_of(bad) == ["channel"]
    never = api("officer", "post", path, {"party": "reporter", "channel": "phone", "every_days": 0})
    assert never.status_code == 400 and fields_of(never) == ["every_days"]
    assert api("adviser", "post", path, {"party": "reporter", "channel": "phone", "every_days": 7}).status_code == 403
    agreed = api(
        "officer", "post", path, {"party": "reporter", "channel": "text", "every_days": 7, "notes": "After 5pm"}
    )
    assert agreed.status_code == 200, agreed.json()
    plan = agreed.json()["contact_plan"]
    assert (plan["channel"], plan["every_days"], plan["notes"], plan["overdue"]) == ("text", 7, "After 5pm", False)
    assert plan["next_contact_due_at"] is not None
    assert api("officer", "get", f"/api/v1/cases/{reference}").json()["contact_plan"] == plan


def test_a_case_is_reassigned_through_the_api_with_its_history(api, open_case, make_user, emh_staff) -> None:
    reference = open_case()
    other = make_user(emh_staff, "officer", username="emh-officer-2")
    path = f"/api/v1/cases/{reference}/reassign"
    assert api("adviser", "post", path, {"officer": other.username, "reason": "x"}).status_code == 403
    missing = api("manager", "post", path, {"officer": "nobody", "reason": "x"})
    assert missing.status_code == 400 and fields_of(missing) == ["officer"]
    no_reason = api("manager", "post", path, {"officer": other.username, "reason": ""})
    assert no_reason.status_code == 400 and fields_of(no_reason) == ["reason"]
    done = api("manager", "post", path, {"officer": other.username, "reason": "Officer on leave"})
    assert done.status_code == 200, done.json()
    assert done.json()["officer"]["username"] == other.username
    assert done.json()["reassignments"][-1]["reason"] == "Officer on leave"
