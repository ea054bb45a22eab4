"""Case volumes by month (issue 9; Livv 6 "Performance Monitoring": open (active) cases at each
month end, cases opened and closed each month, legal cases year to date).

- **Opened** in a month: cases whose first report was received in it (``Case.opened_at``, UK time).
- **Closed** in a month: each closure made in it (``cases.Closure``; a case closed, reopened and
  closed again in one month counts twice, as two pieces of work ended). A case closed before closures
  were kept (no ``Closure`` row) counts by its ``closed_at``.
- **Open at the month end**: cases opened by then and not closed at that moment: a closure before
  the end that was not reopened by the end closes a case; a reopened case is open again.
- **Legal cases year to date**: cases with a legal action started (``LegalAction.started_on``) from
  1 April of the reporting year to the month's end (the Livv report runs with the financial year).

For a large landlord, opened, closed and open at the month end are read from the month summaries
the worker keeps (``selectors.summary``, ADR 0012), with the same definitions. Otherwise opened,
closed and legal are one query each for the whole period. Open at the month end is three
counting queries for the whole period, each one pass over the rows with a count per month end: the
cases opened by then, less the cases shut then by a closure not yet reopened, less the cases closed
before closures were kept (at 200,000 cases a landlord, one correlated query a month took seconds).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth

from haven.accounts.models import Landlord
from haven.cases.models import Case, CaseStatus, Closure
from haven.common.errors import ApplicationError
from haven.insights.selectors.scope import ALL, Scope
from haven.insights.selectors.summary import summary_volumes
from haven.interventions.models import LegalAction

UK = ZoneInfo("Europe/London")
MAX_MONTHS = 60


@dataclass(frozen=True)
class Month:
    first: date

    @property
    def next(self) -> date:
        return date(self.first.year + self.first.month // 12, self.first.month % 12 + 1, 1)

    @property
    def last(self) -> date:
        return self.next - timedelta(days=1)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), tzinfo=UK)

    @property
    def end(self) -> datetime:
        """The first moment after the month (UK time)."""
        return datetime.combine(self.next, time(0), tzinfo=UK)

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y}"


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as moments: the start of its first day to the end of the month of its last (UK time)."""
    return datetime.combine(start, time(0), tzinfo=UK), Month(end.replace(day=1)).end


def months_between(first: date, last: date) -> list[Month]:
    """The calendar months from the one holding ``first`` to the one holding ``last``."""
    if last < first:
        message = "The period ends before it starts: choose an end on or after the start."
        raise ApplicationError(message, fields={"to": message})
    months = [Month(first.replace(day=1))]
    while months[-1].next <= last:
        months.append(Month(months[-1].next))
    if len(months) > MAX_MONTHS:
        message = f"Choose a period of no more than {MAX_MONTHS} months."
        raise ApplicationError(message, fields={"to": message})
    return months


@dataclass(frozen=True)
class MonthVolumes:
    month: Month
    opened: int
    closed: int
    open_at_end: int
    legal_year_to_date: int


def _per_month(rows: QuerySet[Any], field: str) -> Counter[date]:
    """How many rows fall in each UK calendar month of ``field``, counted in the database (one query)."""
    months = (
        rows.order_by().annotate(month=TruncMonth(field, tzinfo=UK)).values("month").annotate(n=Count("pk"))
        .values_list("month", "n")
    )  # fmt: skip
    found: Counter[date] = Counter()
    for month, n in months:
        day = month.astimezone(UK).date() if isinstance(month, datetime) else month
        found[day.replace(day=1)] += n
    return found


def monthly_volumes(landlord: Landlord, first: date, last: date, scope: Scope = ALL) -> list[MonthVolumes]:
    """The four measures for each month from ``first`` to ``last`` (see the module's definitions)."""
    months = months_between(first, last)
    start, end = months[0].start, months[-1].end
    kept = summary_volumes(landlord, [month.first for month in months], scope)
    if kept is not None:
        opened, closed, open_at = kept
    else:
        cases = Case.objects.filter(landlord=landlord).filter(scope.q())
        opened = _per_month(cases.filter(opened_at__gte=start, opened_at__lt=end), "opened_at")
        closures = Closure.objects.filter(
            scope.q("case__"), case__landlord=landlord, closed_at__gte=start, closed_at__lt=end
        )
        legacy = cases.filter(status=CaseStatus.CLOSED, closed_at__gte=start, closed_at__lt=end).filter(
            ~Exists(Closure.objects.filter(case=OuterRef("pk")))
        )
        closed = _per_month(closures, "closed_at") + _per_month(legacy, "closed_at")
        open_at = _open_at(landlord, scope, [month.end for month in months])
    years = {m.first.year if m.first.month >= 4 else m.first.year - 1 for m in months}
    legal = list(
        LegalAction.objects.filter(
            scope.q("case__"),
            case__landlord=landlord,
            started_on__gte=date(min(years), 4, 1),
            started_on__lte=months[-1].last,
        ).values_list("case_id", "started_on")
    )
    rows = []
    for month, still_open in zip(months, open_at, strict=True):
        rows.append(MonthVolumes(month, opened[month.first], closed[month.first], still_open,
                                 _legal_ytd(legal, month)))  # fmt: skip
    return rows


def _open_at(landlord: Landlord, scope: Scope, moments: list[datetime]) -> list[int]:
    """For each moment, the cases opened before it and not closed at it (three queries in all).

    A case is shut at a moment by a closure made before it and not reopened by then; a case closed,
    reopened and closed again has at most one such closure at any moment, and the count is of
    distinct cases so a muddled history cannot count a case twice.
    """
    last = moments[-1]
    cases = Case.objects.filter(scope.q(), landlord=landlord, opened_at__lt=last).order_by()
    opened = cases.aggregate(**{f"m{i}": Count("pk", filter=Q(opened_at__lt=m)) for i, m in enumerate(moments)})
    shut = (
        Closure.objects.filter(scope.q("case__"), case__landlord=landlord, closed_at__lt=last).order_by()
        .aggregate(**{
            f"m{i}": Count("case_id", distinct=True, filter=Q(closed_at__lt=m, case__opened_at__lt=m)
                           & (Q(reopened_at__isnull=True) | Q(reopened_at__gte=m)))
            for i, m in enumerate(moments)
        })
    )  # fmt: skip
    legacy = (
        cases.filter(status=CaseStatus.CLOSED, closed_at__lt=last)
        .filter(~Exists(Closure.objects.filter(case=OuterRef("pk"))))
        .aggregate(**{f"m{i}": Count("pk", filter=Q(closed_at__lt=m, opened_at__lt=m)) for i, m in enumerate(moments)})
    )
    return [opened[f"m{i}"] - shut[f"m{i}"] - legacy[f"m{i}"] for i in range(len(moments))]


def _legal_ytd(legal: list[tuple[int, date]], month: Month) -> int:
    year_start = date(month.first.year if month.first.month >= 4 else month.first.year - 1, 4, 1)
    return len({case for case, on in legal if year_start <= on <= month.last})
