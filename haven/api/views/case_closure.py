"""Closures, their sign-off and complaints through the API (issue 7).

``GET /api/v1/cases/{reference}/closures``: the case's closures, newest first, with the closure
conditions as they stood and the sign-off. ``POST .../closures/{id}/sign-off``: a team manager
who did not close it signs the latest closure off or returns it (the case reopens).
``GET /api/v1/closures?signoff=awaiting``: the landlord's closures awaiting sign-off (managers).
``GET/POST /api/v1/cases/{reference}/complaints`` and ``POST .../complaints/{id}/answer``:
complaints about the case's handling or outcome (whg 3.6-3.7), caseworkers only.
Closing itself is ``POST /api/v1/cases/{reference}/close`` (API.md; api.views.case_workflow).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import Role
from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_closure import (
    ClosureSerializer,
    ComplaintAnswerSerializer,
    ComplaintCreateSerializer,
    ComplaintSerializer,
    SignOffSerializer,
    closure_document,
    complaint_document,
)
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_common import or_404, validated, visible_case, workable_case
from haven.api.views.cases import ERRORS
from haven.api.views.reports import Conflict, Forbidden, application_errors, staff_user
from haven.cases.models import Closure, Party
from haven.common.errors import ApplicationError
from haven.reviews.models import Complaint
from haven.reviews.selectors.closure import awaiting_signoff, case_complaints
from haven.reviews.services.closure import closure_sign_off, complaint_answer, complaint_record

REFUSED = {
    **ERRORS,
    409: OpenApiResponse(ApiErrorsSerializer, description="Not allowed now (already signed off, already answered)."),
}


class Refused(Conflict):
    """409 with the service's own words."""


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except ApplicationError as failure:
        if failure.code == "not_allowed":
            raise Refused(failure.message) from None
        if failure.code == "forbidden":
            raise Forbidden(failure.message) from None
        if failure.code == "not_found":
            raise exceptions.NotFound() from None
        raise application_errors(failure) from None


class CaseClosuresApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The closures of a case, newest first",
        description="Each closure with its reason, outcome, resolved or not (pnp 8.2), the policy's closure "
        "conditions as they stood (`met`: true, false, or null when not checked) and the manager's sign-off.",
        responses={200: ClosureSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = visible_case(staff_user(request), reference)
        profile = landlord_profile(case.landlord)
        found = Closure.objects.filter(case=case).select_related("by", "signed_off_by", "case")
        return Response([closure_document(c, profile) for c in found.order_by("-closed_at", "-pk")])


class ClosureSignOffApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Sign off a closure, or return the case to the officer",
        description="A team manager who did not close the case decides on its latest closure awaiting sign-off "
        "(the policy's `closure.manager_signoff`): `signed_off`, or `returned` with a `note` (the case reopens, "
        "the note its reason). 409 when the closure does not await a sign-off (an earlier closure of a reopened "
        "case never does). 200 with the closure.",
        parameters=[idempotency.PARAMETER],
        request=SignOffSerializer,
        responses={200: ClosureSerializer, **REFUSED, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, closure_id: int) -> Response:
        user = staff_user(request)
        case = visible_case(user, reference)
        closure = or_404(Closure.objects.filter(case=case, pk=closure_id).first())
        data = validated(SignOffSerializer, request)
        with _refusals():
            done = closure_sign_off(
                actor=user, closure=closure, decision=data["decision"], note=data.get("note") or "", via="api"
            )
        done = Closure.objects.select_related("by", "signed_off_by", "case").get(pk=done.pk)
        return Response(closure_document(done, landlord_profile(case.landlord)))


class ClosuresApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Closures awaiting a team manager's sign-off",
        description="Team managers: the landlord's closures awaiting sign-off, oldest first, leaving out those "
        "the caller closed (another manager signs those).",
        parameters=[OpenApiParameter("signoff", OpenApiTypes.STR, enum=["awaiting"], description="Only `awaiting`.")],
        responses={200: ClosureSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        user = staff_user(request)
        if user.role != Role.MANAGER:
            raise Forbidden("Only team managers see the closures awaiting sign-off.")
        wanted = request.query_params.get("signoff", "awaiting")
        if wanted != "awaiting":
            raise exceptions.ValidationError({"signoff": [f'"{wanted}" is not one of: awaiting.']})
        assert user.landlord_id is not None and user.landlord is not None
        profile = landlord_profile(user.landlord)
        rows = awaiting_signoff(landlord_id=user.landlord_id, exclude_by=user.pk).select_related("signed_off_by")
        return Response([closure_document(c, profile) for c in rows[:500]])


class CaseComplaintsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Complaints about a case",
        description="Complaints about how the case was handled (whg 3.6) or its outcome (whg 3.7; "
        "`case_review_signposted`), newest first. Caseworkers only.",
        responses={200: ComplaintSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = workable_case(staff_user(request), reference, "Only caseworkers on this case can read its complaints.")
        return Response([complaint_document(c) for c in case_complaints(case)])

    @extend_schema(
        summary="Record a complaint about a case",
        description="`about` (`handling` or `outcome`), `received_on` (not in the future, not before the case "
        "opened), `summary`, optionally the `party` who complained and the `complaints_reference`. The "
        "complaint is dealt with in the landlord's complaints process (the policy's `complaints`). 201.",
        parameters=[idempotency.PARAMETER],
        request=ComplaintCreateSerializer,
        responses={201: ComplaintSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference, "You cannot record complaints for this case.")
        data = validated(ComplaintCreateSerializer, request)
        party = None
        if data.get("party") is not None:
            party = Party.objects.filter(case=case, pk=data["party"], removed_at__isnull=True).first()
            if party is None:
                raise exceptions.ValidationError({"party": ["Choose a person in this case (a party id)."]})
        with _refusals():
            complaint = complaint_record(
                actor=user, case=case, about=data.get("about") or "", received_on=data.get("received_on"),
                summary=data.get("summary") or "", party=party,
                complaints_reference=data.get("complaints_reference") or "", via="api",
            )  # fmt: skip
        return Response(complaint_document(complaint), status=status.HTTP_201_CREATED)


class ComplaintAnswerApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record the answer to a complaint",
        description="`answered_on` (not before it was received, not in the future) and the `answer`. 409 when "
        "already answered. 200 with the complaint.",
        parameters=[idempotency.PARAMETER],
        request=ComplaintAnswerSerializer,
        responses={200: ComplaintSerializer, **REFUSED, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, complaint_id: int) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference, "You cannot answer complaints for this case.")
        complaint = or_404(Complaint.objects.filter(case=case, pk=complaint_id).first())
        data = validated(ComplaintAnswerSerializer, request)
        with _refusals():
            done = complaint_answer(
                actor=user, complaint=complaint, answered_on=data.get("answered_on"), answer=data.get("answer") or "",
                via="api",
            )  # fmt: skip
        return Response(complaint_document(done))


urlpatterns = [
    path("v1/cases/<str:reference>/closures", CaseClosuresApi.as_view(), name="case-closures"),
    path("v1/cases/<str:reference>/closures/<int:closure_id>/sign-off", ClosureSignOffApi.as_view(),
         name="case-closure-sign-off"),
    path("v1/closures", ClosuresApi.as_view(), name="closures"),
    path("v1/cases/<str:reference>/complaints", CaseComplaintsApi.as_view(), name="case-complaints"),
    path("v1/cases/<str:reference>/complaints/<int:complaint_id>/answer", ComplaintAnswerApi.as_view(),
         name="case-complaint-answer"),
]  # fmt: skip
