"""Cases through the API: the list with its filters, one case, re-categorising, and contacts (API.md).

Reads go through ``haven.cases.selectors`` (scoped by landlord and role: ``can_view_case``; a case
the caller may not see is a 404, the same as one that does not exist). Writes need
``can_work_case`` (the case's officer, its team's caseworkers, specialists and managers): anyone
else who can see the case gets a 403. Each write calls one service of ``haven.cases.services`` with
``via="api"`` and honours ``Idempotency-Key``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.permissions import can_view_case, can_work_case
from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.cases import (
    REPORTER,
    CaseSerializer,
    CaseSummarySerializer,
    ContactCreatedSerializer,
    ContactCreateSerializer,
    ContactPlanCreateSerializer,
    ReassignCreateSerializer,
    RecategoriseSerializer,
    case_document,
    case_summary,
    contact_document,
)
from haven.api.serializers.common import categories_of, tiers_of, when
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_filters import PARAMETERS as WORKSPACE_PARAMETERS
from haven.api.views.case_filters import workspace_filters
from haven.api.views.reports import Forbidden, application_errors, staff_user
from haven.cases import selectors
from haven.cases.models import Case, CaseStatus, Party, PartyRole
from haven.cases.services import case_reassign, case_recategorise, contact_plan_agree, contact_record
from haven.common.errors import ApplicationError
from haven.intake.selectors import reports_for_case

TRUE = frozenset({"true", "1", "yes"})
FALSE = frozenset({"false", "0", "no"})


class CasePage(PageNumberPagination):
    page_size = 50


ERRORS = {
    400: OpenApiResponse(ApiErrorsSerializer, description="Nothing was saved: one error per problem."),
    403: OpenApiResponse(ApiErrorsSerializer, description="The caller may see the case but not work on it."),
    404: OpenApiResponse(ApiErrorsSerializer, description="No such case, or not one the caller may see."),
}


# ---- GET /api/v1/cases ----------------------------------------------------------------------------


def _boolean(value: str) -> bool:
    text = value.strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError("Use true or false.")


def _moment(value: str) -> datetime:
    """A date (``YYYY-MM-DD``: the start of that day, UK time) or an ISO 8601 date and time.

    A "+" in an offset that was not URL-encoded arrives as a space, and is read as the "+" it was;
    a time without an offset is UK time.
    """
    text = value.strip()
    try:
        return timezone.make_aware(datetime.combine(date.fromisoformat(text), time.min))
    except ValueError:
        pass
    try:
        parsed = parse_datetime(text.replace(" ", "+") if "T" in text else text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError("Give a date as YYYY-MM-DD, or a date and time in ISO 8601, like 2026-03-02T14:30:00+00:00.")
    moment = timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
    try:
        moment.astimezone(UTC)  # the database compares in UTC
    except OverflowError:
        raise ValueError("That date and time is out of range.") from None
    return moment


def list_filters(params: Any, user: User) -> dict[str, Any]:
    """The filters of ``GET /api/v1/cases``; a 400 naming each parameter that cannot be read."""
    assert user.landlord is not None
    profile = landlord_profile(user.landlord)
    filters: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for name, allowed, what in (
        ("status", list(CaseStatus.values), "a case status"),
        ("tier", tiers_of(profile), "a tier of this landlord's policy"),
        ("category", categories_of(profile), "a category of this landlord's policy"),
    ):
        value = params.get(name, "").strip()
        if value and value not in allowed:
            problems[name] = [f"'{value}' is not {what}: {', '.join(allowed)}."]
        elif value:
            filters[name] = value
    if params.get("officer", "").strip():
        filters["officer"] = params["officer"].strip()
    for name in ("opened_after", "opened_before"):
        if params.get(name, "").strip():
            try:
                filters[name] = _moment(params[name])
            except ValueError as problem:
                problems[name] = [str(problem)]
    for name in ("active", "overdue"):
        if params.get(name, "").strip():
            try:
                filters[name] = _boolean(params[name])
            except ValueError as problem:
                problems[name] = [str(problem)]
    filters.update(workspace_filters(params, problems))
    if problems:
        raise exceptions.ValidationError(problems)
    return filters


class CaseListApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = CasePage

    @extend_schema(
        summary="Cases the caller may see, with filters",
        description=(
            "50 a page, what is due next first (sort=opened: newest first). Restricted cases (domestic abuse, "
            "safeguarding, staff targeted) are listed only for their officer, specialists and managers."
        ),
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=CaseStatus.values, description="open includes reopened."),
            OpenApiParameter("tier", OpenApiTypes.STR, description="A tier id of the landlord's policy."),
            OpenApiParameter("category", OpenApiTypes.STR, description="A category code of the landlord's policy."),
            OpenApiParameter("officer", OpenApiTypes.STR, description="The officer's username."),
            OpenApiParameter(
                "opened_after",
                OpenApiTypes.STR,
                description="Opened at or after: YYYY-MM-DD (from the start of that day, UK time) or ISO 8601.",
            ),
            OpenApiParameter(
                "opened_before",
                OpenApiTypes.STR,
                description="Opened before: YYYY-MM-DD (before the start of that day, UK time) or ISO 8601.",
            ),
            OpenApiParameter(
                "active", OpenApiTypes.BOOL, description="true: open with recent work (WWH 5.0); false: the others."
            ),
            OpenApiParameter(
                "overdue", OpenApiTypes.BOOL, description="true: open, not responded to, past response_due_at."
            ),
            *WORKSPACE_PARAMETERS,
        ],
        responses={200: CaseSummarySerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        user = staff_user(request)
        assert user.landlord is not None
        cases = selectors.case_list(user=user, **list_filters(request.query_params, user))
        paginator = CasePage()
        rows = paginator.paginate_queryset(cases, request, view=self) or []
        profile, now = landlord_profile(user.landlord), timezone.now()
        return paginator.get_paginated_response([case_summary(case, profile, now=now) for case in rows])


# ---- one case -------------------------------------------------------------------------------------


def _document(user: User, reference: str) -> dict[str, Any]:
    """The case document; the view is audited (``selectors.case_detail``)."""
    try:
        case = selectors.case_detail(user=user, reference=reference, via="api")
    except selectors.NotFound:
        raise exceptions.NotFound() from None
    assert user.landlord is not None
    reports = [r.reference for r in reports_for_case(case=case)]
    return case_document(case, landlord_profile(user.landlord), reports=reports, now=timezone.now())


def _workable(user: User, reference: str, message: str) -> Case:
    """A case the user may see (else 404) and work on (else 403), with its parties."""
    case = selectors.cases_for_user(user=user).filter(reference=reference).prefetch_related("parties").first()
    if case is None:
        raise exceptions.NotFound()
    if not can_work_case(user, case):
        raise Forbidden(message)
    return case


class CaseApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="One case",
        description=(
            "Tier, category, flags, its officer and team, when it opened (its first report's receipt), "
            "when the first response is due and when it was made, the policy version that set them, its "
            "parties (neutral roles), re-categorisations and contacts. Each view is audited."
        ),
        responses={200: CaseSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        return Response(_document(staff_user(request), reference))


class CaseRecategoriseApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Re-categorise a case: a new tier and/or category, with the reason",
        description=(
            "Up or down, at any time (WWH 3.0; emh 4.3). The history is kept; until the first response the "
            "response target is worked out again by the policy from when the first report was received. "
            "200 with the case."
        ),
        parameters=[idempotency.PARAMETER],
        request=RecategoriseSerializer,
        responses={200: CaseSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot change this case.")
        assert user.landlord is not None
        body = RecategoriseSerializer(data=request.data, context={"profile": landlord_profile(user.landlord)})
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        try:
            case_recategorise(
                actor=user,
                case=case,
                tier=data.get("tier"),
                category=data.get("category"),
                reason=data.get("reason") or "",
                via="api",
            )
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(_document(user, reference))


class CaseContactsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record a contact with a party of a case",
        description=(
            'The party is a party id from the case, or "reporter". The first contact with the reporter is '
            "the case's first response (`first_response_at`), measured against `response_due_at`. 201 with "
            "the contact and the case's first response."
        ),
        parameters=[idempotency.PARAMETER],
        request=ContactCreateSerializer,
        responses={201: ContactCreatedSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot record contacts on this case.")
        body = ContactCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        party = _party(case, data["party"])
        try:
            contact = contact_record(
                actor=user,
                case=case,
                party=party,
                channel=data["channel"],
                at=data.get("at") or timezone.now(),
                summary=data.get("summary") or "",
                via="api",
            )
        except ApplicationError as failure:
            raise application_errors(failure) from None
        case.refresh_from_db(fields=["first_response_at", "response_due_at"])
        document = {
            **contact_document(contact),
            "case": {
                "reference": case.reference,
                "first_response_at": when(case.first_response_at),
                "response_due_at": when(case.response_due_at),
            },
        }
        return Response(document, status=status.HTTP_201_CREATED)


def _party(case: Case, wanted: int | str) -> Party:
    parties = sorted(case.parties.all(), key=lambda p: p.pk)
    if wanted == REPORTER:
        found = next((p for p in parties if p.role == PartyRole.REPORTER), None)
        if found is None:
            raise exceptions.ValidationError({"party": ["This case has no reporter; give a party id."]})
        return found
    found = next((p for p in parties if p.pk == wanted), None)
    if found is None:
        ids = ", ".join(str(p.pk) for p in parties) or "none"
        raise exceptions.ValidationError(
            {"party": [f"{wanted} is not a party to case {case.reference}; its parties are: {ids}."]}
        )
    return found


class CaseContactPlanApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Agree or change the contact plan of a case",
        description=(
            "How and how often the reporter wants updates (whg 2.5). The next update due is the agreed "
            "interval after the later of the plan and the last contact with that party; 200 with the case."
        ),
        parameters=[idempotency.PARAMETER],
        request=ContactPlanCreateSerializer,
        responses={200: CaseSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot change this case.")
        body = ContactPlanCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        try:
            contact_plan_agree(
                actor=user,
                case=case,
                party=_party(case, data["party"]),
                channel=data["channel"],
                every_days=data["every_days"],
                agreed_at=data.get("agreed_at"),
                notes=data.get("notes") or "",
                via="api",
            )
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(_document(user, reference))


class CaseReassignApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Reassign a case to another officer",
        description=(
            "Team managers and ASB specialists reassign any case they can see; an officer hands over their "
            "own. The new officer is a user name of an active officer, specialist or manager; a restricted "
            "case goes only to a specialist or manager. 200 with the case."
        ),
        parameters=[idempotency.PARAMETER],
        request=ReassignCreateSerializer,
        responses={200: CaseSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot change this case.")
        body = ReassignCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        wanted = data.get("officer") or ""
        officer = next((u for u in selectors.caseworkers(landlord_id=case.landlord_id) if u.username == wanted), None)
        if officer is None and wanted:
            raise exceptions.ValidationError(
                {"officer": [f"There is no officer, specialist or manager with the user name {wanted}."]}
            )
        try:
            case = case_reassign(actor=user, case=case, officer=officer, reason=data.get("reason") or "", via="api")
        except ApplicationError as failure:
            if not failure.fields:
                raise Forbidden(failure.message) from None
            raise application_errors(failure) from None
        if not can_view_case(user, case):
            return Response(
                {"reference": case.reference, "officer": case.officer.get_username() if case.officer else None}
            )
        return Response(_document(user, reference))
