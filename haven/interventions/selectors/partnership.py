"""Reads of referrals, partnership meetings and the information sharing log.

A referral unanswered past its ``response_due_on`` (from the day after it) is overdue (WWH 4.0
"Monitor Referrals": "ensure that any referrals ... are being progressed"). The overdue list is
scoped as the case lists are (``cases_for_user``: landlord, role, restricted cases) and found with
the ``referral_awaiting`` index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, QuerySet

from haven.accounts.models import User
from haven.cases.models import OPEN_STATUSES, Action, Case
from haven.cases.selectors import cases_for_user
from haven.cases.selectors.plans import owner_name
from haven.common.dates import end_of_day
from haven.interventions.models import MeetingAction, PartnershipMeeting, Referral
from haven.policies.schema import PolicyProfile


def referral_response_due(case: Case) -> datetime | None:
    """The soonest answer expected to a referral not yet answered (WWH 4.0 "Monitor Referrals"),
    at the end of its day: part of the case's next due moment (``cases.extensions``)."""
    due_on = (
        Referral.objects.filter(case=case, responded_on__isnull=True)
        .order_by("response_due_on")
        .values_list("response_due_on", flat=True)
        .first()
    )
    return end_of_day(due_on) if due_on is not None else None


def referrals_answered(case: Case) -> bool:
    """Closure condition ``referrals_answered`` (issue 7): no referral of the case is still waiting
    for the partner's answer. One query."""
    return not Referral.objects.filter(case=case, responded_on__isnull=True).exists()


def referral_overdue(referral: Referral, today: date) -> bool:
    """Unanswered and past the day its answer was expected (WWH 4.0 "Monitor Referrals")."""
    return referral.responded_on is None and today > referral.response_due_on


def partner_label(profile: PolicyProfile, code: str) -> str:
    found = profile.partner(code)
    return found.label if found is not None else code


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    partner: str
    about: str
    overdue: bool


@dataclass(frozen=True)
class ActionLine:
    action: Action
    owner_name: str


@dataclass(frozen=True)
class MeetingRow:
    meeting: PartnershipMeeting
    forum: str
    actions: list[ActionLine] = field(default_factory=list)


@dataclass(frozen=True)
class CasePartnership:
    referrals: list[ReferralRow]
    meetings: list[MeetingRow]

    @property
    def overdue(self) -> list[ReferralRow]:
        return [row for row in self.referrals if row.overdue]

    @property
    def awaited(self) -> list[ReferralRow]:
        return [row for row in self.referrals if row.referral.responded_on is None and not row.overdue]


def _about(referral: Referral) -> str:
    party = referral.party
    return f"{party.display_name} ({party.get_role_display().lower()})" if party is not None else ""


def referral_row(referral: Referral, profile: PolicyProfile, today: date) -> ReferralRow:
    return ReferralRow(
        referral=referral,
        partner=partner_label(profile, referral.partner),
        about=_about(referral),
        overdue=referral_overdue(referral, today),
    )


def case_referrals(*, case: Case) -> QuerySet[Referral]:
    return Referral.objects.filter(case=case).select_related("party__person").order_by("-made_on", "-pk")


def case_meetings(*, case: Case) -> QuerySet[PartnershipMeeting]:
    """A case's meetings, latest first, with the actions each agreed and their owners (two queries)."""
    links = MeetingAction.objects.select_related("action__owner_user", "action__owner_party__person").order_by(
        "action__due_on", "action__pk"
    )
    return (
        PartnershipMeeting.objects.filter(case=case)
        .prefetch_related(Prefetch("meeting_actions", queryset=links))
        .order_by("-meets_on", "-pk")
    )


def meeting_row(meeting: PartnershipMeeting, profile: PolicyProfile) -> MeetingRow:
    return MeetingRow(
        meeting=meeting,
        forum=partner_label(profile, meeting.forum),
        actions=[ActionLine(link.action, owner_name(link.action, profile)) for link in meeting.meeting_actions.all()],
    )


def case_partnership(*, case: Case, profile: PolicyProfile, today: date) -> CasePartnership:
    """A case's referrals and meetings, ready to show: three queries whatever their number."""
    return CasePartnership(
        referrals=[referral_row(r, profile, today) for r in case_referrals(case=case)],
        meetings=[meeting_row(m, profile) for m in case_meetings(case=case)],
    )


def case_referral(*, case: Case, referral_id: int) -> Referral | None:
    return Referral.objects.filter(case=case, pk=referral_id).select_related("party__person").first()


def case_meeting(*, case: Case, meeting_id: int) -> PartnershipMeeting | None:
    return case_meetings(case=case).filter(pk=meeting_id).first()


def referrals_for_user(*, user: User, overdue: bool | None, today: date) -> QuerySet[Referral]:
    """The referrals on the cases this user may see (``cases_for_user``: one query with its
    subquery). ``overdue``: True, the unanswered ones on open cases past the day their answer was
    expected, soonest due first (WWH 4.0 "Monitor Referrals", by the ``referral_awaiting`` index);
    False, the others; None, all, latest made first."""
    referrals = Referral.objects.filter(case__in=cases_for_user(user=user)).select_related("case", "party__person")
    late = {"responded_on__isnull": True, "response_due_on__lt": today, "case__status__in": OPEN_STATUSES}
    if overdue is True:
        return referrals.filter(**late).order_by("response_due_on", "pk")
    if overdue is False:
        referrals = referrals.exclude(**late)
    return referrals.order_by("-made_on", "-pk")
