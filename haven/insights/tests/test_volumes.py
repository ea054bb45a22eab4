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


def test_monthly_volumes_match_the_hand_count(staff: Callable[[str], tuple[Landlord, User, User]]) -> None:
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
