"""Referrals and partnership meetings through the API (emh 6.1-6.2, 4.13; WWH 4.0 "Monitor Referrals").

``GET/POST /api/v1/cases/{reference}/referrals``; ``PATCH .../referrals/{id}`` records the
partner's answer (409 when its ``version`` is stale); ``GET/POST .../meetings`` lists the case for a
partnership meeting; ``POST .../meetings/{id}/record`` records what it decided and the actions it
agreed (they join the action plan); ``GET /api/v1/referrals?overdue=true`` the overdue referrals on
the cases the caller may see. A case the caller may not see is a 404; writes need
``can_work_case`` (403 for the others who can see the case).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_partnership import (
    MeetingListSerializer,
    MeetingRecordSerializer,
    MeetingSerializer,
    ReferralCreateSerializer,
    ReferralResponseSerializer,
    ReferralSerializer,
    meeting_document,
    referral_document,
)
from haven.api.serializers.case_plans import action_document
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_common import or_404, refusals, validated, visible_case, workable_case
from haven.api.views.case_plans import _owner_user, _party_as
from haven.api.views.cases import ERRORS, FALSE, TRUE
from haven.api.views.reports import staff_user
from haven.cases.models import ActionOwner, Case
from haven.cases.selectors.plans import ActionRow, action_overdue
from haven.interventions.models import PartnershipMeeting
from haven.interventions.selectors.partnership import (
    case_meeting,
    case_meetings,
    case_referral,
    case_referrals,
    meeting_row,
    referral_row,
    referrals_for_user,
)
from haven.interventions.services.partnership import (
    AgreedAction,
    meeting_list,
    meeting_record,
    referral_make,
    referral_response_record,
)


class PartnershipPage(PageNumberPagination):
    page_size = 50


def _stale(what: str) -> dict[int, OpenApiResponse]:
    return {
        409: OpenApiResponse(ApiErrorsSerializer, description=f"The {what} changed since `version`: nothing saved.")
    }


def _referral(case: Case, referral_id: int) -> dict[str, Any]:
    found = case_referral(case=case, referral_id=referral_id)
    assert found is not None
    return referral_document(case.reference, referral_row(found, landlord_profile(case.landlord), timezone.localdate()))


def _meeting(case: Case, meeting: PartnershipMeeting) -> dict[str, Any]:
    profile, today = landlord_profile(case.landlord), timezone.localdate()
    row = meeting_row(meeting, profile)
    actions = [
        action_document(ActionRow(action=line.action, owner_name=line.owner_name,
                                  overdue=action_overdue(line.action, today)))
        for line in row.actions
    ]  # fmt: skip
    return meeting_document(row, actions)


class CaseReferralsApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = PartnershipPage

    @extend_schema(
        summary="The referrals of a case",
        description="Latest made first, 50 a page, each with its answer or whether it is overdue (WWH 4.0).",
        responses={200: ReferralSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = visible_case(user, reference)
        profile, today = landlord_profile(case.landlord), timezone.localdate()
        paginator = PartnershipPage()
        rows = paginator.paginate_queryset(case_referrals(case=case), request, view=self) or []
        return paginator.get_paginated_response(
            [referral_document(reference, referral_row(r, profile, today)) for r in rows]
        )

    @extend_schema(
        summary="Make a referral",
        description=(
            "To a partner agency or forum of the landlord's policy (another is refused), optionally about a "
            "party of the case, with a reason. Without consent, a lawful basis other than `consent` and why "
            "sharing without consent is lawful (emh 4.13). The answer is expected by `response_due_on`, by "
            "default the policy's `partnership.referral_response_within` in working days. 201 with the referral."
        ),
        parameters=[idempotency.PARAMETER],
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference)
        data = validated(ReferralCreateSerializer, request)
        wanted = data.get("party")
        party = _party_as(case, wanted, "party") if wanted is not None else None
        with refusals():
            referral = referral_make(
                actor=user, case=case, partner=data.get("partner") or "", party=party, made_on=data.get("made_on"),
                reason=data.get("reason") or "", consent=data.get("consent") or "",
                lawful_basis=data.get("lawful_basis") or "", basis_detail=data.get("basis_detail") or "",
                response_due_on=data.get("response_due_on"), via="api",
            )  # fmt: skip
        return Response(_referral(case, referral.pk), status=status.HTTP_201_CREATED)


class CaseReferralApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record a partner's answer to a referral",
        description=(
            "When they answered (not before the referral, not in the future), what they said and what came of "
            "it. Send the `version` you read: if someone changed the referral since, the answer is 409 and "
            "nothing is saved. 200 with the referral."
        ),
        parameters=[idempotency.PARAMETER],
        request=ReferralResponseSerializer,
        responses={200: ReferralSerializer, **ERRORS, **_stale("referral"), 422: idempotency.RESPONSES[422]},
    )
    @idempotency.idempotent
    def patch(self, request: Request, reference: str, referral_id: int) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference)
        referral = or_404(case_referral(case=case, referral_id=referral_id))
        data = validated(ReferralResponseSerializer, request)
        with refusals():
            referral_response_record(
                actor=user, referral=referral, responded_on=data.get("responded_on"),
                response=data.get("response") or "", outcome=data.get("outcome") or "",
                version=data.get("version") or None, via="api",
            )  # fmt: skip
        return Response(_referral(case, referral.pk))


class CaseMeetingsApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = PartnershipPage

    @extend_schema(
        summary="The partnership meetings of a case",
        description="Latest first, 50 a page, each with what it decided and the actions it agreed (emh 6.2).",
        responses={200: MeetingSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = visible_case(user, reference)
        paginator = PartnershipPage()
        rows = paginator.paginate_queryset(case_meetings(case=case), request, view=self) or []
        return paginator.get_paginated_response([_meeting(case, m) for m in rows])

    @extend_schema(
        summary="List a case for a partnership meeting",
        description=(
            "A forum of the landlord's policy (a partner of kind `forum`, such as MARAC or a Joint Action "
            "Group; an agency is refused), the date and why (emh 6.2). 201 with the meeting."
        ),
        parameters=[idempotency.PARAMETER],
        request=MeetingListSerializer,
        responses={201: MeetingSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference)
        data = validated(MeetingListSerializer, request)
        with refusals():
            meeting = meeting_list(
                actor=user, case=case, forum=data.get("forum") or "", meets_on=data.get("meets_on"),
                reason=data.get("reason") or "", via="api",
            )  # fmt: skip
        found = case_meeting(case=case, meeting_id=meeting.pk)
        assert found is not None
        return Response(_meeting(case, found), status=status.HTTP_201_CREATED)


def _agreed(user: User, case: Case, number: int, data: dict[str, Any]) -> AgreedAction:
    owner = data.get("owner") or ""
    wanted = data.get("owner_party")
    try:
        party = (
            _party_as(case, wanted, "owner_party")
            if wanted is not None and owner in (ActionOwner.REPORTER, ActionOwner.OTHER_PARTY)
            else None
        )
        owner_user = _owner_user(user, data)
    except exceptions.ValidationError as failure:
        detail = failure.detail if isinstance(failure.detail, dict) else {}
        raise exceptions.ValidationError({f"actions.{number}.{k}": v for k, v in detail.items()}) from None
    return AgreedAction(
        description=data.get("description") or "", owner=owner, due_on=data.get("due_on"), owner_user=owner_user,
        owner_party=party, owner_partner=data.get("owner_partner") or "",
    )  # fmt: skip


class CaseMeetingRecordApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record what a partnership meeting decided",
        description=(
            "Whether it was held and discussed the case (a future meeting cannot have been held), what it "
            "decided or why not, and the actions it agreed, each checked as any action of the plan is "
            "(fields `actions.N.field`): they join the case's action plan. One bad action and nothing is "
            "saved. 200 with the meeting; 409 when `version` is stale."
        ),
        parameters=[idempotency.PARAMETER],
        request=MeetingRecordSerializer,
        responses={200: MeetingSerializer, **ERRORS, **_stale("meeting"), 422: idempotency.RESPONSES[422]},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, meeting_id: int) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference)
        meeting = or_404(case_meeting(case=case, meeting_id=meeting_id))
        data = validated(MeetingRecordSerializer, request)
        actions = [_agreed(user, case, n, a) for n, a in enumerate(data.get("actions") or [])]
        with refusals():
            meeting_record(
                actor=user, meeting=meeting, held=bool(data.get("held")), summary=data.get("summary") or "",
                actions=actions, version=data.get("version") or None, via="api",
            )  # fmt: skip
        found = case_meeting(case=case, meeting_id=meeting_id)
        assert found is not None
        return Response(_meeting(case, found))


class ReferralListApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = PartnershipPage

    @extend_schema(
        summary="Referrals on the cases the caller may see",
        description=(
            "50 a page. `overdue=true`: the referrals unanswered past the day their answer was expected, on "
            'open cases, soonest due first (WWH 4.0 "Monitor Referrals"); `overdue=false`: the others; '
            "otherwise all, latest made first. Restricted cases' referrals only for those who may see them."
        ),
        parameters=[OpenApiParameter("overdue", OpenApiTypes.BOOL, description="true: only the overdue ones.")],
        responses={200: ReferralSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        user = staff_user(request)
        assert user.landlord is not None
        wanted = request.query_params.get("overdue", "").strip().lower()
        if wanted and wanted not in TRUE | FALSE:
            raise exceptions.ValidationError({"overdue": ["Use true or false."]})
        overdue = None if not wanted else wanted in TRUE
        profile, today = landlord_profile(user.landlord), timezone.localdate()
        paginator = PartnershipPage()
        found = referrals_for_user(user=user, overdue=overdue, today=today)
        rows = paginator.paginate_queryset(found, request, view=self) or []
        return paginator.get_paginated_response(
            [referral_document(r.case.reference, referral_row(r, profile, today)) for r in rows]
        )


urlpatterns = [
    path("v1/referrals", ReferralListApi.as_view(), name="referrals"),
    path("v1/cases/<str:reference>/referrals", CaseReferralsApi.as_view(), name="case-referrals"),
    path("v1/cases/<str:reference>/referrals/<int:referral_id>", CaseReferralApi.as_view(), name="case-referral"),
    path("v1/cases/<str:reference>/meetings", CaseMeetingsApi.as_view(), name="case-meetings"),
    path(
        "v1/cases/<str:reference>/meetings/<int:meeting_id>/record",
        CaseMeetingRecordApi.as_view(),
        name="case-meeting-record",
    ),
]
