"""Response times against target by tier (issue 9; emh 7.1 "service standards met", whg 3.4): for
the cases opened in a period, by the tier they are in now:

- **met**: first response (``Case.first_response_at``, the first contact with the reporter, emh
  4.2) at or before the response target (``response_due_at``, in the landlord's working time);
- **missed**: a first response after the target, or none and the target has passed;
- **waiting**: no first response yet and the target not yet passed (left out of the share met);
- **median hours**: the median time from the first report to the first response, in calendar hours,
  of those answered.

Counted in the database for the period, whatever the number of tiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from django.db import connection
from django.db.models import Aggregate, Count, ExpressionWrapper, F, FloatField, Q
from django.db.models.functions import Extract
from django.utils import timezone

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case
from haven.insights.selectors.scope import ALL, Scope


@dataclass(frozen=True)
class TierResponses:
    tier: str
    label: str
    met: int
    missed: int
    waiting: int
    median_hours: float | None

    @property
    def share_met(self) -> float | None:
        """Met over met and missed, as a percentage to one place; None when none is decided."""
        decided = self.met + self.missed
        return round(self.met * 100 / decided, 1) if decided else None


class _Median(Aggregate):
    """PostgreSQL's interpolated median (the same value as ``statistics.median``)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def response_performance(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> list[TierResponses]:
    """Each tier of the profile (highest risk first) for the cases opened from ``start`` to before ``end``.

    Counted in the database, grouped by tier (one query); on PostgreSQL the median too, elsewhere
    from the answered cases' times (a second query).
    """
    now = timezone.now()
    profile = landlord_profile(landlord)
    cases = Case.objects.filter(scope.q(), landlord=landlord, opened_at__gte=start, opened_at__lt=end).order_by()
    answered = Q(first_response_at__isnull=False)
    hours = ExpressionWrapper(Extract(F("first_response_at") - F("opened_at"), "epoch") / 3600.0, FloatField())
    counts: dict[str, Aggregate] = {
        "met": Count("pk", filter=answered & Q(first_response_at__lte=F("response_due_at"))),
        "missed": Count("pk", filter=(answered & Q(first_response_at__gt=F("response_due_at")))
                        | (Q(first_response_at__isnull=True) & Q(response_due_at__lt=now))),
        "waiting": Count("pk", filter=Q(first_response_at__isnull=True) & Q(response_due_at__gte=now)),
    }  # fmt: skip
    on_postgres = connection.vendor == "postgresql"
    if on_postgres:
        counts["median"] = _Median(hours, filter=answered)
    found = {row["tier"]: row for row in cases.values("tier").annotate(**counts)}
    medians: dict[str, float | None] = {tier: row.get("median") for tier, row in found.items()}
    if not on_postgres:
        spans: dict[str, list[float]] = {}
        for tier, opened, first in cases.filter(answered).values_list("tier", "opened_at", "first_response_at"):
            if first is not None:
                spans.setdefault(tier, []).append((first - opened).total_seconds() / 3600)
        medians = {tier: median(values) for tier, values in spans.items()}
    result = []
    for level in profile.tiers_by_rank:
        row = found.get(level.id, {})
        typical = medians.get(level.id)
        rounded = round(typical, 1) if typical is not None else None
        result.append(TierResponses(level.id, level.label, row.get("met", 0), row.get("missed", 0),
                                    row.get("waiting", 0), rounded))  # fmt: skip
    return result
