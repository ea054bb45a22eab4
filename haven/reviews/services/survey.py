"""The satisfaction survey at closure (whg 3.3; TSM TP12): the reporter's invitation, their signed
single-use link, and answers recorded by staff.

When a case closes (``survey_on_close``, registered in ``reviews.hooks`` through
``cases.extensions.on_case_closed``, inside the closing transaction) its
reporter is invited: a ``SurveyInvitation`` that works for the profile's ``survey.link_valid``.
The channel follows the reporter's preferred contact (``survey_channel``): an e-mail address gets
the link by e-mail, sent by the task worker after the closure commits (``reviews.tasks``); a
reporter who prefers a phone call, a text (Haven has no text gateway) or a letter waits for the
officer, who asks the questions by phone or prints the link on a letter. An anonymous reporter, a
removed one or one with no way to reach them gets no invitation.

The link is ``/survey/<signed>/``: ``signed`` is the invitation's key with its expiry and the
landlord's policy id, signed by ``TimestampSigner(salt="haven.survey")``, so an altered or expired
link is refused before any database look-up. It works once (``used_at``, set under a row lock so
two submits at once save one answer) and until ``expires_at``; sending a new link withdraws the
open one. The answers are checked against the profile's questions (``survey_answers_check``); the
TP12 answer is kept apart (``SurveyResponse.tp12``) with the policy id and version, for the KPIs.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseStatus, Closure, Party, PartyRole
from haven.common.errors import ApplicationError
from haven.policies.registry import UnknownPolicy, get_profile
from haven.policies.reviews_schema import SurveyQuestion
from haven.policies.schema import PolicyProfile
from haven.reviews.models import SurveyChannel, SurveyInvitation, SurveyResponse, SurveyVia
from haven.reviews.services.survey_mail import AUDIT_ACTOR, SALT, site_url
from haven.reviews.tasks import survey_email_task

TEXT_MAX = 2000
# default: not in seed. A survey is answered once; this bounds the tries (pages sent back with
# errors) one link may make in an hour, as the diary link bounds its entries.
POSTS_PER_HOUR = 30
WINDOW_SECONDS = 60 * 60


# ---- who is invited, and how ------------------------------------------------------------------------


def survey_channel(party: Party) -> str | None:
    """How a reporter is invited, from their preferred contact (whg 3.3): e-mail when they have an
    address and prefer it or state nothing else; a phone call, a text or a letter when they prefer
    one and we have the number or the address; else whatever we have (e-mail, phone, address).
    None for an anonymous reporter, a removed one or one we cannot reach."""
    if party.anonymous or party.removed_at is not None:
        return None
    email, phone = party.email.strip(), party.phone.strip()
    postal = bool(party.address.strip() or party.tenancy_id or party.person_id)
    preferred = party.preferred_contact
    if preferred == "email" and email:
        return SurveyChannel.EMAIL
    if preferred == "phone" and phone:
        return SurveyChannel.PHONE
    if preferred == "text" and phone:
        return SurveyChannel.TEXT
    if preferred == "letter" and postal:
        return SurveyChannel.LETTER
    if email:
        return SurveyChannel.EMAIL
    if phone:
        return SurveyChannel.PHONE
    if postal:
        return SurveyChannel.LETTER
    return None


def survey_reporter(parties: Iterable[Party]) -> tuple[Party | None, str | None, str]:
    """The reporter to invite, their channel, and when there is none, why (in the officer's words)."""
    reporters = [p for p in parties if p.role == PartyRole.REPORTER and p.removed_at is None]
    for party in sorted(reporters, key=lambda p: p.pk):
        channel = survey_channel(party)
        if channel is not None:
            return party, channel, ""
    if not reporters:
        return None, None, "The case has no reporter to ask."
    if all(p.anonymous for p in reporters):
        return None, None, "The reporter is anonymous: we have no way to ask them."
    return None, None, "We have no e-mail address, phone number or address for the reporter."


# ---- the signed link ------------------------------------------------------------------------------


class SurveyRefused(Exception):
    """Why a survey link cannot be used: ``invalid`` (altered or not a link), ``expired``,
    ``withdrawn`` or ``used``; with the landlord's name where it is known."""

    def __init__(self, reason: str, *, landlord_name: str = "", phone: str = "") -> None:
        super().__init__(reason)
        self.reason, self.landlord_name, self.phone = reason, landlord_name, phone


def _unsigned(signed: str) -> tuple[uuid.UUID, datetime, str]:
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(signed)
        key, expiry, policy_id = value.split(".")
        return uuid.UUID(hex=key), datetime.fromtimestamp(int(expiry), tz=UTC), policy_id
    except (signing.BadSignature, ValueError, OverflowError, OSError):
        raise SurveyRefused("invalid") from None


def _refused(reason: str, policy_id: str) -> SurveyRefused:
    try:
        landlord = get_profile(policy_id).landlord
    except UnknownPolicy:
        return SurveyRefused(reason)
    return SurveyRefused(reason, landlord_name=landlord.name, phone=landlord.complaints_phone or "")


def survey_link_open(*, signed: str, now: datetime | None = None, answered: bool = False) -> SurveyInvitation:
    """The invitation behind ``/survey/<signed>/`` with its case and landlord, or ``SurveyRefused``.
    An altered or expired link is refused from its signature alone. With ``answered``, a used
    link is what is wanted (the thank-you page); otherwise it is refused as ``used``."""
    now = now or timezone.now()
    key, expires_at, policy_id = _unsigned(signed)
    if not answered and expires_at <= now:
        raise _refused("expired", policy_id)
    invitation = SurveyInvitation.objects.select_related("case__landlord").filter(key=key).first()
    if invitation is None:
        raise SurveyRefused("invalid")
    if answered:
        if invitation.used_at is None:
            raise SurveyRefused("invalid")
        return invitation
    if invitation.used_at is not None:
        raise _refused("used", policy_id)
    if invitation.withdrawn_at is not None:
        raise _refused("withdrawn", policy_id)
    if invitation.expires_at <= now:
        raise _refused("expired", policy_id)
    return invitation


# ---- answers --------------------------------------------------------------------------------------


def survey_answers_check(
    questions: Iterable[SurveyQuestion], answers: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, str]]:
    """The answers kept (``{code: choice code or text}``, blank ones left out) and the problems
    (``{code: message}``): each answer must be one of its question's choices, a text no longer than
    ``TEXT_MAX``; a required question (TP12 in every bundled profile) must be answered; a code
    that is no question of the profile is refused by name."""
    questions = tuple(questions)
    codes = {q.code for q in questions}
    kept: dict[str, str] = {}
    problems: dict[str, str] = {}
    for code in answers:
        if code not in codes:
            problems[str(code)] = (
                f"'{code}' is not a question of this survey; the questions are: {', '.join(sorted(codes))}."
            )
    for question in questions:
        raw = answers.get(question.code)
        if raw is not None and not isinstance(raw, str):
            problems[question.code] = "Give the answer as text."
            continue
        value = (raw or "").strip()
        if not value:
            if question.required:
                problems[question.code] = "Answer this question: it is the one we must ask everyone."
            continue
        if question.kind == "text":
            if len(value) > TEXT_MAX:
                problems[question.code] = f"Write no more than {TEXT_MAX:,} characters."
                continue
        elif value not in dict(question.choices()):
            labels = "; ".join(label for _, label in question.choices())
            problems[question.code] = f"Choose one of the answers: {labels}."
            continue
        kept[question.code] = value
    return kept, problems


