"""A team manager's sign-off of a closure, and complaints about a case (issue 7).

Sign-off (the profile's ``closure.manager_signoff``): a closure made where the profile asks for one
waits as ``awaiting``; a team manager of the landlord, not the person who closed it, signs it off
or returns it to the officer with a note. Returning reopens the case (``case_transition``) with the
manager's note as the reason, so the officer sees why on the timeline. Default: not in seed (no
seed names who signs off a closure; PRODUCT.md gives sign-off to team managers).

Complaints (whg 3.6-3.7): a complaint about how a case was handled goes to the landlord's
Complaints Procedure; one about the outcome is explained and the reporter is told of the ASB Case
Review (whg 3.7), so ``case_review_signposted`` is set for an outcome complaint. Haven records the
complaint against the case with the complaints system's reference and its answer; the complaint
itself is dealt with in the landlord's complaints process (``complaints.process``).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Role, User
from haven.accounts.permissions import can_view_case, can_work_case
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseStatus, Closure, Party, SignOff
from haven.cases.services.workflow import case_transition
from haven.common.errors import ApplicationError
from haven.reviews.models import Complaint, ComplaintAbout, ComplaintStatus

NOTE_MAX = 2000
SUMMARY_MAX = 5000
REFERENCE_MAX = 60
DECISIONS = (SignOff.SIGNED_OFF, SignOff.RETURNED)


def may_sign_off(user: User, closure: Closure) -> bool:
    """A team manager of the case's landlord who did not close it."""
    return (
        user.role == Role.MANAGER
        and user.landlord_id is not None
        and user.landlord_id == closure.case.landlord_id
        and closure.by_id != user.pk
    )


@transaction.atomic
def closure_sign_off(*, actor: User, closure: Closure, decision: str, note: str = "", via: str = "web") -> Closure:
    """Sign off a closure awaiting it, or return it to the officer (the case reopens)."""
    closure = Closure.objects.select_for_update(of=("self",)).select_related("case__landlord").get(pk=closure.pk)
    case = closure.case
    if actor.landlord_id != case.landlord_id or not can_view_case(actor, case):
        raise ApplicationError("No such closure.", code="not_found")
    if actor.role != Role.MANAGER:
        raise ApplicationError("Only a team manager can sign off a closure.", code="forbidden")
    if closure.by_id == actor.pk:
        raise ApplicationError(
            "You closed this case: another team manager must sign off the closure.", code="forbidden"
        )
    if closure.signoff != SignOff.AWAITING or closure.reopened_at is not None:
        message = (
            "This closure is not waiting for a sign-off: the case was reopened since."
            if closure.reopened_at is not None
            else f"This closure is not waiting for a sign-off ({closure.get_signoff_display().lower()})."
        )
        raise ApplicationError(message, code="not_allowed")
    note = note.strip()
    problems = {}
    if decision not in DECISIONS:
        problems["decision"] = "Choose whether to sign off the closure or return it to the officer."
    elif decision == SignOff.RETURNED and not note:
        problems["note"] = "Say why the case is returned to the officer."
    if len(note) > NOTE_MAX:
        problems["note"] = f"Write the note in no more than {NOTE_MAX:,} characters."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    closure.signoff, closure.signed_off_by, closure.signed_off_at, closure.signoff_note = (
        decision, actor, timezone.now(), note
    )  # fmt: skip
    closure.save(update_fields=["signoff", "signed_off_by", "signed_off_at", "signoff_note"])
    audit_record(
        actor=actor, verb=Verb.CLOSURE_SIGNED_OFF, target=case, via=via,
        changes={"closure": [None, closure.pk], "signoff": [SignOff.AWAITING, decision]},
    )  # fmt: skip
    if decision == SignOff.RETURNED and case.status == CaseStatus.CLOSED:
        case_transition(actor=actor, case=case, to=CaseStatus.REOPENED, reason=f"Returned at sign-off: {note}", via=via)
        closure.refresh_from_db()
    return closure


