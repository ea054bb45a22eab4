"""Risk and vulnerability of a case through the API (emh 4.4-4.14).

``GET/POST /api/v1/cases/{reference}/risk-assessments``: the history of full assessments, newest
first, and recording one from the landlord's matrix (``risk_matrix`` in ``GET /api/v1/policy``);
``GET/POST .../support-needs`` (emh 4.7-4.8); ``GET/POST .../safeguarding-concerns`` (emh
4.11-4.14). A case the caller may not see is a 404; writes need ``can_work_case`` (403 for the
others who can see it). Answers, notes, needs and concerns are special category data: only callers
``can_view_special_category`` allows read them (others get the bands and scores of assessments, and
a 403 for needs and concerns).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.permissions import can_view_special_category
from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_risk import (
    RiskAssessmentCreatedSerializer,
    RiskAssessmentCreateSerializer,
    RiskAssessmentSerializer,
    SafeguardingConcernCreatedSerializer,
    SafeguardingConcernCreateSerializer,
    SafeguardingConcernSerializer,
    SupportNeedCreateSerializer,
    SupportNeedSerializer,
    assessment_document,
    concern_document,
    support_need_document,
)
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_common import visible_case
from haven.api.views.cases import ERRORS, _party, _workable
from haven.api.views.reports import Forbidden, application_errors, staff_user
from haven.cases.models import RiskAssessment, SafeguardingConcern, SupportNeed
from haven.cases.selectors.risk import (
    risk_assessments_for_case,
    safeguarding_concerns_for_case,
    support_needs_for_case,
    tier_proposal,
)
from haven.cases.services.risk import risk_assess, safeguarding_concern_record, support_need_record
from haven.common.errors import ApplicationError

SPECIAL_REFUSAL = (
    "Support needs and safeguarding concerns are special category information: only case officers, "
    "ASB specialists and team managers can see them."
)
READ_ERRORS = {
    403: OpenApiResponse(ApiErrorsSerializer, description="The caller's role may not see special category data."),
    404: ERRORS[404],
}


class RiskPage(PageNumberPagination):
    page_size = 50


def _page(request: Request, view: APIView, rows: Any, document: Any) -> Response:
    paginator = RiskPage()
    page = paginator.paginate_queryset(rows, request, view=view) or []
    return paginator.get_paginated_response([document(row) for row in page])


class CaseRiskAssessmentsApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = RiskPage

    @extend_schema(
        summary="The full risk assessments of a case, newest first",
        description=(
            "Every assessment is kept (emh 4.4: reviewed through the case): who was assessed, when, by whom, "
            "the score, band and the tier the band proposes, with the policy and matrix versions. The answers "
            "and notes are null unless the caller may see special category data."
        ),
        responses={200: RiskAssessmentSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = visible_case(user, reference)
        profile, special = landlord_profile(case.landlord), can_view_special_category(user)
        rows = risk_assessments_for_case(case=case)
        return _page(request, self, rows, lambda a: assessment_document(a, profile, special=special))

    @extend_schema(
        summary="Record a full risk and vulnerability assessment of a party",
        description=(
            "Of the reporter, a witness or a household member of an open case (emh 4.4). Answer every question "
            "of the landlord's `risk_matrix` with one of its option codes; the score is the sum of the options' "
            "weights and the band the highest it reaches. The case's tier is not changed: `case.suggested_tier` "
            "says when the band proposes another (re-categorise to act on it, emh 4.3). 201 with the assessment."
        ),
        parameters=[idempotency.PARAMETER],
        request=RiskAssessmentCreateSerializer,
        responses={201: RiskAssessmentCreatedSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot record risk assessments on this case.")
        body = RiskAssessmentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        try:
            assessment = risk_assess(
                actor=user, case=case, party=_party(case, data["party"]), answers=data.get("answers") or {},
                notes=data.get("notes") or "", assessed_at=data.get("assessed_at"), via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        case.refresh_from_db(fields=["tier"])
        profile = landlord_profile(case.landlord)
        found = RiskAssessment.objects.select_related("assessed_by").get(pk=assessment.pk)
        proposal = tier_proposal(case=case, profile=profile)
        document = {
            **assessment_document(found, profile, special=can_view_special_category(user)),
            "case": {
                "reference": case.reference,
                "tier": case.tier,
                "suggested_tier": proposal.tier if proposal else None,
            },
        }
        return Response(document, status=status.HTTP_201_CREATED)


def _special(user: User) -> None:
    if not can_view_special_category(user):
        raise Forbidden(SPECIAL_REFUSAL)


class CaseSupportNeedsApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = RiskPage

    @extend_schema(
        summary="The support needs recorded on a case, newest first",
        description="Special category data (emh 4.7-4.8): case officers, ASB specialists and team managers only.",
        responses={200: SupportNeedSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = visible_case(user, reference)
        _special(user)
        return _page(request, self, support_needs_for_case(case=case), support_need_document)

    @extend_schema(
        summary="Record a support need of a party",
        description=(
            "Usually the reported person's (emh 4.7: the people causing ASB may be vulnerable; 4.8: consider "
            "support and a referral). A referral needs both `referred_to` and `referred_on`. 201 with the need."
        ),
        parameters=[idempotency.PARAMETER],
        request=SupportNeedCreateSerializer,
        responses={201: SupportNeedSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot record support needs on this case.")
        body = SupportNeedCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        try:
            need = support_need_record(
                actor=user, case=case, party=_party(case, data["party"]), kind=data["kind"],
                description=data.get("description") or "", referred_to=data.get("referred_to") or "",
                referred_on=data.get("referred_on"), outcome=data.get("outcome") or "", via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        found = SupportNeed.objects.select_related("recorded_by").get(pk=need.pk)
        return Response(support_need_document(found), status=status.HTTP_201_CREATED)


class CaseSafeguardingConcernsApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = RiskPage

    @extend_schema(
        summary="The safeguarding concerns recorded on a case, newest first",
        description="Special category data (emh 4.11-4.14): case officers, ASB specialists and team managers only.",
        responses={200: SafeguardingConcernSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = visible_case(user, reference)
        _special(user)
        return _page(request, self, safeguarding_concerns_for_case(case=case), concern_document)

    @extend_schema(
        summary="Record a safeguarding concern and its referral",
        description=(
            "About an adult at risk or a child (emh 4.11-4.14). Referred: `referred_to` and `referred_on` are "
            "required (the MASH, adult or children's social care: livv 4); not referred: `no_referral_reason` "
            "is. The case gets the `safeguarding` flag and becomes restricted (its officer, specialists and "
            "managers only), which may hide it from the caller from now on. 201 with the concern."
        ),
        parameters=[idempotency.PARAMETER],
        request=SafeguardingConcernCreateSerializer,
        responses={201: SafeguardingConcernCreatedSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot record safeguarding concerns on this case.")
        body = SafeguardingConcernCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        wanted = data.get("party")
        try:
            concern = safeguarding_concern_record(
                actor=user, case=case, about=data["about"], concern=data.get("concern") or "",
                referred=data["referred"], party=_party(case, wanted) if wanted is not None else None,
                raised_on=data.get("raised_on"), referred_to=data.get("referred_to") or "",
                referred_on=data.get("referred_on"), referral_reference=data.get("referral_reference") or "",
                no_referral_reason=data.get("no_referral_reason") or "", via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        case.refresh_from_db(fields=["flags", "restricted"])
        found = SafeguardingConcern.objects.select_related("raised_by").get(pk=concern.pk)
        document = {
            **concern_document(found),
            "case": {"reference": case.reference, "flags": list(case.flags), "restricted": case.restricted},
        }
        return Response(document, status=status.HTTP_201_CREATED)
