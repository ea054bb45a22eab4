"""Reports through the API: receive one from any channel, read it, and triage it (API.md).

``POST /api/v1/reports`` and ``POST /api/v1/reports/{reference}/triage`` are for the roles that take
and triage reports (``accounts.permissions.can_take_report`` and ``can_triage``: advisers and
caseworkers); ``GET /api/v1/reports/{reference}`` also for auditors. Each write calls one service of
``haven.intake.services`` with ``via="api"``, and honours ``Idempotency-Key`` (``api.idempotency``).
A service's field names are shown as the API's (``reporter_name`` as ``reporter.name``).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.permissions import can_take_report, can_triage
from haven.accounts.selectors import landlord_profile, staff_for_landlord
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.common import when
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.serializers.reports import (
    ReportCreatedSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    TriageSerializer,
    report_document,
)
from haven.common.errors import ApplicationError
from haven.intake import selectors
from haven.intake.models import Report, ReportStatus
from haven.intake.services import report_create, report_triage
from haven.register.selectors import properties_for_user

# report_create's problems, by the name the API gives the field.
REPORT_FIELDS = {
    "reporter_name": "reporter.name",
    "reporter_phone": "reporter.phone",
    "reporter_email": "reporter.email",
    "preferred_contact": "reporter.preferred_contact",
    "communication_needs": "reporter.communication_needs",
    "reporter_person": "reporter",
    "property": "location.property_uprn",
    "address": "location.address",
    "postcode": "location.postcode",
    "uprn": "location.property_uprn",
}


class Forbidden(exceptions.PermissionDenied):
    """403 with its own message (``haven.api.errors`` keeps a subclass's words)."""


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record has changed; read it again."


class StaleEdit(exceptions.ValidationError):
    """409: the record changed since the client read it (the stale-edit guard, common.stale)."""

    status_code = 409


def application_errors(failure: ApplicationError, names: dict[str, str] | None = None) -> exceptions.ValidationError:
    """A service's refusal as a 400 (409 for a stale edit): one error per field, named as the API names it."""
    names = names or {}
    if failure.code == "stale":
        return StaleEdit({names.get(k, k): [v] for k, v in failure.fields.items()} or {"version": [failure.message]})
    if failure.fields:
        return exceptions.ValidationError({names.get(k, k): [v] for k, v in failure.fields.items()})
    return exceptions.ValidationError({"non_field_errors": [failure.message]})


def staff_user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User) and user.landlord is not None  # IsLandlordStaff has checked
    return user


class CanTakeReports(BasePermission):
    """Reading is for whoever ``selectors.report_detail`` lets see reports; writing is ``can_take_report``."""

    message = "Your role does not allow this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or can_take_report(request.user)  # type: ignore[arg-type]


ERRORS = {
    400: OpenApiResponse(ApiErrorsSerializer, description="Nothing was saved: one error per problem."),
    403: OpenApiResponse(ApiErrorsSerializer, description="The caller's role does not allow this."),
    404: OpenApiResponse(ApiErrorsSerializer, description="No such report for the caller's landlord."),
}


def _report(user: User, reference: str) -> Report:
    try:
        return selectors.report_detail(user=user, reference=reference, via="api")
    except selectors.NotFound:
        raise exceptions.NotFound() from None


