"""The policy profile schema: a landlord's ASB policy as typed, frozen data.

A profile is written in YAML (one file per landlord in ``policies/``) and parsed into a
:class:`PolicyProfile`. Every section carries ``source``: the clause of the landlord's own
policy it comes from ("emh 4.2"), or ``default: not in seed`` where the policy is silent and
Haven chose a sensible default that the landlord should confirm.

Unknown keys are rejected everywhere (``extra="forbid"``) so that a typo in a landlord's file
is an error, never a silently ignored rule.
"""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from haven.common.working_time import TimeUnit
from haven.policies.reviews_schema import (  # noqa: F401 (re-exported: reviews, closure, survey)
    AsbCaseReview,
    CaseReviews,
    ChecklistItem,
    Closure,
    ClosureCondition,
    ClosureReason,
    Complaints,
    PersistentReports,
    QualityReviews,
    Survey,
    SurveyQuestion,
)
from haven.policies.risk_schema import (  # noqa: F401 (re-exported: the profile's risk sections)
    RiskBand,
    RiskMatrix,
    RiskOption,
    RiskQuestion,
    RiskScreen,
    ScreenBand,
    ScreenQuestion,
)
from haven.policies.toolkit import (  # noqa: F401 (re-exported: the toolkit and partners)
    Intervention,
    Interventions,
    LegalCondition,
    Partner,
    Partnership,
)
from haven.policies.types import (  # noqa: F401 (re-exported: the building blocks)
    DEFAULT_SOURCE,
    Code,
    Duration,
    Source,
    Sourced,
    Strict,
    Text,
)
from haven.policies.types import unique as _unique


class Country(StrEnum):
    ENGLAND = "england"
    WALES = "wales"


class Tenure(StrEnum):
    """Tenures a property can have; a profile says which are in scope (whg 1.3, emh 2.2)."""

    SOCIAL_RENT = "social_rent"
    AFFORDABLE_RENT = "affordable_rent"
    INTERMEDIATE_RENT = "intermediate_rent"
    STARTER = "starter"
    SHARED_OWNERSHIP = "shared_ownership"
    LEASEHOLD = "leasehold"
    MARKET_RENT = "market_rent"
    LICENCE = "licence"
    TEMPORARY = "temporary"
    SUPPORTED = "supported"
    SECURE_CONTRACT = "secure_contract"  # Renting Homes (Wales) Act 2016
    STANDARD_CONTRACT = "standard_contract"  # Renting Homes (Wales) Act 2016
    NON_RESIDENT = "non_resident"


class Flag(StrEnum):
    """Flags on a category that change how Haven treats a case."""

    HATE = "hate"  # counts toward TSM NM01 (b); hate crime procedure (emh 3.6)
    DOMESTIC_ABUSE = "domestic_abuse"  # own procedure (emh 3.5); restricted
    STAFF_TARGETED = "staff_targeted"  # emh 3.4; Peaks & Plains 1.6; restricted
    SAFEGUARDING = "safeguarding"  # restricted
    CRIME = "crime"  # likely police involvement
    VIOLENCE = "violence"
    NOISE = "noise"
    ENVIRONMENTAL = "environmental"  # often environmental health or council-led
    RESTRICTED = "restricted"  # visible only to roles the profile allows
    PERSISTENT_COMPLAINANT = "persistent_complainant"  # emh 7.8: reports of matters already explained
    VULNERABLE_REPORTER = "vulnerable_reporter"  # emh 4.4-4.5; WWH 2.0


# How pages and lists say each flag.
FLAG_LABELS: dict[str, str] = {
    Flag.HATE: "Hate incident",
    Flag.DOMESTIC_ABUSE: "Domestic abuse",
    Flag.STAFF_TARGETED: "Targets staff",
    Flag.SAFEGUARDING: "Safeguarding",
    Flag.CRIME: "Crime",
    Flag.VIOLENCE: "Violence",
    Flag.NOISE: "Noise",
    Flag.ENVIRONMENTAL: "Environmental",
    Flag.RESTRICTED: "Restricted",
    Flag.PERSISTENT_COMPLAINANT: "Persistent complainant",
    Flag.VULNERABLE_REPORTER: "Vulnerable reporter",
}


def flag_label(code: str) -> str:
    return FLAG_LABELS.get(code) or code.replace("_", " ").capitalize()


RESTRICTING_FLAGS = frozenset({Flag.DOMESTIC_ABUSE, Flag.STAFF_TARGETED, Flag.SAFEGUARDING, Flag.RESTRICTED})


class Landlord(Sourced):
    name: Text
    short_name: Text
    country: Country
    website: str | None = None
    complaints_email: str | None = None
    complaints_phone: str | None = None
    address: str | None = None


class PolicyReview(Sourced):
    """When the landlord's own policy document is next due for review."""

    document: Text
    effective_from: date | None = None
    review_every_years: int = Field(ge=1, le=10)
    next_review_due: date


class Definition(Sourced):
    text: Text
    legal_source: Text
    housing_related_only: bool = False


