"""Measures added up from counts (issue 9): a median and a percentile from how many records took each
value, and the closures' tally, so the figures counted now and those read from the month summaries
(``selectors.summary``) come from one rule."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_profile


def _at(times: Counter[int], index: int) -> int:
    """The value at ``index`` (from 0) of the sorted values that ``times`` counts."""
    seen = 0
    for value in sorted(times):
        seen += times[value]
        if index < seen:
            return value
    raise IndexError(index)


def ranked(times: Counter[int], share: float) -> int | None:
    """``nearest_rank`` of the values that ``times`` counts (value: how many took it)."""
    n = sum(times.values())
    return _at(times, max(math.ceil(share * n), 1) - 1) if n else None


def middle(times: Counter[int]) -> float | None:
    """The median of the values that ``times`` counts: the middle one, or the mean of the two middle
    ones (the same value as ``statistics.median`` of them all)."""
    n = sum(times.values())
    if not n:
        return None
    return float(_at(times, n // 2)) if n % 2 else (_at(times, n // 2 - 1) + _at(times, n // 2)) / 2


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


@dataclass
class ClosureTally:
    """What the closure measures need, added up: the closures by reason, how many were resolved, and
    how many took each number of calendar and working days (kept like this in a month summary too)."""

    reasons: Counter[str]
    resolved: int
    days: Counter[int]
    working_days: Counter[int]

    @classmethod
    def empty(cls) -> ClosureTally:
        return cls(Counter(), 0, Counter(), Counter())

    def outcomes(self, landlord: Landlord) -> ClosureOutcomes:
        profile = landlord_profile(landlord)
        closed = sum(self.reasons.values())
        return ClosureOutcomes(
            closed=closed, resolved=self.resolved, unresolved=closed - self.resolved,
            by_reason=[(profile.closure.reason_label(code), n) for code, n in self.reasons.most_common()],
            median_days=middle(self.days), p90_days=ranked(self.days, 0.9),
            median_working_days=middle(self.working_days), p90_working_days=ranked(self.working_days, 0.9),
        )  # fmt: skip


