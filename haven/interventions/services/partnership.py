"""Every write of referrals and partnership meetings.

Referrals go to a partner agency or forum of the landlord's profile (issue 6; emh 6.1-6.2), with
the person's consent or, without it, the lawful basis and why sharing is lawful (emh 4.13:
safeguarding overrides confidentiality toward statutory authorities, but it must be recorded). A
partner's answer is expected by a date (the profile's ``partnership.referral_response_within`` in
the landlord's working time unless the officer sets one); unanswered past it, the referral is
overdue (WWH 4.0 "Monitor Referrals"). A case listed for a partnership meeting of a forum (emh
6.2: MARAC, JAG...) gets what the meeting decided, and the actions it agreed join the case's action
plan (``cases.services.plans.action_add``), all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, Party
from haven.cases.services.core import case_refresh
from haven.cases.services.plans import action_add
from haven.common.errors import ApplicationError
from haven.common.stale import ensure_unchanged
from haven.interventions.models import Consent, LawfulBasis, MeetingAction, PartnershipMeeting, Referral
from haven.interventions.services.common import check_length, iso_day, locked_case
from haven.policies.schema import PolicyProfile

REASON_MAX = 5000  # default: not in seed
RESPONSE_MAX = 5000  # default: not in seed
SUMMARY_MAX = 10000  # default: not in seed; a meeting's minutes for one case
MEETING_SOURCE = "meeting"  # Action.source of the actions a meeting agreed


def _opened_on(case: Case) -> date:
    return timezone.localtime(case.opened_at).date()


def _forums(profile: PolicyProfile) -> list[str]:
    return [p.label for p in profile.partners if p.kind == "forum"]


def referral_default_due(*, case: Case, made_on: date) -> date:
    """When a partner's answer is expected unless the officer says: ``made_on`` plus the profile's
    ``partnership.referral_response_within`` in the landlord's working time (bank holidays and
    closure days skipped), counted from the opening of the office on the day it was made, as a
    case's first response is counted from when its report was received (emh 4.2; WWH 4.0)."""
    within = landlord_profile(case.landlord).partnership.referral_response_within
    calendar = landlord_calendar(case.landlord)
    start = timezone.make_aware(datetime.combine(made_on, calendar.office_open))
    return timezone.localtime(calendar.due_at(start, within.amount, within.unit)).date()


def _basis_problems(consent: str, lawful_basis: str, basis_detail: str) -> dict[str, str]:
    """emh 4.13: without consent, the lawful basis and why sharing without consent is lawful. With
    consent, the basis is consent unless another is named too (a s115 request, say)."""
    if consent not in Consent.values:
        return {"consent": "Say whether the person consented to the referral, refused, or was not asked."}
    problems: dict[str, str] = {}
    if lawful_basis and lawful_basis not in LawfulBasis.values:
        problems["lawful_basis"] = "Choose the lawful basis from the list."
    elif consent != Consent.GIVEN:
        if not lawful_basis or lawful_basis == LawfulBasis.CONSENT:
            problems["lawful_basis"] = (
                "Without consent, choose the lawful basis for sharing the information (emh 4.13)."
            )
        if not basis_detail.strip():
            problems["basis_detail"] = "Say why sharing without consent is lawful here (emh 4.13)."
    check_length(problems, "basis_detail", basis_detail.strip(), "why", REASON_MAX)
    return problems