def _checked(profile: PolicyProfile, answers: Mapping[str, Any]) -> dict[str, str]:
    kept, problems = survey_answers_check(profile.survey.questions, answers)
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    if not kept:
        message = "Answer at least one question."
        raise ApplicationError(message, fields={"answers": message})
    return kept


def _tp12(profile: PolicyProfile, kept: Mapping[str, str]) -> str:
    question = profile.survey.measure("tp12")
    return kept.get(question.code, "") if question is not None else ""


# ---- the reporter answers through the link -------------------------------------------------------


def _rate_key(key: uuid.UUID) -> str:
    return f"haven:survey-posts:{key.hex}"


def _recent_posts(invitation: SurveyInvitation, now: float) -> list[float]:
    times = cache.get(_rate_key(invitation.key)) or []
    return [t for t in times if isinstance(t, int | float) and t > now - WINDOW_SECONDS]


def survey_posts_left(invitation: SurveyInvitation) -> bool:
    """Whether the link may send another answer this hour (``POSTS_PER_HOUR``)."""
    return len(_recent_posts(invitation, time.time())) < POSTS_PER_HOUR


def survey_post_counted(invitation: SurveyInvitation) -> None:
    now = time.time()
    cache.set(_rate_key(invitation.key), [*_recent_posts(invitation, now), now], timeout=WINDOW_SECONDS)