class Tenures(Sourced):
    in_scope: tuple[Tenure, ...] = Field(min_length=1)
    signposted: tuple[Tenure, ...] = ()
    signposting_advice: str | None = None

    @model_validator(mode="after")
    def _no_overlap(self) -> Tenures:
        both = set(self.in_scope) & set(self.signposted)
        if both:
            raise ValueError(f"tenures cannot be both in scope and signposted: {', '.join(sorted(both))}")
        return self


class Category(Sourced):
    code: Code
    label: Text
    flags: frozenset[Flag] = frozenset()
    default_tier: Code | None = None
    own_procedure: str | None = None  # emh 3.5-3.6: read with the domestic abuse / hate crime policy

    @property
    def restricted(self) -> bool:
        return bool(self.flags & RESTRICTING_FLAGS)


class AdviceRoute(Sourced):
    code: Code
    label: Text
    advice: Text


class NotAsbExample(Sourced):
    text: Text
    advice_route: Code | None = None


class NotAsb(Sourced):
    reasons: tuple[Text, ...] = Field(min_length=1)
    examples: tuple[NotAsbExample, ...] = Field(min_length=1)
    advice_routes: tuple[AdviceRoute, ...] = Field(min_length=1)
    neighbour_disputes: str | None = None  # emh 3.9


class Tier(Sourced):
    id: Code
    label: Text
    description: Text
    response_target: Duration
    review_every: Duration
    opens_case: bool = True  # WWH "advice only" is not recorded as a case
    rank: int = Field(ge=0, description="Higher is more serious; used to order tiers.")


class Triage(Sourced):
    scheme: Text
    tiers: tuple[Tier, ...] = Field(min_length=1)
    default_tier: Code
    recategorise_any_time: bool = True

    @model_validator(mode="after")
    def _tiers_consistent(self) -> Triage:
        ids = [t.id for t in self.tiers]
        _unique("triage.tiers", ids)
        _unique("triage.tiers rank", [str(t.rank) for t in self.tiers])
        if self.default_tier not in ids:
            raise ValueError(f"default_tier {self.default_tier!r} is not one of the tiers: {', '.join(ids)}")
        if not self.tier_by_id(self.default_tier).opens_case:
            # wwh 3.0: a report nothing else grades must never silently become advice only.
            raise ValueError(f"default_tier {self.default_tier!r} must be a tier that opens a case")
        return self

    def tier_by_id(self, tier_id: str) -> Tier:
        return next(t for t in self.tiers if t.id == tier_id)


class SpecialistRoute(Sourced):
    """Cases carrying ``flag`` go to ``team`` and follow ``procedure`` (emh 3.5-3.6)."""

    flag: Flag
    team: Text
    procedure: str | None = None


class Routing(Sourced):
    """Who a new case goes to: a specialist team by flag, else a team by tier, else the patch's officer."""

    tier_teams: dict[Code, Text] = {}
    specialist: tuple[SpecialistRoute, ...] = ()
    default_team: Text

    @property
    def teams(self) -> list[str]:
        names = [self.default_team, *self.tier_teams.values(), *(r.team for r in self.specialist)]
        return list(dict.fromkeys(names))

    def specialist_for(self, flags: frozenset[str] | set[str]) -> SpecialistRoute | None:
        return next((r for r in self.specialist if r.flag.value in flags), None)


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class OfficeHours(Sourced):
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    timezone: Literal["Europe/London"] = "Europe/London"
    bank_holidays: Literal["england-and-wales"] = "england-and-wales"
    closure_days: tuple[date, ...] = ()

    @model_validator(mode="after")
    def _opens_before_closes(self) -> OfficeHours:
        if self.opens >= self.closes:
            raise ValueError(f"office hours must open before they close (opens {self.opens}, closes {self.closes})")
        return self


class AnonymousReports(Sourced):
    accepted: bool
    handling: Literal["case", "information_only_if_unconfirmed", "information_only"]
    explanation: Text


class Kpi(Sourced):
    code: Code
    label: Text


class ReportingCadence(Sourced):
    audience: Text
    every_months: int = Field(ge=1, le=36)


class Kpis(Sourced):
    measures: tuple[Kpi, ...] = Field(min_length=1)
    reporting: tuple[ReportingCadence, ...] = Field(min_length=1)
    tsm_applies: bool
    benchmarking: str | None = None


class Casework(Sourced):
    """The clocks of case management that are not response targets (issue 5).

    ``action_plan_within``: an agreed action plan is due this long after the first report was
    received (Livv "Case Management"; Peaks & Plains 5.1 "at the earliest opportunity"); a case
    without one after that shows as a breach. ``full_risk_within``: the officer's full risk
    assessment (emh 4.4). ``inactive_after``: an open case with no recorded work for this long is
    inactive (WWH 5.0). ``diary_link_valid``: how long a reporter's diary link works.
    ``evidence_review_within``: how soon new evidence should be reviewed by an officer.
    ``restricted_roles``: besides its own officer, the roles that see restricted cases.
    """

    action_plan_within: Duration
    full_risk_within: Duration
    inactive_after: Duration
    diary_link_valid: Duration
    evidence_review_within: Duration
    restricted_roles: tuple[Literal["specialist", "manager"], ...] = ("specialist", "manager")

    @model_validator(mode="after")
    def _inactive_in_days(self) -> Casework:
        if self.inactive_after.unit is not TimeUnit.CALENDAR_DAYS or self.inactive_after.amount < 1:
            raise ValueError("casework.inactive_after must be a number of calendar_days (at least 1)")
        return self