@transaction.atomic
def referral_make(
    *,
    actor: User,
    case: Case,
    partner: str,
    party: Party | None = None,
    made_on: date | None,
    reason: str,
    consent: str,
    lawful_basis: str = "",
    basis_detail: str = "",
    response_due_on: date | None = None,
    via: str = "web",
) -> Referral:
    """Refer the case (or one of its parties) to a partner agency or forum of the landlord's
    profile (emh 6.1-6.2; a partner not in the profile is refused). Made on a day not in the future
    nor before the case opened, with a reason. Without consent, a lawful basis other than consent
    and why sharing without it is lawful (emh 4.13). The answer is expected by ``response_due_on``
    or, by default, the profile's ``partnership.referral_response_within`` in working time; never
    before it was made. It counts in the case's next due (WWH 4.0 "Monitor Referrals")."""
    case = locked_case(actor, case, "landlord")
    profile = landlord_profile(case.landlord)
    today = timezone.localdate()
    code = partner.strip()
    problems: dict[str, str] = {}
    if not code:
        problems["partner"] = "Choose the partner agency or forum the case is referred to."
    elif profile.partner(code) is None:
        problems["partner"] = f"{code} is not one of {profile.landlord.name}'s partners: choose one from the list."
    if party is not None and (party.case_id != case.pk or party.removed_at is not None):
        problems["party"] = "That person is not a party to this case."
    if made_on is None:
        problems["made_on"] = "Enter the date the referral was made."
    elif made_on > today:
        problems["made_on"] = "The referral cannot be made in the future."
    elif made_on < _opened_on(case):
        problems["made_on"] = "The referral cannot be made before the case's first report was received."
    if not reason.strip():
        problems["reason"] = "Say why the case is referred."
    elif len(reason.strip()) > REASON_MAX:
        problems["reason"] = f"Write the reason in no more than {REASON_MAX:,} characters."
    problems.update(_basis_problems(consent, lawful_basis, basis_detail))
    if response_due_on is not None and made_on is not None and response_due_on < made_on:
        problems["response_due_on"] = "The answer cannot be expected before the referral was made."
    if not case.is_open:
        problems.setdefault("partner", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert made_on is not None
    due_on = response_due_on or referral_default_due(case=case, made_on=made_on)
    basis = lawful_basis or (LawfulBasis.CONSENT if consent == Consent.GIVEN else "")
    referral = Referral.objects.create(
        case=case, partner=code, party=party, made_on=made_on, reason=reason.strip(), consent=consent,
        lawful_basis=basis, basis_detail=basis_detail.strip(), response_due_on=due_on, made_by=actor,
    )  # fmt: skip
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.REFERRAL_MADE, target=case, via=via,
        changes={"referral": [None, referral.pk], "partner": [None, code], "party": [None, party.pk if party else None],
                 "made_on": [None, made_on.isoformat()], "consent": [None, consent], "lawful_basis": [None, basis],
                 "response_due_on": [None, due_on.isoformat()]},
    )  # fmt: skip
    return referral


