"""The policy compliance audit (issue 9; whg 3.4: "audits of compliance with this policy"), for any
period. Each line is a rule of the landlord's profile, the records it was checked against, how many
met it, and the cases that fall short (the drill-down). A record whose deadline has not come yet and
that has not met it is not counted either way.

1. **Responded within target** (emh 4.2; whg 2.5): cases opened in the period; met when the first
   response (the first contact with the reporter) was at or before ``response_due_at``.
2. **Full risk assessment in time** (emh 4.4; ``casework.full_risk_within``): cases opened in the
   period; met when an assessment was recorded by the deadline (working time from the first report).
3. **Action plan agreed in time** (Livv "Case Management"; ``casework.action_plan_within``): cases
   opened in the period; met when the plan was agreed on or before the day it was due.
4. **Contact kept to the agreed plan** (whg 2.5): cases with a contact plan, open at any time in the
   period; met when, now, the next update is not overdue (or the case is closed).
5. **Reviews on time** (WWH 5.0): reviews held in the period; met when held by the date due.
6. **Proportionality before legal action progressed** (emh 4.9; pnp 5.6.3): legal actions past
   "considering" started in the period; met when a proportionality assessment is recorded.
7. **Survey offered at closure** (whg 3.3): closures in the period; met when the reporter was
   invited or their answers were recorded.
8. **Evidence reviewed in time** (``casework.evidence_review_within``): incidents recorded in the
   period; met when an officer reviewed them by the deadline (working time from receipt).

Every line is counted in the database (issue 9: hundreds of thousands of records a year at a large
landlord). The two deadlines Haven does not store (2 and 8) are in working days, which depend only on
the UK day a record arrived and whether it was after the office's close; the records are counted in
groups of those and of the UK day the deadline was met, and each group's deadline is worked out once.
The drill-down lists the first ``SHOWN`` cases that fall short, by reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.cases.models import OPEN_STATUSES, ActionPlan, Case, Closure, ContactPlan, Incident, RiskAssessment
from haven.common.working_time import TimeUnit, WorkingCalendar
from haven.insights.selectors.local import at_or_after, day_and_after, day_and_after_read, uk_day
from haven.insights.selectors.scope import ALL, Scope
from haven.interventions.models import LegalAction, ProportionalityAssessment
from haven.policies.types import Duration
from haven.reviews.models import Review, SurveyInvitation, SurveyResponse

UK = ZoneInfo("Europe/London")
SHOWN = 50  # the drill-down lists at most this many cases a line; the count is of all


@dataclass
class Line:
    code: str
    label: str
    source: str
    checked: int = 0
    met: int = 0
    short: list[str] = field(default_factory=list)  # case references, at most SHOWN
    short_count: int = 0

    def add(self, reference: str, ok: bool | None) -> None:
        """``ok`` None: not due yet, left out."""
        if ok is None:
            return
        self.checked += 1
        if ok:
            self.met += 1
            return
        self.short_count += 1
        if len(self.short) < SHOWN and reference not in self.short:
            self.short.append(reference)

    @property
    def percent(self) -> float | None:
        return round(self.met * 100 / self.checked, 1) if self.checked else None


def _judge(met_at: datetime | None, due: datetime, now: datetime) -> bool | None:
    if met_at is not None and met_at <= due:
        return True
    return False if due < now else None


class _MemoCalendar:
    """The landlord's calendar with ``due_at`` remembered for working-day deadlines: those depend only
    on the day of deemed receipt, so one sum serves every record received on the same day before or
    after the close of business (hundreds of thousands of records a year at scale)."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self.known: dict[tuple[date, bool, int], datetime] = {}

    def due_at(self, at: datetime, amount: int, unit: TimeUnit) -> datetime:
        if unit != TimeUnit.WORKING_DAYS:
            return self.calendar.due_at(at, amount, unit)
        local = at.astimezone(UK)
        key = (local.date(), local.time() >= self.calendar.office_close, amount)
        if key not in self.known:
            self.known[key] = self.calendar.due_at(at, amount, unit)
        return self.known[key]


