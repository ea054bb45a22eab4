"""Reads of interventions and agreements, and the twin track of a case (emh 4.10).

An agreement's review is due on its ``review_on`` and overdue the day after (issue 6: "a review
falling due shows on the case"); the soonest review of an agreement in place counts in the case's
next due moment (``agreement_review_due``, registered in ``interventions.hooks``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone

from haven.cases.models import Case, Party, PartyRole
from haven.cases.selectors.risk import support_needs_for_case
from haven.common.dates import end_of_day
from haven.interventions.models import (
    AgreementBreach,
    AgreementReview,
    Intervention,
    InterventionKind,
    InterventionStatus,
    LegalAction,
    LegalStage,
    Referral,
)
from haven.interventions.workflow import stage_label
from haven.policies.schema import PolicyProfile


def agreement_review_due(case: Case) -> datetime | None:
    """The soonest review of an agreement in place on the case, at the end of its day (UK time):
    part of the case's next due moment (``cases.extensions``)."""
    review_on = (
        Intervention.objects.filter(
            case=case, agreement=True, status=InterventionStatus.ACTIVE, review_on__isnull=False
        )
        .order_by("review_on")
        .values_list("review_on", flat=True)
        .first()
    )
    return end_of_day(review_on) if review_on is not None else None


def agreements_ended(case: Case) -> bool:
    """Closure condition ``agreements_ended`` (issue 7): no agreement (ABC or GNA) of the case is
    still in place unless it has a review date set, i.e. it is kept under review. One query."""
    return not Intervention.objects.filter(
        case=case, agreement=True, status=InterventionStatus.ACTIVE, review_on__isnull=True
    ).exists()


def review_state(intervention: Intervention, today: date) -> str:
    """``due`` on the review day, ``overdue`` after it, ``""`` before it or once the agreement ended."""
    if not intervention.agreement or not intervention.is_active or intervention.review_on is None:
        return ""
    if intervention.review_on < today:
        return "overdue"
    return "due" if intervention.review_on == today else ""


def party_name(party: Party | None) -> str:
    """A party in words with their neutral role (whg 4.1)."""
    if party is None:
        return ""
    return f"{party.display_name} ({party.get_role_display().lower()})"


def partner_label(profile: PolicyProfile, code: str) -> str:
    found = profile.partner(code) if code else None
    return found.label if found is not None else code


@dataclass(frozen=True)
class InterventionRow:
    """An intervention with its names in words, ready to show."""

    intervention: Intervention
    party_name: str
    delivered_by: str
    partner_name: str
    review: str  # "", "due" or "overdue"


def _row(intervention: Intervention, profile: PolicyProfile, today: date) -> InterventionRow:
    by = intervention.delivered_by
    return InterventionRow(
        intervention=intervention,
        party_name=party_name(intervention.party),
        delivered_by=by.display_name if by is not None else "",
        partner_name=partner_label(profile, intervention.partner),
        review=review_state(intervention, today),
    )


def case_interventions(*, case: Case, profile: PolicyProfile, today: date) -> list[InterventionRow]:
    """Every intervention of a case, in place first, newest first: one query whatever their number."""
    found = (
        Intervention.objects.filter(case=case)
        .select_related("party__person", "delivered_by")
        .order_by("-started_on", "-pk")
    )
    rows = [_row(i, profile, today) for i in found]
    return sorted(rows, key=lambda r: not r.intervention.is_active)


def case_intervention(*, case: Case, intervention_id: int) -> Intervention | None:
    """One intervention of this case (None for one of another case) with its terms, breaches and
    reviews: four queries whatever their number."""
    return (
        Intervention.objects.filter(case=case, pk=intervention_id)
        .select_related("case", "party__person", "delivered_by")
        .prefetch_related(
            "terms",
            Prefetch(
                "breaches",
                queryset=AgreementBreach.objects.select_related("term", "recorded_by").order_by("occurred_on", "pk"),
            ),
            Prefetch(
                "reviews", queryset=AgreementReview.objects.select_related("reviewed_by").order_by("reviewed_on", "pk")
            ),
        )
        .first()
    )


