"""Risk and vulnerability on a case: the officer's full assessment of each affected party from the
profile's matrix (emh 4.4), the support needs of the people involved, usually the reported person
(emh 4.7-4.8), and safeguarding concerns with their referral (emh 4.11-4.14; livv 4 MASH).

Assessments, needs and concerns hold special category data (health, disability, abuse): the audit
events name ids, codes, bands and scores only, never the answers' meaning, descriptions or notes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import (
    Case,
    Party,
    PartyRole,
    RiskAssessment,
    SafeguardingAbout,
    SafeguardingConcern,
    SupportNeed,
    SupportNeedKind,
)
from haven.cases.services.core import case_refresh, flag_rows_sync
from haven.common.errors import ApplicationError
from haven.policies.matrix import MatrixAnswersError, score_matrix
from haven.policies.schema import RESTRICTING_FLAGS, Flag

# emh 4.4: the full assessment is of the complainant; "other affected parties" are the household and
# witnesses. The reported person's needs are support needs (emh 4.7-4.8), not a victim assessment.
ASSESSED_ROLES = frozenset({PartyRole.REPORTER, PartyRole.WITNESS, PartyRole.HOUSEHOLD})
NOTES_MAX = 5000
TEXT_MAX = 5000
CLOCK_SLACK = timedelta(minutes=5)  # a device clock a little ahead is not "the future"


def _locked(case: Case, actor: User, refusal: str) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError(refusal)
    return case


def _party_problem(case: Case, party: Party | None, *, required: bool) -> str | None:
    if party is None:
        return "Choose who this is about." if required else None
    if party.case_id != case.pk:
        return "That person is not a party to this case."
    if party.removed_at is not None:
        return "That person has been taken off the case."
    return None


def _date_problem(value: date | None, *, what: str, not_before: date | None = None) -> str | None:
    today = timezone.localdate()
    if value is None:
        return None
    if value > today:
        return f"The {what} cannot be in the future."
    if not_before is not None and value < not_before:
        return f"The {what} cannot be before {not_before:%-d %B %Y}."
    return None


def _refuse(problems: dict[str, str]) -> None:
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)


# ---- the full risk and vulnerability assessment (emh 4.4) -------------------------------------------


@transaction.atomic
def risk_assess(
    *,
    actor: User,
    case: Case,
    party: Party | None,
    answers: dict[str, Any],
    notes: str = "",
    assessed_at: datetime | None = None,
    via: str = "web",
) -> RiskAssessment:
    """Record a full risk and vulnerability assessment of one affected party of an open case from
    the landlord's matrix (emh 4.4: the case officer completes it once complete details are known,
    and reviews it through the case). Every question must be answered (``answers``: question code
    -> option code). Each assessment is a new row, so the history is kept; it stores the matrix
    version, the policy id and version, the score, the band, the tier the band proposes and the
    case's tier at the time. The tier is not changed here: a change of band proposes a change of
    tier, which the officer makes by re-categorising (emh 4.3; WWH 3.0)."""
    case = _locked(case, actor, "You cannot record risk assessments on this case.")
    profile = landlord_profile(case.landlord)
    problems: dict[str, str] = {}
    if not case.is_open:
        problems["party"] = "This case is closed; reopen it to assess risk again."
    wrong_party = _party_problem(case, party, required=True)
    if wrong_party:
        problems["party"] = wrong_party
    elif party is not None and party.role not in ASSESSED_ROLES:
        problems["party"] = (
            f"The risk assessment is for the people affected, not a {party.get_role_display().lower()}. "
            "Record the reported person's support needs instead (emh 4.7-4.8)."
        )
    now = timezone.now()
    at = assessed_at or now
    if at > now + CLOCK_SLACK:
        problems["assessed_at"] = "The assessment cannot be in the future."
    elif at < case.opened_at:
        problems["assessed_at"] = "The assessment cannot be before the case's first report was received."
    if len(notes) > NOTES_MAX:
        problems["notes"] = f"Keep the notes to {NOTES_MAX} characters or fewer."
    result = None
    try:
        result = score_matrix(profile=profile, answers=answers if isinstance(answers, dict) else {})
    except MatrixAnswersError as failure:
        problems.update(failure.problems)
    _refuse(problems)
    assert result is not None and party is not None
    previous = (
        RiskAssessment.objects.filter(case=case, party=party).order_by("-assessed_at", "-pk").values("band", "score")
    ).first()
    assessment = RiskAssessment.objects.create(
        case=case,
        party=party,
        matrix_version=result.matrix_version,
        policy_id=profile.id,
        policy_version=profile.version,
        answers=result.answers,
        score=result.score,
        band=result.band.code,
        proposed_tier=result.proposed_tier,
        tier_at_assessment=case.tier,
        assessed_at=at,
        assessed_by=actor,
        notes=notes.strip(),
    )
    case_refresh(case, activity_at=at)
    audit_record(
        actor=actor,
        verb=Verb.RISK_ASSESSED,
        target=case,
        via=via,
        changes={
            "assessment": [None, assessment.pk],
            "party": [None, party.pk],
            "band": [previous["band"] if previous else None, result.band.code],
            "score": [previous["score"] if previous else None, result.score],
            "proposed_tier": [None, result.proposed_tier],
            "tier_at_assessment": [None, case.tier],
            "matrix_version": [None, result.matrix_version],
        },
    )
    return assessment


# ---- support needs (emh 4.7-4.8) --------------------------------------------------------------------


@transaction.atomic
def support_need_record(
    *,
    actor: User,
    case: Case,
    party: Party | None,
    kind: str,
    description: str,
    referred_to: str = "",
    referred_on: date | None = None,
    outcome: str = "",
    via: str = "web",
) -> SupportNeed:
    """Record a support need of a party of an open case, usually the reported person's (emh 4.7:
    the people causing ASB may be vulnerable, and leaving needs unaddressed prolongs the harm; 4.8:
    consider support and referral to another agency). A referral needs both to whom and when. A
    support need does not stop or delay enforcement (emh 4.10, twin track)."""
    case = _locked(case, actor, "You cannot record support needs on this case.")
    problems: dict[str, str] = {}
    if not case.is_open:
        problems["party"] = "This case is closed; reopen it to record a support need."
    wrong_party = _party_problem(case, party, required=True)
    if wrong_party:
        problems["party"] = wrong_party
    if kind not in SupportNeedKind.values:
        problems["kind"] = f"Choose the kind of need: {', '.join(SupportNeedKind.values)}."
    if not description.strip():
        problems["description"] = "Describe the support need."
    elif len(description) > TEXT_MAX:
        problems["description"] = f"Keep the description to {TEXT_MAX} characters or fewer."
    referred_to = referred_to.strip()
    if referred_to and referred_on is None:
        problems["referred_on"] = "Enter the date of the referral."
    elif referred_on is not None and not referred_to:
        problems["referred_to"] = "Say which agency or service the referral was made to."
    late = _date_problem(referred_on, what="referral date")
    if late:
        problems["referred_on"] = late
    if len(referred_to) > 200:
        problems["referred_to"] = "Keep the agency or service to 200 characters or fewer."
    if len(outcome) > TEXT_MAX:
        problems["outcome"] = f"Keep the outcome to {TEXT_MAX} characters or fewer."
    _refuse(problems)
    assert party is not None
    need = SupportNeed.objects.create(
        case=case,
        party=party,
        kind=kind,
        description=description.strip(),
        referred_to=referred_to,
        referred_on=referred_on,
        outcome=outcome.strip(),
        recorded_by=actor,
    )
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor,
        verb=Verb.SUPPORT_NEED_RECORDED,
        target=case,
        via=via,
        changes={
            "support_need": [None, need.pk],
            "party": [None, party.pk],
            "kind": [None, kind],
            "referred_on": [None, referred_on.isoformat() if referred_on else None],
        },
    )
    return need


# ---- safeguarding (emh 4.11-4.14; livv 4 MASH; pnp 6.2, 7.1.2) ---------------------------------------


@transaction.atomic
def safeguarding_concern_record(
    *,
    actor: User,
    case: Case,
    about: str,
    concern: str,
    referred: bool,
    party: Party | None = None,
    raised_on: date | None = None,
    referred_to: str = "",
    referred_on: date | None = None,
    referral_reference: str = "",
    no_referral_reason: str = "",
    via: str = "web",
) -> SafeguardingConcern:
    """Record a safeguarding concern about an adult at risk or a child (emh 4.11-4.14: every
    employee has a duty to act; a concern overrides confidentiality toward the statutory authorities
    as long as it is recorded, 4.13). Either it was referred (to whom, when, and the reference if
    one was given: MASH, adult or children's social care, livv 4) or the reason it was not is
    required. The duty does not end with the case, so a concern can be recorded on a closed case.

    Raising a concern adds the ``safeguarding`` flag, which makes the case restricted: from then
    on only its officer, ASB specialists and managers see it."""
    case = _locked(case, actor, "You cannot record safeguarding concerns on this case.")
    problems: dict[str, str] = {}
    if about not in SafeguardingAbout.values:
        problems["about"] = "Say whether the concern is about an adult at risk or a child."
    wrong_party = _party_problem(case, party, required=False)
    if wrong_party:
        problems["party"] = wrong_party
    if not concern.strip():
        problems["concern"] = "Describe the safeguarding concern."
    elif len(concern) > TEXT_MAX:
        problems["concern"] = f"Keep the description to {TEXT_MAX} characters or fewer."
    today = timezone.localdate()
    raised = raised_on or today
    opened_on = timezone.localdate(case.opened_at)
    late = _date_problem(raised, what="date the concern was raised", not_before=opened_on)
    if late:
        problems["raised_on"] = late
    referred_to, referral_reference = referred_to.strip(), referral_reference.strip()
    no_referral_reason = no_referral_reason.strip()
    if referred:
        if not referred_to:
            problems["referred_to"] = "Say who the concern was referred to, for example the MASH."
        elif len(referred_to) > 200:
            problems["referred_to"] = "Keep who it was referred to to 200 characters or fewer."
        if referred_on is None:
            problems["referred_on"] = "Enter the date of the referral."
        else:
            late = _date_problem(referred_on, what="referral date", not_before=raised)
            if late:
                problems["referred_on"] = late
        if len(referral_reference) > 100:
            problems["referral_reference"] = "Keep the referral reference to 100 characters or fewer."
        if no_referral_reason:
            problems["no_referral_reason"] = "A referral was made: leave the reason for not referring blank."
    else:
        if not no_referral_reason:
            problems["no_referral_reason"] = "Say why no referral was made (emh 4.13: all activity is recorded)."
        if referred_to or referred_on or referral_reference:
            problems["referred"] = "You said no referral was made: leave the referral details blank."
    _refuse(problems)
    record = SafeguardingConcern.objects.create(
        case=case,
        party=party,
        about=about,
        concern=concern.strip(),
        raised_on=raised,
        raised_by=actor,
        referred=referred,
        referred_to=referred_to if referred else "",
        referred_on=referred_on if referred else None,
        referral_reference=referral_reference if referred else "",
        no_referral_reason="" if referred else no_referral_reason,
    )
    _flag_safeguarding(actor=actor, case=case, via=via)
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor,
        verb=Verb.SAFEGUARDING_RECORDED,
        target=case,
        via=via,
        changes={
            "concern": [None, record.pk],
            "about": [None, about],
            "party": [None, party.pk if party else None],
            "referred": [None, referred],
            "referred_on": [None, referred_on.isoformat() if referred and referred_on else None],
        },
    )
    return record


def _flag_safeguarding(*, actor: User, case: Case, via: str) -> None:
    """Add the safeguarding flag, and with it the restriction, as re-categorising does
    (services.core.case_recategorise); the flag rows follow (flag_rows_sync)."""
    if Flag.SAFEGUARDING.value in case.flags:
        return
    before = list(case.flags)
    case.flags = sorted({*before, Flag.SAFEGUARDING.value})
    case.restricted = bool(set(case.flags) & {f.value for f in RESTRICTING_FLAGS})
    case.save(update_fields=["flags", "restricted", "updated_at"])
    flag_rows_sync(case)
    audit_record(
        actor=actor, verb=Verb.CASE_FLAGS_CHANGED, target=case, via=via, changes={"flags": [before, case.flags]}
    )