def _complaint_problems(about: str, received_on: date | None, summary: str, reference: str) -> dict[str, str]:
    problems = {}
    if about not in ComplaintAbout.values:
        problems["about"] = "Say whether the complaint is about how the case was handled or about its outcome."
    if received_on is None:
        problems["received_on"] = "Enter the date the complaint was received."
    elif received_on > timezone.localdate():
        problems["received_on"] = "The date the complaint was received cannot be in the future."
    if not summary:
        problems["summary"] = "Say what the complaint is about."
    elif len(summary) > SUMMARY_MAX:
        problems["summary"] = f"Write the summary in no more than {SUMMARY_MAX:,} characters."
    if len(reference) > REFERENCE_MAX:
        problems["complaints_reference"] = f"Write the reference in no more than {REFERENCE_MAX} characters."
    return problems


@transaction.atomic
def complaint_record(
    *, actor: User, case: Case, about: str, received_on: date | None, summary: str, party: Party | None = None,
    complaints_reference: str = "", via: str = "web",
) -> Complaint:  # fmt: skip
    """Record a complaint about the case's handling or outcome (whg 3.6-3.7), open or closed case."""
    case = Case.objects.select_for_update(of=("self",)).select_related("landlord").get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot record complaints for this case.", code="forbidden")
    summary, complaints_reference = summary.strip(), complaints_reference.strip()
    problems = _complaint_problems(about, received_on, summary, complaints_reference)
    if party is not None and party.case_id != case.pk:
        problems["party"] = "Choose a person in this case."
    if received_on is not None and received_on < timezone.localtime(case.opened_at).date():
        problems["received_on"] = "The complaint cannot be received before the case was opened."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert received_on is not None
    complaint = Complaint.objects.create(
        landlord_id=case.landlord_id, case=case, party=party, about=about, received_on=received_on,
        summary=summary, complaints_reference=complaints_reference,
        case_review_signposted=about == ComplaintAbout.OUTCOME, recorded_by=actor,
    )  # fmt: skip
    audit_record(
        actor=actor, verb=Verb.COMPLAINT_RECORDED, target=case, via=via,
        changes={"complaint": [None, complaint.pk], "about": [None, about]},
    )  # fmt: skip
    return complaint


@transaction.atomic
def complaint_answer(
    *, actor: User, complaint: Complaint, answered_on: date | None, answer: str, via: str = "web"
) -> Complaint:
    """Record the answer the complaints process gave, closing the complaint on the case."""
    complaint = Complaint.objects.select_for_update(of=("self",)).select_related("case__landlord").get(pk=complaint.pk)
    if not can_work_case(actor, complaint.case):
        raise ApplicationError("You cannot answer complaints for this case.", code="forbidden")
    if complaint.status == ComplaintStatus.ANSWERED:
        raise ApplicationError("This complaint has already been answered.", code="not_allowed")
    answer = answer.strip()
    problems = {}
    if answered_on is None:
        problems["answered_on"] = "Enter the date the complaint was answered."
    elif answered_on < complaint.received_on:
        problems["answered_on"] = "The answer cannot be before the complaint was received."
    elif answered_on > timezone.localdate():
        problems["answered_on"] = "The date of the answer cannot be in the future."
    if not answer:
        problems["answer"] = "Say what the answer was."
    elif len(answer) > SUMMARY_MAX:
        problems["answer"] = f"Write the answer in no more than {SUMMARY_MAX:,} characters."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    complaint.status, complaint.answered_on, complaint.answer = ComplaintStatus.ANSWERED, answered_on, answer
    complaint.save(update_fields=["status", "answered_on", "answer"])
    audit_record(
        actor=actor, verb=Verb.COMPLAINT_ANSWERED, target=complaint.case, via=via,
        changes={"complaint": [None, complaint.pk], "status": [ComplaintStatus.OPEN, ComplaintStatus.ANSWERED]},
    )  # fmt: skip
    return complaint
