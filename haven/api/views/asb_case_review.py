"""The ASB Case Review (Community Trigger, 2014 Act s104) through the API.

``GET``/``POST /api/v1/local-authority-areas`` lists and adds the landlord's areas with their
thresholds (team managers and administrators write; 403 for the others), ``PATCH
.../local-authority-areas/{id}`` changes one. ``GET /api/v1/cases/{reference}/case-review`` shows where
each reporter of the case stands (complaints counted across cases, the threshold met or not, the
prompt to tell them) with the applications; ``POST .../agency-complaints``,
``.../right-to-review-notices`` and ``.../case-review-applications`` record a complaint to another
agency, that the reporter was told, and an application; ``PATCH .../case-review-applications/{id}``
records its decision, meeting and outcome (409 when its ``version`` is stale); ``POST
.../case-review-applications/{id}/recommendations`` adds a recommendation, which joins the action
plan. ``GET /api/v1/case-reviews`` lists the reporters at or near the threshold and the open
applications. A case the caller may not see is a 404; writes need ``can_work_case`` (403).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.asb_case_review import (
    AgencyComplaintCreateSerializer,
    ApplicationCreateSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    AreaBodySerializer,
    AreaSerializer,
    RecommendationCreateSerializer,
    RightToReviewCreateSerializer,
    application_document,
    area_document,
    case_review_document,
    eligible_document,
)
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_common import or_404, refusals, validated, visible_case, workable_case
from haven.api.views.cases import ERRORS, _party
from haven.api.views.reports import staff_user
from haven.cases.models import Case, Party
from haven.cases.selectors.plans import staff_member
from haven.reviews.models import CaseReviewApplication
from haven.reviews.selectors.case_review import (
    CaseReviewStatus,
    applications_for_user,
    area_for_user,
    case_application,
    case_review_status,
    eligible_reporters,
    landlord_areas,
    tell_at,
)
from haven.reviews.services.case_review import (
    AREA_FIELDS,
    agency_complaint_record,
    area_save,
    case_review_apply,
    case_review_update,
    complaints_relied_on,
    recommendation_add,
    right_to_review_told,
)

STALE = {
    409: OpenApiResponse(ApiErrorsSerializer, description="The application changed since `version`: nothing was saved.")
}
AREA_ERRORS = {
    400: ERRORS[400],
    403: OpenApiResponse(ApiErrorsSerializer, description="Only team managers and administrators change areas."),
}


def _status(user: User, case: Case) -> CaseReviewStatus:
    return case_review_status(user=user, case=case, profile=landlord_profile(case.landlord))


def _document(user: User, case: Case) -> dict[str, Any]:
    profile = landlord_profile(case.landlord)
    return case_review_document(
        case.reference, case_review_status(user=user, case=case, profile=profile), tell_at(profile)
    )


def _reporter(case: Case, wanted: int | str | None, name: str = "party") -> Party:
    if wanted is None:
        raise exceptions.ValidationError({name: ['Give the reporter: a party id from the case, or "reporter".']})
    try:
        return _party(case, wanted)
    except exceptions.ValidationError as error:
        detail = error.detail
        raise exceptions.ValidationError({name: detail["party"] if isinstance(detail, dict) else detail}) from None


def _area_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in AREA_FIELDS}
    for name in ("gss_code", "lead_agency", "contact_name", "contact_email", "contact_phone", "procedure_url"):
        if name in values and values[name] is None:
            values[name] = ""
    return values


class AreasApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The landlord's local authority areas",
        description=(
            "Each with its ASB Case Review threshold and local variations, lead agency, contact and timescales."
        ),
        responses={200: AreaSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = staff_user(request)
        return Response([area_document(a) for a in landlord_areas(landlord_id=user.landlord_id or 0)])

    @extend_schema(
        summary="Add a local authority area",
        description=(
            "`name` (unique) and `threshold_complaints` (1 to 3: s104(10) allows at most three) are required. "
            "Team managers and administrators only. 201 with the area."
        ),
        parameters=[idempotency.PARAMETER],
        request=AreaBodySerializer,
        responses={201: AreaSerializer, **AREA_ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request) -> Response:
        user = staff_user(request)
        data = validated(AreaBodySerializer, request)
        with refusals(forbidden=True):
            area = area_save(actor=user, values=_area_values(data), via="api")
        return Response(area_document(area), status=status.HTTP_201_CREATED)


class AreaApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(summary="One local authority area", responses={200: AreaSerializer, 404: ERRORS[404]})
    def get(self, request: Request, area_id: int) -> Response:
        user = staff_user(request)
        return Response(area_document(or_404(area_for_user(user=user, area_id=area_id))))

    @extend_schema(
        summary="Change a local authority area",
        description="Leave out what does not change. Team managers and administrators only.",
        request=AreaBodySerializer,
        responses={200: AreaSerializer, **AREA_ERRORS, 404: ERRORS[404]},
    )
    def patch(self, request: Request, area_id: int) -> Response:
        user = staff_user(request)
        area = or_404(area_for_user(user=user, area_id=area_id))
        data = validated(AreaBodySerializer, request)
        with refusals(forbidden=True):
            saved = area_save(actor=user, area=area, values=_area_values(data), via="api")
        return Response(area_document(saved))


CASE_REVIEW = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=(
        "`area` (null: the statutory default), `threshold`, `tell_reporter_at` (the profile's prompt), `reporters` "
        "(each: `party`, `name`, `counted`, `threshold`, `met`, `rule`, `lapses_on`, `tell_now`, `told_on`, and "
        "`complaints` with their `id` to rely on in an application) and `applications`."
    ),
)


class CaseReviewApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The ASB Case Review standing of a case",
        description=(
            "Where each reporter stands: their qualifying complaints within six months across the landlord's cases "
            "(their reports and complaints to other agencies; one per incident), their area's threshold, whether "
            "it is met and until when, and whether to tell them of their right now."
        ),
        responses={200: CASE_REVIEW, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        return Response(_document(user, visible_case(user, reference)))


class AgencyComplaintsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record a complaint the reporter made to another agency",
        description=(
            "It counts toward the reporter's threshold; one about the same incident day counts once. 201 with the "
            "case review."
        ),
        parameters=[idempotency.PARAMETER],
        request=AgencyComplaintCreateSerializer,
        responses={201: CASE_REVIEW, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference)
        data = validated(AgencyComplaintCreateSerializer, request)
        with refusals():
            agency_complaint_record(
                actor=user, case=case, party=_reporter(case, data.get("party")), agency=data.get("agency") or "",
                made_on=data.get("made_on"), incident_on=data.get("incident_on"),
                agency_reference=data.get("agency_reference") or "", summary=data.get("summary") or "", via="api",
            )  # fmt: skip
        return Response(_document(user, case), status=status.HTTP_201_CREATED)


class RightToReviewNoticesApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record that the reporter was told of their right to an ASB Case Review",
        description=(
            "The Victims' Commissioner recommends telling them at the second complaint within six months. 201 with "
            "the case review."
        ),
        parameters=[idempotency.PARAMETER],
        request=RightToReviewCreateSerializer,
        responses={201: CASE_REVIEW, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference)
        data = validated(RightToReviewCreateSerializer, request)
        party = _reporter(case, data.get("party"))
        standing = _status(user, case).standing_of(party.pk)
        with refusals():
            right_to_review_told(
                actor=user, case=case, party=party, told_on=data.get("told_on"), channel=data.get("channel") or "",
                note=data.get("note") or "", complaints=standing.assessment.count if standing else 0, via="api",
            )  # fmt: skip
        return Response(_document(user, case), status=status.HTTP_201_CREATED)


class ApplicationsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record an ASB Case Review application",
        description=(
            "`complaints` are `id`s of the applicant's complaints from the case review; `received_on` may not be "
            "before any of them (s104(8)). 201 with the application."
        ),
        parameters=[idempotency.PARAMETER],
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference)
        data = validated(ApplicationCreateSerializer, request)
        applicant = _reporter(case, data.get("applicant"), "applicant")
        found_status = _status(user, case)
        standing = found_status.standing_of(applicant.pk)
        relied, unknown = complaints_relied_on(
            list(data.get("complaints") or []), standing.complaints if standing else []
        )
        if unknown:
            raise exceptions.ValidationError(
                {"complaints": [f"Not complaints of the applicant in the last six months: {', '.join(unknown)}."]}
            )
        with refusals():
            found = case_review_apply(
                actor=user, case=case, applicant=applicant, route=data.get("route") or "",
                received_on=data.get("received_on"), relied_on=relied, area=found_status.area, via="api",
            )  # fmt: skip
        return Response(_application(case, found.pk), status=status.HTTP_201_CREATED)


def _application(case: Case, application_id: int) -> dict[str, Any]:
    return application_document(or_404(case_application(case=case, application_id=application_id)))


def _workable_application(
    request: Request, reference: str, application_id: int
) -> tuple[User, Case, CaseReviewApplication]:
    user = staff_user(request)
    case = workable_case(user, reference)
    return user, case, or_404(case_application(case=case, application_id=application_id))


class ApplicationApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(summary="One ASB Case Review application", responses={200: ApplicationSerializer, 404: ERRORS[404]})
    def get(self, request: Request, reference: str, application_id: int) -> Response:
        user = staff_user(request)
        return Response(_application(visible_case(user, reference), application_id))

    @extend_schema(
        summary="Record the decision, meeting or outcome of an application",
        description=(
            "The decision is not before the application; the meeting follows a decision that the threshold was "
            "met; the outcome letter follows the meeting. Send the `version` you read (409 if it changed)."
        ),
        request=ApplicationUpdateSerializer,
        responses={200: ApplicationSerializer, **ERRORS, **STALE},
    )
    def patch(self, request: Request, reference: str, application_id: int) -> Response:
        user, case, found = _workable_application(request, reference, application_id)
        data = validated(ApplicationUpdateSerializer, request)
        version = data.pop("version", None) or None
        values = {k: ("" if v is None and k in ("decision_reason", "outcome") else v) for k, v in data.items()}
        with refusals():
            case_review_update(actor=user, application=found, values=values, version=version, via="api")
        return Response(_application(case, application_id))


class RecommendationsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Add a recommendation of the review panel",
        description=(
            "Only once the threshold was decided met. It joins the case's action plan as an action for a member of "
            "staff (`owner_user`) or a partner (`owner_partner`), due by `due_on`. 201 with the application."
        ),
        parameters=[idempotency.PARAMETER],
        request=RecommendationCreateSerializer,
        responses={201: ApplicationSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, application_id: int) -> Response:
        user, case, found = _workable_application(request, reference, application_id)
        data = validated(RecommendationCreateSerializer, request)
        owner_user = None
        if (data.get("owner_user") or "").strip():
            owner_user = staff_member(landlord_id=case.landlord_id, username=data["owner_user"].strip())
            if owner_user is None:
                raise exceptions.ValidationError(
                    {"owner_user": [f"There is no member of staff with the user name {data['owner_user']}."]}
                )
        with refusals({"description": "text"}):
            recommendation_add(
                actor=user, application=found, text=data.get("text") or "", owner=data.get("owner") or "",
                owner_user=owner_user, owner_partner=data.get("owner_partner") or "", due_on=data.get("due_on"),
                via="api",
            )  # fmt: skip
        return Response(_application(case, application_id), status=status.HTTP_201_CREATED)


class CaseReviewsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Reporters at the ASB Case Review threshold, and open applications",
        description=(
            "`reporters`: on open cases the caller may see, those meeting their area's threshold or due to be told "
            "of their right, the soonest lapse first. `applications`: those with no outcome letter sent yet."
        ),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request) -> Response:
        user = staff_user(request)
        assert user.landlord is not None
        rows = eligible_reporters(user=user, profile=landlord_profile(user.landlord))
        applications = [a for a in applications_for_user(user=user) if a.outcome_letter_sent_on is None]
        return Response(
            {
                "reporters": [eligible_document(r) for r in rows],
                "applications": [application_document(a, recommendations=False) for a in applications],
            }
        )


urlpatterns = [
    path("v1/local-authority-areas", AreasApi.as_view(), name="local-authority-areas"),
    path("v1/local-authority-areas/<int:area_id>", AreaApi.as_view(), name="local-authority-area"),
    path("v1/case-reviews", CaseReviewsApi.as_view(), name="asb-case-reviews"),
    path("v1/cases/<str:reference>/case-review", CaseReviewApi.as_view(), name="case-asb-case-review"),
    path("v1/cases/<str:reference>/agency-complaints", AgencyComplaintsApi.as_view(), name="case-agency-complaints"),
    path(
        "v1/cases/<str:reference>/right-to-review-notices",
        RightToReviewNoticesApi.as_view(),
        name="case-right-to-review-notices",
    ),
    path(
        "v1/cases/<str:reference>/case-review-applications",
        ApplicationsApi.as_view(),
        name="case-review-applications",
    ),
    path(
        "v1/cases/<str:reference>/case-review-applications/<int:application_id>",
        ApplicationApi.as_view(),
        name="case-review-application",
    ),
    path(
        "v1/cases/<str:reference>/case-review-applications/<int:application_id>/recommendations",
        RecommendationsApi.as_view(),
        name="case-review-recommendations",
    ),
]
