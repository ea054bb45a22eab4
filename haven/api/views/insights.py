"""Insight through the API (issue 9). ``GET /api/v1/insights/tsm?year=YYYY``: TSM NM01 for the
reporting year April ``YYYY`` to March ``YYYY+1`` (API.md), with its raw counts, where the homes
figure came from, the settings applied, and TP12 from the closure surveys. For staff who see the
whole landlord (managers, specialists, auditors, administrators); 404 for a landlord where TSMs do
not apply (WWH, in Wales)."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.permissions import sees_whole_landlord
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.reports import Forbidden, application_errors, staff_user
from haven.common.errors import ApplicationError
from haven.insights.selectors.tsm import current_reporting_year, nm01, tp12


class TsmSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(help_text="The year the reporting year starts in.")
    period = serializers.DictField(help_text="`label` (2025/26), `from` and `to` (inclusive dates).")
    homes = serializers.IntegerField(allow_null=True, help_text="Homes owned (low cost rental and LCHO).")
    homes_source = serializers.CharField(help_text="`entered` (the landlord's figure), `register`, or empty.")
    cases_opened = serializers.IntegerField()
    hate_cases_opened = serializers.IntegerField()
    excluded_cases = serializers.IntegerField(help_text="Cases left out by the landlord's TSM settings.")
    nm01_a = serializers.FloatField(allow_null=True, help_text="ASB cases opened per 1,000 homes.")
    nm01_b = serializers.FloatField(allow_null=True, help_text="Cases involving hate incidents per 1,000 homes.")
    decimals = serializers.IntegerField()
    message = serializers.CharField(help_text="Why a rate is missing; empty when both are given.")
    tp12 = serializers.DictField(help_text="`answered`, `satisfied`, `percent` from the closure surveys.")


class NotApplicable(exceptions.APIException):
    """404 with the reason: the measure does not exist for this landlord."""

    status_code = 404
    default_code = "not_applicable"


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


class TsmApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="TSM NM01 (and TP12 from closure surveys) for a reporting year",
        description=(
            "NM01 (a) ASB cases opened per 1,000 homes and (b) those involving hate incidents per 1,000 homes, for "
            "the reporting year 1 April `year` to 31 March `year`+1. A case counts once, in the year its first report "
            "was received; repeat reports and reopening open no new case. Homes: the landlord's entered figure for the "
            "year, else the register's homes that count for TSM. Without homes the rates are null and `message` says "
            "why. `year` defaults to the current reporting year. 404 where TSMs do not apply (Wales)."
        ),
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="2025 for 2025/26.")],
        responses={
            200: TsmSerializer,
            400: OpenApiResponse(ApiErrorsSerializer, description="A year that is not a year."),
            403: OpenApiResponse(ApiErrorsSerializer, description="Not a role that sees the whole landlord."),
            404: OpenApiResponse(ApiErrorsSerializer, description="TSMs do not apply to this landlord."),
        },
    )
    def get(self, request: Request) -> Response:
        user = staff_user(request)
        if not sees_whole_landlord(user):
            raise Forbidden("Only managers, specialists, auditors and administrators see the landlord's measures.")
        raw = request.query_params.get("year")
        if raw is None:
            year = current_reporting_year(timezone.localdate())
        elif raw.strip().isdigit():
            year = int(raw)
        else:
            raise exceptions.ValidationError({"year": ["Give the year the reporting year starts in, like 2025."]})
        assert user.landlord is not None
        try:
            found, satisfaction = nm01(user.landlord, year), tp12(user.landlord, year)
        except ApplicationError as failure:
            if failure.code == "not_applicable":
                raise NotApplicable(failure.message) from None
            raise application_errors(failure) from None
        message = "" if found.homes.homes else (
            f"No homes figure for {found.year.label}: enter the homes owned for the year, or import the register."
        )  # fmt: skip
        return Response({
            "year": year,
            "period": {"label": found.year.label, "from": found.year.starts_on, "to": found.year.ends_on},
            "homes": found.homes.homes, "homes_source": found.homes.source, "cases_opened": found.cases_opened,
            "hate_cases_opened": found.hate_cases_opened, "excluded_cases": found.excluded,
            "nm01_a": _number(found.nm01_a), "nm01_b": _number(found.nm01_b), "decimals": found.decimals,
            "message": message,
            "tp12": {"answered": satisfaction.answered, "satisfied": satisfaction.satisfied,
                     "percent": _number(satisfaction.percent)},
        })  # fmt: skip


urlpatterns = [path("v1/insights/tsm", TsmApi.as_view(), name="insights-tsm")]
