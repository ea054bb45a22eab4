"""The regulator's Tenant Satisfaction Measures that Haven can compute from case records (issue 9).

**NM01** (Regulator of Social Housing, Tenant Satisfaction Measures: Technical Requirements, NM01
"Anti-social behaviour cases relative to the size of the landlord"): (a) the number of ASB cases
opened in the reporting year per 1,000 homes, and (b) the number of those involving hate incidents
per 1,000 homes. Rules as Haven applies them:

- The reporting year runs 1 April to 31 March (UK time); ``year`` is the year it starts in.
- A case is the record of a report of ASB: each ``Case`` counts once. Repeat reports about the same
  matter while a case is open are linked to it (issue 4), so they open no case; a reopened case is
  the same case, counted once.
- A case counts in the year its first report was received (``Case.opened_at``), so a report keyed in
  late still counts when it was made.
- Hate incidents are those perceived as motivated by hostility on race, religion, sexual
  orientation, disability or transgender identity: a case flagged ``hate`` (the profile's hate
  categories carry the flag; an officer may add it).
- The denominator is the homes owned, low cost rental and low cost home ownership: the figure the
  landlord entered for the year (``HomesFigure``) if any, else the register's homes that count for
  TSM (``Property.counts_for_tsm``) and had not left the stock by 31 March.
- The raw counts are kept beside the rates; cases closed for a reason the landlord excludes
  (``TsmSettings.excluded_closure_reasons``) are counted apart, and the rates are rounded half up
  to ``TsmSettings.decimals`` places (2 unless set).

**TP12** ("Satisfaction with the landlord's approach to handling anti-social behaviour"): here, from
the closure surveys answered in the year: very or fairly satisfied over all who answered the
question. (The regulator's TP12 comes from the landlord's perception survey of all tenants; Haven's
figure is the transactional equivalent, for the KPI report.)

TSMs apply in England only: a profile with ``kpis.tsm_applies`` false (WWH, in Wales) has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from haven.accounts.models import Landlord
from haven.accounts.selectors import landlord_profile
from haven.cases.models import Case, CaseStatus
from haven.cases.selectors.lists import flag_q
from haven.common.errors import ApplicationError
from haven.insights.models import HomesFigure, TsmSettings
from haven.policies.schema import Flag
from haven.register.models import Property
from haven.reviews.models import SurveyResponse

UK = ZoneInfo("Europe/London")
SATISFIED = ("very_satisfied", "fairly_satisfied")
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class ReportingYear:
    year: int

    @property
    def starts_on(self) -> date:
        return date(self.year, 4, 1)

    @property
    def ends_on(self) -> date:
        return date(self.year + 1, 3, 31)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.starts_on, time(0), tzinfo=UK)

    @property
    def end(self) -> datetime:
        """The first moment after the year (1 April next, 00:00 UK time)."""
        return datetime.combine(date(self.year + 1, 4, 1), time(0), tzinfo=UK)

    @property
    def label(self) -> str:
        return f"{self.year}/{str(self.year + 1)[-2:]}"


def reporting_year(year: int) -> ReportingYear:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        message = f"Give the year the reporting year starts in, from {FIRST_YEAR} to {LAST_YEAR} (2025 for 2025/26)."
        raise ApplicationError(message, fields={"year": message})
    return ReportingYear(year)


def current_reporting_year(today: date) -> int:
    """The reporting year a day falls in: 2025 for any day from 1 April 2025 to 31 March 2026."""
    return today.year if today.month >= 4 else today.year - 1


@dataclass(frozen=True)
class Homes:
    homes: int | None
    source: str  # "entered", "register" or "" (none)


def homes_for(landlord: Landlord, year: ReportingYear) -> Homes:
    """The NM01 denominator: the landlord's entered figure for the year, else the register's homes
    counted for TSM still in the stock at the year's end; ``None`` when there is neither."""
    entered = HomesFigure.objects.filter(landlord=landlord, year=year.year).values_list("homes", flat=True).first()
    if entered is not None:
        return Homes(entered, "entered")
    counted = (
        Property.objects.filter(landlord=landlord, counts_for_tsm=True)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=year.ends_on))
        .count()
    )
    return Homes(counted, "register") if counted else Homes(None, "")


def per_thousand(count: int, homes: int | None, decimals: int) -> Decimal | None:
    """``count`` per 1,000 homes, rounded half up to ``decimals`` places; None without homes."""
    if not homes:
        return None
    exact = Decimal(count) * 1000 / Decimal(homes)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Nm01:
    year: ReportingYear
    homes: Homes
    cases_opened: int
    hate_cases_opened: int
    excluded: int
    decimals: int
    nm01_a: Decimal | None
    nm01_b: Decimal | None


def tsm_settings(landlord: Landlord) -> TsmSettings:
    return TsmSettings.objects.filter(landlord=landlord).first() or TsmSettings(landlord=landlord)


def tsm_applies(landlord: Landlord) -> None:
    """Refuses a landlord whose profile says TSMs do not apply (WWH, in Wales)."""
    profile = landlord_profile(landlord)
    if not profile.kpis.tsm_applies:
        raise ApplicationError(
            f"Tenant Satisfaction Measures do not apply to {profile.landlord.name}: they are the Regulator of Social "
            "Housing's measures for landlords in England.",
            code="not_applicable",
        )


def nm01(landlord: Landlord, year: int) -> Nm01:
    """TSM NM01 (a) and (b) for the reporting year starting in April of ``year``. Three queries."""
    tsm_applies(landlord)
    period = reporting_year(year)
    settings = tsm_settings(landlord)
    opened = Case.objects.filter(landlord=landlord, opened_at__gte=period.start, opened_at__lt=period.end)
    excluded_q = Q(status=CaseStatus.CLOSED, closure_reason__in=list(settings.excluded_closure_reasons or []))

    counts = opened.aggregate(
        all=Count("pk"),
        excluded=Count("pk", filter=excluded_q),
        hate=Count("pk", filter=flag_q(Flag.HATE.value) & ~excluded_q),
    )
    cases = counts["all"] - counts["excluded"]
    homes = homes_for(landlord, period)
    return Nm01(
        year=period, homes=homes, cases_opened=cases, hate_cases_opened=counts["hate"], excluded=counts["excluded"],
        decimals=settings.decimals, nm01_a=per_thousand(cases, homes.homes, settings.decimals),
        nm01_b=per_thousand(counts["hate"], homes.homes, settings.decimals),
    )  # fmt: skip


@dataclass(frozen=True)
class Tp12:
    year: ReportingYear
    answered: int
    satisfied: int
    percent: Decimal | None


def tp12(landlord: Landlord, year: int) -> Tp12:
    """TP12 from the closure surveys answered in the reporting year: very or fairly satisfied over
    all who answered the TP12 question, as a percentage to one place. One query."""
    tsm_applies(landlord)
    period = reporting_year(year)

    found = SurveyResponse.objects.filter(
        landlord=landlord, answered_at__gte=period.start, answered_at__lt=period.end
    ).exclude(tp12="")
    counts = found.aggregate(answered=Count("pk"), satisfied=Count("pk", filter=Q(tp12__in=SATISFIED)))
    answered, satisfied = counts["answered"], counts["satisfied"]
    percent = (
        (Decimal(satisfied) * 100 / Decimal(answered)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if answered
        else None
    )
    return Tp12(year=period, answered=answered, satisfied=satisfied, percent=percent)
