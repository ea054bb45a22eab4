"""Equality trends (issue 9; Peaks & Plains 8.2) against a data set worked out by hand (emh, January
to March 2026):

People: A (female, Asian or Asian British, disabled, born 15 June 1990: 35 in 2026), D (female, a
second reporter), B (male, born 1 March 2008: 17 until 1 March 2026, then 18), C (on the register,
no equality answers, no date of birth).

- case 1, opened 5 January: reporters A and D, reported B (aged 17: "under 18");
- case 2, opened 2 February: reporter A, reported C; also A as a reported party, since removed;
- case 3, opened 10 March: a reporter not on the register; reported B (now 18: "18-24");
- case 4, opened 2 April: reporter A; outside the period.

Reports: those of cases 1 and 2 name A as the reporter; case 3's names nobody on the register.

Sex: reports Female 2, Not known 1; cases by reporter Female 2 (A and D on case 1 count once),
Not known 1; cases by reported person Male 2, Not known 1 (C); the removed party is not counted.
Ethnicity and disability: case 1 counts as Not known by reporter too (D gave no answer).
Age: reports 35-44 2, Not known 1; by reporter 35-44 2, Not known 2 (case 1 counts under both answers:
A is 35, D has no date of birth; and case 3); by reported under 18 1, 18-24 1, Not known 1.
So a case is counted once under each answer its people give, and the rows of a table can add up
to more than the cases.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from haven.accounts.models import Team
from haven.cases.models import Case, Party, PartyRole
from haven.cases.tests.factories import open_case, signed_in, text
from haven.insights.selectors.equality import NOT_KNOWN, equality_trends, suppressed
from haven.insights.selectors.scope import Scope
from haven.intake.models import Report
from haven.register.models import EqualityMonitoring, Person

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")
START, END = datetime(2026, 1, 1, tzinfo=UK), datetime(2026, 4, 1, tzinfo=UK)


def person(landlord, ref: str, born: date | None = None, **answers: str) -> Person:  # type: ignore[no-untyped-def]
    found = Person.objects.create(landlord=landlord, reference=ref, first_name="P", last_name=ref, date_of_birth=born)
    if answers:
        EqualityMonitoring.objects.create(person=found, **answers)
    return found


def reporter_is(case: Case, who: Person | None) -> None:
    Party.objects.filter(case=case, role=PartyRole.REPORTER).update(person=who)
    Report.objects.filter(case=case).update(reporter_person=who)


@pytest.fixture
def world(staff):  # type: ignore[no-untyped-def]
    landlord, adviser, officer = staff("emh")
    a = person(landlord, "A", date(1990, 6, 15), sex="Female", ethnicity="Asian or Asian British", disability="Yes")
    d = person(landlord, "D", sex="Female")
    b = person(landlord, "B", date(2008, 3, 1), sex="Male")
    c = person(landlord, "C")
    cases = [open_case(landlord, adviser, officer, received_at=at) for at in (
        datetime(2026, 1, 5, 10, tzinfo=UK), datetime(2026, 2, 2, 10, tzinfo=UK),
        datetime(2026, 3, 10, 10, tzinfo=UK), datetime(2026, 4, 2, 10, tzinfo=UK))]  # fmt: skip
    reporter_is(cases[0], a)
    Party.objects.create(case=cases[0], role=PartyRole.REPORTER, person=d, name="D")
    Party.objects.create(case=cases[0], role=PartyRole.REPORTED, person=b, name="B")
    reporter_is(cases[1], a)
    Party.objects.create(case=cases[1], role=PartyRole.REPORTED, person=c, name="C")
    Party.objects.create(case=cases[1], role=PartyRole.REPORTED, person=a, name="A", removed_at=timezone.now())
    Party.objects.create(case=cases[2], role=PartyRole.REPORTED, person=b, name="B")
    reporter_is(cases[3], a)
    return landlord, cases


def table(tables, code: str) -> list[tuple[str, int, int, int]]:  # type: ignore[no-untyped-def]
    found = next(t for t in tables if t.code == code)
    return [(r.answer, r.reports, r.reporters, r.reported) for r in found.rows]


def test_counts_by_sex_age_and_ethnicity_match_the_hand_count(world) -> None:  # type: ignore[no-untyped-def]
    landlord, _ = world
    tables = equality_trends(landlord, START, END)
    assert table(tables, "sex") == [("Female", 2, 2, 0), ("Male", 0, 0, 2), (NOT_KNOWN, 1, 1, 1)]
    assert table(tables, "age") == [("35-44", 2, 2, 0), ("18-24", 0, 0, 1), ("under 18", 0, 0, 1), (NOT_KNOWN, 1, 2, 1)]
    assert table(tables, "ethnicity") == [("Asian or Asian British", 2, 2, 0), (NOT_KNOWN, 1, 2, 3)]
    assert table(tables, "disability") == [("Yes", 2, 2, 0), (NOT_KNOWN, 1, 2, 3)]
    assert [t.code for t in tables] == ["age", "sex", "gender_identity_same_as_birth", "sexual_orientation",
                                        "ethnicity", "religion", "disability"]  # fmt: skip


def test_a_team_filter_counts_cases_only_and_a_later_period_counts_case_4(world) -> None:  # type: ignore[no-untyped-def]
    landlord, cases = world
    team = Team.objects.filter(landlord=landlord).first()
    Case.objects.filter(pk=cases[0].pk).update(team=team)
    Case.objects.exclude(pk=cases[0].pk).update(team=None)
    assert table(equality_trends(landlord, START, END, Scope(team.pk)), "sex") == [("Female", 0, 1, 0),
                                                                                  ("Male", 0, 0, 1)]  # fmt: skip
    april = equality_trends(landlord, END, datetime(2026, 5, 1, tzinfo=UK))
    assert table(april, "sex") == [("Female", 1, 1, 0)]


def test_small_numbers_are_suppressed_for_reports_that_leave_haven() -> None:
    assert [suppressed(n) for n in (0, 1, 4, 5, 1234)] == ["0", "fewer than 5", "fewer than 5", "5", "1,234"]


def test_the_equality_page_shows_the_tables_to_a_manager_and_refuses_an_officer(world, make_user) -> None:  # type: ignore[no-untyped-def]
    landlord, _ = world
    page = signed_in(make_user(landlord, "manager")).get("/insights/equality/?start=01/01/2026&end=31/03/2026")
    assert page.status_code == 200
    body = text(page)
    assert "Asian or Asian British" in body and "Equality trends" in body
    assert signed_in(make_user(landlord, "officer", username="o2")).get("/insights/equality/").status_code == 403
    bad = signed_in(make_user(landlord, "manager", username="m2")).get(
        "/insights/equality/?start=01/03/2026&end=01/01/2026"
    )
    assert bad.status_code == 400 and "The period ends before it starts" in text(bad)
