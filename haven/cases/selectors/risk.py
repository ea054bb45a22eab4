"""Reads of a case's risk and vulnerability records (emh 4.4-4.14): the assessments per party with
their history, support needs, safeguarding concerns, the tier the latest assessment proposes and
whether the full assessment is due. Each read is a fixed number of queries whatever the rows.

Callers decide who sees the special category details (``can_view_special_category``); these
functions return the rows, and the case they are given has already been checked as visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, Party, RiskAssessment, SafeguardingConcern, SupportNeed
from haven.policies.schema import PolicyProfile


def risk_assessments_for_case(*, case: Case) -> QuerySet[RiskAssessment]:
    """Every assessment of the case, newest first, with who made it and of whom (one query)."""
    return (
        RiskAssessment.objects.filter(case=case)
        .select_related("party__person", "assessed_by")
        .order_by("-assessed_at", "-pk")
    )


def support_needs_for_case(*, case: Case) -> QuerySet[SupportNeed]:
    return SupportNeed.objects.filter(case=case).select_related("party__person", "recorded_by").order_by("-created_at")


def safeguarding_concerns_for_case(*, case: Case) -> QuerySet[SafeguardingConcern]:
    return (
        SafeguardingConcern.objects.filter(case=case)
        .select_related("party__person", "raised_by")
        .order_by("-raised_on", "-pk")
    )


def band_label(profile: PolicyProfile, code: str) -> str:
    """The band's label in the current matrix; an older matrix's band shows as its code."""
    band = profile.risk_matrix.band(code)
    return band.label if band else code.replace("_", " ").capitalize()


def tier_label(profile: PolicyProfile, tier_id: str) -> str:
    try:
        return profile.tier(tier_id).label
    except KeyError:
        return tier_id


@dataclass
class PartyRisk:
    """One party's assessments: the latest first, then the earlier ones (the history)."""

    party: Party
    history: list[RiskAssessment] = field(default_factory=list)

    @property
    def latest(self) -> RiskAssessment | None:
        return self.history[0] if self.history else None


@dataclass(frozen=True)
class TierProposal:
    """The latest assessment's band proposes a tier other than the case's (emh 4.3-4.4)."""

    assessment: RiskAssessment
    tier: str
    label: str
    current_label: str


@dataclass(frozen=True)
class FullRiskDue:
    """The officer's full assessment is due by ``due_at`` (casework.full_risk_within from the first
    report's receipt, in working time) and has not been made; ``overdue`` once that has passed."""

    due_at: datetime
    overdue: bool


def risk_by_party(*, case: Case, assessments: list[RiskAssessment] | None = None) -> list[PartyRisk]:
    """Each party with assessments, in the order of their latest (newest first); ``assessments``
    (newest first) may be passed when the caller has read them already."""
    rows = assessments if assessments is not None else list(risk_assessments_for_case(case=case))
    found: dict[int, PartyRisk] = {}
    for row in rows:
        found.setdefault(row.party_id, PartyRisk(party=row.party)).history.append(row)
    return list(found.values())


def tier_proposal(
    *, case: Case, profile: PolicyProfile, assessments: list[RiskAssessment] | None = None
) -> TierProposal | None:
    """ "A change of band proposes a change of tier": when the case is open and the latest
    assessment's proposed tier differs from the case's tier, say which. The officer decides by
    re-categorising (emh 4.3; WWH 3.0); Haven does not change the tier on its own."""
    if not case.is_open:
        return None
    rows = assessments if assessments is not None else list(risk_assessments_for_case(case=case)[:1])
    latest = rows[0] if rows else None
    if latest is None or not latest.proposed_tier or latest.proposed_tier == case.tier:
        return None
    return TierProposal(
        assessment=latest,
        tier=latest.proposed_tier,
        label=tier_label(profile, latest.proposed_tier),
        current_label=tier_label(profile, case.tier),
    )


def risk_details_viewed(*, user: User, case: Case, via: str = "web") -> None:
    """Audit a view of the answers, support needs and safeguarding concerns (special category
    data, like the register's vulnerabilities): once per page view that shows any."""
    with transaction.atomic():
        audit_record(actor=user, verb=Verb.RISK_DETAILS_VIEWED, target=case, via=via)


def full_risk_deadline(case: Case) -> datetime:
    """When the officer's full risk assessment is due: ``casework.full_risk_within`` of the
    landlord's working time after the first report was received (emh 4.4)."""
    within = landlord_profile(case.landlord).casework.full_risk_within
    return landlord_calendar(case.landlord).due_at(case.opened_at, within.amount, within.unit)


def full_risk_due(case: Case, *, assessed: bool | None = None, now: datetime | None = None) -> FullRiskDue | None:
    """emh 4.4: the case officer completes a full risk assessment once complete details are known;
    the profile's ``casework.full_risk_within`` says how soon, from when the first report was
    received, in the landlord's working time. None once any assessment is recorded or the case is
    closed. ``assessed`` may be passed when the caller knows already (saves a query)."""
    if not case.is_open:
        return None
    if assessed is None:
        assessed = RiskAssessment.objects.filter(case=case).exists()
    if assessed:
        return None
    due_at = full_risk_deadline(case)
    return FullRiskDue(due_at=due_at, overdue=due_at < (now or timezone.now()))
