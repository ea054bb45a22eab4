"""The case lists (the page and ``GET /api/v1/cases``): scopes, filters, sorts and their cost.

Rules proved here: "My cases", "My team's cases" and the manager's view of all the landlord's cases;
status "open" includes reopened cases; filters by flag (through the indexed CaseFlag rows), officer
(offered to managers and specialists only), patch and due state (first response overdue, emh 4.2;
update overdue, whg 2.5; action plan overdue, livv 4 and pnp 5.1; action overdue; inactive, WWH 5.0);
sorting by what is due next (nothing due last) or by opened date; each row shows its flags, Active /
Inactive and its next due date; the list costs the same number of queries for 10 or 1,000 cases, and
every filter is answered through an index (SQLite's EXPLAIN QUERY PLAN never scans a whole table).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import Landlord, Role, Team, User
from haven.accounts.services import user_create
from haven.cases.models import Action, ActionPlan, Case, CaseFlag
from haven.cases.selectors import case_list
from haven.cases.services.core import flag_rows_sync
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import signed_in, text
from haven.cases.tests.test_workflow import CLOSING, open_any
from haven.register.models import Patch

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def _user(landlord: Landlord, role: str, name: str, team: Team | None = None) -> User:
    return user_create(
        actor="tests", landlord=landlord, username=f"{landlord.slug}-{name}", role=Role(role), password="x" * 16,
        first_name=name.title(), last_name="Tester", team=team, via="command",
    )  # fmt: skip


def _refs(response: object) -> list[str]:
    page = text(response)
    table = page.split('data-testid="cases"', 1)[1] if 'data-testid="cases"' in page else ""
    return re.findall(r">(ASB-\d{4}-\d{6})<", table)


def _flag(case: Case, *flags: str) -> None:
    case.flags = sorted(flags)
    Case.objects.filter(pk=case.pk).update(flags=case.flags)
    flag_rows_sync(case)


# ---- scopes and filters on the page ---------------------------------------------------------------


def test_my_cases_my_teams_cases_and_all_cases(staff: Staff) -> None:
    landlord, adviser, _officer = staff("emh")
    team = Team.objects.filter(landlord=landlord).first()
    me, colleague = _user(landlord, "officer", "me", team), _user(landlord, "officer", "colleague", team)
    loner = _user(landlord, "officer", "loner")
    mine, theirs, elsewhere = (open_any(landlord, adviser, u) for u in (me, colleague, loner))
    client = signed_in(me)
    assert _refs(client.get("/cases/")) == [mine.reference]
    assert sorted(_refs(client.get("/cases/?scope=team"))) == sorted([mine.reference, theirs.reference])
    manager = signed_in(_user(landlord, "manager", "boss"))
    page = manager.get("/cases/")
    assert sorted(_refs(page)) == sorted(c.reference for c in (mine, theirs, elsewhere))
    assert "All cases" in text(page)


def test_open_includes_reopened_and_each_status_can_be_chosen(staff: Staff) -> None:
    landlord, adviser, officer = staff("wwh")
    still_open, reopened, closed = (open_any(landlord, adviser, officer) for _ in range(3))
    case_transition(actor=officer, case=reopened, to="closed", **CLOSING)  # type: ignore[arg-type]
    case_transition(actor=officer, case=reopened, to="reopened", reason="Again")
    case_transition(actor=officer, case=closed, to="closed", **CLOSING)  # type: ignore[arg-type]
    client = signed_in(officer)
    assert sorted(_refs(client.get("/cases/"))) == sorted([still_open.reference, reopened.reference])
    assert _refs(client.get("/cases/?status=reopened")) == [reopened.reference]
    assert _refs(client.get("/cases/?status=closed")) == [closed.reference]
    assert len(_refs(client.get("/cases/?status="))) == 3
    assert sorted(_refs(client.get("/cases/?status=nonsense"))) == sorted([still_open.reference, reopened.reference])


def test_the_flag_filter_uses_the_flag_rows_and_rows_show_flags_as_tags(staff: Staff) -> None:
    landlord, adviser, officer = staff("livv")
    hate, plain = open_any(landlord, adviser, officer), open_any(landlord, adviser, officer)
    _flag(hate, "hate", "crime")
    _flag(plain)
    client = signed_in(officer)
    response = client.get("/cases/?flag=hate")
    assert _refs(response) == [hate.reference]
    assert 'govuk-tag--grey">Hate incident<' in text(response) and 'govuk-tag--grey">Crime<' in text(response)
    Case.objects.filter(pk=hate.pk).update(flags=[])  # the JSON alone does not count: the rows do
    assert _refs(client.get("/cases/?flag=hate")) == [hate.reference]
    CaseFlag.objects.filter(case=hate).delete()
    assert _refs(client.get("/cases/?flag=hate")) == []


def test_managers_and_specialists_filter_by_officer_and_officers_are_not_offered_it(staff: Staff) -> None:
    landlord, adviser, officer = staff("whg")
    other = _user(landlord, "officer", "other")
    mine, theirs = open_any(landlord, adviser, officer), open_any(landlord, adviser, other)
    for role in ("manager", "specialist"):
        client = signed_in(_user(landlord, role, f"a-{role}"))
        response = client.get(f"/cases/?officer={other.username}")
        assert _refs(response) == [theirs.reference] and 'id="officer"' in text(response)
    officer_page = signed_in(officer).get(f"/cases/?scope=all&officer={other.username}")
    assert 'id="officer"' not in text(officer_page) and _refs(officer_page) == [mine.reference]


def test_the_patch_filter(staff: Staff) -> None:
    landlord, adviser, officer = staff("pnp")
    north = Patch.objects.create(landlord=landlord, code="N1", name="North")
    Patch.objects.create(landlord=landlord, code="S1", name="South")
    in_north, other = open_any(landlord, adviser, officer), open_any(landlord, adviser, officer)
    Case.objects.filter(pk=in_north.pk).update(patch=north)
    client = signed_in(officer)
    response = client.get("/cases/?patch=N1")
    assert _refs(response) == [in_north.reference] and "North (N1)" in text(response)
    assert _refs(client.get("/cases/?patch=S1")) == []
    assert sorted(_refs(client.get("/cases/?patch=XX"))) == sorted([in_north.reference, other.reference])


def test_each_due_state_finds_its_cases(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    now, today = timezone.now(), timezone.localdate()
    late, update, plan, action, idle, fine = (open_any(landlord, adviser, officer) for _ in range(6))
    Case.objects.filter(landlord=landlord).update(first_response_at=now, action_plan_due_at=now + timedelta(days=9))
    Case.objects.filter(pk=late.pk).update(first_response_at=None, response_due_at=now - timedelta(hours=1))
    Case.objects.filter(pk=update.pk).update(next_contact_due_at=now - timedelta(hours=1))
    Case.objects.filter(pk=plan.pk).update(action_plan_due_at=now - timedelta(hours=1))
    Case.objects.filter(pk__in=[action.pk, fine.pk]).update(action_plan_due_at=now - timedelta(hours=1))
    for case in (action, fine):  # both have agreed plans; only one has a late action
        ActionPlan.objects.create(case=case, agreed_on=today, agreed_by=officer, shared_how="phone")
    Action.objects.create(case=action, description="Visit", owner="landlord", owner_user=officer,
                          due_on=today - timedelta(days=1), created_by=officer)  # fmt: skip
    Action.objects.create(case=fine, description="Visit", owner="landlord", owner_user=officer,
                          due_on=today - timedelta(days=1), status="done", created_by=officer)  # fmt: skip
    Case.objects.filter(pk=idle.pk).update(last_activity_at=now - timedelta(days=40))
    client = signed_in(officer)
    for state, case in (("response", late), ("update", update), ("plan", plan), ("action", action),
                        ("inactive", idle)):  # fmt: skip
        assert _refs(client.get(f"/cases/?due={state}")) == [case.reference], state
        api = client.get(f"/api/v1/cases?due={state}").json()["results"]
        assert [c["reference"] for c in api] == [case.reference], state


def test_sorted_by_what_is_due_next_with_nothing_due_last_or_by_opened_date(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    now = timezone.now()
    soon, later, nothing = (open_any(landlord, adviser, officer) for _ in range(3))
    Case.objects.filter(pk=soon.pk).update(next_due_at=now + timedelta(hours=2), opened_at=now - timedelta(days=3))
    Case.objects.filter(pk=later.pk).update(next_due_at=now + timedelta(days=2), opened_at=now - timedelta(days=1))
    Case.objects.filter(pk=nothing.pk).update(next_due_at=None, opened_at=now - timedelta(days=2))
    client = signed_in(officer)
    response = client.get("/cases/")
    assert _refs(response) == [soon.reference, later.reference, nothing.reference]
    assert "Nothing due" in text(response)
    assert _refs(client.get("/cases/?sort=opened")) == [later.reference, nothing.reference, soon.reference]
    api = client.get("/api/v1/cases?sort=opened").json()["results"]
    assert [c["reference"] for c in api] == [later.reference, nothing.reference, soon.reference]
    api = client.get("/api/v1/cases").json()["results"]
    assert [c["reference"] for c in api] == [soon.reference, later.reference, nothing.reference]


def test_a_list_of_closed_cases_is_by_when_they_closed_newest_first(staff: Staff) -> None:
    """Nothing is due on a closed case, so "what is due next" cannot order them: the last closed
    comes first (index case_closed keeps this quick with 100,000 cases, docs/benchmarks.md)."""
    landlord, adviser, officer = staff("emh")
    now = timezone.now()
    first, second, third = (open_any(landlord, adviser, officer) for _ in range(3))
    for n, case in enumerate((first, second, third)):
        case_transition(actor=officer, case=case, to="closed", **CLOSING)  # type: ignore[arg-type]
        Case.objects.filter(pk=case.pk).update(closed_at=now - timedelta(days=10 - n))
    assert _refs(signed_in(officer).get("/cases/?status=closed")) == [
        third.reference,
        second.reference,
        first.reference,
    ]


def test_the_api_filters_by_flag_and_patch_and_names_bad_values(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    north = Patch.objects.create(landlord=landlord, code="N1", name="North")
    hate, other = open_any(landlord, adviser, officer), open_any(landlord, adviser, officer)
    _flag(hate, "hate")
    Case.objects.filter(pk=other.pk).update(patch=north)
    client = signed_in(officer)
    assert [c["reference"] for c in client.get("/api/v1/cases?flag=hate").json()["results"]] == [hate.reference]
    assert [c["reference"] for c in client.get("/api/v1/cases?patch=N1").json()["results"]] == [other.reference]
    response = client.get("/api/v1/cases?flag=purple&due=someday&sort=sideways&patch=" + "P" * 21)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"flag", "due", "sort", "patch"}


# ---- cost ------------------------------------------------------------------------------------------


def _bulk(landlord: Landlord, officer: User, n: int, start: int, patch: Patch) -> None:
    now = timezone.now()
    made = Case.objects.bulk_create(
        Case(
            landlord=landlord, reference=f"ASB-2026-{start + i:06d}", category="noise", tier="low", officer=officer,
            opened_at=now - timedelta(days=i % 20), response_due_at=now + timedelta(hours=i - n // 2),
            policy_id="emh", policy_version="1", flags=["noise"], patch=patch, last_activity_at=now,
            next_due_at=now + timedelta(hours=i),
        )
        for i in range(n)
    )  # fmt: skip
    CaseFlag.objects.bulk_create(CaseFlag(case=c, flag="noise") for c in made)


def test_a_managers_list_with_every_filter_costs_the_same_for_10_and_1000_cases(staff: Staff) -> None:
    landlord, _adviser, officer = staff("emh")
    manager = _user(landlord, "manager", "boss")
    patch = Patch.objects.create(landlord=landlord, code="N1", name="North")
    client = signed_in(manager)
    _bulk(landlord, officer, 10, 1, patch)
    client.get("/cases/")  # the session is read and touched once
    query = f"/cases/?flag=noise&patch=N1&officer={officer.username}&sort=due"
    with CaptureQueriesContext(connection) as small:
        assert client.get(query).status_code == 200
    _bulk(landlord, officer, 990, 100, patch)
    with CaptureQueriesContext(connection) as large:
        response = client.get(query)
    assert "1000 cases" in text(response) and len(_refs(response)) == 50
    assert len(large.captured_queries) == len(small.captured_queries) <= 10
    with CaptureQueriesContext(connection) as due:
        assert client.get("/cases/?due=action").status_code == 200
    assert len(due.captured_queries) <= len(small.captured_queries)  # no rows: no page read


@pytest.mark.parametrize(
    ("filters", "index"),
    [({"flag": "hate"}, "cases_caseflag"), ({"patch": "N1"}, "case_patch"), ({"due": "response"}, ""),
     ({"due": "update"}, ""), ({"due": "plan"}, "case_plan_due"), ({"due": "action"}, "action_case_due"),
     ({"due": "inactive"}, ""), ({"active": True}, ""), ({"status": "open", "sort": "opened"}, ""),
     ({"officer": "emh-officer"}, ""), ({"tier": "low", "category": "noise"}, ""),
     ({"status": "closed"}, "case_closed")],
)  # fmt: skip
def test_every_filter_is_answered_through_an_index(staff: Staff, filters: dict[str, object], index: str) -> None:
    """On an empty SQLite database without statistics the planner's choice among the indexes is a
    guess; what must hold is that no step reads a whole table, and that the filters with an index
    of their own use it (PostgreSQL chooses by its statistics in production)."""
    landlord, _adviser, _officer = staff("emh")
    manager = _user(landlord, "manager", "boss")
    if connection.vendor != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    sql, params = case_list(user=manager, **filters).query.sql_with_params()  # type: ignore[arg-type]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [str(row[-1]) for row in cursor.fetchall()]
    scans = [step for step in plan if step.startswith("SCAN") and "INDEX" not in step]
    assert not scans, plan
    assert any("USING INDEX case_" in s or "USING COVERING INDEX" in s for s in plan), plan
    if index:
        assert any(index in step for step in plan), plan