class ReportListApi(APIView):
    permission_classes = [IsLandlordStaff, CanTakeReports]

    @extend_schema(
        summary="Receive a report of ASB",
        description=(
            "A report from any channel (WWH 3.0), with the seven questions. `location` names one of the "
            "landlord's homes by `property_uprn` (or `property_reference`), or gives `address` and "
            "`postcode`. An anonymous report keeps no name or contact details (emh 6.6). 201 with the "
            "report's reference; it then waits for triage. Send an `Idempotency-Key` so a retry after a "
            "lost answer does not record the report twice."
        ),
        parameters=[idempotency.PARAMETER],
        request=ReportCreateSerializer,
        responses={201: ReportCreatedSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request) -> Response:
        user = staff_user(request)
        landlord = user.landlord
        assert landlord is not None
        body = ReportCreateSerializer(
            data=request.data,
            context={"profile": landlord_profile(landlord), "properties": properties_for_user(user=user)},
        )
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        reporter = data.get("reporter") or {}
        location = data.get("location") or {}
        behalf = data.get("on_behalf_of") or {}
        try:
            report = report_create(
                actor=user,
                landlord=landlord,
                via="api",
                channel=data["channel"],
                received_at=data.get("received_at"),
                anonymous=data["anonymous"],
                reporter_name=reporter.get("name") or "",
                reporter_phone=reporter.get("phone") or "",
                reporter_email=reporter.get("email") or "",
                preferred_contact=reporter.get("preferred_contact") or "",
                communication_needs=reporter.get("communication_needs") or "",
                on_behalf_of=behalf.get("name", ""),
                on_behalf_relationship=behalf.get("relationship", ""),
                targets_staff=data["targets_staff"],
                property=location.get("property"),
                address=location.get("address") or "",
                postcode=location.get("postcode") or "",
                uprn=location.get("uprn") or "",
                what=data.get("what") or "",
                where=data.get("where") or "",
                who=data.get("who") or "",
                when=data.get("when") or "",
                happened_on=data.get("happened_on"),
                how_often=data.get("how_often") or "",
                steps_taken=data.get("steps_taken") or "",
                other_agencies=data.get("other_agencies") or "",
                category_suggested=data.get("category") or "",
            )
        except ApplicationError as failure:
            raise application_errors(failure, REPORT_FIELDS) from None
        return Response(
            {
                "reference": report.reference,
                "status": report.status,
                "received_at": when(report.received_at),
                "case": None,
            },
            status=status.HTTP_201_CREATED,
        )


class ReportApi(APIView):
    permission_classes = [IsLandlordStaff, CanTakeReports]

    @extend_schema(
        summary="One report",
        description=(
            "The report as received, and the triage decision once made: category, tier, flags and the case "
            "it opened or joined. An anonymous report shows no contact details; evidence files are listed, "
            "with their SHA-256 at receipt."
        ),
        responses={200: ReportSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        return Response(report_document(_report(staff_user(request), reference)))


class CanTriage(BasePermission):
    message = "Your role does not allow this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return can_triage(request.user)  # type: ignore[arg-type]


class ReportTriageApi(APIView):
    permission_classes = [IsLandlordStaff, CanTriage]

    @extend_schema(
        summary="Triage a report: not ASB, or ASB with a category and a tier",
        description=(
            "Not ASB (`is_asb` false): `not_asb_reason` and `advice_given` (emh 3.8). ASB: `link_to_case` to "
            "add the report to an open case, or `category` with `tier` or `screen` (the initial risk "
            "screen, emh 4.4; the screen's tier is never lowered, emh 4.2). By the landlord's policy this "
            "opens a case with a named officer and its response target, records advice only (WWH 3.0), "
            "or keeps the report as information only (Livv, anonymous). 200 with the report; `case` names "
            "the case it opened or joined. 409 when it has already been triaged."
        ),
        parameters=[idempotency.PARAMETER],
        request=TriageSerializer,
        responses={
            200: ReportSerializer,
            **ERRORS,
            409: OpenApiResponse(ApiErrorsSerializer, description="Already triaged, or the key is in use."),
            422: idempotency.RESPONSES[422],
        },
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        report = _report(user, reference)
        if report.status != ReportStatus.NEW:
            raise Conflict(
                f"Report {report.reference} has already been triaged ({report.get_status_display().lower()})."
            )
        assert user.landlord is not None and user.landlord_id is not None
        body = TriageSerializer(
            data=request.data,
            context={
                "profile": landlord_profile(user.landlord),
                "staff": staff_for_landlord(landlord_id=user.landlord_id),
            },
        )
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        try:
            report_triage(
                actor=user,
                report=report,
                via="api",
                is_asb=data["is_asb"],
                reason=data.get("reason") or "",
                not_asb_reason=data.get("not_asb_reason") or "",
                advice_given=data.get("advice_given") or "",
                advice_routes=data.get("advice_routes") or (),
                category=data.get("category") or None,
                tier=data.get("tier") or None,
                screen=data.get("screen"),
                link_to_case=data.get("link_to_case") or None,
                details_confirmed=data["details_confirmed"],
                extra_flags=data.get("flags") or (),
                officer=data.get("officer"),
            )
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(report_document(_report(user, reference)))