def _tally(line: Line, rows: QuerySet[Any], met: Q, short: Q, reference: str) -> None:
    """Count ``rows`` meeting the rule and falling short of it (one query) and list the first cases
    that fall short (a second, only when some do). Rows in neither are not due yet."""
    found = rows.order_by().aggregate(met=Count("pk", filter=met), short=Count("pk", filter=short))
    line.checked += found["met"] + found["short"]
    line.met += found["met"]
    line.short_count += found["short"]
    if found["short"]:
        line.short = _references(rows.filter(short), reference)


def _references(rows: QuerySet[Any], reference: str) -> list[str]:
    return list(rows.order_by(reference).values_list(reference, flat=True).distinct()[:SHOWN])


def _deadline(line: Line, rows: QuerySet[Any], received: str, met: Any, met_key: Any, met_at: str, reference: str,
              within: Duration, calendar: _MemoCalendar, now: datetime) -> None:  # fmt: skip
    """Met when the moment ``met`` (an expression over ``rows``, such as a subquery for the first
    assessment; ``met_at`` names it) is at or before ``within`` of working time from ``received``;
    ``met_key`` is ``day_and_after`` of it against the office's close (for a subquery, worked out in
    it so that it is worked out once a row).

    In working days the deadline is the office's close on a day that depends only on the UK day of
    receipt and whether it was after the close, so the rows are counted in groups of those and of
    ``met`` as its UK day and whether after the close (``day_and_after``, one value so a subquery is
    worked out once a row): one query, a few thousand groups a year. Then the cases short in the first
    groups that fall short are listed (one more query, narrowed to those days). Other units are
    judged a record at a time.
    """
    close = calendar.calendar.office_close
    rows = rows.annotate(**{met_at: met})
    if within.unit != TimeUnit.WORKING_DAYS:
        for ref, at, done in rows.values_list(reference, received, met_at):
            line.add(ref, _judge(done, calendar.due_at(at, within.amount, within.unit), now))
        return
    groups = (
        rows.order_by()
        .values(met_key=met_key, r_day=uk_day(received), r_late=at_or_after(received, close))
        .annotate(n=Count("pk"))
    )  # fmt: skip
    short_segments: list[tuple[datetime, datetime, datetime]] = []
    for g in groups:
        day, late = g["r_day"], bool(g["r_late"])
        start = datetime.combine(day, close if late else time(0), tzinfo=UK)
        due = calendar.due_at(start, within.amount, within.unit)
        due_day = due.astimezone(UK).date()
        met_day, met_after = day_and_after_read(g["met_key"])
        if met_day is not None and (met_day < due_day or (met_day == due_day and not met_after)):
            line.checked += g["n"]
            line.met += g["n"]
        elif due < now:
            line.checked += g["n"]
            line.short_count += g["n"]
            end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=UK) if late else datetime.combine(
                day, close, tzinfo=UK)  # fmt: skip
            short_segments.append((start, end, due))
    if not short_segments:
        return
    first = sorted(short_segments)[:SHOWN]
    wanted = Q(pk__in=[])
    for start, end, due in first:
        wanted |= Q(**{f"{received}__gte": start, f"{received}__lt": end}) & (
            Q(**{f"{met_at}__isnull": True}) | Q(**{f"{met_at}__gt": due})
        )
    window = Q(**{f"{received}__gte": first[0][0], f"{received}__lt": max(end for _, end, _ in first)})
    line.short = _references(rows.filter(window).filter(wanted), reference)


