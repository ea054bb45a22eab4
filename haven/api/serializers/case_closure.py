"""Bodies and documents of closures, their sign-off and complaints through the API (issue 7)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers.common import StrictSerializer, choice, text, when
from haven.cases.models import Closure, SignOff
from haven.policies.schema import PolicyProfile
from haven.reviews.models import Complaint, ComplaintAbout
from haven.reviews.services.closure import NOTE_MAX, REFERENCE_MAX, SUMMARY_MAX

DATE_ERRORS: dict[str, Any] = {"invalid": "Give the date as YYYY-MM-DD, like 2026-03-27."}


def _date(help_text: str) -> serializers.DateField:
    return serializers.DateField(help_text=help_text, required=False, allow_null=True, error_messages=DATE_ERRORS)


class SignOffSerializer(StrictSerializer):
    decision = choice([SignOff.SIGNED_OFF, SignOff.RETURNED], help_text="Sign off, or return the case to the officer.")
    note = text(NOTE_MAX, help_text="For the officer; required when returning (it becomes the reopening reason).")


class ComplaintCreateSerializer(StrictSerializer):
    about = choice(ComplaintAbout.choices, help_text="How the case was handled (whg 3.6) or its outcome (whg 3.7).")
    received_on = _date("The day the complaint was received (YYYY-MM-DD). Required.")
    summary = text(SUMMARY_MAX, help_text="What the complaint says. Required.")
    party = serializers.IntegerField(required=False, allow_null=True, help_text="The id of the party who complained.")
    complaints_reference = text(REFERENCE_MAX, help_text="The reference in the landlord's complaints system.")


class ComplaintAnswerSerializer(StrictSerializer):
    answered_on = _date("The day it was answered (YYYY-MM-DD). Required.")
    answer = text(SUMMARY_MAX, help_text="The answer given. Required.")


class ClosureSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    case = serializers.CharField(help_text="The case's reference.")
    closed_at = serializers.CharField()
    closed_by = serializers.CharField()
    closure_reason = serializers.CharField()
    closure_reason_label = serializers.CharField()
    outcome = serializers.CharField()
    resolved = serializers.BooleanField()
    conditions = serializers.ListField(child=serializers.DictField(), help_text="`code`, `label`, `kind`, `met`.")
    signoff = serializers.CharField(help_text="`not_needed`, `awaiting`, `signed_off` or `returned`.")
    signed_off_by = serializers.CharField(allow_null=True)
    signed_off_at = serializers.CharField(allow_null=True)
    signoff_note = serializers.CharField()
    reopened_at = serializers.CharField(allow_null=True)


class ComplaintSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    about = serializers.CharField()
    received_on = serializers.DateField()
    party = serializers.IntegerField(allow_null=True)
    summary = serializers.CharField()
    complaints_reference = serializers.CharField()
    case_review_signposted = serializers.BooleanField()
    status = serializers.CharField()
    answered_on = serializers.DateField(allow_null=True)
    answer = serializers.CharField()
    recorded_by = serializers.CharField()


def closure_document(closure: Closure, profile: PolicyProfile) -> dict[str, Any]:
    return {
        "id": closure.pk, "case": closure.case.reference, "closed_at": when(closure.closed_at),
        "closed_by": closure.by.username, "closure_reason": closure.closure_reason,
        "closure_reason_label": profile.closure.reason_label(closure.closure_reason), "outcome": closure.outcome,
        "resolved": closure.resolved,
        "conditions": [{k: c.get(k) for k in ("code", "label", "kind", "met")} for c in closure.conditions],
        "signoff": closure.signoff,
        "signed_off_by": closure.signed_off_by.username if closure.signed_off_by else None,
        "signed_off_at": when(closure.signed_off_at), "signoff_note": closure.signoff_note,
        "reopened_at": when(closure.reopened_at),
    }  # fmt: skip


def complaint_document(complaint: Complaint) -> dict[str, Any]:
    return {
        "id": complaint.pk, "about": complaint.about, "received_on": complaint.received_on,
        "party": complaint.party_id, "summary": complaint.summary,
        "complaints_reference": complaint.complaints_reference,
        "case_review_signposted": complaint.case_review_signposted, "status": complaint.status,
        "answered_on": complaint.answered_on, "answer": complaint.answer, "recorded_by": complaint.recorded_by.username,
    }  # fmt: skip