@transaction.atomic
def referral_response_record(
    *,
    actor: User,
    referral: Referral,
    responded_on: date | None,
    response: str,
    outcome: str = "",
    version: str | None,
    via: str = "web",
) -> Referral:
    """Record the partner's answer to a referral (WWH 4.0 "Monitor Referrals"): when (not before the
    referral was made, not in the future), what they said (required) and what came of it. Recording
    it again corrects it; refused if someone else saved the referral since ``version``."""
    case = locked_case(actor, referral.case, "landlord")
    referral = Referral.objects.select_for_update().get(pk=referral.pk, case=case)
    ensure_unchanged(current=referral.updated_at, seen=version, what="referral")
    today = timezone.localdate()
    problems: dict[str, str] = {}
    if responded_on is None:
        problems["responded_on"] = "Enter the date the partner answered."
    elif responded_on > today:
        problems["responded_on"] = "The answer cannot be recorded as given in the future."
    elif responded_on < referral.made_on:
        problems["responded_on"] = "The partner cannot have answered before the referral was made."
    if not response.strip():
        problems["response"] = "Say what the partner answered."
    elif len(response.strip()) > RESPONSE_MAX:
        problems["response"] = f"Write the answer in no more than {RESPONSE_MAX:,} characters."
    check_length(problems, "outcome", outcome.strip(), "the outcome", RESPONSE_MAX)
    if not case.is_open:
        problems.setdefault("response", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert responded_on is not None
    before = referral.responded_on
    referral.responded_on, referral.response, referral.outcome = responded_on, response.strip(), outcome.strip()
    referral.save(update_fields=["responded_on", "response", "outcome", "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    # The answer and outcome are free text that may name people: the audit says only that they were given.
    audit_record(
        actor=actor, verb=Verb.REFERRAL_ANSWERED, target=case, via=via,
        changes={"referral": [referral.pk, referral.pk], "responded_on": [iso_day(before), responded_on.isoformat()],
                 "outcome": [None, bool(referral.outcome)]},
    )  # fmt: skip
    return referral


@transaction.atomic
def meeting_list(
    *, actor: User, case: Case, forum: str, meets_on: date | None, reason: str, via: str = "web"
) -> PartnershipMeeting:
    """List the case for a partnership meeting (emh 6.2): a *forum* of the profile's partners
    (MARAC, JAG...; an agency is refused: refer the case to it instead), on a date not before the
    case opened, with why it is listed."""
    case = locked_case(actor, case, "landlord")
    profile = landlord_profile(case.landlord)
    code = forum.strip()
    found = profile.partner(code) if code else None
    problems: dict[str, str] = {}
    if not code:
        problems["forum"] = "Choose the meeting the case is listed for."
    elif found is None:
        problems["forum"] = f"{code} is not one of {profile.landlord.name}'s partnership meetings."
    elif found.kind != "forum":
        meetings = ", ".join(_forums(profile)) or "none"
        problems["forum"] = (
            f"{found.label} is an agency, not a meeting: refer the case to it instead, or choose a meeting "
            f"({meetings})."
        )
    if meets_on is None:
        problems["meets_on"] = "Enter the date of the meeting."
    elif meets_on < _opened_on(case):
        problems["meets_on"] = "The meeting cannot be before the case's first report was received."
    if not reason.strip():
        problems["reason"] = "Say why the case is listed for the meeting."
    elif len(reason.strip()) > REASON_MAX:
        problems["reason"] = f"Write the reason in no more than {REASON_MAX:,} characters."
    if not case.is_open:
        problems.setdefault("forum", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert meets_on is not None
    meeting = PartnershipMeeting.objects.create(
        case=case, forum=code, meets_on=meets_on, reason=reason.strip(), listed_by=actor
    )
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.MEETING_LISTED, target=case, via=via,
        changes={"meeting": [None, meeting.pk], "forum": [None, code], "meets_on": [None, meets_on.isoformat()]},
    )  # fmt: skip
    return meeting


@dataclass(frozen=True)
class AgreedAction:
    """One action a meeting agreed: what, who (as ``action_add`` takes it) and by when."""

    description: str
    owner: str
    due_on: date | None
    owner_user: User | None = None
    owner_party: Party | None = None
    owner_partner: str = ""


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    meeting: PartnershipMeeting,
    held: bool,
    summary: str,
    actions: list[AgreedAction] | tuple[AgreedAction, ...] = (),
    version: str | None,
    via: str = "web",
) -> PartnershipMeeting:
    """Record a partnership meeting (emh 6.2): whether the case was discussed (a meeting held is not
    in the future), what it decided or why it was not discussed, and the actions it agreed, which
    join the case's action plan (source "meeting"), each checked as any action is. One bad action
    and nothing is saved. Recording again corrects the summary and adds any further actions;
    refused if someone else saved the meeting since ``version``."""
    case = locked_case(actor, meeting.case, "landlord")
    meeting = PartnershipMeeting.objects.select_for_update().get(pk=meeting.pk, case=case)
    ensure_unchanged(current=meeting.updated_at, seen=version, what="meeting")
    problems: dict[str, str] = {}
    if held and meeting.meets_on > timezone.localdate():
        problems["held"] = "The meeting is on a future date: record it once it has been held."
    if not summary.strip():
        problems["summary"] = "Say what the meeting decided." if held else "Say why the case was not discussed."
    elif len(summary.strip()) > SUMMARY_MAX:
        problems["summary"] = f"Write the summary in no more than {SUMMARY_MAX:,} characters."
    if actions and not held:
        problems["actions"] = (
            "A meeting that did not discuss the case agreed no actions: say it was held, or remove them."
        )
    if not case.is_open:
        problems.setdefault("summary", "This case is closed.")
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    added = []
    for number, agreed in enumerate(actions):
        try:
            action = action_add(
                actor=actor, case=case, description=agreed.description, owner=agreed.owner,
                owner_user=agreed.owner_user, owner_party=agreed.owner_party, owner_partner=agreed.owner_partner,
                due_on=agreed.due_on, source=MEETING_SOURCE, via=via,
            )  # fmt: skip
        except ApplicationError as error:
            # The transaction is undone as this leaves: no action, no meeting change (all or nothing).
            fields = {f"actions.{number}.{name}": message for name, message in error.fields.items()}
            raise ApplicationError(f"Action {number + 1}: {error.message}", fields=fields) from None
        MeetingAction.objects.create(meeting=meeting, action=action)
        added.append(action.pk)
    before: dict[str, Any] = {"held": meeting.held, "summary": bool(meeting.summary)}
    meeting.held, meeting.summary = held, summary.strip()
    meeting.save(update_fields=["held", "summary", "updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.MEETING_RECORDED, target=case, via=via,
        changes={"meeting": [meeting.pk, meeting.pk], "forum": [meeting.forum, meeting.forum],
                 "held": [before["held"], held], "actions": [None, added]},
    )  # fmt: skip
    return meeting
