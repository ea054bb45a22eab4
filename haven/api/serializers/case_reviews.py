"""Case reviews in the API (issue 7; WWH 5.0, emh 7.1): the bodies to record a review and sign one
off, and how a review and a case's review date are shown.

The request serializers check shapes only; the rules (every checklist question answered, a reason
for the conclusion, who may sign off) are in ``haven.reviews.services.reviews``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers.common import AwareDateTimeField, StrictSerializer, choice, text, when
from haven.cases.models import Case, SignOff
from haven.policies.schema import PolicyProfile
from haven.reviews.models import Conclusion, Review
from haven.reviews.selectors.reviews import review_answers

DECISIONS = [(SignOff.SIGNED_OFF.value, SignOff.SIGNED_OFF.label), (SignOff.RETURNED.value, SignOff.RETURNED.label)]
STATES = ["overdue", "due", "awaiting_signoff"]

# ---- bodies ---------------------------------------------------------------------------------------


class CaseReviewCreateSerializer(StrictSerializer):
    """A review of an open case against the landlord's checklist (`GET /api/v1/policy`:
    `reviews.checklist`)."""

    what_it_is = "review"

    answers = serializers.DictField(
        child=serializers.CharField(max_length=5000, allow_blank=True, trim_whitespace=True), required=False,
        help_text="An answer for every question of the landlord's review checklist, by its code. Required.",
    )  # fmt: skip
    threshold_met = serializers.BooleanField(
        required=False, allow_null=True, help_text="In the officer's view, does the case reach the ASB Case Review "
        "threshold? Null when not sure yet.",
    )  # fmt: skip
    conclusion = choice(Conclusion.choices, required=False, help_text="The officer's conclusion. Required.")
    conclusion_note = text(5000, help_text="Why the officer came to this conclusion. Required.")
    held_at = AwareDateTimeField(
        required=False, allow_null=True, help_text="When the review was held; default now. Not in the future."
    )


class CaseReviewSignOffSerializer(StrictSerializer):
    """A team manager's sign-off of a review awaiting it."""

    what_it_is = "sign-off"

    decision = choice(DECISIONS, required=False, help_text="Sign the review off, or return it to the officer.")
    note = text(5000, help_text="What the officer should look at again: required to return it.")


# ---- documents ------------------------------------------------------------------------------------


class CaseReviewAnswerSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    question = serializers.CharField(help_text="The question as the checklist asks it.")
    answer = serializers.CharField()


class CaseReviewSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    case = serializers.CharField(help_text="The case reference.")
    held_at = serializers.DateTimeField()
    by = serializers.CharField(help_text="The user name of whoever held the review.")
    due_at = serializers.DateTimeField(allow_null=True, help_text="The review date the review met.")
    answers = CaseReviewAnswerSerializer(many=True)
    threshold_met = serializers.BooleanField(allow_null=True)
    conclusion = serializers.ChoiceField(choices=Conclusion.choices)
    conclusion_note = serializers.CharField()
    next_review_at = serializers.DateTimeField(allow_null=True, help_text="The review date set by this review.")
    signoff = serializers.ChoiceField(choices=SignOff.choices)
    signed_off_by = serializers.CharField(allow_null=True, help_text="The user name of the manager.")
    signed_off_at = serializers.DateTimeField(allow_null=True)
    signoff_note = serializers.CharField(allow_blank=True)
    policy_version = serializers.CharField()


class CaseReviewDueSerializer(serializers.Serializer[Any]):
    case = serializers.CharField(help_text="The case reference.")
    officer = serializers.CharField(allow_null=True, help_text="The user name of the case's officer.")
    review_due_at = serializers.DateTimeField(allow_null=True)
    last_reviewed_at = serializers.DateTimeField(allow_null=True)
    state = choice(STATES, help_text="Overdue, due soon, or a review awaiting a manager's sign-off.")
    review = CaseReviewSerializer(allow_null=True, help_text="For `awaiting_signoff`: the review waiting.")


def review_document(review: Review, profile: PolicyProfile) -> dict[str, Any]:
    return {
        "id": review.pk, "case": review.case.reference, "held_at": when(review.held_at),
        "by": review.by.get_username(), "due_at": when(review.due_at),
        "answers": [{"code": code, "question": question, "answer": answer}
                    for code, question, answer in review_answers(review, profile)],
        "threshold_met": review.threshold_met, "conclusion": review.conclusion,
        "conclusion_note": review.conclusion_note, "next_review_at": when(review.next_review_at),
        "signoff": review.signoff,
        "signed_off_by": review.signed_off_by.get_username() if review.signed_off_by else None,
        "signed_off_at": when(review.signed_off_at), "signoff_note": review.signoff_note,
        "policy_version": review.policy_version,
    }  # fmt: skip


def review_due_document(case: Case, state: str, review: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "case": case.reference, "officer": case.officer.get_username() if case.officer else None,
        "review_due_at": when(case.review_due_at), "last_reviewed_at": when(case.last_reviewed_at), "state": state,
        "review": review,
    }  # fmt: skip