class PolicyProfile(Strict):
    """One landlord's ASB policy, as Haven applies it."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True)

    id: Code
    version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z.\-]+$", max_length=30)]
    landlord: Landlord
    policy: PolicyReview
    definition: Definition
    tenures: Tenures
    categories: tuple[Category, ...] = Field(min_length=1)
    not_asb: NotAsb
    triage: Triage
    risk_screen: RiskScreen
    risk_matrix: RiskMatrix
    routing: Routing
    casework: Casework
    office_hours: OfficeHours
    anonymous_reports: AnonymousReports
    interventions: Interventions
    partners: tuple[Partner, ...] = Field(min_length=1)
    partnership: Partnership
    reviews: CaseReviews
    quality_review: QualityReviews
    persistent_reports: PersistentReports
    asb_case_review: AsbCaseReview
    closure: Closure
    survey: Survey
    complaints: Complaints
    kpis: Kpis

    @model_validator(mode="after")
    def _cross_references(self) -> PolicyProfile:
        tier_ids = {t.id for t in self.triage.tiers}
        _unique("categories", [c.code for c in self.categories])
        for category in self.categories:
            if category.default_tier and category.default_tier not in tier_ids:
                raise ValueError(
                    f"category {category.code!r} has default_tier {category.default_tier!r}, "
                    f"which is not one of the tiers: {', '.join(sorted(tier_ids))}"
                )
        routes = {r.code for r in self.not_asb.advice_routes}
        _unique("not_asb.advice_routes", list(routes))
        for example in self.not_asb.examples:
            if example.advice_route and example.advice_route not in routes:
                raise ValueError(f"not-ASB example names an unknown advice_route {example.advice_route!r}")
        all_interventions = self.interventions.informal + self.interventions.legal + self.interventions.partner_powers
        _unique("interventions", [i.code for i in all_interventions])
        # WWH is in Wales: Housing Act 1988 grounds do not apply to occupation contracts under the
        # Renting Homes (Wales) Act 2016, and English-only tools must not be offered (and vice versa).
        wrong = self.landlord.country.value
        wrong_place = "wales" if wrong == "england" else "england"
        misplaced = [i.code for i in all_interventions if i.jurisdiction == wrong_place]
        if misplaced:
            raise ValueError(
                f"interventions {', '.join(misplaced)} apply only in {wrong_place.title()}, "
                f"but this landlord is in {wrong.title()}"
            )
        if self.landlord.country is Country.WALES and self.kpis.tsm_applies:
            raise ValueError("Tenant Satisfaction Measures apply in England only; set kpis.tsm_applies to false")
        _unique("partners", [p.code for p in self.partners])
        if self.kpis.tsm_applies and self.survey.measure("tp12") is None:
            raise ValueError("Tenant Satisfaction Measures apply: the survey needs the TP12 question (measure: tp12)")
        for where, tier_id in [
            *(("risk_screen.bands", b.tier) for b in self.risk_screen.bands),
            *(("risk_screen.vulnerability_tier", t) for t in [self.risk_screen.vulnerability_tier] if t),
            *((f"risk_matrix.bands[{b.code}]", b.tier) for b in self.risk_matrix.bands),
            *(("routing.tier_teams", t) for t in self.routing.tier_teams),
        ]:
            if tier_id not in tier_ids:
                raise ValueError(
                    f"{where} names {tier_id!r}, which is not one of the tiers: {', '.join(sorted(tier_ids))}"
                )
        return self

    # ---- lookups used by services and pages -------------------------------------------
    def tier(self, tier_id: str) -> Tier:
        for tier in self.triage.tiers:
            if tier.id == tier_id:
                return tier
        raise KeyError(tier_id)

    def partner(self, code: str) -> Partner | None:
        return next((p for p in self.partners if p.code == code), None)

    def category(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(code)

    @property
    def tiers_by_rank(self) -> tuple[Tier, ...]:
        return tuple(sorted(self.triage.tiers, key=lambda t: t.rank, reverse=True))

    def defaults(self) -> list[str]:
        """Dotted places in the profile whose value is a Haven default, not the landlord's policy."""
        found: list[str] = []
        _collect_defaults(self, "", found)
        return found


def _collect_defaults(node: object, path: str, found: list[str]) -> None:
    if isinstance(node, Sourced) and node.is_default:
        found.append(path or "(profile)")
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            _collect_defaults(getattr(node, name), f"{path}.{name}" if path else name, found)
    elif isinstance(node, tuple):
        for index, item in enumerate(node):
            label = getattr(item, "code", None) or getattr(item, "id", None) or str(index)
            _collect_defaults(item, f"{path}[{label}]", found)