@transaction.atomic
def survey_answer(*, signed: str, answers: Mapping[str, Any], now: datetime | None = None) -> SurveyResponse:
    """The reporter's answers through their link: checked against the profile's questions, saved
    once. The invitation is locked, so a second submit (two clicks, two tabs) is refused as
    ``used`` and nothing is saved again."""
    invitation = survey_link_open(signed=signed, now=now)
    profile = landlord_profile(invitation.case.landlord)
    kept = _checked(profile, answers)
    locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.used_at is not None:
        raise _refused("used", profile.id)
    if locked.withdrawn_at is not None:
        raise _refused("withdrawn", profile.id)
    at = timezone.now()
    response = SurveyResponse.objects.create(
        landlord_id=invitation.case.landlord_id, case_id=invitation.case_id, invitation=locked,
        closure_id=locked.closure_id, via=SurveyVia.LINK, answers=kept, tp12=_tp12(profile, kept), answered_at=at,
        policy_id=profile.id, policy_version=profile.version,
    )  # fmt: skip
    locked.used_at = at
    locked.save(update_fields=["used_at"])
    audit_record(
        actor=AUDIT_ACTOR, verb=Verb.SURVEY_ANSWERED, target=invitation.case, via="survey_link",
        changes={"survey_response": [None, response.pk], "via": [None, SurveyVia.LINK]},
    )  # fmt: skip
    return response


# ---- invitations ----------------------------------------------------------------------------------


def _latest_closure(case: Case) -> Closure | None:
    return Closure.objects.filter(case=case).order_by("-closed_at", "-pk").first()


def _invite(
    *, actor: User, case: Case, closure: Closure | None, party: Party, channel: str, site: str
) -> SurveyInvitation:
    """A new invitation (the open ones of the case withdrawn); an e-mailed one is sent by the worker
    once the transaction commits (``reviews.tasks.survey_email_task``)."""
    profile = landlord_profile(case.landlord)
    now = timezone.now()
    valid = profile.survey.link_valid
    SurveyInvitation.objects.filter(case=case, used_at__isnull=True, withdrawn_at__isnull=True).update(withdrawn_at=now)
    invitation = SurveyInvitation.objects.create(
        case=case, closure=closure, party=party, channel=channel, created_by=actor,
        expires_at=landlord_calendar(case.landlord).due_at(now, valid.amount, valid.unit),
    )  # fmt: skip
    if channel == SurveyChannel.EMAIL:
        transaction.on_commit(partial(survey_email_task.enqueue, invitation_id=invitation.pk, site_url=site))
    return invitation


