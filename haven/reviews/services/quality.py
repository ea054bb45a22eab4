"""Casework quality reviews (whg 3.5): a team manager scores a sampled case against the profile's
``quality_review.checklist``; and decisions on persistent reports of matters already explained as
not ASB (emh 7.8)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_view_case
from haven.accounts.selectors import landlord_profile
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case
from haven.common.errors import ApplicationError
from haven.policies.schema import PolicyProfile
from haven.reviews.models import PersistentDecision, PersistentReportDecision, QualityAnswer, QualityReview
from haven.reviews.selectors.quality import may_decide_persistent, may_quality_review, persistent_reporter

POINTS = {QualityAnswer.YES.value: 2, QualityAnswer.PARTLY.value: 1, QualityAnswer.NO.value: 0}
NOT_MANAGER = "Only a team manager can make a casework quality review."
NOT_DECIDER = "Only a team manager or an ASB specialist can decide on persistent reports."


def quality_score(profile: PolicyProfile, answers: dict[str, str]) -> tuple[int, int]:
    """whg 3.5 (``quality_review``): 2 for yes, 1 for partly, 0 for no, over 2 for each question
    that applies ("does not apply" counts neither way)."""
    score = out_of = 0
    for item in profile.quality_review.checklist:
        answer = answers.get(item.code)
        if answer in POINTS:
            score += POINTS[answer]
            out_of += 2
    return score, out_of


@transaction.atomic
def quality_review_record(
    *,
    actor: User,
    case: Case,
    answers: dict[str, str],
    notes: str = "",
    learning: str = "",
    sample: str = "",
    via: str = "web",
) -> QualityReview:
    """Score one case against every question of the profile's quality checklist (whg 3.5): a team
    manager of the case's landlord only; every question answered yes, partly, no or does not apply,
    at least one applying; no answer to a question the checklist does not have."""
    if not may_quality_review(actor):
        raise ApplicationError(NOT_MANAGER, code="forbidden")
    if case.landlord_id != actor.landlord_id:
        raise ApplicationError(
            "That case is not one of your landlord's cases.", fields={"case": "Choose one of your landlord's cases."}
        )
    if not can_view_case(actor, case):
        raise ApplicationError("You cannot see that case.", fields={"case": "Choose a case you can see."})
    profile = landlord_profile(case.landlord)
    checklist = profile.quality_review.checklist
    problems: dict[str, str] = {}
    unknown = sorted(set(answers) - {item.code for item in checklist})
    if unknown:
        problems["answers"] = f"These are not questions of your quality checklist: {', '.join(unknown)}."
    for item in checklist:
        if answers.get(item.code) not in QualityAnswer.values:
            problems[item.code] = f"Answer yes, partly, no or does not apply: {item.label}."
    if not problems and all(answers[i.code] == QualityAnswer.NOT_APPLICABLE for i in checklist):
        problems["answers"] = "At least one question must apply to the case."
    if len(sample.strip()) > 60:
        problems["sample"] = "Name the sample in no more than 60 characters."
    if problems:
        first = "Answer every question of the checklist." if any(i.code in problems for i in checklist) else ""
        raise ApplicationError(" ".join([first, *problems.values()]).strip(), fields=problems)
    score, out_of = quality_score(profile, answers)
    review = QualityReview.objects.create(
        landlord_id=case.landlord_id,
        case=case,
        at=timezone.now(),
        by=actor,
        sample=sample.strip(),
        answers={i.code: answers[i.code] for i in checklist},
        score=score,
        out_of=out_of,
        notes=notes.strip(),
        learning=learning.strip(),
        policy_version=profile.version,
    )
    audit_record(
        actor=actor,
        verb=Verb.QUALITY_REVIEWED,
        target=case,
        via=via,
        changes={
            "quality_review": [None, review.pk],
            "score": [None, f"{score}/{out_of}"],
            "sample": [None, review.sample],
        },
    )
    return review


@transaction.atomic
def persistent_decide(
    *, actor: User, reporter: str, decision: str, note: str, now: datetime | None = None, via: str = "web"
) -> PersistentReportDecision:
    """Decide what is done about a reporter the persistent-reports rule surfaced (emh 7.8): offer
    support (a support need or vulnerability), follow the persistent complainant procedure, or no
    action for now, with a note. ``reporter``: the id the list gives. Only a reporter the rule finds
    now can be decided on; the decision keeps the report references counted, so the reporter is
    not surfaced again until a new report arrives."""
    if not may_decide_persistent(actor):
        raise ApplicationError(NOT_DECIDER, code="forbidden")
    problems: dict[str, str] = {}
    if decision not in PersistentDecision.values:
        problems["decision"] = "Choose what is done: offer support, the persistent complainant procedure, or no action."
    if not note.strip():
        problems["note"] = "Say why you made this decision."
    found = persistent_reporter(user=actor, reporter=reporter, now=now)
    if found is None:
        problems["reporter"] = "That reporter has no reports waiting for a decision."
    if problems:
        raise ApplicationError(" ".join(problems.values()), fields=problems)
    assert found is not None and actor.landlord_id is not None
    made = PersistentReportDecision.objects.create(
        landlord_id=actor.landlord_id,
        reporter_key=found.key,
        person_id=found.person_id,
        reporter_label=found.label[:200],
        decision=decision,
        note=note.strip(),
        reports=found.references,
        at=timezone.now(),
        by=actor,
    )
    audit_record(
        actor=actor,
        verb=Verb.PERSISTENT_REPORTS_DECIDED,
        target=made,
        label=f"the reporter of {found.references[-1]}",  # no name, e-mail address or phone number
        landlord_id=actor.landlord_id,
        via=via,
        changes={"decision": [None, decision], "reports": [None, found.references]},
    )
    return made