def compliance_audit(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> list[Line]:
    """The eight lines for the period from ``start`` to before ``end`` (one to three queries a line)."""
    now = timezone.now()
    profile = landlord_profile(landlord)
    calendar = _MemoCalendar(landlord_calendar(landlord))
    casework = profile.casework
    opened = Case.objects.filter(scope.q(), landlord=landlord, opened_at__gte=start, opened_at__lt=end)

    responded = Line("responded", "Reports responded to within the target", "emh 4.2; whg 2.5")
    in_time = Q(first_response_at__isnull=False, first_response_at__lte=F("response_due_at"))
    _tally(responded, opened, in_time, ~in_time & Q(response_due_at__lt=now), "reference")

    risk = Line("full_risk", f"Full risk assessment within {casework.full_risk_within}", "emh 4.4")
    close = calendar.calendar.office_close
    assessments = RiskAssessment.objects.filter(case=OuterRef("pk")).order_by("assessed_at")
    first_risk = Subquery(assessments.values("assessed_at")[:1])
    first_key = Subquery(assessments.annotate(k=day_and_after("assessed_at", close)).values("k")[:1])
    _deadline(risk, opened, "opened_at", first_risk, first_key, "first_risk", "reference", casework.full_risk_within,
              calendar, now)  # fmt: skip

    plan = Line("action_plan", f"Action plan agreed within {casework.action_plan_within}", "Livv Case Management")
    plans = opened.filter(action_plan_due_at__isnull=False)
    agreed = ActionPlan.objects.filter(case=OuterRef("pk"))  # one a case
    on_time = Q(
        Exists(
            agreed.filter(
                agreed_on__lte=TruncDate(
                    ExpressionWrapper(OuterRef("action_plan_due_at"), output_field=DateTimeField()), tzinfo=UK
                )
            )
        )
    )
    _tally(plan, plans, on_time, ~on_time & (Q(action_plan_due_at__lt=now) | Q(Exists(agreed))), "reference")

    contact = Line("contact_plan", "Contact kept to the agreed plan (as it stands now)", "whg 2.5")
    planned = (
        Case.objects.filter(scope.q(), landlord=landlord, opened_at__lt=end)
        .filter(Exists(ContactPlan.objects.filter(case=OuterRef("pk"))))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start) | Q(status__in=OPEN_STATUSES))
    )
    kept = ~Q(status__in=OPEN_STATUSES) | Q(next_contact_due_at__isnull=True) | Q(next_contact_due_at__gte=now)
    _tally(contact, planned, kept, ~kept, "reference")

    reviews = Line("reviews", "Case reviews held by the date due", "WWH 5.0")
    held = Review.objects.filter(scope.q("case__"), case__landlord=landlord, held_at__gte=start, held_at__lt=end)
    on_time = Q(due_at__isnull=True) | Q(held_at__lte=F("due_at"))
    _tally(reviews, held, on_time, ~on_time, "case__reference")

    legal = Line("proportionality", "Legal actions assessed for proportionality before they progressed",
                 "emh 4.9; pnp 5.6.3")  # fmt: skip
    actions = LegalAction.objects.filter(
        scope.q("case__"),
        case__landlord=landlord, started_on__gte=timezone.localtime(start).date(),
        started_on__lt=timezone.localtime(end).date(),
    ).exclude(stage="considering")  # fmt: skip
    assessed = Q(Exists(ProportionalityAssessment.objects.filter(legal_action=OuterRef("pk"))))
    _tally(legal, actions, assessed, ~assessed, "case__reference")

    survey = Line("survey_offered", "Closures with the satisfaction survey offered", "whg 3.3")
    offered = Q(Exists(SurveyInvitation.objects.filter(closure=OuterRef("pk")))) | Q(
        Exists(SurveyResponse.objects.filter(closure=OuterRef("pk")))
    )
    closures = Closure.objects.filter(
        scope.q("case__"), case__landlord=landlord, closed_at__gte=start, closed_at__lt=end
    )
    _tally(survey, closures, offered, ~offered, "case__reference")

    evidence = Line("evidence", f"Evidence reviewed within {casework.evidence_review_within}", "whg 2.8; emh 4.3")
    incidents = Incident.objects.filter(
        scope.q("case__"), case__landlord=landlord, created_at__gte=start, created_at__lt=end
    )
    _deadline(evidence, incidents, "created_at", F("reviewed_at"), day_and_after("reviewed_at", close), "reviewed",
              "case__reference", casework.evidence_review_within, calendar, now)  # fmt: skip

    return [responded, risk, plan, contact, reviews, legal, survey, evidence]
