"""``GET /api/v1/policy``: the caller's landlord's policy profile (API.md)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.selectors import landlord_profile
from haven.api.permissions import IsLandlordStaff
from haven.policies.schema import Duration, PolicyProfile


class DurationSerializer(serializers.Serializer[Duration]):
    amount = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=["working_hours", "working_days", "calendar_days"])
    text = serializers.CharField(help_text="The same in words, e.g. '24 working hours'.")


class TierSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    description = serializers.CharField()
    rank = serializers.IntegerField(help_text="Higher is more serious.")
    opens_case = serializers.BooleanField()
    response_target = DurationSerializer()
    review_every = DurationSerializer()
    source = serializers.CharField(help_text="The policy clause this tier comes from.")  # type: ignore[assignment]


class CategorySerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    flags = serializers.ListField(child=serializers.CharField())
    default_tier = serializers.CharField(allow_null=True)
    source = serializers.CharField()  # type: ignore[assignment]


class ReviewCadenceSerializer(serializers.Serializer[Any]):
    tier = serializers.CharField()
    every = DurationSerializer()


class PolicySerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    version = serializers.CharField()
    landlord = serializers.CharField(help_text="The landlord's name.")
    country = serializers.CharField()
    definition = serializers.DictField()
    categories = CategorySerializer(many=True)
    tiers = TierSerializer(many=True)
    default_tier = serializers.CharField()
    review_cadence = ReviewCadenceSerializer(many=True)
    office_hours = serializers.DictField()
    anonymous_reports = serializers.DictField()
    risk_screen = serializers.DictField(
        help_text="The initial risk screen (emh 4.4): questions (code, text, weight, vulnerability), score bands "
        "to tiers, the vulnerability tier. Send answers as `screen` to POST /api/v1/reports/{reference}/triage."
    )
    risk_matrix = serializers.DictField(
        help_text="The officer's full risk and vulnerability matrix (emh 4.4), versioned: questions (code, text, "
        "hint, options: code, label, weight) and bands (code, label, min_score, the tier proposed). Send answers "
        "as `answers` to POST /api/v1/cases/{reference}/risk-assessments."
    )
    not_asb = serializers.DictField(
        help_text="Not-ASB reasons, examples and advice routes (codes for `advice_routes`)."
    )
    tsm_applies = serializers.BooleanField()
    profile = serializers.DictField(help_text="The whole profile, every value with its source clause.")


def _duration(value: Duration) -> dict[str, Any]:
    return {"amount": value.amount, "unit": value.unit.value, "text": str(value)}


def policy_document(profile: PolicyProfile) -> dict[str, Any]:
    return {
        "id": profile.id,
        "version": profile.version,
        "landlord": profile.landlord.name,
        "country": profile.landlord.country.value,
        "definition": profile.definition.model_dump(mode="json"),
        "categories": [
            {
                "code": c.code,
                "label": c.label,
                "flags": sorted(f.value for f in c.flags),
                "default_tier": c.default_tier,
                "source": c.source,
            }
            for c in profile.categories
        ],
        "tiers": [
            {
                "id": t.id,
                "label": t.label,
                "description": t.description,
                "rank": t.rank,
                "opens_case": t.opens_case,
                "response_target": _duration(t.response_target),
                "review_every": _duration(t.review_every),
                "source": t.source,
            }
            for t in profile.tiers_by_rank
        ],
        "default_tier": profile.triage.default_tier,
        "review_cadence": [{"tier": t.id, "every": _duration(t.review_every)} for t in profile.tiers_by_rank],
        "office_hours": profile.office_hours.model_dump(mode="json"),
        "anonymous_reports": profile.anonymous_reports.model_dump(mode="json"),
        "risk_screen": profile.risk_screen.model_dump(mode="json"),
        "risk_matrix": profile.risk_matrix.model_dump(mode="json"),
        "not_asb": profile.not_asb.model_dump(mode="json"),
        "tsm_applies": profile.kpis.tsm_applies,
        "profile": profile.model_dump(mode="json"),
    }


class PolicyApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(responses=PolicySerializer, summary="The policy profile of the caller's landlord")
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User) and user.landlord is not None  # IsLandlordStaff has checked
        return Response(policy_document(landlord_profile(user.landlord)))
