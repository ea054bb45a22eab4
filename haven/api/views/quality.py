"""Casework quality reviews (whg 3.5) and persistent reports (emh 7.8) through the API.

``GET /api/v1/quality-reviews`` lists the quality reviews of the cases the caller may see (team
managers, ASB specialists and auditors; ``?sample=`` for one sample), latest first; ``POST`` records
one (team managers). ``GET /api/v1/persistent-reporters`` lists the reporters waiting for a decision
on their reports already explained as not ASB; ``POST /api/v1/persistent-reporters/{id}/decision``
records it (team managers and ASB specialists). Another role gets 403; a reporter no longer waiting
is a 404.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import Role, User
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.quality import (
    PersistentDecisionCreateSerializer,
    PersistentDecisionSerializer,
    PersistentReporterSerializer,
    QualityReviewCreateSerializer,
    QualityReviewSerializer,
    persistent_decision_document,
    persistent_reporter_document,
    quality_review_document,
)
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_common import or_404, refusals, validated
from haven.api.views.reports import Forbidden, staff_user
from haven.reviews.selectors.quality import (
    may_decide_persistent,
    may_quality_review,
    persistent_reporter,
    persistent_reporters,
    quality_review_case,
    quality_reviews_for,
)
from haven.reviews.services.quality import NOT_DECIDER, NOT_MANAGER, persistent_decide, quality_review_record

READERS = (Role.MANAGER, Role.SPECIALIST, Role.AUDITOR)
ERRORS = {
    400: OpenApiResponse(ApiErrorsSerializer, description="Nothing was saved: one error per problem."),
    403: OpenApiResponse(ApiErrorsSerializer, description="The caller's role does not allow this."),
}


class Page(PageNumberPagination):
    page_size = 50


class QualityReviewsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Casework quality reviews",
        description="The quality reviews of the cases the caller may see, latest first (whg 3.5): team managers, "
        "ASB specialists and auditors.",
        parameters=[OpenApiParameter("sample", str, description="Only the reviews of this sample.")],
        responses={200: QualityReviewSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        user = staff_user(request)
        if user.role not in READERS:
            raise Forbidden("Only team managers, ASB specialists and auditors read quality reviews.")
        reviews = quality_reviews_for(user=user)
        sample = str(request.query_params.get("sample", "")).strip()
        if sample:
            reviews = reviews.filter(sample=sample)
        paginator = Page()
        page = paginator.paginate_queryset(reviews, request, view=self) or []
        return paginator.get_paginated_response([quality_review_document(r) for r in page])

    @extend_schema(
        summary="Record a casework quality review",
        description="A team manager scores one of the landlord's cases against the policy's "
        "`quality_review.checklist` (whg 3.5): every question answered yes, partly, no or na (does not apply), "
        "at least one applying. 201 with the review and its score.",
        parameters=[idempotency.PARAMETER],
        request=QualityReviewCreateSerializer,
        responses={201: QualityReviewSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request) -> Response:
        user = staff_user(request)
        if not may_quality_review(user):
            raise Forbidden(NOT_MANAGER)
        data = validated(QualityReviewCreateSerializer, request)
        reference = (data.get("case") or "").strip()
        case = quality_review_case(user=user, reference=reference) if reference else None
        if case is None:
            message = f"There is no case {reference} that you can see." if reference else "Give the case's reference."
            raise exceptions.ValidationError({"case": [message]})
        with refusals():
            review = quality_review_record(
                actor=user, case=case, answers=dict(data.get("answers") or {}), notes=data.get("notes") or "",
                learning=data.get("learning") or "", sample=data.get("sample") or "", via="api",
            )  # fmt: skip
        review.case, review.by = case, user
        return Response(quality_review_document(review), status=status.HTTP_201_CREATED)


def _decider(request: Request) -> User:
    user = staff_user(request)
    if not may_decide_persistent(user):
        raise Forbidden(NOT_DECIDER)
    return user


class PersistentReportersApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Reporters with persistent reports",
        description="Reporters with the policy's `persistent_reports.count` or more reports triaged as not ASB "
        "within `persistent_reports.within` days, waiting for a decision (emh 7.8); most reports first. A reporter "
        "decided on comes back only with a new report. Team managers and ASB specialists.",
        responses={200: PersistentReporterSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request: Request) -> Response:
        user = _decider(request)
        paginator = Page()
        page: list[Any] = paginator.paginate_queryset(persistent_reporters(user=user), request, view=self) or []  # type: ignore[arg-type]
        return paginator.get_paginated_response([persistent_reporter_document(r) for r in page])


class PersistentDecisionApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Decide on a reporter's persistent reports",
        description="Offer support (a support need or vulnerability), follow the persistent complainant procedure, "
        "or no action for now, with a note (emh 7.8). 404 when the reporter is not waiting for a decision.",
        parameters=[idempotency.PARAMETER],
        request=PersistentDecisionCreateSerializer,
        responses={
            201: PersistentDecisionSerializer,
            **ERRORS,
            404: OpenApiResponse(ApiErrorsSerializer, description="No such reporter waiting for a decision."),
            **idempotency.RESPONSES,
        },
    )
    @idempotency.idempotent
    def post(self, request: Request, reporter_id: str) -> Response:
        user = _decider(request)
        found = or_404(persistent_reporter(user=user, reporter=reporter_id))
        data = validated(PersistentDecisionCreateSerializer, request)
        with refusals():
            made = persistent_decide(
                actor=user, reporter=found.id, decision=data.get("decision") or "", note=data.get("note") or "",
                via="api",
            )  # fmt: skip
        return Response(persistent_decision_document(made), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("v1/quality-reviews", QualityReviewsApi.as_view(), name="quality-reviews"),
    path("v1/persistent-reporters", PersistentReportersApi.as_view(), name="persistent-reporters"),
    path(
        "v1/persistent-reporters/<str:reporter_id>/decision",
        PersistentDecisionApi.as_view(),
        name="persistent-reporter-decision",
    ),
]