def intervention_row(*, intervention: Intervention, profile: PolicyProfile, today: date) -> InterventionRow:
    return _row(intervention, profile, today)


# ---- the twin track (emh 4.10) ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrackItem:
    """One entry of a track: what it is, its title, about whom, since when, where it stands."""

    what: str
    title: str
    who: str
    on: date | None
    status: str
    detail: str = ""
    intervention_id: int | None = None


@dataclass(frozen=True)
class TwinTrack:
    """The two tracks side by side. ``hidden_needs``: support needs not shown to this user (special
    category data: only caseworkers see them)."""

    enabled: bool
    support: list[TrackItem] = field(default_factory=list)
    enforcement: list[TrackItem] = field(default_factory=list)
    hidden_needs: int = 0


def _intervention_item(row: InterventionRow, what: str) -> TrackItem:
    i = row.intervention
    status = i.get_status_display()
    if i.is_active and row.review:
        status = f"{status}, review {row.review}"
    detail = f"With {row.partner_name}" if i.kind == InterventionKind.PARTNER_POWER and row.partner_name else ""
    return TrackItem(what=what, title=i.label, who=row.party_name, on=i.started_on, status=status,
                     detail=detail or i.outcome, intervention_id=i.pk)  # fmt: skip


def _referral_status(referral: Referral, today: date) -> str:
    if referral.responded_on is not None:
        return f"Answered {referral.responded_on.day} {referral.responded_on:%b %Y}"
    return "Answer overdue" if referral.response_due_on < today else "Awaiting an answer"


def twin_track(
    *, case: Case, profile: PolicyProfile, rows: list[InterventionRow], special: bool, today: date
) -> TwinTrack:
    """Support and enforcement side by side (emh 4.10: support for the person causing ASB runs
    alongside enforcement, and neither waits for the other). Support: interventions on the support
    track, the case's support needs (shown to caseworkers only: special category data) and
    referrals about the reported person. Enforcement: interventions on the enforcement track,
    partner powers and legal actions with their stage. Three queries besides ``rows``."""
    if not profile.interventions.twin_track:
        return TwinTrack(enabled=False)
    support: list[TrackItem] = []
    enforcement: list[TrackItem] = []
    for row in rows:
        if row.intervention.kind == InterventionKind.PARTNER_POWER:
            enforcement.append(_intervention_item(row, "Partner power"))
        elif row.intervention.track == "enforcement":
            enforcement.append(_intervention_item(row, "Intervention"))
        elif row.intervention.track == "support":
            support.append(_intervention_item(row, "Intervention"))
    hidden = 0
    if not special:
        hidden = support_needs_for_case(case=case).count()
    else:
        for need in support_needs_for_case(case=case):
            referred = f"Referred to {need.referred_to}" if need.referred_to else "Not referred"
            if need.referred_on is not None:
                referred += f" on {need.referred_on.day} {need.referred_on:%b %Y}"
            support.append(
                TrackItem(
                    what="Support need",
                    title=need.get_kind_display(),
                    who=party_name(need.party),
                    on=timezone.localtime(need.created_at).date(),
                    status=referred,
                    detail=need.outcome,
                )
            )
    referrals = (
        Referral.objects.filter(case=case, party__role=PartyRole.REPORTED)
        .select_related("party__person")
        .order_by("-made_on", "-pk")
    )
    for referral in referrals:
        support.append(
            TrackItem(
                what="Referral",
                title=partner_label(profile, referral.partner),
                who=party_name(referral.party),
                on=referral.made_on,
                status=_referral_status(referral, today),
                detail=referral.outcome,
            )
        )
    for action in LegalAction.objects.filter(case=case).select_related("party__person").order_by("-started_on", "-pk"):
        status = stage_label(action.stage)
        enforcement.append(
            TrackItem(
                what="Legal action",
                title=action.label,
                who=party_name(action.party),
                on=action.started_on,
                status=status,
                detail=action.outcome if action.stage == LegalStage.CONCLUDED else "",
            )
        )
    return TwinTrack(enabled=True, support=support, enforcement=enforcement, hidden_needs=hidden)
