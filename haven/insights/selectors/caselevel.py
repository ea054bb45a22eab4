"""Case-level data for benchmarking returns (issue 9; whg 3.2 "benchmark our performance against
similar landlords"; emh 7.2 HouseMark): one row per case opened or closed in the period, with what a
benchmarking club asks of each case and nothing that identifies a person: no names, addresses,
postcodes, descriptions or notes. The case reference stays so that a return can be checked against
Haven.

- ``response``: "met" when the first response came by ``response_due_at``, "missed" when it came
  later or has not come and the target has passed, "waiting" otherwise (as ``response_performance``);
- ``days_to_resolve`` / ``working_days_to_resolve``: from the first report (``opened_at``) to the
  case's latest closure, in UK calendar days and in the landlord's working days (as
  ``closure_outcomes``); blank while open;
- ``legal_actions``: how many legal actions the case has had (interventions.LegalAction);
- ``tp12``: the reporter's answer to TP12 in the case's latest survey, blank when none.

Rows come in case order from one query, streamed (``iterator``), so an export of a large landlord
does not hold every case in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.cases.models import Case
from haven.insights.selectors.scope import ALL, Scope
from haven.interventions.models import LegalAction
from haven.reviews.models import SurveyResponse

UK = ZoneInfo("Europe/London")
COLUMNS = (
    "reference", "opened_on", "category", "category_label", "tier", "hate", "hate_strands", "team", "patch",
    "status", "response_due", "first_response", "response", "closed_on", "closure_reason", "resolved",
    "days_to_resolve", "working_days_to_resolve", "legal_actions", "tp12",
)  # fmt: skip


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def case_rows(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> Iterator[list[object]]:
    """One list of ``COLUMNS`` values per case opened or closed in [start, end), oldest first."""
    profile = landlord_profile(landlord)
    calendar = landlord_calendar(landlord)
    labels = {c.code: c.label for c in profile.categories}
    now = timezone.now()
    latest_tp12 = SurveyResponse.objects.filter(case=OuterRef("pk")).order_by("-answered_at").values("tp12")[:1]
    legal = LegalAction.objects.filter(case=OuterRef("pk")).values("case").annotate(n=Count("pk")).values("n")
    cases = (
        Case.objects.filter(scope.q(), landlord=landlord)
        .filter(Q(opened_at__gte=start, opened_at__lt=end) | Q(closed_at__gte=start, closed_at__lt=end))
        .annotate(tp12_answer=Subquery(latest_tp12), legal_count=Subquery(legal))
        .order_by("opened_at", "pk")
        .values_list(
            "reference", "opened_at", "category", "tier", "flags", "hate_strands", "team__name", "patch__name",
            "status", "response_due_at", "first_response_at", "closed_at", "closure_reason", "resolved",
            "legal_count", "tp12_answer",
        )
    )  # fmt: skip
    for (reference, opened, category, tier, flags, strands, team, patch, status, due, first, closed, reason,
         resolved, legal_count, tp12) in cases.iterator(chunk_size=2000):  # fmt: skip
        response = ("met" if first <= due else "missed") if first is not None else "missed" if due < now else "waiting"
        days = working = None
        if closed is not None:
            days = (closed.astimezone(UK).date() - opened.astimezone(UK).date()).days
            working = calendar.working_days_between(opened, closed)
        yield [
            reference, opened.astimezone(UK).date().isoformat(), category, labels.get(category, category), tier,
            _yes_no("hate" in (flags or [])), " ".join(strands or []), team or "", patch or "", status,
            due.astimezone(UK).isoformat(timespec="minutes"),
            first.astimezone(UK).isoformat(timespec="minutes") if first else "", response,
            closed.astimezone(UK).date().isoformat() if closed else "", reason, _yes_no(resolved),
            "" if days is None else days, "" if working is None else working, legal_count or 0, tp12 or "",
        ]  # fmt: skip
