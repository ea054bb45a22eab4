"""A case's interventions and its twin track through the API (whg 2.11; pnp 1.3; emh 4.10, 5.6).

``GET /api/v1/cases/{reference}/interventions`` lists them (paginated), ``POST`` records one from
the landlord's toolkit; ``GET``/``PATCH .../interventions/{id}`` shows one (with an agreement's
terms, breaches and reviews) and moves it on, refused with 409 when its ``version`` is stale;
``POST .../interventions/{id}/breaches`` and ``.../reviews`` record an agreement's breach and
review; ``GET .../twin-track`` shows support and enforcement side by side. A case the caller may
not see is a 404; writes need ``can_work_case`` (403 for the others who can see the case).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.permissions import can_view_special_category
from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_interventions import (
    BreachCreateSerializer,
    InterventionCreateSerializer,
    InterventionDetailSerializer,
    InterventionSerializer,
    InterventionUpdateSerializer,
    ReviewCreateSerializer,
    TwinTrackSerializer,
    intervention_detail_document,
    intervention_document,
    twin_track_document,
)
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_common import or_404, refusals, validated, visible_case, workable_case
from haven.api.views.cases import ERRORS, _party
from haven.api.views.reports import staff_user
from haven.cases.models import Case, Party
from haven.cases.selectors.plans import staff_member
from haven.interventions.models import Intervention
from haven.interventions.selectors.toolkit import (
    InterventionRow,
    case_intervention,
    case_interventions,
    intervention_row,
    twin_track,
)
from haven.interventions.services.toolkit import intervention_record, intervention_update
from haven.interventions.services.toolkit_agreements import agreement_breach_record, agreement_review

STALE = {
    409: OpenApiResponse(
        ApiErrorsSerializer, description="The intervention changed since `version`: nothing was saved."
    )
}


class InterventionPage(PageNumberPagination):
    page_size = 50


def _one(case: Case, intervention_id: int) -> Intervention:
    found = or_404(case_intervention(case=case, intervention_id=intervention_id))
    return found


def _workable_intervention(request: Request, reference: str, intervention_id: int) -> tuple[User, Case, Intervention]:
    """The caller, the case they may work on (else 404 or 403) and its intervention (else 404)."""
    user = staff_user(request)
    case = workable_case(user, reference)
    return user, case, _one(case, intervention_id)


def _detail(case: Case, intervention_id: int) -> dict[str, Any]:
    found = _one(case, intervention_id)
    row = intervention_row(intervention=found, profile=landlord_profile(case.landlord), today=timezone.localdate())
    return intervention_detail_document(row)


def _party_of(case: Case, wanted: int | str | None) -> Party | None:
    if wanted is None:
        return None
    return _party(case, wanted)


def _delivered_by(user: User, wanted: str) -> User | None:
    if not wanted.strip():
        return None
    assert user.landlord_id is not None
    found = staff_member(landlord_id=user.landlord_id, username=wanted.strip())
    if found is None:
        raise exceptions.ValidationError(
            {"delivered_by": [f"There is no member of staff with the user name {wanted}."]}
        )
    return found


class CaseInterventionsApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = InterventionPage

    @extend_schema(
        summary="The interventions of a case",
        description=(
            "Every informal tool and partner power used on the case, in place first, then newest first: who "
            "delivered it, when, against or for whom, its twin track and outcome, and for an agreement its review "
            "and end dates. Legal actions are listed with the legal actions."
        ),
        responses={200: InterventionSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = visible_case(user, reference)
        rows = case_interventions(case=case, profile=landlord_profile(case.landlord), today=timezone.localdate())
        paginator = InterventionPage()
        page: list[InterventionRow] = paginator.paginate_queryset(rows, request, view=self) or []  # type: ignore[arg-type]
        return paginator.get_paginated_response([intervention_document(row) for row in page])

    @extend_schema(
        summary="Record an intervention",
        description=(
            "`code` is a tool of the landlord's toolkit: an informal tool or a partner power (a legal code is "
            "refused: start legal action for it). A partner power needs `partner` and `support_given` (emh 5.6). "
            "An agreement (ABC, GNA, Parenting Contract) needs `party`, at least one of `terms`, `signatories`, "
            "and `review_on` or `ends_on`, neither before `started_on`. 201 with the intervention."
        ),
        parameters=[idempotency.PARAMETER],
        request=InterventionCreateSerializer,
        responses={201: InterventionDetailSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference)
        data = validated(InterventionCreateSerializer, request)
        party = _party_of(case, data.get("party"))
        with refusals():
            found = intervention_record(
                actor=user, case=case, code=data.get("code") or "", started_on=data.get("started_on"), party=party,
                delivered_by=_delivered_by(user, data.get("delivered_by") or ""), details=data.get("details") or "",
                partner=data.get("partner") or "", support_given=data.get("support_given") or "",
                terms=data.get("terms") or [], signatories="\n".join(data.get("signatories") or []),
                review_on=data.get("review_on"), ends_on=data.get("ends_on"), via="api",
            )  # fmt: skip
        return Response(_detail(case, found.pk), status=status.HTTP_201_CREATED)


class CaseInterventionApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="One intervention of a case",
        description="With an agreement's numbered terms, its breaches and its reviews, oldest first.",
        responses={200: InterventionDetailSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str, intervention_id: int) -> Response:
        user = staff_user(request)
        return Response(_detail(visible_case(user, reference), intervention_id))

    @extend_schema(
        summary="Move an intervention on",
        description=(
            "Its status (`active`, `completed`, `ended`), end date and outcome. Completed or ended needs an "
            "outcome; the end date is today unless given, and not before it started. Send the `version` you read: "
            "if someone changed it since, the answer is 409 and nothing is saved. 200 with the intervention."
        ),
        parameters=[idempotency.PARAMETER],
        request=InterventionUpdateSerializer,
        responses={200: InterventionDetailSerializer, **ERRORS, **STALE, 422: idempotency.RESPONSES[422]},
    )
    @idempotency.idempotent
    def patch(self, request: Request, reference: str, intervention_id: int) -> Response:
        user, case, found = _workable_intervention(request, reference, intervention_id)
        data = validated(InterventionUpdateSerializer, request)
        with refusals():
            intervention_update(
                actor=user, intervention=found, status=data.get("status") or None, ended_on=data.get("ended_on"),
                outcome=data.get("outcome"), version=data.get("version") or None, via="api",
            )  # fmt: skip
        return Response(_detail(case, intervention_id))


class CaseAgreementBreachesApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record a breach of an agreement",
        description=(
            "`term` is the number of the term broken; the date is while the agreement was in force (not before "
            "it started, not after it ended) and not in the future; the evidence and the landlord's response are "
            "required. 201 with the agreement."
        ),
        parameters=[idempotency.PARAMETER],
        request=BreachCreateSerializer,
        responses={201: InterventionDetailSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, intervention_id: int) -> Response:
        user, case, found = _workable_intervention(request, reference, intervention_id)
        data = validated(BreachCreateSerializer, request)
        number = data.get("term")
        term = next((t for t in found.terms.all() if t.number == number), None)
        if number is not None and term is None:
            raise exceptions.ValidationError({"term": [f"The agreement has no term {number}."]})
        with refusals():
            agreement_breach_record(
                actor=user, intervention=found, term=term, occurred_on=data.get("occurred_on"),
                evidence=data.get("evidence") or "", response=data.get("response") or "", via="api",
            )  # fmt: skip
        return Response(_detail(case, intervention_id), status=status.HTTP_201_CREATED)


class CaseAgreementReviewsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record a review of an agreement",
        description=(
            "When (not before the agreement started, not in the future) and what it found, with either "
            "`next_review_on` (after this review; it becomes the agreement's `review_on`) or `end` with the "
            "`outcome`, which completes the agreement. 201 with the agreement."
        ),
        parameters=[idempotency.PARAMETER],
        request=ReviewCreateSerializer,
        responses={201: InterventionDetailSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, intervention_id: int) -> Response:
        user, case, found = _workable_intervention(request, reference, intervention_id)
        data = validated(ReviewCreateSerializer, request)
        with refusals():
            agreement_review(
                actor=user, intervention=found, reviewed_on=data.get("reviewed_on"), notes=data.get("notes") or "",
                next_review_on=data.get("next_review_on"), end=bool(data.get("end")),
                outcome=data.get("outcome") or "", via="api",
            )  # fmt: skip
        return Response(_detail(case, intervention_id), status=status.HTTP_201_CREATED)


class CaseTwinTrackApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The twin track of a case",
        description=(
            "Support and enforcement side by side (emh 4.10); neither waits for the other. Support: interventions "
            "on the support track, support needs (only for callers who may see special category data; the others "
            "get their number in `hidden_support_needs`) and referrals about the reported person. Enforcement: "
            "interventions on the enforcement track, partner powers and legal actions with their stage."
        ),
        responses={200: TwinTrackSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = visible_case(user, reference)
        profile, today = landlord_profile(case.landlord), timezone.localdate()
        rows = case_interventions(case=case, profile=profile, today=today)
        track = twin_track(case=case, profile=profile, rows=rows, special=can_view_special_category(user), today=today)
        return Response(twin_track_document(case.reference, track))


urlpatterns = [
    path("v1/cases/<str:reference>/interventions", CaseInterventionsApi.as_view(), name="case-interventions"),
    path(
        "v1/cases/<str:reference>/interventions/<int:intervention_id>",
        CaseInterventionApi.as_view(),
        name="case-intervention",
    ),
    path(
        "v1/cases/<str:reference>/interventions/<int:intervention_id>/breaches",
        CaseAgreementBreachesApi.as_view(),
        name="case-intervention-breaches",
    ),
    path(
        "v1/cases/<str:reference>/interventions/<int:intervention_id>/reviews",
        CaseAgreementReviewsApi.as_view(),
        name="case-intervention-reviews",
    ),
    path("v1/cases/<str:reference>/twin-track", CaseTwinTrackApi.as_view(), name="case-twin-track"),
]
