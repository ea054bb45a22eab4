"""Every write to an agreement's breaches and reviews (ABC, GNA, Parenting Contract; issue 6:
agreements "hold their terms, start and review or end dates, signatories, and breaches (date, term
broken, evidence, response); a review falling due shows on the case"). Recording the agreement
itself is ``services.toolkit.intervention_record``.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.cases.services.core import case_refresh
from haven.common.errors import ApplicationError
from haven.interventions.models import AgreementBreach, AgreementReview, AgreementTerm, Intervention, InterventionStatus
from haven.interventions.services.common import day, iso_day, text_problem
from haven.interventions.services.toolkit import EVIDENCE_MAX, NOTES_MAX, OUTCOME_MAX, locked_intervention


def _agreement(actor: User, intervention: Intervention) -> tuple[Case, Intervention]:
    case, intervention = locked_intervention(actor, intervention)
    if not intervention.agreement:
        raise ApplicationError(f"{intervention.label} is not an agreement: it has no terms, breaches or reviews.")
    if not case.is_open:
        raise ApplicationError("This case is closed.")
    return case, intervention


@transaction.atomic
def agreement_breach_record(
    *,
    actor: User,
    intervention: Intervention,
    term: AgreementTerm | None,
    occurred_on: date | None,
    evidence: str,
    response: str,
    via: str = "web",
) -> AgreementBreach:
    """Record a breach of an agreement (issue 6: "breaches (date, term broken, evidence,
    response)"): a term of this agreement, on a date while it was in force (not before it started,
    not after it ended, not in the future), the evidence and the landlord's response."""
    case, intervention = _agreement(actor, intervention)
    today = timezone.localdate()
    evidence, response = evidence.strip(), response.strip()
    problems: dict[str, str] = {}
    if term is None:
        problems["term"] = "Choose the term that was broken."
    elif term.intervention_id != intervention.pk:
        problems["term"] = "That is not a term of this agreement."
    ended = intervention.ends_on
    if intervention.ended_on is not None and (ended is None or intervention.ended_on < ended):
        ended = intervention.ended_on
    if occurred_on is None:
        problems["occurred_on"] = "Enter the date of the breach."
    elif occurred_on > today:
        problems["occurred_on"] = "The breach cannot be in the future."
    elif occurred_on < intervention.started_on:
        problems["occurred_on"] = f"The agreement only started on {day(intervention.started_on)}."
    elif ended is not None and occurred_on > ended:
        problems["occurred_on"] = f"The agreement had ended on {day(ended)}."
    if not evidence:
        problems["evidence"] = "Say what the evidence of the breach is."
    elif message := text_problem(evidence, EVIDENCE_MAX, "the evidence"):
        problems["evidence"] = message
    if not response:
        problems["response"] = "Say how the landlord responded to the breach."
    elif message := text_problem(response, EVIDENCE_MAX, "the response"):
        problems["response"] = message
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert term is not None and occurred_on is not None
    breach = AgreementBreach.objects.create(
        intervention=intervention, term=term, occurred_on=occurred_on, evidence=evidence, response=response,
        recorded_by=actor,
    )  # fmt: skip
    intervention.save(update_fields=["updated_at"])
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.AGREEMENT_BREACHED, target=case, via=via,
        changes={"intervention": [intervention.pk, intervention.pk], "breach": [None, breach.pk],
                 "term": [None, term.number], "occurred_on": [None, occurred_on.isoformat()]},
    )  # fmt: skip
    return breach


@transaction.atomic
def agreement_review(
    *,
    actor: User,
    intervention: Intervention,
    reviewed_on: date | None,
    notes: str,
    next_review_on: date | None = None,
    end: bool = False,
    outcome: str = "",
    via: str = "web",
) -> AgreementReview:
    """Review an agreement in place (issue 6: "a review falling due shows on the case"): when (not
    before it started, not in the future), what was found, and either the next review date (after
    this review, not after the agreement ends), which becomes the agreement's ``review_on``, or the
    end of the agreement (completed, with its outcome)."""
    case, intervention = _agreement(actor, intervention)
    today = timezone.localdate()
    notes, outcome = notes.strip(), outcome.strip()
    problems: dict[str, str] = {}
    if not intervention.is_active:
        problems["reviewed_on"] = "This agreement has already ended; there is nothing to review."
    elif reviewed_on is None:
        problems["reviewed_on"] = "Enter the date of the review."
    elif reviewed_on > today:
        problems["reviewed_on"] = "The review cannot be in the future."
    elif reviewed_on < intervention.started_on:
        problems["reviewed_on"] = f"The agreement only started on {day(intervention.started_on)}."
    if not notes:
        problems["notes"] = "Say what the review found."
    elif message := text_problem(notes, NOTES_MAX, "the notes"):
        problems["notes"] = message
    if end:
        if next_review_on is not None:
            problems["next_review_on"] = "Either set the next review date or end the agreement, not both."
        if not outcome:
            problems["outcome"] = "Say what came of the agreement."
        elif message := text_problem(outcome, OUTCOME_MAX, "the outcome"):
            problems["outcome"] = message
    elif next_review_on is None:
        problems["next_review_on"] = "Give the date of the next review, or end the agreement."
    elif reviewed_on is not None and next_review_on <= reviewed_on:
        problems["next_review_on"] = "The next review must be after this one."
    elif intervention.ends_on is not None and next_review_on > intervention.ends_on:
        problems["next_review_on"] = f"The agreement ends on {day(intervention.ends_on)}: review it by then."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert reviewed_on is not None
    review = AgreementReview.objects.create(
        intervention=intervention, reviewed_on=reviewed_on, notes=notes, next_review_on=None if end else next_review_on,
        reviewed_by=actor,
    )  # fmt: skip
    review_before, status_before = intervention.review_on, intervention.status
    intervention.review_on = None if end else next_review_on
    fields = ["review_on", "updated_at"]
    if end:
        intervention.status, intervention.ended_on, intervention.outcome = (
            InterventionStatus.COMPLETED,
            reviewed_on,
            outcome,
        )
        fields += ["status", "ended_on", "outcome"]
    intervention.save(update_fields=fields)
    case_refresh(case, activity_at=timezone.now())
    audit_record(
        actor=actor, verb=Verb.AGREEMENT_REVIEWED, target=case, via=via,
        changes={"intervention": [intervention.pk, intervention.pk], "review": [None, review.pk],
                 "reviewed_on": [None, reviewed_on.isoformat()],
                 "review_on": [iso_day(review_before), iso_day(intervention.review_on)],
                 "status": [status_before, intervention.status]},
    )  # fmt: skip
    return review
