"""Closing and reopening a case through the API (API.md: ``POST /api/v1/cases/{reference}/close``
``{"reason", "outcome", "resolved": bool}``; ``POST .../reopen`` ``{"reason"}``).

Both call ``cases.services.workflow.case_transition`` with ``via="api"``: a case the caller may not
see is a 404; one they may see but not close or reopen (an adviser, an auditor, an officer who is
not the case's own) a 403; a move the workflow table does not allow (closing a closed case) a 409;
missing or bad fields a 400 naming each. 200 with the case.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_workflow import CloseSerializer, ReopenSerializer
from haven.api.serializers.cases import CaseSerializer
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.cases import ERRORS, _document
from haven.api.views.reports import Conflict, Forbidden, application_errors, staff_user
from haven.cases import selectors
from haven.cases.models import Case, CaseStatus
from haven.cases.services.workflow import case_transition
from haven.common.errors import ApplicationError

WORKFLOW_ERRORS = {
    **ERRORS,
    403: OpenApiResponse(
        ApiErrorsSerializer, description="Only the case's officer, ASB specialists and team managers may do this."
    ),
    409: OpenApiResponse(ApiErrorsSerializer, description="The case's status does not allow it (already closed)."),
}


class Refused(Conflict):
    """409 with the workflow's own words."""


def _case(user: User, reference: str) -> Case:
    case = selectors.cases_for_user(user=user).filter(reference=reference).first()
    if case is None:
        raise exceptions.NotFound()
    return case


def _move(user: User, reference: str, **move: Any) -> Response:
    case = _case(user, reference)
    try:
        case_transition(actor=user, case=case, via="api", **move)
    except ApplicationError as failure:
        if failure.code == "not_allowed":
            raise Refused(failure.message) from None
        if not failure.fields:
            raise Forbidden(failure.message) from None
        raise application_errors(failure) from None
    return Response(_document(user, reference))


class CaseCloseApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Close a case",
        description=(
            "With why it is closing now (`reason`), the `outcome` and whether the ASB was `resolved` (pnp 8.2), "
            "all required; `closure_reason` is an optional code of the landlord's policy (`closure.reasons`; "
            "default its `closure.default_reason`) and `confirmed` the codes of the `confirm` closure conditions "
            "ticked. A blocking closure condition not met (open actions, agreements in place) or an open legal "
            "action is a 409 naming it. The case's officer, ASB specialists and team managers may close it; an "
            "open or reopened case can be closed. Where the policy asks, the closure then awaits a team "
            "manager's sign-off. 200 with the case."
        ),
        parameters=[idempotency.PARAMETER],
        request=CloseSerializer,
        responses={200: CaseSerializer, **WORKFLOW_ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _case(user, reference)  # 404 before the body is read
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        default = landlord_profile(case.landlord).closure.default_reason
        return _move(
            user, reference, to=CaseStatus.CLOSED, reason=data.get("reason") or "",
            closure_reason=data.get("closure_reason") or default, outcome=data.get("outcome") or "",
            resolved=data.get("resolved"), confirmed=data.get("confirmed") or (),
        )  # fmt: skip


class CaseReopenApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Reopen a closed case",
        description=(
            "With the `reason`, required. The case's officer, ASB specialists and team managers may reopen it. "
            "Its status becomes `reopened`, which counts as open. 200 with the case."
        ),
        parameters=[idempotency.PARAMETER],
        request=ReopenSerializer,
        responses={200: CaseSerializer, **WORKFLOW_ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        _case(user, reference)
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return _move(user, reference, to=CaseStatus.REOPENED, reason=body.validated_data.get("reason") or "")
