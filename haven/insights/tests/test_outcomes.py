"""Closures, time to resolve, types of ASB and transactional satisfaction (issue 9; pnp 8.2, whg 3.3),
against a data set worked out by hand (emh, closures from 1 January to 31 March 2026):

- P: opened Mon 5 Jan 10:00, closed Mon 19 Jan 10:00, resolved: 14 days; working days after the day
  of receipt whose close of business has passed: 6-9 Jan and 12-16 Jan = 9;
- Q: opened Mon 2 Feb 10:00, closed Wed 4 Feb 10:00 as not ASB, unresolved: 2 days; 3 Feb = 1;
- R: opened Thu 1 Jan 10:00 (a bank holiday: deemed received Fri 2 Jan), closed Mon 2 Mar 10:00,
  resolved, a hate crime: 60 days; 5 Jan to 27 Feb = 40 working days.
So 3 closed, 2 resolved, 1 unresolved; days 2, 14, 60: median 14, 90th percentile (rank 3) 60;
working days 1, 9, 40: median 9, 90th percentile 40.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from haven.accounts.models import User
from haven.cases.models import Case, CaseStatus, Closure
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import open_case
from haven.insights.selectors.outcomes import by_category, closure_outcomes, nearest_rank, survey_results
from haven.reviews.models import SurveyResponse

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")
START, END = datetime(2026, 1, 1, tzinfo=UK), datetime(2026, 4, 1, tzinfo=UK)


def uk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UK)  # type: ignore[misc]


def closed(case: Case, officer: User, at: datetime, reason: str = "resolved", resolved: bool = True) -> None:
    case_transition(actor=officer, case=case, to=CaseStatus.CLOSED, reason="Done", closure_reason=reason,
                    outcome="Ended", resolved=resolved)  # fmt: skip
    Closure.objects.filter(case=case).update(closed_at=at)
    Case.objects.filter(pk=case.pk).update(closed_at=at)


@pytest.fixture
def world(staff):  # type: ignore[no-untyped-def]
    landlord, adviser, officer = staff("emh")
    p = open_case(landlord, adviser, officer, received_at=uk(2026, 1, 5, 10))
    q = open_case(landlord, adviser, officer, received_at=uk(2026, 2, 2, 10))
    r = open_case(landlord, adviser, officer, received_at=uk(2026, 1, 1, 10), category="hate_crime", tier="high")
    closed(p, officer, uk(2026, 1, 19, 10))
    closed(q, officer, uk(2026, 2, 4, 10), reason="not_asb", resolved=False)
    closed(r, officer, uk(2026, 3, 2, 10))
    open_case(landlord, adviser, officer, received_at=uk(2026, 3, 10, 10))  # opened, not closed
    return landlord, p


def test_closure_outcomes_match_the_hand_count(world, way) -> None:  # type: ignore[no-untyped-def]
    landlord, _ = world
    way(landlord)
    found = closure_outcomes(landlord, START, END)
    assert (found.closed, found.resolved, found.unresolved) == (3, 2, 1)
    assert found.by_reason == [("The behaviour has stopped", 2), ("Not anti-social behaviour after investigation", 1)]
    assert (found.median_days, found.p90_days) == (14.0, 60)
    assert (found.median_working_days, found.p90_working_days) == (9.0, 40)
    assert closure_outcomes(landlord, END, uk(2026, 5, 1)).closed == 0


def test_types_of_asb_opened_and_closed(world, way) -> None:  # type: ignore[no-untyped-def]
    """Opened in the period: noise 3 (P, Q, the open one), hate crime 1 (R); closed: noise 2, hate 1."""
    landlord, _ = world
    way(landlord)
    rows = by_category(landlord, START, END)
    assert [(opened, closed) for _, opened, closed in rows] == [(3, 2), (1, 1)]
    assert "Hate" in rows[1][0] or "hate" in rows[1][0]


def test_the_nearest_rank_percentile() -> None:
    assert nearest_rank([5, 1, 3, 2, 4, 10, 9, 8, 7, 6], 0.9) == 9 and nearest_rank([7], 0.9) == 7
    assert nearest_rank([], 0.9) is None


def test_transactional_satisfaction(world) -> None:  # type: ignore[no-untyped-def]
    """kept informed: very satisfied, fairly dissatisfied: 1 of 2 = 50.0%; treated fairly: disagree,
    agree, strongly agree: 2 of 3 = 66.7%; ease of reporting: nobody answered."""
    landlord, case = world
    for answers in ({"kept_informed": "very_satisfied", "treated_fairly": "disagree"},
                    {"kept_informed": "fairly_dissatisfied", "treated_fairly": "agree"},
                    {"treated_fairly": "strongly_agree", "comments": "Fine"}):  # fmt: skip
        SurveyResponse.objects.create(landlord=landlord, case=case, via="phone", answers=answers,
                                      answered_at=uk(2026, 2, 1, 12), policy_id="emh", policy_version="1")  # fmt: skip
    results = {r.code: r for r in survey_results(landlord, START, END)}
    assert (results["kept_informed"].answered, results["kept_informed"].percent) == (2, 50.0)
    assert (results["treated_fairly"].answered, results["treated_fairly"].percent) == (3, 66.7)
    assert results["ease_of_reporting"].percent is None and "comments" not in results


def test_the_dashboard_costs_the_same_queries_for_few_or_more_cases(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Bounded queries: the page makes the same number of queries with 1 case as with 4 closed ones."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from haven.cases.tests.factories import signed_in

    landlord, adviser, officer = staff("emh")
    client = signed_in(make_user(landlord, "manager"))
    url = "/insights/?start=01/01/2026&end=31/03/2026"
    open_case(landlord, adviser, officer, received_at=uk(2026, 1, 5, 10))
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for day in (6, 7, 8):
        closed(open_case(landlord, adviser, officer, received_at=uk(2026, 1, day, 10)), officer, uk(2026, 2, day, 10))
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)


def test_the_excel_workbook_carries_the_same_measures(world, make_user) -> None:  # type: ignore[no-untyped-def]
    """Read back with openpyxl: the Closures sheet gives the hand count above; the TSM sheet is there."""
    from io import BytesIO

    from openpyxl import load_workbook

    from haven.cases.tests.factories import signed_in

    landlord, _ = world
    response = signed_in(make_user(landlord, "manager")).get("/insights/measures.xlsx?start=01/01/2026&end=31/03/2026")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Volumes", "Responses", "Closures", "Types of ASB", "Satisfaction", "TSM"]
    closures = {row[0]: row[1] for row in book["Closures"].iter_rows(values_only=True)}
    assert (closures["Closed"], closures["Resolved"], closures["Median days to resolve"]) == (3, 2, 14)
    assert closures["90th percentile working days"] == 40
    volumes = list(book["Volumes"].iter_rows(values_only=True))
    assert volumes[0][0] == "Month" and [r[0] for r in volumes[1:]] == ["2026-01", "2026-02", "2026-03"]
