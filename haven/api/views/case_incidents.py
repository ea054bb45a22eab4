"""Incidents and files of a case through the API.

``GET/POST /api/v1/cases/{reference}/incidents``, ``POST .../incidents/{id}/review``,
``GET/POST /api/v1/cases/{reference}/files`` (POST is multipart), ``GET .../files/{id}`` (the
download, audited) and ``POST .../files/{id}/review``. Reads need ``can_view_case`` (else 404);
writes need ``can_work_case`` (else 403). Incidents recorded by staff through the API count as
reviewed; sensitive files (WWH 3.0) are listed, downloaded and reviewed only by the case's officer,
specialists and managers.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_incidents import (
    CaseFileCreateSerializer,
    CaseFileSerializer,
    IncidentCreateSerializer,
    IncidentSerializer,
    case_file_document,
    incident_document,
)
from haven.api.views.cases import ERRORS, _party, _workable
from haven.api.views.reports import application_errors, staff_user
from haven.cases import selectors
from haven.cases.models import Case
from haven.cases.selectors.incidents import (
    case_file_of,
    case_file_open,
    files_of_case,
    incident_of,
    incidents_of_case,
)
from haven.cases.services.files import case_file_add, case_file_review
from haven.cases.services.incidents import incident_record, incident_review
from haven.common.errors import ApplicationError


class EvidencePage(PageNumberPagination):
    page_size = 50


def _visible(user: User, reference: str) -> Case:
    case = selectors.cases_for_user(user=user).filter(reference=reference).first()
    if case is None:
        raise exceptions.NotFound()
    return case


class CaseIncidentsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The incidents of a case, newest first",
        description="50 a page, each with its files (sensitive files only for the case's officer, specialists "
        "and managers). `reviewed_at` is null while an entry waits in the evidence inbox.",
        responses={200: IncidentSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _visible(user, reference)
        paginator = EvidencePage()
        rows = paginator.paginate_queryset(incidents_of_case(user=user, case=case), request, view=self) or []
        return paginator.get_paginated_response([incident_document(reference, i) for i in rows])

    @extend_schema(
        summary="Record an incident on a case",
        description="Dated, not in the future, not ending before it starts; a description is required. "
        "Recorded by staff, it counts as reviewed. Add evidence files with POST .../files and its id. "
        "201 with the incident.",
        parameters=[idempotency.PARAMETER],
        request=IncidentCreateSerializer,
        responses={201: IncidentSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot record incidents on this case.")
        body = IncidentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        party = _party(case, data["party"]) if data.get("party") is not None else None
        try:
            incident = incident_record(
                actor=user, case=case, occurred_at=data["occurred_at"], occurred_until=data.get("occurred_until"),
                location=data.get("location") or "", people=data.get("people") or "",
                description=data.get("description") or "", source=data["source"], party=party, via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        incident = incidents_of_case(user=user, case=case).get(pk=incident.pk)
        return Response(incident_document(reference, incident), status=status.HTTP_201_CREATED)


class CaseIncidentReviewApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Mark an incident as reviewed",
        description="It leaves the evidence inbox, with the files that came with it. 200 with the incident.",
        parameters=[idempotency.PARAMETER],
        request=None,
        responses={200: IncidentSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, incident_id: int) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot review incidents on this case.")
        incident = incident_of(case=case, incident_id=incident_id)
        if incident is None:
            raise exceptions.NotFound()
        try:
            incident_review(actor=user, incident=incident, via="api")
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(incident_document(reference, incidents_of_case(user=user, case=case).get(pk=incident.pk)))


class CaseFileReviewApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Mark a file as reviewed",
        description="It leaves the evidence inbox. Sensitive files only by the case's officer, specialists and "
        "managers. 200 with the file.",
        parameters=[idempotency.PARAMETER],
        request=None,
        responses={200: CaseFileSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, file_id: int) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot review files on this case.")
        visible = files_of_case(user=user, case=case).filter(pk=file_id).exists()
        case_file = case_file_of(case=case, file_id=file_id) if visible else None
        if case_file is None:
            raise exceptions.NotFound()
        try:
            case_file = case_file_review(actor=user, case_file=case_file, via="api")
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(case_file_document(reference, case_file))


class CaseFilesApi(APIView):
    permission_classes = [IsLandlordStaff]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="The files of a case",
        description="Evidence, witness statements and documents, oldest first, 50 a page, each with its SHA-256 "
        "from receipt. Sensitive files only for the case's officer, specialists and managers.",
        responses={200: CaseFileSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _visible(user, reference)
        paginator = EvidencePage()
        rows = paginator.paginate_queryset(files_of_case(user=user, case=case), request, view=self) or []
        return paginator.get_paginated_response([case_file_document(reference, f) for f in rows])

    @extend_schema(
        summary="Add a file to a case (multipart)",
        description="The file is checked by its content (photos, audio, video, PDF or Word); anything else is "
        "refused and nothing is kept. 201 with the file, its size and SHA-256.",
        parameters=[idempotency.PARAMETER],
        request={"multipart/form-data": CaseFileCreateSerializer},
        responses={201: CaseFileSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _workable(user, reference, "You cannot add files to this case.")
        body = CaseFileCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = body.validated_data
        incident = None
        if data.get("incident") is not None:
            incident = incident_of(case=case, incident_id=data["incident"])
            if incident is None:
                raise exceptions.ValidationError(
                    {"incident": [f"There is no incident {data['incident']} on this case."]}
                )
        try:
            case_file = case_file_add(
                actor=user, case=case, upload=data["file"], kind=data["kind"],
                description=data.get("description") or "", sensitive=data.get("sensitive", False),
                incident=incident, via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(case_file_document(reference, case_file), status=status.HTTP_201_CREATED)


class CaseFileApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Download a file of a case",
        description="As an attachment with `X-Content-Type-Options: nosniff`; each download is audited.",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file."),
            404: ERRORS[404],
        },
    )
    def get(self, request: Request, reference: str, file_id: int) -> Any:
        user = staff_user(request)
        try:
            case_file, path = case_file_open(user=user, reference=reference, file_id=file_id, via="api")
        except selectors.NotFound:
            raise exceptions.NotFound() from None
        try:
            handle = path.open("rb")
        except OSError:
            raise exceptions.NotFound("The file's record is kept but the file is missing from storage.") from None
        response = FileResponse(
            handle, as_attachment=True, filename=case_file.original_name, content_type=case_file.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
