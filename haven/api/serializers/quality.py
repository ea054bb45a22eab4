"""Casework quality reviews (whg 3.5) and persistent reports (emh 7.8) in the API: the bodies to
record a quality review and a decision, and how reviews and surfaced reporters are shown.

The request serializers check shapes only; the rules are in ``haven.reviews.services.quality``.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers.common import StrictSerializer, choice, text, when
from haven.reviews.models import PersistentDecision, PersistentReportDecision, QualityAnswer, QualityReview
from haven.reviews.selectors.quality import PersistentReporter

# ---- bodies ---------------------------------------------------------------------------------------


class QualityReviewCreateSerializer(StrictSerializer):
    """A team manager's quality review of one case against the landlord's checklist
    (`quality_review.checklist` of the policy)."""

    what_it_is = "quality review"

    case = text(20, help_text="The case's reference, like ASB-2026-000123. Required.")
    answers = serializers.DictField(
        child=serializers.CharField(max_length=10), required=False, default=dict,
        help_text=f"Each checklist question's code with its answer: {', '.join(QualityAnswer.values)} "
        "(na: does not apply). Every question is answered; at least one applies.",
    )  # fmt: skip
    notes = text(5000, help_text="Notes on the review.")
    learning = text(5000, help_text="What the officer or team should learn or change.")
    sample = text(60, help_text="The name of the sample the case was drawn in, like 2026-12.")


class PersistentDecisionCreateSerializer(StrictSerializer):
    """The decision on a reporter surfaced for persistent reports (emh 7.8)."""

    what_it_is = "decision"

    decision = choice(
        PersistentDecision.choices, required=False, allow_blank=True, help_text="What will be done. Required."
    )
    note = text(5000, help_text="Why. Required.")


# ---- documents ------------------------------------------------------------------------------------


class QualityReviewSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    case = serializers.CharField(help_text="The case's reference.")
    at = serializers.DateTimeField()
    by = serializers.CharField(help_text="The user name of the manager.")
    sample = serializers.CharField()
    answers = serializers.DictField(child=serializers.CharField(), help_text="Each question's code with its answer.")
    score = serializers.IntegerField(help_text="2 for yes, 1 for partly, 0 for no.")
    out_of = serializers.IntegerField(help_text="2 for each question that applies.")
    notes = serializers.CharField()
    learning = serializers.CharField()
    policy_version = serializers.CharField()


def quality_review_document(review: QualityReview) -> dict[str, Any]:
    """A quality review; ``case`` and ``by`` should be selected."""
    return {
        "id": review.pk, "case": review.case.reference, "at": when(review.at), "by": review.by.get_username(),
        "sample": review.sample, "answers": dict(review.answers), "score": review.score, "out_of": review.out_of,
        "notes": review.notes, "learning": review.learning, "policy_version": review.policy_version,
    }  # fmt: skip


class EarlierDecisionSerializer(serializers.Serializer[Any]):
    decision = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()
    by = serializers.CharField()


class PersistentReporterSerializer(serializers.Serializer[Any]):
    id = serializers.CharField(help_text="An opaque id for the decision: POST .../persistent-reporters/{id}/decision.")
    name = serializers.CharField()
    person = serializers.IntegerField(allow_null=True, help_text="The register person, when known.")
    count = serializers.IntegerField(help_text="Reports triaged as not ASB in the window.")
    reports = serializers.ListField(child=serializers.CharField(), help_text="Their references, oldest first.")
    new_reports = serializers.ListField(child=serializers.CharField(), help_text="Those no earlier decision counted.")
    first_received_at = serializers.DateTimeField()
    latest_received_at = serializers.DateTimeField()
    earlier_decision = EarlierDecisionSerializer(allow_null=True)


def decision_brief(decision: PersistentReportDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "decision": decision.decision,
        "note": decision.note,
        "at": when(decision.at),
        "by": decision.by.get_username(),
    }


def persistent_reporter_document(row: PersistentReporter) -> dict[str, Any]:
    return {
        "id": row.id, "name": row.label, "person": row.person_id, "count": row.count,
        "reports": list(row.references), "new_reports": list(row.new), "first_received_at": when(row.first_at),
        "latest_received_at": when(row.latest_at), "earlier_decision": decision_brief(row.earlier),
    }  # fmt: skip


class PersistentDecisionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    decision = serializers.CharField()
    note = serializers.CharField()
    reports = serializers.ListField(child=serializers.CharField(), help_text="The report references counted.")
    at = serializers.DateTimeField()
    by = serializers.CharField()


def persistent_decision_document(decision: PersistentReportDecision) -> dict[str, Any]:
    return {
        "id": decision.pk, "decision": decision.decision, "note": decision.note, "reports": list(decision.reports),
        "at": when(decision.at), "by": decision.by.get_username(),
    }  # fmt: skip
