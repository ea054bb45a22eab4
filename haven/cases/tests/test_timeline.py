"""The case timeline (issue 5: "a timeline that reads the audit trail and the case records in order
... with who and when"; ARCHITECTURE.md 6: the timeline is a selector over the audit trail).

Rules proved here: the timeline lists the case's own audit events newest first, each with who (by
name), when and what in plain words, and the detail of what changed (tier and category by label,
officer by name, status, closure); views of the case are left out unless asked for ("show views":
who saw the case); it is 50 a page; it costs the same number of queries however long it is; only
people who may see the case may read it (another landlord's staff get a 404, on the page and the
API); bad paging in the API is a clear 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from haven.accounts.models import Landlord, Role, User
from haven.accounts.services import user_create
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.selectors.timeline import PAGE_SIZE, case_timeline
from haven.cases.services import case_reassign, case_recategorise, contact_record
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import open_case, signed_in, text
from haven.cases.tests.test_workflow import CLOSING
from haven.common.errors import ApplicationError
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def _user(landlord: Landlord, role: str, first: str) -> User:
    return user_create(
        actor="tests", landlord=landlord, username=f"{landlord.slug}-{first.lower()}", role=Role(role),
        password="x" * 16, first_name=first, last_name="Jones", via="command",
    )  # fmt: skip


def _notes(case: Case, actor: User, n: int) -> None:
    with transaction.atomic():
        for _ in range(n):
            audit_record(actor=actor, verb=Verb.NOTE_ADDED, target=case)


def test_the_timeline_says_who_did_what_and_when_newest_first(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    manager, newcomer = _user(landlord, "manager", "Priya"), _user(landlord, "officer", "Ola")
    case = open_case(landlord, adviser, officer)
    case_recategorise(actor=officer, case=case, tier="medium", reason="Threats made")
    contact_record(actor=officer, case=case, party=case.parties.get(role="reporter"), channel="phone",
                   at=case.opened_at, summary="Spoke to Amira about the threats")  # fmt: skip
    case_reassign(actor=manager, case=case, officer=newcomer, reason="Workload")
    case_transition(actor=newcomer, case=case, to="closed", **CLOSING)  # type: ignore[arg-type]
    rows = case_timeline(user=manager, case=case).rows
    assert [r.what for r in rows] == [
        "Closed the case", "Reassigned the case", "Recorded a contact", "Re-categorised the case", "Opened the case",
    ]  # fmt: skip
    closed, reassigned, contact, recategorised, opened = rows
    assert closed.who == "Ola Jones" and "Status: Open → Closed" in closed.details and "Resolved: yes" in closed.details
    assert "Why closed: The behaviour has stopped" in closed.details
    assert f"Officer: {officer.display_name} → Ola Jones" in reassigned.details and reassigned.who == "Priya Jones"
    assert contact.details[0] == "How: Phone" and contact.who == officer.display_name
    assert re.fullmatch(r"First response: \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d", contact.details[1])  # for people
    low, medium = profile.tier("low").label, profile.tier("medium").label
    assert f"Tier: {low} → {medium}" in recategorised.details
    assert f"Tier: {low}" in opened.details and all(rows[i].at >= rows[i + 1].at for i in range(len(rows) - 1))
    assert not any("Amira" in d or "threats" in d for r in rows for d in r.details)  # no personal words


def test_views_are_left_out_unless_asked_for(staff: Staff) -> None:
    landlord, adviser, officer = staff("wwh")
    case = open_case(landlord, adviser, officer, category="persistent_noise", tier="serious")
    client = signed_in(officer)
    client.get(f"/cases/{case.reference}/")  # a view, audited
    assert "Viewed the case" not in [r.what for r in case_timeline(user=officer, case=case).rows]
    with_views = case_timeline(user=officer, case=case, show_views=True).rows
    assert [r.who for r in with_views if r.what == "Viewed the case"] == [officer.display_name]
    page = text(client.get(f"/cases/{case.reference}/timeline/?views=yes"))
    assert "Viewed the case" in page and "Hide who viewed the case" in page
    assert "Viewed the case" not in text(client.get(f"/cases/{case.reference}/timeline/")).split("<h1", 1)[1]


def test_the_timeline_is_fifty_a_page_and_only_this_cases(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case, other = open_case(landlord, adviser, officer), open_case(landlord, adviser, officer)
    _notes(case, officer, 119)  # with "opened": 120 entries
    _notes(other, officer, 5)
    first, third = case_timeline(user=officer, case=case), case_timeline(user=officer, case=case, page=3)
    assert len(first.rows) == PAGE_SIZE == 50 and first.has_next and not first.has_previous and first.count == 120
    assert len(third.rows) == 20 and not third.has_next and third.rows[-1].what == "Opened the case"
    client = signed_in(officer)
    page = text(client.get(f"/cases/{case.reference}/"))
    assert f'href="/cases/{case.reference}/timeline/?page=2">Older entries' in page
    assert "Newer entries" in text(client.get(f"/cases/{case.reference}/timeline/?page=2"))
    assert client.get(f"/cases/{case.reference}/timeline/?page=abc").status_code == 200  # the first page


def test_the_timeline_costs_the_same_queries_however_long_it_is(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    manager = _user(landlord, "manager", "Priya")
    case = open_case(landlord, adviser, officer)
    case_reassign(actor=manager, case=case, officer=_user(landlord, "officer", "Ola"), reason="Workload")
    case = Case.objects.select_related("landlord").get(pk=case.pk)
    with CaptureQueriesContext(connection) as short:
        case_timeline(user=manager, case=case)
    _notes(case, officer, 80)
    for _ in range(3):
        case_reassign(actor=manager, case=case, officer=_user(landlord, "officer", f"O{_}"), reason="Again")
    with CaptureQueriesContext(connection) as long:
        rows = case_timeline(user=manager, case=case).rows
    assert len(rows) == 50 and len(long.captured_queries) == len(short.captured_queries) <= 4
    client = signed_in(manager)
    client.get(f"/cases/{case.reference}/timeline/")
    with CaptureQueriesContext(connection) as page:
        assert client.get(f"/cases/{case.reference}/timeline/?page=2").status_code == 200
    _notes(case, officer, 100)
    with CaptureQueriesContext(connection) as longer:
        assert client.get(f"/cases/{case.reference}/timeline/?page=2").status_code == 200
    # Page 2 of the longer timeline names nobody, so it may skip the names' queries: never more.
    assert len(longer.captured_queries) <= len(page.captured_queries)


def test_only_people_who_may_see_the_case_read_its_timeline(staff: Staff) -> None:
    landlord, adviser, officer = staff("livv")
    case = open_case(landlord, adviser, officer)
    _, _, stranger = staff("emh")
    with pytest.raises(ApplicationError):
        case_timeline(user=stranger, case=case)
    assert signed_in(stranger).get(f"/cases/{case.reference}/timeline/").status_code == 404
    assert signed_in(stranger).get(f"/api/v1/cases/{case.reference}/timeline").status_code == 404
    assert signed_in(adviser).get(f"/cases/{case.reference}/timeline/").status_code == 200  # advisers may read


def test_the_api_timeline_pages_and_refuses_bad_paging(staff: Staff) -> None:
    landlord, adviser, officer = staff("pnp")
    case = open_case(landlord, adviser, officer, category="violence", tier="serious")
    _notes(case, officer, 60)
    client = signed_in(officer)
    client.get(f"/cases/{case.reference}/")
    body = client.get(f"/api/v1/cases/{case.reference}/timeline").json()
    assert body["count"] == 61 and len(body["results"]) == 50 and body["previous"] is None
    assert body["next"].endswith("page=2") and body["results"][0]["what"] == "Added a note"
    second = client.get(f"/api/v1/cases/{case.reference}/timeline?page=2").json()
    assert len(second["results"]) == 11 and second["results"][-1]["verb"] == "case_opened"
    views = client.get(f"/api/v1/cases/{case.reference}/timeline?views=true").json()
    assert views["count"] == body["count"] + 1  # the page view above
    bad = client.get(f"/api/v1/cases/{case.reference}/timeline?page=0&views=perhaps")
    assert bad.status_code == 400 and {e["field"] for e in bad.json()["errors"]} == {"page", "views"}
    assert client.get(f"/api/v1/cases/{case.reference}/timeline?page=9").status_code == 404


def test_the_case_pages_status_and_timeline_parts_cost_the_same_however_long_the_timeline(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    manager = _user(landlord, "manager", "Priya")
    case = open_case(landlord, adviser, officer)
    case_reassign(actor=manager, case=case, officer=_user(landlord, "officer", "Ola"), reason="Workload")
    client = signed_in(manager)
    client.get(f"/cases/{case.reference}/")
    with CaptureQueriesContext(connection) as short:
        assert client.get(f"/cases/{case.reference}/").status_code == 200
    _notes(case, officer, 150)
    case_reassign(actor=manager, case=case, officer=_user(landlord, "officer", "Kim"), reason="Leave")
    with CaptureQueriesContext(connection) as long:
        page = text(client.get(f"/cases/{case.reference}/"))
    assert page.count("Added a note") == 49 and "Older entries" in page
    assert len(long.captured_queries) == len(short.captured_queries)
