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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.cases.models import OPEN_STATUSES, ActionPlan, Case, Closure, ContactPlan, Incident, RiskAssessment
from haven.common.working_time import TimeUnit, WorkingCalendar
from haven.insights.selectors.scope import ALL, Scope
from haven.interventions.models import LegalAction, ProportionalityAssessment
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


def compliance_audit(landlord: Landlord, start: datetime, end: datetime, scope: Scope = ALL) -> list[Line]:
    """The eight lines for the period from ``start`` to before ``end`` (one or two queries a line)."""
    now = timezone.now()
    profile = landlord_profile(landlord)
    calendar = _MemoCalendar(landlord_calendar(landlord))
    casework = profile.casework
    opened = Case.objects.filter(scope.q(), landlord=landlord, opened_at__gte=start, opened_at__lt=end)

    responded = Line("responded", "Reports responded to within the target", "emh 4.2; whg 2.5")
    for ref, due, answered in opened.values_list("reference", "response_due_at", "first_response_at"):
        responded.add(ref, _judge(answered, due, now))

    risk = Line("full_risk", f"Full risk assessment within {casework.full_risk_within}", "emh 4.4")
    first_risk = RiskAssessment.objects.filter(case=OuterRef("pk")).order_by("assessed_at").values("assessed_at")[:1]
    within = casework.full_risk_within
    for ref, at, assessed in opened.annotate(first=first_risk).values_list("reference", "opened_at", "first"):
        risk.add(ref, _judge(assessed, calendar.due_at(at, within.amount, within.unit), now))

    plan = Line("action_plan", f"Action plan agreed within {casework.action_plan_within}", "Livv Case Management")
    agreed = ActionPlan.objects.filter(case=OuterRef("pk")).values("agreed_on")[:1]
    for ref, plan_due, on in opened.annotate(on=agreed).values_list("reference", "action_plan_due_at", "on"):
        if plan_due is None:
            continue
        due_day = timezone.localtime(plan_due).date()
        decided = plan_due < now or on is not None
        plan.add(ref, True if on is not None and on <= due_day else (False if decided else None))

    contact = Line("contact_plan", "Contact kept to the agreed plan (as it stands now)", "whg 2.5")
    planned = (
        Case.objects.filter(scope.q(), landlord=landlord, opened_at__lt=end)
        .filter(Exists(ContactPlan.objects.filter(case=OuterRef("pk"))))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start) | Q(status__in=OPEN_STATUSES))
    )
    for ref, status, next_due in planned.values_list("reference", "status", "next_contact_due_at"):
        contact.add(ref, status not in OPEN_STATUSES or next_due is None or next_due >= now)

    reviews = Line("reviews", "Case reviews held by the date due", "WWH 5.0")
    for ref, held, review_due in Review.objects.filter(
        scope.q("case__"), case__landlord=landlord, held_at__gte=start, held_at__lt=end
    ).values_list("case__reference", "held_at", "due_at"):
        reviews.add(ref, review_due is None or held <= review_due)

    legal = Line("proportionality", "Legal actions assessed for proportionality before they progressed",
                 "emh 4.9; pnp 5.6.3")  # fmt: skip
    assessed = Exists(ProportionalityAssessment.objects.filter(legal_action=OuterRef("pk")))
    actions = LegalAction.objects.filter(
        scope.q("case__"),
        case__landlord=landlord, started_on__gte=timezone.localtime(start).date(),
        started_on__lt=timezone.localtime(end).date(),
    ).exclude(stage="considering").annotate(ok=assessed)  # fmt: skip
    for ref, ok in actions.values_list("case__reference", "ok"):
        legal.add(ref, bool(ok))

    survey = Line("survey_offered", "Closures with the satisfaction survey offered", "whg 3.3")
    invited = Exists(SurveyInvitation.objects.filter(closure=OuterRef("pk")))
    answered_q = Exists(SurveyResponse.objects.filter(closure=OuterRef("pk")))
    closures = Closure.objects.filter(
        scope.q("case__"), case__landlord=landlord, closed_at__gte=start, closed_at__lt=end
    )
    for ref, a, b in closures.annotate(a=invited, b=answered_q).values_list("case__reference", "a", "b"):
        survey.add(ref, bool(a or b))

    evidence = Line("evidence", f"Evidence reviewed within {casework.evidence_review_within}", "whg 2.8; emh 4.3")
    late = casework.evidence_review_within
    for ref, at, reviewed in Incident.objects.filter(
        scope.q("case__"), case__landlord=landlord, created_at__gte=start, created_at__lt=end
    ).values_list("case__reference", "created_at", "reviewed_at"):
        evidence.add(ref, _judge(reviewed, calendar.due_at(at, late.amount, late.unit), now))

    return [responded, risk, plan, contact, reviews, legal, survey, evidence]
