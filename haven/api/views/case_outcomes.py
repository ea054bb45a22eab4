"""What came of a support need or a safeguarding concern, through the API (wwh 4.0 "Monitor
Referrals"; emh 4.8; emh 4.11-4.14): ``POST /api/v1/cases/{reference}/support-needs/{id}/outcome``
and ``POST .../safeguarding-concerns/{id}/outcome``, with the record's ``version`` (a stale one is
a 409). Special category data: only caseworkers ``can_view_special_category`` allows (else 403)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.permissions import can_view_special_category
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_risk import (
    OutcomeSerializer,
    SafeguardingConcernSerializer,
    SupportNeedSerializer,
    concern_document,
    support_need_document,
)
from haven.api.views.cases import ERRORS, _workable
from haven.api.views.reports import Forbidden, application_errors, staff_user
from haven.cases.models import SafeguardingConcern, SupportNeed
from haven.cases.services.outcomes import safeguarding_outcome_record, support_need_outcome_record
from haven.common.errors import ApplicationError

REFUSAL = "Only case officers, ASB specialists and team managers record outcomes: they are special category data."


class SupportNeedOutcomeApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record what came of a support need",
        description="The outcome, and a referral made since (to whom and when). 200 with the need; 409 when "
        "`version` is not the need's current one.",
        parameters=[idempotency.PARAMETER],
        request=OutcomeSerializer,
        responses={200: SupportNeedSerializer, 409: ERRORS[400], **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, need_id: int) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot record outcomes on this case.")
        if not can_view_special_category(user):
            raise Forbidden(REFUSAL)
        need = SupportNeed.objects.filter(case=case, pk=need_id).select_related("recorded_by").first()
        if need is None:
            raise exceptions.NotFound()
        body = OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        try:
            need = support_need_outcome_record(
                actor=user, need=need, outcome=data["outcome"], referred_to=data.get("referred_to"),
                referred_on=data.get("referred_on"), version=data.get("version") or None, via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(support_need_document(need))


class SafeguardingOutcomeApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record what came of a safeguarding concern",
        description="The agency's response to the referral, or what was done. 200 with the concern; 409 when "
        "`version` is not the concern's current one.",
        parameters=[idempotency.PARAMETER],
        request=OutcomeSerializer,
        responses={200: SafeguardingConcernSerializer, 409: ERRORS[400], **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, concern_id: int) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot record outcomes on this case.")
        if not can_view_special_category(user):
            raise Forbidden(REFUSAL)
        concern = SafeguardingConcern.objects.filter(case=case, pk=concern_id).select_related("raised_by").first()
        if concern is None:
            raise exceptions.NotFound()
        body = OutcomeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        try:
            concern = safeguarding_outcome_record(
                actor=user, concern=concern, outcome=data["outcome"], version=data.get("version") or None, via="api"
            )
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(concern_document(concern))
