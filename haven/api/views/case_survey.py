"""The satisfaction survey of a case through the API (whg 3.3; TSM TP12).

``GET /api/v1/cases/{reference}/survey``: its links (never the link itself: it is the reporter's
key and goes only to them) and its answers. ``POST .../survey/invitations``: a new link to the
reporter (the open one withdrawn), for a closed case. ``POST .../survey/responses``: answers taken
by phone or on paper. Caseworkers only (404 for a case the caller may not see, 403 for one they may
see but not work on); 409 when the case is not closed or the survey is already answered.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.common import StrictSerializer, choice, when
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_closure import _refusals
from haven.api.views.case_common import validated, workable_case
from haven.api.views.cases import ERRORS
from haven.api.views.reports import staff_user
from haven.reviews.models import SurveyVia
from haven.reviews.selectors.survey import case_survey
from haven.reviews.services.survey import survey_invitation_send, survey_record

REFUSED = {
    **ERRORS,
    409: OpenApiResponse(ApiErrorsSerializer, description="The case is not closed, or the survey is answered."),
}


class SurveyRecordSerializer(StrictSerializer):
    via = choice([SurveyVia.PHONE, SurveyVia.PAPER], help_text="How the answers were given.")
    answers = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=True),
        help_text="`{question code: answer code or text}` for the policy's `survey.questions` (GET /api/v1/policy); "
        "the TP12 question is required.",
    )


class SurveyDocumentSerializer(serializers.Serializer[Any]):
    to_answer = serializers.BooleanField(help_text="The case is closed and its latest closure's survey unanswered.")
    invitations = serializers.ListField(child=serializers.DictField())
    responses = serializers.ListField(child=serializers.DictField())


def _document(case: Any) -> dict[str, Any]:
    found = case_survey(case, landlord_profile(case.landlord))
    return {
        "to_answer": found["to_answer"],
        "invitations": [
            {"id": row["invitation"].pk, "channel": row["invitation"].channel, "state": row["state"],
             "created_at": when(row["invitation"].created_at), "sent_at": when(row["invitation"].sent_at),
             "expires_at": when(row["invitation"].expires_at), "used_at": when(row["invitation"].used_at)}
            for row in found["invitations"]
        ],
        "responses": [
            {"id": row["response"].pk, "via": row["response"].via, "answered_at": when(row["response"].answered_at),
             "tp12": row["response"].tp12, "answers": row["response"].answers,
             "policy_version": row["response"].policy_version}
            for row in found["responses"]
        ],
    }  # fmt: skip


class CaseSurveyApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The satisfaction survey of a case",
        description="Its survey links (`state`: `open`, `waiting`, `answered`, `withdrawn`, `expired`; the link "
        "itself is never shown) and its answers, with the TP12 answer apart (`tp12`).",
        responses={200: SurveyDocumentSerializer, **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = workable_case(staff_user(request), reference, "Only caseworkers on this case can read its survey.")
        return Response(_document(case))


class CaseSurveyInvitationsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Send the reporter a new survey link",
        description="For a closed case whose survey is not answered: the open link is withdrawn and a new one is "
        "e-mailed to a reporter who has an address (by the task worker), or kept for the officer to ask by phone. "
        "No body. 201 with the survey.",
        request=None,
        parameters=[idempotency.PARAMETER],
        responses={201: SurveyDocumentSerializer, **REFUSED, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference, "You cannot send survey links for this case.")
        with _refusals():
            survey_invitation_send(actor=user, case=case, site=request.build_absolute_uri("/"), via="api")
        return Response(_document(case), status=status.HTTP_201_CREATED)


class CaseSurveyResponsesApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record survey answers taken by phone or on paper",
        description="`via` (`phone` or `paper`) and `answers` for the latest closure of a closed case; each "
        "answer one of its question's choices (the codes of GET /api/v1/policy's `survey`). 201 with the survey.",
        request=SurveyRecordSerializer,
        parameters=[idempotency.PARAMETER],
        responses={201: SurveyDocumentSerializer, **REFUSED, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference, "You cannot record survey answers for this case.")
        data = validated(SurveyRecordSerializer, request)
        with _refusals():
            survey_record(actor=user, case=case, answers=data["answers"], via_channel=data["via"], via="api")
        return Response(_document(case), status=status.HTTP_201_CREATED)


urlpatterns = [
    path("v1/cases/<str:reference>/survey", CaseSurveyApi.as_view(), name="case-survey"),
    path(
        "v1/cases/<str:reference>/survey/invitations",
        CaseSurveyInvitationsApi.as_view(),
        name="case-survey-invitations",
    ),
    path("v1/cases/<str:reference>/survey/responses", CaseSurveyResponsesApi.as_view(), name="case-survey-responses"),
]
