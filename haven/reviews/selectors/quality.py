"""Reads for casework quality reviews (whg 3.5) and persistent reports of matters already
explained as not ASB (emh 7.8).

- **The sample** (whg 3.5) is *seeded random*: the cases of the landlord the manager may see that
  were closed or had work recorded in the period are put in the order of a hash of the sample's
  label and each case's id, and the first ``quality_review.sample_size`` are the sample. The same
  label over the same period gives the same cases, so a sample can be re-drawn, checked by an
  auditor and worked through over several days; a new label gives a new draw. A case
  quality-reviewed in another sample in the last 12 months is left out.
- **Persistent reports** (emh 7.8): a reporter is surfaced when ``persistent_reports.count`` or
  more of their reports triaged as not ASB were received within ``persistent_reports.within``
  calendar days: a report counts while today is no more than that many days after the day it was
  received (182: a report received 182 days ago counts, one received 183 days ago does not).
  Once a manager has decided, the reporter is not surfaced again until a report no decision has
  counted yet arrives (and the count is still reached).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from haven.accounts.models import Landlord, Role, User
from haven.accounts.permissions import is_landlord_staff
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case
from haven.cases.selectors import cases_for_user
from haven.intake.models import Report, ReportStatus
from haven.reviews.models import PersistentReportDecision, QualityReview

QUALITY_AGAIN_AFTER = timedelta(days=365)  # whg 3.5: a case reviewed in the last 12 months is not sampled again
DEFAULT_PERIOD_DAYS = 91  # the sample's default period: about the last three months


def may_quality_review(user: User) -> bool:
    """The casework quality review is a team manager's (whg 3.5)."""
    return is_landlord_staff(user) and user.role == Role.MANAGER


def may_decide_persistent(user: User) -> bool:
    """Team managers and ASB specialists see and decide on persistent reports (emh 7.8)."""
    return is_landlord_staff(user) and user.role in (Role.MANAGER, Role.SPECIALIST)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# ---- the casework quality review (whg 3.5) --------------------------------------------------------


def default_sample_label(today: date) -> str:
    """A sample a month: "2026-12"."""
    return f"{today:%Y-%m}"


def _draw_order(label: str, case_id: int) -> str:
    return hashlib.sha256(f"{label}:{case_id}".encode()).hexdigest()


@dataclass
class SampleRow:
    case: Case
    review: QualityReview | None  # the case's review in this sample, once scored


@dataclass
class Sample:
    label: str
    period_from: date
    period_to: date
    size: int
    rows: list[SampleRow]

    @property
    def scored(self) -> int:
        return sum(1 for r in self.rows if r.review is not None)


def quality_sample(
    *, user: User, label: str, period_from: date, period_to: date, now: datetime | None = None
) -> Sample:
    """The sample ``label`` of ``quality_review.sample_size`` cases (seeded random, see the module
    docstring), each with its review in this sample once scored: three queries whatever the size."""
    assert user.landlord is not None
    now = now or timezone.now()
    size = landlord_profile(user.landlord).quality_review.sample_size
    start, end = _day_start(period_from), _day_start(period_to + timedelta(days=1))
    elsewhere = QualityReview.objects.filter(
        landlord_id=user.landlord_id or 0, at__gte=now - QUALITY_AGAIN_AFTER
    ).exclude(sample=label)
    pool = (
        cases_for_user(user=user)
        .filter(Q(closed_at__gte=start, closed_at__lt=end) | Q(last_activity_at__gte=start, last_activity_at__lt=end))
        .exclude(pk__in=elsewhere.values("case_id"))
        .values_list("pk", flat=True)
    )
    chosen = sorted(pool, key=lambda pk: _draw_order(label, pk))[:size]
    cases = {c.pk: c for c in Case.objects.filter(pk__in=chosen).select_related("officer")}
    reviews = {
        r.case_id: r
        for r in QualityReview.objects.filter(landlord_id=user.landlord_id or 0, sample=label, case_id__in=chosen)
        .select_related("by")
        .order_by("at", "pk")
    }
    rows = [SampleRow(case=cases[pk], review=reviews.get(pk)) for pk in chosen if pk in cases]
    return Sample(label=label, period_from=period_from, period_to=period_to, size=size, rows=rows)


def quality_reviews_for(*, user: User) -> QuerySet[QualityReview]:
    """The quality reviews of the cases the user may see, latest first (managers, specialists and
    auditors: the compliance report of issue 9 reads these); none for other roles."""
    if not is_landlord_staff(user) or user.role not in (Role.MANAGER, Role.SPECIALIST, Role.AUDITOR):
        return QualityReview.objects.none()
    return (
        QualityReview.objects.filter(landlord_id=user.landlord_id or 0, case__in=cases_for_user(user=user))
        .select_related("case", "by")
        .order_by("-at", "-pk")
    )


