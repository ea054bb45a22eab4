"""Recording a case review against the profile's checklist (WWH 5.0; emh 7.1) and a team manager's
sign-off of it where the profile asks (``reviews.manager_signoff``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Role, User
from haven.accounts.permissions import can_view_case, can_work_case
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, SignOff
from haven.cases.services.core import case_refresh
from haven.common.errors import ApplicationError
from haven.reviews.models import Conclusion, Review

CLOSED_MESSAGE = "This case is closed; reopen it to review it."
CONFLICT = "conflict"  # the record is not in a state that allows it (the API answers 409)
FORBIDDEN = "forbidden"  # the caller may not do this (the API answers 403)


def answer_field(code: str) -> str:
    """How a refusal names a checklist question's answer (the form calls it ``answer_<code>``)."""
    return f"answers.{code}"


@transaction.atomic
def review_record(
    *,
    actor: User,
    case: Case,
    answers: dict[str, str],
    conclusion: str,
    conclusion_note: str,
    threshold_met: bool | None = None,
    held_at: datetime | None = None,
    via: str = "web",
) -> Review:
    """Record a review of an open case (WWH 5.0): an answer to every question of the profile's
    checklist (``reviews.checklist``), the officer's view on the ASB Case Review threshold
    (optional), the conclusion (continue, escalate, de-escalate, close) and why (required). The
    case's ``last_reviewed_at`` moves to the review and its next review date follows from the
    tier's ``review_every`` (emh 7.1); where ``reviews.manager_signoff``, the review waits for a
    team manager's sign-off. A closed case is not reviewed (issue 7 "Bad input"): nothing changes."""
    case = Case.objects.select_for_update().select_related("landlord").get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot review this case.", code=FORBIDDEN)
    if not case.is_open:
        raise ApplicationError(CLOSED_MESSAGE, code=CONFLICT)
    profile = landlord_profile(case.landlord)
    codes = [item.code for item in profile.reviews.checklist]
    now = timezone.now()
    held_at = held_at or now
    problems: dict[str, str] = {}
    unknown = sorted(set(answers) - set(codes))
    if unknown:
        problems["answers"] = f"These are not questions of this landlord's review checklist: {', '.join(unknown)}."
    for item in profile.reviews.checklist:  # WWH 5.0: the review answers every question of the checklist
        if not str(answers.get(item.code) or "").strip():
            problems[answer_field(item.code)] = f"Answer the question: {item.label}"
    if conclusion not in Conclusion.values:
        problems["conclusion"] = "Choose the conclusion of the review: continue, escalate, de-escalate or close."
    if not conclusion_note.strip():
        problems["conclusion_note"] = "Say why you came to this conclusion."
    if held_at > now + timedelta(minutes=5):
        problems["held_at"] = "The review cannot be in the future."
    elif held_at < case.opened_at:
        problems["held_at"] = "The review cannot be before the case's first report was received."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    review = Review(
        landlord_id=case.landlord_id,
        case=case,
        held_at=held_at,
        by=actor,
        due_at=case.review_due_at,
        answers={code: str(answers[code]).strip() for code in codes},
        threshold_met=threshold_met,
        conclusion=conclusion,
        conclusion_note=conclusion_note.strip(),
        signoff=SignOff.AWAITING if profile.reviews.manager_signoff else SignOff.NOT_NEEDED,
        policy_id=profile.id,
        policy_version=profile.version,
    )
    if case.last_reviewed_at is None or held_at > case.last_reviewed_at:
        case.last_reviewed_at = held_at
        Case.objects.filter(pk=case.pk).update(last_reviewed_at=held_at, updated_at=now)
    case_refresh(case, activity_at=held_at)
    review.next_review_at = case.review_due_at
    review.save()
    audit_record(
        actor=actor,
        verb=Verb.CASE_REVIEWED,
        target=case,
        via=via,
        changes={
            "review": [None, review.pk],
            "conclusion": [None, conclusion],
            "signoff": [None, review.signoff],
            "review_due_at": [_iso(review.due_at), _iso(review.next_review_at)],
        },
    )
    return review


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def may_sign_off(user: User, review: Review) -> bool:
    """A team manager who may see the case, and not the one who held the review, signs off a review
    that awaits it (``reviews.manager_signoff``)."""
    return (
        user.role == Role.MANAGER
        and review.by_id != user.pk
        and review.signoff == SignOff.AWAITING
        and can_view_case(user, review.case)
    )


NOT_MANAGER = "Only a team manager can sign off a review."
OWN_REVIEW = "You held this review, so another team manager must sign it off."


@transaction.atomic
def review_sign_off(*, actor: User, review: Review, decision: str, note: str = "", via: str = "web") -> Review:
    """A team manager signs a review off, or returns it to the officer with a note (the returned
    review stays on record), where the profile asks for it (``reviews.manager_signoff``; WWH 5.0).
    Nobody signs off their own review; a review signed off or returned is not signed again."""
    review = Review.objects.select_for_update().select_related("case", "case__landlord").get(pk=review.pk)
    if actor.role != Role.MANAGER or not can_view_case(actor, review.case):
        raise ApplicationError(NOT_MANAGER, code=FORBIDDEN)
    if review.by_id == actor.pk:
        raise ApplicationError(OWN_REVIEW, code=FORBIDDEN)
    if review.signoff != SignOff.AWAITING:
        message = (
            "This review does not need a sign-off."
            if review.signoff == SignOff.NOT_NEEDED
            else f"This review is already {review.get_signoff_display().lower()}."
        )
        raise ApplicationError(message, code=CONFLICT)
    problems: dict[str, str] = {}
    if decision not in (SignOff.SIGNED_OFF, SignOff.RETURNED):
        problems["decision"] = "Choose whether to sign the review off or return it to the officer."
    if decision == SignOff.RETURNED and not note.strip():
        problems["note"] = "Say what the officer should look at again."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    review.signoff, review.signed_off_by, review.signed_off_at = decision, actor, timezone.now()
    review.signoff_note = note.strip()
    review.save(update_fields=["signoff", "signed_off_by", "signed_off_at", "signoff_note"])
    audit_record(
        actor=actor,
        verb=Verb.REVIEW_SIGNED_OFF,
        target=review.case,
        via=via,
        changes={"review": [None, review.pk], "signoff": [SignOff.AWAITING, decision]},
    )
    return review
