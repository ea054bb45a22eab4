"""Case volumes by month (Livv 6), against a data set worked out by hand.

Cases of emh, months January to April 2026 (UK time):
- A opened 5 Jan, closed 10 Feb, reopened 3 Mar (open since);
- B opened 20 Dec 2025, closed 31 Jan 23:30;
- C opened 28 Feb; a legal action started 1 Mar;
- D opened 31 Mar 23:30 BST (still March);
- E opened 1 Nov 2025, a legal action started 1 May 2025, closed 15 Mar before closures were kept
  (no Closure row).
By hand:    opened  closed  open at end           legal year to date
  January     1 (A)   1 (B)   2 (A, E)              1 (E, since 1 April 2025)
  February    1 (C)   1 (A)   2 (C, E)              1 (E)
  March       1 (D)   1 (E)   3 (A reopened, C, D)  2 (E, C)
  April       0       0       3                     0 (a new reporting year)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from haven.accounts.models import Landlord, User
from haven.cases.models import Case, CaseStatus, Closure, PartyRole
from haven.cases.services.parties import case_party_add
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import open_case
from haven.common.errors import ApplicationError
from haven.insights.selectors.volumes import monthly_volumes, months_between
from haven.interventions.models import LegalAction
from haven.interventions.services.legal import legal_action_start

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")


def uk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UK)  # type: ignore[misc]


def _close(case: Case, officer: User, at: datetime) -> None:
    case_transition(actor=officer, case=case, to=CaseStatus.CLOSED, reason="Quiet", closure_reason="resolved",
                    outcome="Stopped", resolved=True)  # fmt: skip
    Closure.objects.filter(case=case, reopened_at__isnull=True).update(closed_at=at)
    Case.objects.filter(pk=case.pk).update(closed_at=at)


def _legal(case: Case, officer: User, on: date) -> None:
    party = case_party_add(actor=officer, case=case, role=PartyRole.REPORTED, name="Dan Reid")
    action = legal_action_start(actor=officer, case=case, code="part1_injunction", party=party,
                                reason="Threats", started_on=date(2025, 4, 1))  # fmt: skip
    LegalAction.objects.filter(pk=action.pk).update(started_on=on)


def test_monthly_volumes_match_the_hand_count(
    staff: Callable[[str], tuple[Landlord, User, User]], way: Callable[[Landlord], None]
) -> None:
    landlord, adviser, officer = staff("emh")
    a = open_case(landlord, adviser, officer, received_at=uk(2026, 1, 5, 10))
    b = open_case(landlord, adviser, officer, received_at=uk(2025, 12, 20, 10))
    c = open_case(landlord, adviser, officer, received_at=uk(2026, 2, 28, 10))
    open_case(landlord, adviser, officer, received_at=uk(2026, 3, 31, 23, 30))
    e = open_case(landlord, adviser, officer, received_at=uk(2025, 11, 1, 10))
    _legal(e, officer, date(2025, 5, 1))
    _legal(c, officer, date(2026, 3, 1))
    _close(a, officer, uk(2026, 2, 10, 12))
    case_transition(actor=officer, case=a, to=CaseStatus.REOPENED, reason="Again")
    Closure.objects.filter(case=a).update(reopened_at=uk(2026, 3, 3, 9))
    _close(b, officer, uk(2026, 1, 31, 23, 30))
    Case.objects.filter(pk=e.pk).update(status=CaseStatus.CLOSED, closed_at=uk(2026, 3, 15, 12))
    way(landlord)

    rows = monthly_volumes(landlord, date(2026, 1, 1), date(2026, 4, 30))
    got = [(r.month.label, r.opened, r.closed, r.open_at_end, r.legal_year_to_date) for r in rows]
    assert got == [
        ("January 2026", 1, 1, 2, 1),
        ("February 2026", 1, 1, 2, 1),
        ("March 2026", 1, 1, 3, 2),
        ("April 2026", 0, 0, 3, 0),
    ]


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ApplicationError, match="ends before it starts"):
        months_between(date(2026, 3, 1), date(2026, 2, 1))
    with pytest.raises(ApplicationError, match="no more than 60 months"):
        months_between(date(2020, 1, 1), date(2026, 2, 1))
    assert [m.label for m in months_between(date(2025, 12, 15), date(2026, 1, 2))] == ["December 2025", "January 2026"]


def test_each_measure_costs_the_same_queries_for_one_month_or_twelve(staff, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    """Bounded: one query each for opened, closed, legacy closed and legal; one a month for open."""
    landlord, _, _ = staff("emh")
    with django_assert_max_num_queries(4 + 12):
        monthly_volumes(landlord, date(2025, 4, 1), date(2026, 3, 31))


def test_response_performance_by_tier_matches_the_hand_count(staff) -> None:  # type: ignore[no-untyped-def]
    """Low: answered in 10 h (met), in 60 h after a 48 h target (missed), never and past due (missed):
    1 met, 2 missed, 33.3% met, median 35.0 h of the two answered. High: one not yet due (waiting)."""
    from datetime import timedelta

    from django.utils import timezone

    from haven.insights.selectors.responses import response_performance

    landlord, adviser, officer = staff("emh")
    t = timezone.now() - timedelta(days=10)
    for answered in (10, 60, None):
        case = open_case(landlord, adviser, officer, received_at=t, tier="low")
        Case.objects.filter(pk=case.pk).update(
            opened_at=t, response_due_at=t + timedelta(hours=48),
            first_response_at=t + timedelta(hours=answered) if answered is not None else None,
        )  # fmt: skip
    waiting = open_case(landlord, adviser, officer, tier="high")
    Case.objects.filter(pk=waiting.pk).update(response_due_at=timezone.now() + timedelta(hours=5))
    rows = {r.tier: r for r in response_performance(landlord, t - timedelta(days=1), timezone.now())}
    low, high = rows["low"], rows["high"]
    assert (low.met, low.missed, low.waiting, low.median_hours, low.share_met) == (1, 2, 0, 35.0, 33.3)
    assert (high.met, high.missed, high.waiting, high.median_hours, high.share_met) == (0, 0, 1, None, None)


def test_the_dashboard_shows_the_figures_and_the_csv_agrees(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """The dashboard's table and its CSV carry the same numbers; a period that ends before it starts
    is a clear message with the form kept; officers may not see it; Wales shows no TSMs."""
    import csv
    import io

    from haven.cases.tests.factories import signed_in, text

    landlord, adviser, officer = staff("emh")
    open_case(landlord, adviser, officer, received_at=uk(2026, 1, 5, 10))
    open_case(landlord, adviser, officer, received_at=uk(2026, 2, 7, 10))
    manager = signed_in(make_user(landlord, "manager"))
    query = "?start=01/01/2026&end=28/02/2026"
    page = manager.get(f"/insights/{query}")
    assert page.status_code == 200
    body = text(page)
    assert "January 2026" in body and "February 2026" in body and "Response times against target" in body
    rows = list(csv.reader(io.StringIO(manager.get(f"/insights/volumes.csv{query}").content.decode())))
    assert rows == [["month", "opened", "closed", "open_at_month_end", "legal_cases_year_to_date"],
                    ["2026-01", "1", "0", "1", "0"], ["2026-02", "1", "0", "2", "0"]]  # fmt: skip
    bad = manager.get("/insights/?start=01/03/2026&end=01/02/2026")
    assert (
        bad.status_code == 400 and "ends before it starts" in text(bad) and 'value="01/03/2026"' in bad.content.decode()
    )
    assert manager.get("/insights/volumes.csv?start=01/03/2026&end=01/02/2026").status_code == 400
    assert signed_in(officer).get("/insights/").status_code == 403
    wales, _, _ = staff("wwh")
    assert "Tenant Satisfaction Measures" not in text(signed_in(make_user(wales, "manager")).get("/insights/"))


def test_the_dashboard_filters_by_team_and_refuses_another_landlords_team(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Two cases in January, one for each of emh's teams: the team filter counts only its own; a team
    of another landlord is a clear message, not a figure."""
    import csv
    import io

    from haven.accounts.models import Team
    from haven.cases.tests.factories import signed_in, text

    landlord, adviser, officer = staff("emh")
    teams = list(Team.objects.filter(landlord=landlord))
    assert len(teams) >= 2
    for n, team in enumerate(teams[:2]):
        case = open_case(landlord, adviser, officer, received_at=uk(2026, 1, 5 + n, 10))
        Case.objects.filter(pk=case.pk).update(team=team)
    manager = signed_in(make_user(landlord, "manager"))
    query = f"?start=01/01/2026&end=31/01/2026&team={teams[0].pk}"
    rows = list(csv.reader(io.StringIO(manager.get(f"/insights/volumes.csv{query}").content.decode())))
    assert rows[1][:2] == ["2026-01", "1"]
    everyone = list(csv.reader(io.StringIO(manager.get("/insights/volumes.csv?start=01/01/2026&end=31/01/2026")
                                           .content.decode())))  # fmt: skip
    assert everyone[1][:2] == ["2026-01", "2"]
    other, _, _ = staff("whg")
    foreign = Team.objects.filter(landlord=other).first()
    assert foreign is not None
    refused = manager.get(f"/insights/?start=01/01/2026&end=31/01/2026&team={foreign.pk}")
    assert refused.status_code == 400 and "Choose one of your landlord's teams." in text(refused)


def test_the_default_period_is_the_last_twelve_calendar_months() -> None:
    """In December too (the year before used to give thirteen months)."""
    from datetime import date

    from haven.insights.views.period import default_period

    assert default_period(date(2026, 12, 2)) == (date(2026, 1, 1), date(2026, 12, 2))
    assert default_period(date(2026, 11, 30)) == (date(2025, 12, 1), date(2026, 11, 30))
    assert default_period(date(2026, 1, 15)) == (date(2025, 2, 1), date(2026, 1, 15))
