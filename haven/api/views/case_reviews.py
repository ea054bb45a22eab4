"""Case reviews through the API (issue 7; WWH 5.0, emh 7.1).

``GET /api/v1/cases/{reference}/reviews`` lists a case's reviews, newest first (paginated);
``POST`` records one against the landlord's checklist (every question answered, the conclusion
and why); ``POST .../reviews/{id}/sign-off`` is a team manager's sign-off or return of a review
awaiting it (``reviews.manager_signoff``); ``GET /api/v1/reviews?state=overdue|due|awaiting_signoff``
lists the open cases whose review is overdue or due in the next working days, or the reviews
awaiting sign-off. A case the caller may not see is a 404; recording needs ``can_work_case`` and
sign-off a team manager who did not hold the review (403); reviewing a closed case, or signing
a review already signed off or returned, is a 409; nothing is saved on a refusal.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_reviews import (
    STATES,
    CaseReviewCreateSerializer,
    CaseReviewDueSerializer,
    CaseReviewSerializer,
    CaseReviewSignOffSerializer,
    review_document,
    review_due_document,
)
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_common import or_404, refusals, validated, visible_case, workable_case
from haven.api.views.cases import ERRORS
from haven.api.views.reports import staff_user
from haven.common.errors import ApplicationError
from haven.reviews.models import Review
from haven.reviews.selectors.reviews import (
    case_review,
    case_reviews,
    cases_review,
    due_horizon,
    reviews_awaiting_signoff,
)
from haven.reviews.services.reviews import CONFLICT, review_record, review_sign_off

CONFLICTS = {
    409: OpenApiResponse(
        ApiErrorsSerializer,
        description="The case is closed, or the review is already signed off or returned: nothing was saved.",
    )
}


class ReviewConflict(exceptions.ValidationError):
    """409 with the service's message: the record is not in a state that allows it."""

    status_code = status.HTTP_409_CONFLICT


@contextmanager
def review_refusals() -> Iterator[None]:
    """The service's refusals: "conflict" a 409, "forbidden" a 403, the rest a 400 per field."""
    with refusals(forbidden=True):
        try:
            yield
        except ApplicationError as failure:
            if failure.code == CONFLICT:
                raise ReviewConflict({"non_field_errors": [failure.message]}) from None
            raise


class ReviewPage(PageNumberPagination):
    page_size = 50


class CaseReviewsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The reviews of a case",
        description=(
            "Every review of the case, newest first: when and by whom, the review date it met and the one it set, "
            "the checklist's answers, the conclusion and its sign-off. `next_review_at` is the date the review set "
            "(a re-categorisation since may have moved it: `GET /api/v1/reviews` lists the current dates)."
        ),
        responses={200: CaseReviewSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = visible_case(user, reference)
        profile = landlord_profile(case.landlord)
        paginator = ReviewPage()
        page: list[Review] = paginator.paginate_queryset(case_reviews(case=case), request, view=self) or []  # type: ignore[arg-type]
        return paginator.get_paginated_response([review_document(review, profile) for review in page])

    @extend_schema(
        summary="Record a review of a case",
        description=(
            "WWH 5.0: `answers` has an answer for every question of the landlord's checklist (`reviews.checklist` "
            "of `GET /api/v1/policy`), by code; `conclusion` is continue, escalate, de_escalate or close, with "
            "`conclusion_note`. The case's next review date follows from the review (its tier's `review_every`). "
            "Where the landlord asks (`reviews.manager_signoff`) the review awaits a team manager's sign-off. "
            "A closed case is refused with 409. 201 with the review."
        ),
        parameters=[idempotency.PARAMETER],
        request=CaseReviewCreateSerializer,
        responses={201: CaseReviewSerializer, **ERRORS, **CONFLICTS, 422: idempotency.RESPONSES[422]},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference, "You cannot review this case.")
        data = validated(CaseReviewCreateSerializer, request)
        with review_refusals():
            review = review_record(
                actor=user, case=case, answers=data.get("answers") or {}, threshold_met=data.get("threshold_met"),
                conclusion=data.get("conclusion") or "", conclusion_note=data.get("conclusion_note") or "",
                held_at=data.get("held_at"), via="api",
            )  # fmt: skip
        found = or_404(case_review(case=case, review_id=review.pk))
        return Response(review_document(found, landlord_profile(case.landlord)), status=status.HTTP_201_CREATED)


class CaseReviewSignOffApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Sign off a review, or return it to the officer",
        description=(
            "A team manager (not the one who held the review) signs off a review awaiting it (`signed_off`), or "
            "returns it with a `note` saying what to look at again (`returned`). Other roles, and the manager who "
            "held it, get 403; a review already signed off or returned, or one needing no sign-off, 409. "
            "200 with the review."
        ),
        parameters=[idempotency.PARAMETER],
        request=CaseReviewSignOffSerializer,
        responses={200: CaseReviewSerializer, **ERRORS, **CONFLICTS, 422: idempotency.RESPONSES[422]},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, review_id: int) -> Response:
        user = staff_user(request)
        case = visible_case(user, reference)
        review = or_404(case_review(case=case, review_id=review_id))
        data = validated(CaseReviewSignOffSerializer, request)
        with review_refusals():
            review_sign_off(
                actor=user, review=review, decision=data.get("decision") or "", note=data.get("note") or "", via="api"
            )
        found = or_404(case_review(case=case, review_id=review_id))
        return Response(review_document(found, landlord_profile(case.landlord)))


class ReviewsDueApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Reviews overdue, due soon or awaiting sign-off",
        description=(
            "emh 7.1: `state=overdue` lists the open cases the caller may see whose review date has passed; `due`, "
            "those due from now to the end of the next 10 working days; soonest first. `awaiting_signoff` lists "
            "the reviews waiting for a team manager's sign-off, oldest first, each with its review."
        ),
        parameters=[OpenApiParameter("state", str, enum=STATES, required=True, description="Which list.")],
        responses={200: CaseReviewDueSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        user = staff_user(request)
        state = request.query_params.get("state", "")
        if state not in STATES:
            raise exceptions.ValidationError({"state": [f'"{state}" is not one of: {", ".join(STATES)}.']})
        paginator = ReviewPage()
        if state == "awaiting_signoff":
            assert user.landlord is not None
            profile = landlord_profile(user.landlord)
            reviews = paginator.paginate_queryset(reviews_awaiting_signoff(user=user), request, view=self) or []
            rows: list[dict[str, Any]] = [
                review_due_document(r.case, state, review_document(r, profile)) for r in reviews
            ]
        else:
            now = timezone.now()
            until = due_horizon(user, now) if state == "due" else None
            cases = paginator.paginate_queryset(cases_review(user=user, state=state, now=now, until=until), request)
            rows = [review_due_document(c, state) for c in cases or []]
        return paginator.get_paginated_response(rows)


urlpatterns = [
    path("v1/cases/<str:reference>/reviews", CaseReviewsApi.as_view(), name="case-reviews"),
    path(
        "v1/cases/<str:reference>/reviews/<int:review_id>/sign-off",
        CaseReviewSignOffApi.as_view(),
        name="case-review-sign-off",
    ),
    path("v1/reviews", ReviewsDueApi.as_view(), name="reviews"),
]
