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

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, QuerySet

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.cases.models import Case, CaseStatus, Closure
from haven.insights.selectors.local import at_or_after, uk_day
from haven.insights.selectors.scope import ALL, Scope
from haven.reviews.models import SurveyResponse

UK = ZoneInfo("Europe/London")
POSITIVE = {"very_satisfied", "fairly_satisfied", "strongly_agree", "agree", "yes"}


def nearest_rank(values: list[int], share: float) -> int | None:
    """The nearest-rank percentile: the value at rank ceil(share * n) of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


@dataclass(frozen=True)
class ClosureOutcomes:
    closed: int
    resolved: int
    unresolved: int
    by_reason: list[tuple[str, int]]
    median_days: float | None
    p90_days: int | None
    median_working_days: float | None
    p90_working_days: int | None


def _closures(landlord: Landlord, start: datetime, end: datetime, scope: Scope, close: time) -> list[_Group]:
    """The period's closures (with pre-closure-history cases) grouped by what the measures need: the
    UK days of the first report and of the closure, whether each was at or after the office's close,
    the reason and resolved (two queries; at 100,000 closures a year, a few thousand groups)."""
    kept = Closure.objects.filter(
        scope.q("case__"), case__landlord=landlord, closed_at__gte=start, closed_at__lt=end
    )
    legacy = (
        Case.objects.filter(landlord=landlord, status=CaseStatus.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .filter(scope.q())
        .filter(~Exists(Closure.objects.filter(case=OuterRef("pk"))))
    )
    groups: list[_Group] = []
    for rows, opened in ((kept, "case__opened_at"), (legacy, "opened_at")):
        grouped = (
            rows.order_by()
            .values(o_day=uk_day(opened), o_late=at_or_after(opened, close), c_day=uk_day("closed_at"),
                    c_late=at_or_after("closed_at", close), why=F("closure_reason"), ok=F("resolved"))
            .annotate(n=Count("pk"))
        )  # fmt: skip
        groups += [_Group(g["o_day"], g["o_late"], g["c_day"], g["c_late"], g["why"], bool(g["ok"]), g["n"])
                   for g in grouped]  # fmt: skip
    return groups


@dataclass(frozen=True)
class _Group:
    opened_day: date
    opened_late: bool
    closed_day: date
    closed_late: bool
    reason: str
    resolved: bool
    n: int


def closure_outcomes(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> ClosureOutcomes:
    """Closures from ``start`` to before ``end`` (two queries)."""
    profile = landlord_profile(landlord)
    calendar = landlord_calendar(landlord)
    groups = _closures(landlord, start, end, scope, calendar.office_close)
    days: list[int] = []
    working: list[int] = []
    reasons: Counter[str] = Counter()
    resolved = 0
    for g in groups:
        days += [(g.closed_day - g.opened_day).days] * g.n
        working += [calendar.working_days_between_days(g.opened_day, g.opened_late, g.closed_day, g.closed_late)] * g.n
        reasons[g.reason] += g.n
        resolved += g.n if g.resolved else 0
    return ClosureOutcomes(
        closed=len(days), resolved=resolved, unresolved=len(days) - resolved,
        by_reason=[(profile.closure.reason_label(code), n) for code, n in reasons.most_common()],
        median_days=float(median(days)) if days else None, p90_days=nearest_rank(days, 0.9),
        median_working_days=float(median(working)) if working else None, p90_working_days=nearest_rank(working, 0.9),
    )  # fmt: skip


def _counted(rows: QuerySet[Any], field: str) -> Counter[str]:
    """How many rows have each value of ``field``, counted in the database."""
    return Counter(dict(rows.order_by().values_list(field).annotate(n=Count("pk")).values_list(field, "n")))


def by_category(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> list[tuple[str, int, int]]:
    """(category label, opened, closed) for each category with either, most opened first (three queries)."""
    profile = landlord_profile(landlord)
    labels = {c.code: c.label for c in profile.categories}
    opened = _counted(
        Case.objects.filter(scope.q(), landlord=landlord, opened_at__gte=start, opened_at__lt=end), "category"
    )
    closed = _counted(
        Closure.objects.filter(scope.q("case__"), case__landlord=landlord, closed_at__gte=start, closed_at__lt=end),
        "case__category",
    )
    closed.update(
        _counted(
            Case.objects.filter(landlord=landlord, status=CaseStatus.CLOSED, closed_at__gte=start, closed_at__lt=end)
            .filter(scope.q())
            .filter(~Exists(Closure.objects.filter(case=OuterRef("pk")))),
            "category",
        )
    )
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
