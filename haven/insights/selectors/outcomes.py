"""What happened to cases and how reporters felt about it (issue 9; Peaks & Plains 8.2, whg 3.3).

- **Closures in a period** (``closure_outcomes``): each closure made in it (``cases.Closure``; a case
  closed before closures were kept counts by its own closure fields), resolved or unresolved at
  closure (pnp 8.2), by closure reason, and the **time to resolve**: from the first report
  (``Case.opened_at``) to the closure, in calendar days (UK dates) and in the landlord's working
  days (``WorkingCalendar.working_days_between``); the median, and the 90th percentile by the
  nearest-rank method (the value at rank ceil(0.9 n) of the sorted times).
- **Types of ASB** (``by_category``): cases opened in the period and closures made in it, by the
  case's category now.
- **Transactional satisfaction** (``survey_results``): for each survey question with a measure,
  the share of those who answered it who chose a positive answer (very or fairly satisfied; strongly
  agree or agree; yes), from the closure surveys answered in the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.cases.models import Case, CaseStatus, Closure
from haven.common.working_time import WorkingCalendar
from haven.insights.selectors.local import at_or_after, uk_day
from haven.insights.selectors.scope import ALL, Scope
from haven.insights.selectors.summary import summary_categories, summary_closures
from haven.insights.selectors.tally import ClosureOutcomes, ClosureTally, ranked
from haven.reviews.models import SurveyResponse

UK = ZoneInfo("Europe/London")
POSITIVE = {"very_satisfied", "fairly_satisfied", "strongly_agree", "agree", "yes"}


def nearest_rank(values: list[int], share: float) -> int | None:
    """The nearest-rank percentile: the value at rank ceil(share * n) of the sorted values."""
    return ranked(Counter(values), share)


Keys = Callable[[str], dict[str, Any]]
"""More to group closures by, given the way from a closure's row to its case (``"case__"`` or ``""``)."""


def closure_groups(landlord: Landlord, start: datetime | None, end: datetime | None, scope: Scope, close: time,
                   by: Keys = lambda case: {}) -> Iterator[tuple[dict[str, Any], _Group]]:  # fmt: skip
    """The closures from ``start`` to before ``end`` (None: no bound), with the cases closed before closures
    were kept, grouped by what the measures need: the UK days of the first report and of the closure,
    whether each was at or after the office's close, the reason and resolved, and ``by`` (two
    queries; at 100,000 closures a year, a few thousand groups)."""
    when = (Q(closed_at__gte=start) if start is not None else Q()) & (Q(closed_at__lt=end) if end is not None else Q())
    kept = Closure.objects.filter(when, scope.q("case__"), case__landlord=landlord)
    legacy = (
        Case.objects.filter(when, landlord=landlord, status=CaseStatus.CLOSED)
        .filter(scope.q())
        .filter(~Exists(Closure.objects.filter(case=OuterRef("pk"))))
    )
    for rows, case in ((kept, "case__"), (legacy, "")):
        opened = f"{case}opened_at"
        extra = by(case)
        grouped = (
            rows.order_by()
            .values(o_day=uk_day(opened), o_late=at_or_after(opened, close), c_day=uk_day("closed_at"),
                    c_late=at_or_after("closed_at", close), why=F("closure_reason"), ok=F("resolved"), **extra)
            .annotate(n=Count("pk"))
        )  # fmt: skip
        for g in grouped:
            group = _Group(g["o_day"], g["o_late"], g["c_day"], g["c_late"], g["why"], bool(g["ok"]), g["n"])
            yield {key: g[key] for key in extra}, group


@dataclass(frozen=True)
class _Group:
    opened_day: date
    opened_late: bool
    closed_day: date
    closed_late: bool
    reason: str
    resolved: bool
    n: int

    def add_to(self, tally: ClosureTally, calendar: WorkingCalendar) -> None:
        tally.reasons[self.reason] += self.n
        tally.resolved += self.n if self.resolved else 0
        tally.days[(self.closed_day - self.opened_day).days] += self.n
        working = calendar.working_days_between_days(self.opened_day, self.opened_late, self.closed_day,
                                                     self.closed_late)  # fmt: skip
        tally.working_days[working] += self.n


def closure_outcomes(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> ClosureOutcomes:
    """Closures from ``start`` to before ``end``: from the month summaries when they serve the
    period (two small queries), otherwise counted now (two queries)."""
    kept = summary_closures(landlord, start, end, scope)
    if kept is not None:
        return kept.outcomes(landlord)
    calendar = landlord_calendar(landlord)
    tally = ClosureTally.empty()
    for _, group in closure_groups(landlord, start, end, scope, calendar.office_close):
        group.add_to(tally, calendar)
    return tally.outcomes(landlord)


def _counted(rows: QuerySet[Any], field: str) -> Counter[str]:
    """How many rows have each value of ``field``, counted in the database."""
    return Counter(dict(rows.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n")))


def by_category(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> list[tuple[str, int, int]]:
    """(category label, opened, closed) for each category with either, most opened first (three queries)."""
    profile = landlord_profile(landlord)
    labels = {c.code: c.label for c in profile.categories}
    kept = summary_categories(landlord, start, end, scope)
    if kept is not None:
        opened, closed = kept
    else:
        opened = _counted(
            Case.objects.filter(scope.q(), landlord=landlord, opened_at__gte=start, opened_at__lt=end), "category"
        )
        closed = _counted(
            Closure.objects.filter(scope.q("case__"), case__landlord=landlord, closed_at__gte=start,
                                   closed_at__lt=end),
            "case__category",
        )  # fmt: skip
        closed.update(
            _counted(
                Case.objects.filter(landlord=landlord, status=CaseStatus.CLOSED, closed_at__gte=start,
                                    closed_at__lt=end)
                .filter(scope.q())
                .filter(~Exists(Closure.objects.filter(case=OuterRef("pk")))),
                "category",
            )
        )  # fmt: skip
    codes = sorted(set(opened) | set(closed), key=lambda c: (-opened[c], -closed[c], labels.get(c, c)))
    return [(labels.get(code, code), opened[code], closed[code]) for code in codes]


@dataclass(frozen=True)
class SurveyResult:
    code: str
    question: str
    answered: int
    positive: int

    @property
    def percent(self) -> float | None:
        return round(self.positive * 100 / self.answered, 1) if self.answered else None


def survey_results(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> list[SurveyResult]:
    """Each measured question of the profile's survey, in its order (one query)."""
    profile = landlord_profile(landlord)
    questions = [q for q in profile.survey.questions if q.measure]
    answered: Counter[str] = Counter()
    positive: Counter[str] = Counter()
    for answers in SurveyResponse.objects.filter(
        scope.q("case__"), landlord=landlord, answered_at__gte=start, answered_at__lt=end
    ).values_list("answers", flat=True):
        for question in questions:
            value = (answers or {}).get(question.code)
            if value:
                answered[question.code] += 1
                positive[question.code] += value in POSITIVE
    short = profile.landlord.short_name
    return [SurveyResult(q.code, q.wording(short), answered[q.code], positive[q.code]) for q in questions]