def quality_review_case(*, user: User, reference: str) -> Case | None:
    """A case the user may see, by its reference, for scoring; None when there is none."""
    return cases_for_user(user=user).filter(reference=reference.strip()).select_related("landlord", "officer").first()


# ---- persistent reports (emh 7.8) -----------------------------------------------------------------


@dataclass
class PersistentReporter:
    """A reporter whose reports triaged as not ASB reached the profile's count (emh 7.8).
    ``id``: an opaque key for forms and URLs (never the e-mail address or phone number);
    ``new``: the references no earlier decision counted."""

    key: str
    label: str
    person_id: int | None
    references: list[str] = field(default_factory=list)
    first_at: datetime | None = None
    latest_at: datetime | None = None
    earlier: PersistentReportDecision | None = None  # the last decision on this reporter, if any
    new: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.references)

    @property
    def id(self) -> str:
        return reporter_id(self.key)


def reporter_id(key: str) -> str:
    return salted_hmac("haven.reviews.persistent-reporter", key).hexdigest()[:20]


def reporter_key(report: Report) -> str | None:
    """Who made a report, across reports: the register person, else the lower-cased e-mail address,
    else the phone number's digits (a leading 44 read as 0); None for an anonymous report (never
    counted)."""
    if report.anonymous:
        return None
    if report.reporter_person_id is not None:
        return f"person:{report.reporter_person_id}"
    if report.reporter_email.strip():
        return f"email:{report.reporter_email.strip().lower()}"
    digits = re.sub(r"\D", "", report.reporter_phone)
    if digits.startswith("44"):
        digits = "0" + digits[2:]
    return f"phone:{digits}" if digits else None


def persistent_window_start(*, landlord: Landlord, now: datetime | None = None) -> date:
    """The first day a report counts on (emh 7.8): ``within`` calendar days before today."""
    rule = landlord_profile(landlord).persistent_reports
    return timezone.localdate(now or timezone.now()) - timedelta(days=rule.within.amount)


def persistent_reporters(*, user: User, now: datetime | None = None) -> list[PersistentReporter]:
    """The reporters waiting for a decision on their persistent reports (the rule in the module
    docstring, emh 7.8), most reports first; none for a role that does not decide. Two queries."""
    if not may_decide_persistent(user) or user.landlord is None:
        return []
    landlord = user.landlord
    rule = landlord_profile(landlord).persistent_reports
    since = _day_start(persistent_window_start(landlord=landlord, now=now))
    reports = (
        Report.objects.filter(
            landlord=landlord, status=ReportStatus.NOT_ASB, anonymous=False, received_at__gte=since
        )
        .select_related("reporter_person")
        .only(
            "reference", "received_at", "anonymous", "reporter_person", "reporter_name", "reporter_email",
            "reporter_phone", "reporter_person__first_name", "reporter_person__last_name",
        )
        .order_by("received_at", "pk")
    )  # fmt: skip
    found: dict[str, PersistentReporter] = {}
    for report in reports:
        key = reporter_key(report)
        if key is None:
            continue
        row = found.get(key)
        if row is None:
            person = report.reporter_person
            label = f"{person.first_name} {person.last_name}".strip() if person else report.reporter_name.strip()
            row = found[key] = PersistentReporter(
                key=key, label=label or "A reporter", person_id=report.reporter_person_id, first_at=report.received_at
            )
        row.references.append(report.reference)
        row.latest_at = report.received_at
    rows = [r for r in found.values() if r.count >= rule.count]
    if not rows:
        return []
    counted: dict[str, set[str]] = {}
    last: dict[str, PersistentReportDecision] = {}
    decisions = PersistentReportDecision.objects.filter(landlord=landlord, reporter_key__in=[r.key for r in rows])
    for decision in decisions.select_related("by").order_by("at", "pk"):
        counted.setdefault(decision.reporter_key, set()).update(decision.reports)
        last[decision.reporter_key] = decision
    waiting = []
    for row in rows:
        row.new = [ref for ref in row.references if ref not in counted.get(row.key, set())]
        if not row.new:
            continue  # decided, and nothing new since
        row.earlier = last.get(row.key)
        waiting.append(row)
    return sorted(waiting, key=lambda r: (-r.count, r.label))


def persistent_reporter(*, user: User, reporter: str, now: datetime | None = None) -> PersistentReporter | None:
    """One reporter waiting for a decision, by ``id`` (or key); None when the rule does not find them now."""
    return next((r for r in persistent_reporters(user=user, now=now) if reporter in (r.id, r.key)), None)


def persistent_decisions(*, user: User, limit: int = 50) -> list[PersistentReportDecision]:
    """The latest decisions on persistent reports, for the deciders (emh 7.8)."""
    if not may_decide_persistent(user):
        return []
    return list(
        PersistentReportDecision.objects.filter(landlord_id=user.landlord_id or 0)
        .select_related("by")
        .order_by("-at", "-pk")[:limit]
    )
