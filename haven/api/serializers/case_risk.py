"""Risk and vulnerability in the API: the bodies of a full risk assessment (emh 4.4), a support need
(emh 4.7-4.8) and a safeguarding concern (emh 4.11-4.14), and how each is shown.

The request serializers check shapes; the rules (the matrix's questions and options, referrals)
are in ``haven.policies.matrix`` and ``haven.cases.services.risk``. Special category details (the
answers, notes, descriptions) are shown only when ``special`` is true: the caller may see them
(``can_view_special_category``).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from haven.api.serializers.cases import PartyField
from haven.api.serializers.common import AwareDateTimeField, StrictSerializer, choice, text, when
from haven.cases.models import (
    RiskAssessment,
    SafeguardingAbout,
    SafeguardingConcern,
    SupportNeed,
    SupportNeedKind,
)
from haven.cases.selectors.risk import band_label, tier_label
from haven.common.stale import version_of
from haven.policies.schema import PolicyProfile

DATE_ERRORS: dict[str, Any] = {"invalid": "Give the date as YYYY-MM-DD, like 2026-03-27."}


def _date(help_text: str, **options: Any) -> serializers.DateField:
    options.setdefault("required", False)
    options.setdefault("allow_null", True)
    return serializers.DateField(help_text=help_text, error_messages=DATE_ERRORS, **options)


# ---- bodies ---------------------------------------------------------------------------------------


class RiskAssessmentCreateSerializer(StrictSerializer):
    """A full risk and vulnerability assessment of one affected party (emh 4.4)."""

    what_it_is = "risk assessment"

    party = PartyField(
        help_text='A party id from the case (the reporter, a witness or a household member), or "reporter".'
    )
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text=(
            "Question code -> option code, one for every question of the landlord's `risk_matrix` "
            "(GET /api/v1/policy). Unknown and missing codes are refused, each named."
        ),
        error_messages={"not_a_dict": "Send the answers as an object of question code to option code."},
    )
    notes = text(5000, help_text="What the person said and what support was offered (emh 4.5).")
    assessed_at = AwareDateTimeField(
        required=False, allow_null=True, help_text="When it was done. Default now; not in the future."
    )


class SupportNeedCreateSerializer(StrictSerializer):
    """A support need of a party, usually the reported person (emh 4.7-4.8)."""

    what_it_is = "support need"

    party = PartyField(help_text='A party id from the case, or "reporter".')
    kind = choice(SupportNeedKind.choices, help_text="The kind of need.")
    description = text(5000, help_text="The need. Required.")
    referred_to = text(200, help_text="The agency or service it was referred to, if any; needs referred_on.")
    referred_on = _date("The date of the referral; needs referred_to. Not in the future.")
    outcome = text(5000, help_text="What came of it so far.")


class SafeguardingConcernCreateSerializer(StrictSerializer):
    """A safeguarding concern and its referral (emh 4.11-4.14; livv 4: the MASH)."""

    what_it_is = "safeguarding concern"

    about = choice(SafeguardingAbout.choices, help_text="An adult at risk or a child.")
    party = PartyField(required=False, allow_null=True, help_text="The party it is about, if one of the case's.")
    concern = text(5000, help_text="The concern. Required.")
    raised_on = _date("When it was raised. Default today; not in the future nor before the case opened.")
    referred = serializers.BooleanField(help_text="Whether it was referred. Required.")
    referred_to = text(200, help_text="When referred: to whom, for example the MASH. Required then.")
    referred_on = _date("When referred: the date. Required then.")
    referral_reference = text(100, help_text="When referred: their reference, if given.")
    no_referral_reason = text(5000, help_text="When not referred: why not. Required then.")


# ---- how they are shown ---------------------------------------------------------------------------


class PolicyOfSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    version = serializers.CharField()
    matrix_version = serializers.CharField()


class RiskAssessmentSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    party = serializers.IntegerField(help_text="The party's id.")
    assessed_at = serializers.DateTimeField()
    assessed_by = serializers.CharField(help_text="The user name of the officer.")
    score = serializers.IntegerField()
    band = serializers.CharField(help_text="A band code of the matrix.")
    band_label = serializers.CharField()
    proposed_tier = serializers.CharField(allow_blank=True, help_text="The tier the band proposes.")
    proposed_tier_label = serializers.CharField(allow_blank=True)
    tier_at_assessment = serializers.CharField()
    policy = PolicyOfSerializer()
    answers = serializers.DictField(
        child=serializers.CharField(), allow_null=True,
        help_text="Question code -> option code; null unless the caller may see special category data.",
    )  # fmt: skip
    notes = serializers.CharField(allow_null=True, help_text="Null unless the caller may see special category data.")


class CaseRiskStateSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    tier = serializers.CharField()
    suggested_tier = serializers.CharField(
        allow_null=True,
        help_text="The tier the latest assessment proposes when it is not the case's; re-categorise to act on it.",
    )


class RiskAssessmentCreatedSerializer(RiskAssessmentSerializer):
    case = CaseRiskStateSerializer()


class SupportNeedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    party = serializers.IntegerField()
    kind = choice(SupportNeedKind.choices)
    description = serializers.CharField()
    referred_to = serializers.CharField(allow_blank=True)
    referred_on = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    recorded_by = serializers.CharField()
    recorded_at = serializers.DateTimeField()
    version = serializers.CharField(help_text="Send it back when recording the outcome (a stale one is a 409).")


class SafeguardingConcernSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    about = choice(SafeguardingAbout.choices)
    party = serializers.IntegerField(allow_null=True)
    concern = serializers.CharField()
    raised_on = serializers.DateField()
    raised_by = serializers.CharField()
    referred = serializers.BooleanField()
    referred_to = serializers.CharField(allow_blank=True)
    referred_on = serializers.DateField(allow_null=True)
    referral_reference = serializers.CharField(allow_blank=True)
    no_referral_reason = serializers.CharField(allow_blank=True)
    outcome = serializers.CharField(allow_blank=True)
    version = serializers.CharField(help_text="Send it back when recording the outcome (a stale one is a 409).")


class OutcomeSerializer(serializers.Serializer[Any]):
    """What came of a support need or a safeguarding concern (wwh 4.0 "Monitor Referrals")."""

    outcome = serializers.CharField(max_length=5000, help_text="The agency's response, or what changed.")
    referred_to = serializers.CharField(required=False, allow_blank=True, max_length=200,
                                        help_text="Support needs only: a referral made since.")  # fmt: skip
    referred_on = serializers.DateField(required=False, allow_null=True, help_text="Support needs only.")
    version = serializers.CharField(required=False, allow_blank=True, help_text="The record's `version` as read.")


class CaseFlagsStateSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    flags = serializers.ListField(child=serializers.CharField())
    restricted = serializers.BooleanField(help_text="True: only its officer, specialists and managers see it now.")


class SafeguardingConcernCreatedSerializer(SafeguardingConcernSerializer):
    case = CaseFlagsStateSerializer()


def assessment_document(a: RiskAssessment, profile: PolicyProfile, *, special: bool) -> dict[str, Any]:
    return {
        "id": a.pk,
        "party": a.party_id,
        "assessed_at": when(a.assessed_at),
        "assessed_by": a.assessed_by.get_username(),
        "score": a.score,
        "band": a.band,
        "band_label": band_label(profile, a.band),
        "proposed_tier": a.proposed_tier,
        "proposed_tier_label": tier_label(profile, a.proposed_tier) if a.proposed_tier else "",
        "tier_at_assessment": a.tier_at_assessment,
        "policy": {"id": a.policy_id, "version": a.policy_version, "matrix_version": a.matrix_version},
        "answers": dict(a.answers) if special else None,
        "notes": a.notes if special else None,
    }


def support_need_document(need: SupportNeed) -> dict[str, Any]:
    return {
        "id": need.pk,
        "party": need.party_id,
        "kind": need.kind,
        "description": need.description,
        "referred_to": need.referred_to,
        "referred_on": need.referred_on.isoformat() if need.referred_on else None,
        "outcome": need.outcome,
        "recorded_by": need.recorded_by.get_username(),
        "recorded_at": when(need.created_at),
        "version": version_of(need.updated_at),
    }


def concern_document(c: SafeguardingConcern) -> dict[str, Any]:
    return {
        "id": c.pk,
        "about": c.about,
        "party": c.party_id,
        "concern": c.concern,
        "raised_on": c.raised_on.isoformat(),
        "raised_by": c.raised_by.get_username(),
        "referred": c.referred,
        "referred_to": c.referred_to,
        "referred_on": c.referred_on.isoformat() if c.referred_on else None,
        "referral_reference": c.referral_reference,
        "no_referral_reason": c.no_referral_reason,
        "outcome": c.outcome,
        "version": version_of(c.updated_at),
    }
