"""A case's action plan through the API (livv 4 "Case Management"; pnp 5.1; wwh 4.0).

``GET /api/v1/cases/{reference}/action-plan``: the agreement, the breach and the actions;
``POST`` to it records the agreement; ``POST .../actions`` adds an action; ``PATCH
.../actions/{id}`` updates one, refused with 409 when its ``version`` is stale. A case the caller
may not see is a 404; writes need ``can_work_case`` (403 for the others who can see the case).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_plans import (
    ActionCreateSerializer,
    ActionPlanAgreeSerializer,
    ActionPlanSerializer,
    ActionSerializer,
    ActionUpdateSerializer,
    action_document,
    plan_document,
)
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.cases import ERRORS, _party, _workable
from haven.api.views.reports import application_errors, staff_user
from haven.cases import selectors
from haven.cases.models import Action, ActionOwner, Case, Party
from haven.cases.selectors.plans import ActionRow, action_overdue, case_action, case_plan, owner_name, staff_member
from haven.cases.services.plans import action_add, action_plan_agree, action_update
from haven.common.errors import ApplicationError

STALE = {
    409: OpenApiResponse(ApiErrorsSerializer, description="The action changed since `version`: nothing was saved.")
}


def _plan(case: Case) -> dict[str, Any]:
    found = case_plan(
        case=case, profile=landlord_profile(case.landlord), now=timezone.now(), today=timezone.localdate()
    )
    return plan_document(case.reference, found)


def _row(case: Case, action: Action) -> dict[str, Any]:
    found = Action.objects.select_related("owner_user", "owner_party__person").get(pk=action.pk)
    return action_document(
        ActionRow(
            action=found,
            owner_name=owner_name(found, landlord_profile(case.landlord)),
            overdue=action_overdue(found, timezone.localdate()),
        )
    )


class CaseActionPlanApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The action plan of a case",
        description=(
            "When the agreed plan is due by the policy (`casework.action_plan_within` from when the first "
            "report was received), whether the case is in breach (open, no agreement, past that time), the "
            "agreement (null until recorded) and the actions, soonest due first."
        ),
        responses={200: ActionPlanSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = selectors.cases_for_user(user=user).filter(reference=reference).select_related("landlord").first()
        if case is None:
            raise exceptions.NotFound()
        return Response(_plan(case))

    @extend_schema(
        summary="Record that the action plan was agreed",
        description=(
            "With a party of the case who can be contacted (normally the reporter; not an anonymous one), "
            "on a date not in the future nor before the case opened, and how and when it was shared. The "
            "actions come first. Recording it again replaces the agreement (the audit keeps the history). "
            "200 with the plan."
        ),
        parameters=[idempotency.PARAMETER],
        request=ActionPlanAgreeSerializer,
        responses={200: ActionPlanSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot change this case.")
        body = ActionPlanAgreeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        wanted = data.get("agreed_with")
        party = _party_as(case, wanted, "agreed_with") if wanted is not None else None
        try:
            action_plan_agree(
                actor=user, case=case, agreed_with=party,
                agreed_on=data.get("agreed_on"), shared_how=data.get("shared_how") or "",
                shared_on=data.get("shared_on"), notes=data.get("notes") or "", via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(_plan(case))


def _party_as(case: Case, wanted: int | str, field: str) -> Party:
    """A party of the case (an id or "reporter"), with a refusal named after this body's field."""
    try:
        return _party(case, wanted)
    except exceptions.ValidationError as failure:
        detail = failure.detail
        raise exceptions.ValidationError({field: detail["party"] if isinstance(detail, dict) else detail}) from None


def _owner_user(user: User, data: dict[str, Any]) -> User | None:
    wanted = (data.get("owner_user") or "").strip()
    if data.get("owner") != ActionOwner.LANDLORD or not wanted:
        return None
    assert user.landlord_id is not None
    found = staff_member(landlord_id=user.landlord_id, username=wanted)
    if found is None:
        raise exceptions.ValidationError({"owner_user": [f"There is no member of staff with the user name {wanted}."]})
    return found


class CaseActionsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Add an action to a case's plan",
        description=(
            "Every action has an owner: `landlord` with `owner_user` (a member of staff), `reporter` or "
            "`party` with `owner_party`, or `partner` with `owner_partner` (a partner code of the policy, "
            "or a name); and a due date not before the case opened. 201 with the action."
        ),
        parameters=[idempotency.PARAMETER],
        request=ActionCreateSerializer,
        responses={201: ActionSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot change this case.")
        body = ActionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        owner = data.get("owner") or ""
        wanted_party = data.get("owner_party")
        party = (
            _party_as(case, wanted_party, "owner_party")
            if wanted_party is not None and owner in (ActionOwner.REPORTER, ActionOwner.OTHER_PARTY)
            else None
        )
        try:
            action = action_add(
                actor=user, case=case, description=data.get("description") or "", owner=owner,
                owner_user=_owner_user(user, data), owner_party=party, owner_partner=data.get("owner_partner") or "",
                due_on=data.get("due_on"), source=data.get("source") or "", via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(_row(case, action), status=status.HTTP_201_CREATED)


class CaseActionApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Update an action of a case's plan",
        description=(
            "Its status, outcome, due date or completion date. Done or not done needs an outcome; a done "
            "action's completion date is today unless given. Send the `version` you read: if someone "
            "changed the action since, the answer is 409 and nothing is saved. 200 with the action."
        ),
        parameters=[idempotency.PARAMETER],
        request=ActionUpdateSerializer,
        responses={200: ActionSerializer, **ERRORS, **STALE, 422: idempotency.RESPONSES[422]},
    )
    @idempotency.idempotent
    def patch(self, request: Request, reference: str, action_id: int) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot change this case.")
        action = case_action(case=case, action_id=action_id)
        if action is None:
            raise exceptions.NotFound()
        body = ActionUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        try:
            action = action_update(
                actor=user, action=action, status=data.get("status") or None, outcome=data.get("outcome"),
                due_on=data.get("due_on"), completed_on=data.get("completed_on"), version=data.get("version") or None,
                via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(_row(case, action))
