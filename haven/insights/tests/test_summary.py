"""The month summaries of a large landlord (issue 9, ADR 0012): read instead of counting cases, they
give the same figures for every team and patch; the dashboard asks the worker for new ones when
they age and says when they were worked out; an old one, a period starting mid-month or a small
landlord is counted now.

The hand counts themselves are proved both ways in ``test_volumes`` and ``test_outcomes`` (the
``way`` fixture); here the data is a mix no hand count covers: two patches and two teams, a case
closed, reopened and closed again, a case closed before closures were kept, the clock change.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from haven.accounts.models import Landlord, Team, User
from haven.cases.models import Case, CaseStatus, Closure
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import open_case, signed_in, text
from haven.insights.models import MonthSummary, SummaryState
from haven.insights.selectors.outcomes import by_category, closure_outcomes
from haven.insights.selectors.scope import ALL, Scope
from haven.insights.selectors.summary import summary_state
from haven.insights.selectors.volumes import monthly_volumes, period_bounds
from haven.insights.services.summary import summary_refresh
from haven.register.models import Patch

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")


def uk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UK)  # type: ignore[misc]


def _close(case: Case, officer: User, at: datetime, reason: str = "resolved", resolved: bool = True) -> None:
    case_transition(actor=officer, case=case, to=CaseStatus.CLOSED, reason="Done", closure_reason=reason,
                    outcome="Ended", resolved=resolved)  # fmt: skip
    Closure.objects.filter(case=case, reopened_at__isnull=True).update(closed_at=at)
    Case.objects.filter(pk=case.pk).update(closed_at=at)


def _mixed(landlord: Landlord, adviser: User, officer: User) -> None:
    teams = list(Team.objects.filter(landlord=landlord).order_by("pk"))[:2]
    patches = [Patch.objects.create(landlord=landlord, code=f"P{i}", name=f"Patch {i}") for i in (1, 2)]
    categories = ["noise", "hate_crime", "noise", "drugs"]
    for i in range(16):
        opened = uk(2026, 1, 1, 9) + timedelta(days=9 * i, hours=i % 9)
        if i == 9:
            opened = uk(2026, 3, 31, 23, 30)  # British Summer Time: still March
        case = open_case(landlord, adviser, officer, received_at=opened, category=categories[i % 4])
        Case.objects.filter(pk=case.pk).update(team=teams[i % 2], patch=patches[(i // 2) % 2] if i % 5 else None)
        case.refresh_from_db()
        if i % 3 == 0:
            _close(case, officer, opened + timedelta(days=20 + i, hours=8), resolved=i % 2 == 0)
        if i == 3:
            case_transition(actor=officer, case=case, to=CaseStatus.REOPENED, reason="Again")
            Closure.objects.filter(case=case).update(reopened_at=opened + timedelta(days=40))
            _close(case, officer, opened + timedelta(days=70), reason="not_asb", resolved=False)
        if i == 10:
            Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=opened + timedelta(days=12),
                                                   closure_reason="resolved", resolved=True)  # fmt: skip


def _figures(landlord: Landlord, scope: Scope) -> tuple[object, ...]:
    since, until = period_bounds(date(2026, 2, 1), date(2026, 6, 30))
    months = monthly_volumes(landlord, date(2026, 1, 1), date(2026, 7, 31), scope)
    volumes = [(v.opened, v.closed, v.open_at_end) for v in months]
    return volumes, closure_outcomes(landlord, since, until, scope), by_category(landlord, since, until, scope)


def test_the_summaries_give_the_same_figures_as_counting_for_every_team_and_patch(staff, settings) -> None:  # type: ignore[no-untyped-def]
    landlord, adviser, officer = staff("emh")
    _mixed(landlord, adviser, officer)
    team = Team.objects.filter(landlord=landlord).order_by("pk").first()
    patch = Patch.objects.get(landlord=landlord, code="P2")
    assert team is not None
    scopes = [ALL, Scope(team_id=team.pk), Scope(patch_id=patch.pk), Scope(team_id=team.pk, patch_id=patch.pk)]
    counted = [_figures(landlord, scope) for scope in scopes]
    settings.HAVEN_INSIGHT_SUMMARY_FROM = 1
    state = summary_refresh(landlord_id=landlord.pk)
    assert state.cases == 16 and summary_state(landlord) is not None
    assert MonthSummary.objects.filter(landlord=landlord).count() > 4
    read = [_figures(landlord, scope) for scope in scopes]
    assert read == counted
    volumes, outcomes, _ = counted[0]
    assert outcomes.closed > 3 and any(o for o, _, _ in volumes)  # type: ignore[attr-defined]


def test_an_old_summary_a_period_from_mid_month_and_a_small_landlord_are_counted_now(staff, settings) -> None:  # type: ignore[no-untyped-def]
    """The summary says 1 case opened in January; a second case added after it shows only when counted."""
    landlord, adviser, officer = staff("emh")
    open_case(landlord, adviser, officer, received_at=uk(2026, 1, 5, 10))
    settings.HAVEN_INSIGHT_SUMMARY_FROM = 1
    summary_refresh(landlord_id=landlord.pk)
    open_case(landlord, adviser, officer, received_at=uk(2026, 1, 6, 10))
    january = (uk(2026, 1, 1), uk(2026, 2, 1))
    assert monthly_volumes(landlord, date(2026, 1, 1), date(2026, 1, 31))[0].opened == 1  # the summary
    assert by_category(landlord, *january)[0][1] == 1
    assert by_category(landlord, uk(2026, 1, 2), january[1])[0][1] == 2  # from mid-month: counted
    settings.HAVEN_INSIGHT_SUMMARY_FROM = 3  # the landlord is small
    assert by_category(landlord, *january)[0][1] == 2
    settings.HAVEN_INSIGHT_SUMMARY_FROM = 1
    SummaryState.objects.filter(landlord=landlord).update(computed_at=timezone.now() - timedelta(minutes=11))
    assert monthly_volumes(landlord, date(2026, 1, 1), date(2026, 1, 31))[0].opened == 2  # too old


def test_the_dashboard_asks_for_new_summaries_as_they_age_and_says_when_they_were_made(  # type: ignore[no-untyped-def]
    staff, make_user, settings, django_assert_max_num_queries
) -> None:
    """Tests run tasks at once, so asking is building. A small landlord is never asked for."""
    landlord, adviser, officer = staff("emh")
    manager = signed_in(make_user(landlord, "manager"))
    open_case(landlord, adviser, officer, received_at=uk(2026, 1, 5, 10))
    url = "/insights/?start=01/01/2026&end=31/01/2026"
    assert "summary-note" not in manager.get(url).content.decode()
    assert not SummaryState.objects.filter(landlord=landlord).exists()  # 1 case: too small

    settings.HAVEN_INSIGHT_SUMMARY_FROM = 1
    body = text(manager.get(url))
    state = SummaryState.objects.get(landlord=landlord)
    assert state.computed_at is not None and state.cases == 1
    assert f"worked out at {state.computed_at.astimezone(UK):%H:%M}" in body
    open_case(landlord, adviser, officer, received_at=uk(2026, 1, 6, 10))
    with django_assert_max_num_queries(30):
        page = manager.get(url)
    assert SummaryState.objects.get(landlord=landlord).computed_at == state.computed_at  # still fresh
    rows = page.content.decode().split('data-testid="volumes"')[1]
    assert ">1</td>" in rows.split("</tr>")[1]  # January: the one case the summary knows

    six_minutes_ago = timezone.now() - timedelta(minutes=6)
    SummaryState.objects.filter(landlord=landlord).update(computed_at=six_minutes_ago, requested_at=six_minutes_ago)
    rows = manager.get(url).content.decode().split('data-testid="volumes"')[1]
    assert ">2</td>" in rows.split("</tr>")[1]  # asked again (more than half of 10 minutes old) and built
    note = text(manager.get("/insights/?start=02/01/2026&end=31/01/2026")).split('data-testid="summary-note">')[1]
    assert note.startswith("The cases opened, closed and open each month were worked out")  # not the closures


def test_a_summary_asked_for_is_not_asked_for_again_until_it_should_have_come(staff, settings) -> None:  # type: ignore[no-untyped-def]
    """A request waiting for the worker is not repeated; one older than 10 minutes (the worker may
    have lost it) is; fresh summaries are not asked for."""
    from haven.insights.services.summary import summary_ask

    landlord, adviser, officer = staff("emh")
    open_case(landlord, adviser, officer)
    settings.HAVEN_INSIGHT_SUMMARY_FROM = 1
    now = timezone.now()
    SummaryState.objects.create(landlord=landlord, requested_at=now - timedelta(minutes=9))
    assert summary_ask(landlord) is False
    SummaryState.objects.filter(landlord=landlord).update(requested_at=now - timedelta(minutes=11))
    assert summary_ask(landlord) is True  # and, tasks running at once in tests, built
    assert summary_state(landlord) is not None
    assert summary_ask(landlord) is False
