"""Response times against target by tier (issue 9; emh 7.1 "service standards met", whg 3.4): for
the cases opened in a period, by the tier they are in now:

- **met**: first response (``Case.first_response_at``, the first contact with the reporter, emh
  4.2) at or before the response target (``response_due_at``, in the landlord's working time);
- **missed**: a first response after the target, or none and the target has passed;
- **waiting**: no first response yet and the target not yet passed (left out of the share met);
- **median hours**: the median time from the first report to the first response, in calendar hours,
  of those answered.

One query for the period, whatever the number of tiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

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


@dataclass
class _Tally:
    met: int = 0
    missed: int = 0
    waiting: int = 0
    hours: list[float] = field(default_factory=list)


def response_performance(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> list[TierResponses]:
    """Each tier of the profile (highest risk first) for the cases opened from ``start`` to before ``end``."""
    now = timezone.now()
    profile = landlord_profile(landlord)
    found: dict[str, _Tally] = {}
    rows = Case.objects.filter(scope.q(), landlord=landlord, opened_at__gte=start, opened_at__lt=end).values_list(
        "tier", "opened_at", "response_due_at", "first_response_at"
    )
    for tier, opened, due, answered in rows:
        tally = found.setdefault(tier, _Tally())
        if answered is not None:
            if answered <= due:
                tally.met += 1
            else:
                tally.missed += 1
            tally.hours.append((answered - opened).total_seconds() / 3600)
        elif due < now:
            tally.missed += 1
        else:
            tally.waiting += 1
    result = []
    for level in profile.tiers_by_rank:
        tally = found.get(level.id, _Tally())
        typical = round(median(tally.hours), 1) if tally.hours else None
        result.append(TierResponses(level.id, level.label, tally.met, tally.missed, tally.waiting, typical))
    return result
