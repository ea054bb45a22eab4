"""Keeping a large landlord's month summaries (issue 9, ADR 0012; read by ``selectors.summary``).

``summary_ask`` is called when a manager opens the dashboard: when the landlord has at least
``HAVEN_INSIGHT_SUMMARY_FROM`` cases and its summaries are missing or more than half
``HAVEN_INSIGHT_SUMMARY_MINUTES`` old, it asks the worker for new ones (once: a request is not made
again while one is waiting, unless it has waited longer than the summaries may be used).
``summary_refresh`` (run by ``summary_refresh_task``) works the summaries out again from every case
of the landlord (four grouped queries, seconds at 200,000 cases) and replaces them in one transaction.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_calendar
from haven.cases.models import Case, Closure
from haven.insights.models import MonthSummary, SummaryState
from haven.insights.selectors.outcomes import closure_groups
from haven.insights.selectors.scope import ALL
from haven.insights.selectors.tally import ClosureTally

logger = logging.getLogger(__name__)
UK = ZoneInfo("Europe/London")


def summary_ask(landlord: Landlord) -> bool:
    """Ask the worker for new month summaries of the landlord when they are due (see the module);
    True when asked. At most three small queries."""
    now = timezone.now()
    minutes = settings.HAVEN_INSIGHT_SUMMARY_MINUTES
    state = SummaryState.objects.filter(landlord=landlord).first()
    computed = state.computed_at if state is not None else None
    requested = state.requested_at if state is not None else None
    if computed is not None and computed >= now - timedelta(minutes=minutes / 2):
        return False
    waiting = requested is not None and (computed is None or requested > computed)
    if waiting and requested is not None and requested >= now - timedelta(minutes=minutes):
        return False
    threshold = settings.HAVEN_INSIGHT_SUMMARY_FROM
    if Case.objects.filter(landlord=landlord).order_by()[:threshold].count() < threshold and threshold > 0:
        return False
    SummaryState.objects.update_or_create(landlord=landlord, defaults={"requested_at": now})
    from haven.insights.tasks import summary_refresh_task

    summary_refresh_task.enqueue(landlord_id=landlord.pk)
    return True


@dataclass
class _Month:
    opened: int = 0
    reopened: int = 0
    opened_by_category: Counter[str] = field(default_factory=Counter)
    closed_by_category: Counter[str] = field(default_factory=Counter)
    tally: ClosureTally = field(default_factory=ClosureTally.empty)

    def row(self, landlord: Landlord, key: tuple[date, int | None, int | None]) -> MonthSummary:
        t = self.tally
        return MonthSummary(
            landlord=landlord, month=key[0], team_id=key[1], patch_id=key[2], opened=self.opened,
            closed=sum(t.reasons.values()), reopened=self.reopened, resolved=t.resolved,
            opened_by_category=dict(self.opened_by_category), closed_by_category=dict(self.closed_by_category),
            closed_by_reason=dict(t.reasons), days={str(d): n for d, n in sorted(t.days.items())},
            working_days={str(d): n for d, n in sorted(t.working_days.items())},
        )  # fmt: skip


def _first(month: Any) -> date:
    day = month.astimezone(UK).date() if isinstance(month, datetime) else month
    return day.replace(day=1)


def summary_refresh(*, landlord_id: int) -> SummaryState:
    """Work the landlord's month summaries out again from all its cases and replace them."""
    landlord = Landlord.objects.get(pk=landlord_id)
    began, clock = timezone.now(), perf_counter()
    calendar = landlord_calendar(landlord)
    months: dict[tuple[date, int | None, int | None], _Month] = {}

    def at(month: Any, team: int | None, patch: int | None) -> _Month:
        return months.setdefault((_first(month), team, patch), _Month())

    opened = (
        Case.objects.filter(landlord=landlord).order_by()
        .values_list(TruncMonth("opened_at", tzinfo=UK), "team_id", "patch_id", "category").annotate(n=Count("pk"))
    )  # fmt: skip
    cases = 0
    for month, team, patch, category, n in opened:
        found = at(month, team, patch)
        found.opened += n
        found.opened_by_category[category] += n
        cases += n
    closures = closure_groups(landlord, None, None, ALL, calendar.office_close, by=lambda case: {
        "s_month": TruncMonth("closed_at", tzinfo=UK), "s_team": F(f"{case}team_id"),
        "s_patch": F(f"{case}patch_id"), "s_category": F(f"{case}category")})  # fmt: skip
    for keys, group in closures:  # (the keys' names must not be fields of Case)
        found = at(keys["s_month"], keys["s_team"], keys["s_patch"])
        found.closed_by_category[keys["s_category"]] += group.n
        group.add_to(found.tally, calendar)
    reopened = (
        Closure.objects.filter(case__landlord=landlord, reopened_at__isnull=False).order_by()
        .values_list(TruncMonth("reopened_at", tzinfo=UK), "case__team_id", "case__patch_id").annotate(n=Count("pk"))
    )  # fmt: skip
    for month, team, patch, n in reopened:
        at(month, team, patch).reopened += n
    SummaryState.objects.get_or_create(landlord=landlord)
    with transaction.atomic():
        # The state's row is locked first, so a second refresh at the same moment waits and then
        # replaces these rows rather than adding its own beside them.
        state = SummaryState.objects.select_for_update().get(landlord=landlord)
        MonthSummary.objects.filter(landlord=landlord).delete()
        MonthSummary.objects.bulk_create([found.row(landlord, key) for key, found in months.items()], batch_size=500)
        state.computed_at, state.cases, state.seconds = began, cases, round(perf_counter() - clock, 3)
        state.save(update_fields=["computed_at", "cases", "seconds"])
    logger.info("month summaries of landlord %s: %s rows in %.1f s", landlord.pk, len(months), state.seconds)
    return state