def survey_on_close(case: Case, closure: Closure, actor: User) -> None:
    """At closure (whg 3.3), invite the case's reporter to the survey, unless no reporter can be reached."""
    parties = Party.objects.filter(case=case, role=PartyRole.REPORTER, removed_at__isnull=True)
    party, channel, _ = survey_reporter(parties)
    if party is None or channel is None:
        return
    _invite(actor=actor, case=case, closure=closure, party=party, channel=channel, site=site_url())


@transaction.atomic
def survey_invitation_send(*, actor: User, case: Case, site: str = "", via: str = "web") -> SurveyInvitation:
    """Send the reporter a new survey link: the open one is withdrawn. Only for a closed case, by a
    caseworker, to a reporter we can reach, and not once the survey is answered for this closure."""
    case = Case.objects.select_for_update(of=("self",)).select_related("landlord").get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot send survey links for this case.", code="forbidden")
    if case.status != CaseStatus.CLOSED:
        message = "The survey is for a closed case: close the case first."
        raise ApplicationError(message, fields={"case": message}, code="not_allowed")
    closure = _latest_closure(case)
    if SurveyResponse.objects.filter(case=case, closure=closure).exists():
        message = "The reporter has already answered the survey for this closure."
        raise ApplicationError(message, fields={"case": message}, code="not_allowed")
    party, channel, why = survey_reporter(Party.objects.filter(case=case, role=PartyRole.REPORTER))
    if party is None or channel is None:
        raise ApplicationError(why, fields={"party": why}, code="not_allowed")
    invitation = _invite(actor=actor, case=case, closure=closure, party=party, channel=channel, site=site or site_url())
    if channel != SurveyChannel.EMAIL:
        # Nothing leaves Haven: the officer phones, or prints the link on a letter.
        audit_record(
            actor=actor, verb=Verb.SURVEY_SENT, target=case, via=via,
            changes={"survey_invitation": [None, invitation.pk], "channel": [None, channel]},
        )  # fmt: skip
    return invitation


# ---- answers recorded by staff -------------------------------------------------------------------


@transaction.atomic
def survey_record(
    *, actor: User, case: Case, answers: Mapping[str, Any], via_channel: str = SurveyVia.PHONE, via: str = "web"
) -> SurveyResponse:
    """The reporter's answers taken by phone (or keyed in from paper) by a caseworker, for the case's
    latest closure; the open invitation, if any, is used up. Refused when the case is not closed or
    the survey is already answered for this closure."""
    case = Case.objects.select_for_update(of=("self",)).select_related("landlord").get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot record survey answers for this case.", code="forbidden")
    if via_channel not in (SurveyVia.PHONE, SurveyVia.PAPER):
        message = "Say whether the answers were given by phone or on paper."
        raise ApplicationError(message, fields={"via": message})
    if case.status != CaseStatus.CLOSED:
        message = "The survey is for a closed case: close the case first."
        raise ApplicationError(message, fields={"answers": message}, code="not_allowed")
    closure = _latest_closure(case)
    if SurveyResponse.objects.filter(case=case, closure=closure).exists():
        message = "The survey is already answered for this closure: nothing was saved."
        raise ApplicationError(message, fields={"answers": message}, code="not_allowed")
    profile = landlord_profile(case.landlord)
    kept = _checked(profile, answers)
    invitation = (
        SurveyInvitation.objects.select_for_update()
        .filter(case=case, used_at__isnull=True, withdrawn_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    at = timezone.now()
    response = SurveyResponse.objects.create(
        landlord_id=case.landlord_id, case=case, invitation=invitation, closure=closure, via=via_channel,
        answers=kept, tp12=_tp12(profile, kept), answered_at=at, recorded_by=actor, policy_id=profile.id,
        policy_version=profile.version,
    )  # fmt: skip
    if invitation is not None:
        invitation.used_at = at
        invitation.save(update_fields=["used_at"])
    audit_record(
        actor=actor, verb=Verb.SURVEY_ANSWERED, target=case, via=via,
        changes={"survey_response": [None, response.pk], "via": [None, via_channel]},
    )  # fmt: skip
    return response
