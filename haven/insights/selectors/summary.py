"""Reading the month summaries the worker keeps (issue 9, ADR 0012; built by ``services.summary``).

A large landlord's dashboard would count 100,000 cases a year on every view (seconds at 1,000,000
cases). For a landlord with at least ``HAVEN_INSIGHT_SUMMARY_FROM`` cases at the last summary, the
volumes, closures and types of ASB of a period of whole months are added up from its month summaries
while they are younger than ``HAVEN_INSIGHT_SUMMARY_MINUTES``; otherwise (a smaller landlord, a
period starting mid-month, no summary yet or an old one) they are counted now. Either way the
definitions are those of ``selectors.volumes`` and ``selectors.outcomes``, and the tests prove the two
ways give the same hand-counted answers.

Open at each month end from summaries: the cases opened by then, less the closures made by then, plus
the closures undone by a reopening by then (every month from the landlord's first). That equals the
count of ``volumes._open_at`` for every history in which a case is closed only while open and
reopened only while closed, which is how the services change it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from haven.accounts.models import Landlord
from haven.insights.models import MonthSummary, SummaryState
from haven.insights.selectors.scope import Scope
from haven.insights.selectors.tally import ClosureTally

UK = ZoneInfo("Europe/London")


def summary_state(landlord: Landlord) -> SummaryState | None:
    """The landlord's summary state when its summaries serve its measures now (one query), else None."""
    fresh = timezone.now() - timedelta(minutes=settings.HAVEN_INSIGHT_SUMMARY_MINUTES)
    state = SummaryState.objects.filter(landlord=landlord, computed_at__gte=fresh).first()
    return state if state is not None and state.cases >= settings.HAVEN_INSIGHT_SUMMARY_FROM else None


def whole_months(start: datetime, end: datetime) -> tuple[date, date] | None:
    """The first and last month of a period from the start of a UK month to the start of another,
    or None when either moment is not the start of a month (so summaries cannot serve it)."""
    first, after = start.astimezone(UK), end.astimezone(UK)
    for moment in (first, after):
        if moment.day != 1 or (moment.hour, moment.minute, moment.second, moment.microsecond) != (0, 0, 0, 0):
            return None
    last = (after.date() - timedelta(days=1)).replace(day=1)
    return (first.date(), last) if last >= first.date() else None


def summary_rows(landlord: Landlord, scope: Scope, until: date, since: date | None = None) -> QuerySet[MonthSummary]:
    """The month summaries of the landlord's cases in ``scope`` from ``since`` (or the first) to ``until``."""
    rows = MonthSummary.objects.filter(landlord=landlord, month__lte=until)
    if since is not None:
        rows = rows.filter(month__gte=since)
    if scope.team_id is not None:
        rows = rows.filter(team_id=scope.team_id)
    if scope.patch_id is not None:
        rows = rows.filter(patch_id=scope.patch_id)
    return rows.order_by()


def _serving(landlord: Landlord, start: datetime, end: datetime) -> tuple[date, date] | None:
    months = whole_months(start, end)
    return months if months is not None and summary_state(landlord) is not None else None


def _merged(maps: list[dict[str, int]], key: Any = str) -> Counter[Any]:
    total: Counter[Any] = Counter()
    for found in maps:
        for value, n in found.items():
            total[key(value)] += n
    return total


def summary_closures(landlord: Landlord, start: datetime, end: datetime, scope: Scope) -> ClosureTally | None:
    """The closures of the period added up from the summaries, or None when they do not serve it."""
    months = _serving(landlord, start, end)
    if months is None:
        return None
    rows = list(summary_rows(landlord, scope, months[1], months[0]).values(
        "closed_by_reason", "resolved", "days", "working_days"))  # fmt: skip
    return ClosureTally(
        reasons=_merged([r["closed_by_reason"] for r in rows]), resolved=sum(r["resolved"] for r in rows),
        days=_merged([r["days"] for r in rows], int), working_days=_merged([r["working_days"] for r in rows], int),
    )  # fmt: skip


def summary_categories(
    landlord: Landlord, start: datetime, end: datetime, scope: Scope
) -> tuple[Counter[str], Counter[str]] | None:
    """Cases opened and closures made in the period by category, or None when summaries do not serve it."""
    months = _serving(landlord, start, end)
    if months is None:
        return None
    rows = list(summary_rows(landlord, scope, months[1], months[0]).values("opened_by_category", "closed_by_category"))
    return _merged([r["opened_by_category"] for r in rows]), _merged([r["closed_by_category"] for r in rows])


def summary_volumes(
    landlord: Landlord, months: list[date], scope: Scope
) -> tuple[Counter[date], Counter[date], list[int]] | None:
    """For each month (first days, in order): opened, closed and open at its end, or None when
    summaries do not serve them (one query for every month since the landlord's first)."""
    if summary_state(landlord) is None:
        return None
    per = {
        row["month"]: row
        for row in summary_rows(landlord, scope, months[-1]).values("month")
        .annotate(o=Sum("opened"), c=Sum("closed"), r=Sum("reopened")).order_by("month")
    }  # fmt: skip
    opened = Counter({month: per[month]["o"] for month in months if month in per})
    closed = Counter({month: per[month]["c"] for month in months if month in per})
    open_at: list[int] = []
    running, asked = 0, iter(months)
    want: date | None = next(asked)
    for month in sorted(set(per) | set(months)):
        row = per.get(month)
        if row is not None:
            running += row["o"] - row["c"] + row["r"]
        if month == want:
            open_at.append(running)
            want = next(asked, None)
            if want is None:
                break
    return opened, closed, open_at
