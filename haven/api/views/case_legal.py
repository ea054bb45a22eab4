"""Legal actions through the API (whg 2.11; emh 5.5; pnp 5.6).

``GET/POST /api/v1/cases/{reference}/legal-actions``; ``GET .../legal-actions/{id}`` with
``next_stages``, assessments, hearings and stage history; ``POST .../{id}/proportionality``
(emh 4.9; pnp 5.6.3), ``POST .../{id}/approve``, ``POST .../{id}/move``, ``POST .../{id}/hearings``
and ``PATCH .../{id}/hearings/{hid}``. A case the caller may not see is a 404; writes need
``can_work_case`` (403 for the others who can see the case); a stale ``version`` is a 409.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_legal import (
    ApprovalSerializer,
    HearingCreateSerializer,
    HearingSerializer,
    HearingUpdateSerializer,
    LegalActionCreateSerializer,
    LegalActionDetailSerializer,
    LegalActionSerializer,
    MoveSerializer,
    ProportionalitySerializer,
    hearing_document,
    legal_action_detail,
    legal_action_document,
)
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_common import or_404, refusals, validated, visible_case, workable_case
from haven.api.views.case_plans import _party_as
from haven.api.views.cases import ERRORS
from haven.api.views.reports import staff_user
from haven.cases.models import Case
from haven.interventions.models import LegalAction
from haven.interventions.selectors.legal import case_hearing, case_legal_action, case_legal_actions, hint, next_moves
from haven.interventions.services.legal import (
    ASSESSMENT_PARTS,
    legal_action_approve,
    legal_action_move,
    legal_action_start,
    proportionality_assess,
)
from haven.interventions.services.legal_hearings import hearing_add, hearing_update

STALE = {409: OpenApiResponse(ApiErrorsSerializer, description="It changed since `version`: nothing was saved.")}


class LegalPage(PageNumberPagination):
    page_size = 50


def _action(case: Case, legal_action_id: int) -> LegalAction:
    action = or_404(case_legal_action(case=case, legal_action_id=legal_action_id))
    return action


def _workable_action(request: Request, reference: str, legal_action_id: int) -> tuple[User, Case, LegalAction]:
    """The caller, the case they may work on (else 404 or 403) and its legal action (else 404)."""
    user = staff_user(request)
    case = workable_case(user, reference)
    return user, case, _action(case, legal_action_id)


def _detail(case: Case, legal_action_id: int) -> dict[str, Any]:
    action = _action(case, legal_action_id)
    return legal_action_detail(action, hint(action), next_moves(case, action))


class CaseLegalActionsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The legal actions of a case, newest first",
        description="50 a page; each with its stage and what comes next. The full record is at `.../{id}`.",
        responses={200: LegalActionSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = visible_case(staff_user(request), reference)
        paginator = LegalPage()
        found: list[LegalAction] = case_legal_actions(case=case)
        rows: list[LegalAction] = paginator.paginate_queryset(found, request, view=self) or []  # type: ignore[arg-type]
        return paginator.get_paginated_response([legal_action_document(a, hint(a)) for a in rows])

    @extend_schema(
        summary="Start a legal action",
        description=(
            "A legal tool of the landlord's policy against the reported person or a household member, with "
            "the reason and start date (not in the future). A tool with conditions (Ground 7A, pnp 5.6.2) "
            "needs one, with its date and details. Stage `considering`. 201 with the action."
        ),
        request=LegalActionCreateSerializer,
        responses={201: LegalActionDetailSerializer, **ERRORS, **idempotency.RESPONSES},
        parameters=[idempotency.PARAMETER],
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference)
        data = validated(LegalActionCreateSerializer, request)
        wanted = data.get("party")
        party = _party_as(case, wanted, "party") if wanted is not None else None
        with refusals():
            action = legal_action_start(
                actor=user,
                case=case,
                code=data.get("code") or "",
                party=party,
                reason=data.get("reason") or "",
                started_on=data.get("started_on"),
                condition=data.get("condition") or "",
                condition_on=data.get("condition_on"),
                condition_detail=data.get("condition_detail") or "",
                via="api",
            )
        return Response(_detail(case, action.pk), status=status.HTTP_201_CREATED)


class CaseLegalActionApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="One legal action",
        description="With `next_stages` (the moves open from its stage), assessments (latest first), hearings "
        "and its stage history.",
        responses={200: LegalActionDetailSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str, legal_action_id: int) -> Response:
        return Response(_detail(visible_case(staff_user(request), reference), legal_action_id))


class LegalProportionalityApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record the proportionality assessment of a legal action",
        description=(
            "emh 4.9; pnp 5.6.3: every part is required (the less intrusive options tried, or why none were). "
            "From `considering` it moves the action to `proportionality_assessed`; later it is a reassessment. "
            "201 with the action."
        ),
        request=ProportionalitySerializer,
        responses={201: LegalActionDetailSerializer, **ERRORS, **idempotency.RESPONSES},
        parameters=[idempotency.PARAMETER],
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, legal_action_id: int) -> Response:
        user, case, action = _workable_action(request, reference, legal_action_id)
        data = validated(ProportionalitySerializer, request)
        parts = {k: data.get(k) or "" for k in (*ASSESSMENT_PARTS, "less_intrusive_tried", "less_intrusive_why_not")}
        with refusals():
            proportionality_assess(
                actor=user,
                legal_action=action,
                proportionate=data.get("proportionate"),
                assessed_on=data.get("assessed_on"),
                via="api",
                **parts,
            )
        return Response(_detail(case, action.pk), status=status.HTTP_201_CREATED)


class LegalApproveApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Approve a legal action",
        description=(
            "After the proportionality assessment, and not while the latest says it is not proportionate. Where "
            "the policy says the tool needs a manager's approval, only a team manager may. 200 with the action."
        ),
        request=ApprovalSerializer,
        responses={200: LegalActionDetailSerializer, **ERRORS, **STALE, 422: idempotency.RESPONSES[422]},
        parameters=[idempotency.PARAMETER],
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, legal_action_id: int) -> Response:
        user, case, action = _workable_action(request, reference, legal_action_id)
        data = validated(ApprovalSerializer, request)
        with refusals({"approval_note": "note"}):
            legal_action_approve(
                actor=user,
                legal_action=action,
                on=data.get("on"),
                note=data.get("note") or "",
                version=data.get("version") or None,
                via="api",
            )
        return Response(_detail(case, action.pk))


class LegalMoveApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Move a legal action to its next stage",
        description=(
            "`to` must be one of the action's `next_stages` (a stage skipped is refused, saying what comes "
            "next), with the facts that move `needs`; `on` is the step's date (not in the future, not before "
            "the last step). Ground 7A: the notice within 12 months of the condition (Housing Act 1988 s8). "
            "200 with the action."
        ),
        request=MoveSerializer,
        responses={200: LegalActionDetailSerializer, **ERRORS, **STALE, 422: idempotency.RESPONSES[422]},
        parameters=[idempotency.PARAMETER],
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, legal_action_id: int) -> Response:
        user, case, action = _workable_action(request, reference, legal_action_id)
        data = validated(MoveSerializer, request)
        to, on, version = data.pop("to", None) or "", data.pop("on", None), data.pop("version", None) or None
        facts = {k: v for k, v in data.items() if v is not None and v != ""}
        with refusals():
            legal_action_move(actor=user, legal_action=action, to=to, on=on, version=version, via="api", **facts)
        return Response(_detail(case, action.pk))


class LegalHearingsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record a hearing of a legal action",
        description=(
            "Once the claim is issued, and not before the day it was; the court is the action's unless given. "
            "The first hearing of an action at `issued` moves it to `hearing`. 201 with the hearing."
        ),
        request=HearingCreateSerializer,
        responses={201: HearingSerializer, **ERRORS, **idempotency.RESPONSES},
        parameters=[idempotency.PARAMETER],
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, legal_action_id: int) -> Response:
        user, _, action = _workable_action(request, reference, legal_action_id)
        data = validated(HearingCreateSerializer, request)
        with refusals():
            hearing = hearing_add(
                actor=user,
                legal_action=action,
                at=data.get("at"),
                kind=data.get("kind") or "",
                court=data.get("court") or "",
                outcome=data.get("outcome") or "",
                via="api",
            )
        return Response(hearing_document(hearing), status=status.HTTP_201_CREATED)


class LegalHearingApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Change a hearing of a legal action",
        description="Its date and time, court, kind or outcome; leave out what does not change. 200 with the hearing.",
        request=HearingUpdateSerializer,
        responses={200: HearingSerializer, **ERRORS, **STALE, 422: idempotency.RESPONSES[422]},
        parameters=[idempotency.PARAMETER],
    )
    @idempotency.idempotent
    def patch(self, request: Request, reference: str, legal_action_id: int, hearing_id: int) -> Response:
        user, _, action = _workable_action(request, reference, legal_action_id)
        hearing = or_404(case_hearing(legal_action=action, hearing_id=hearing_id))
        data = validated(HearingUpdateSerializer, request)
        with refusals():
            hearing = hearing_update(
                actor=user,
                hearing=hearing,
                at=data.get("at"),
                kind=data.get("kind") or None,
                court=data.get("court"),
                outcome=data.get("outcome"),
                version=data.get("version") or None,
                via="api",
            )
        return Response(hearing_document(hearing))


BASE = "v1/cases/<str:reference>/legal-actions"
urlpatterns = [
    path(BASE, CaseLegalActionsApi.as_view(), name="case-legal-actions"),
    path(f"{BASE}/<int:legal_action_id>", CaseLegalActionApi.as_view(), name="case-legal-action"),
    path(
        f"{BASE}/<int:legal_action_id>/proportionality",
        LegalProportionalityApi.as_view(),
        name="case-legal-proportionality",
    ),
    path(f"{BASE}/<int:legal_action_id>/approve", LegalApproveApi.as_view(), name="case-legal-approve"),
    path(f"{BASE}/<int:legal_action_id>/move", LegalMoveApi.as_view(), name="case-legal-move"),
    path(f"{BASE}/<int:legal_action_id>/hearings", LegalHearingsApi.as_view(), name="case-legal-hearings"),
    path(
        f"{BASE}/<int:legal_action_id>/hearings/<int:hearing_id>", LegalHearingApi.as_view(), name="case-legal-hearing"
    ),
]
