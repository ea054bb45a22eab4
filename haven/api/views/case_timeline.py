"""``GET /api/v1/cases/{reference}/timeline``: the case's audit trail in words, newest first, 50 a
page (cases.selectors.timeline). ``?views=true`` includes who viewed the case."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_workflow import TimelineSerializer, timeline_row
from haven.api.views.cases import ERRORS, _boolean
from haven.api.views.reports import staff_user
from haven.cases import selectors
from haven.cases.selectors.timeline import case_timeline


class CaseTimelineApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The timeline of a case",
        description=(
            "Every recorded thing done on the case (contacts, notes, incidents, actions, changes of status, tier "
            "or officer...) with who and when, newest first, 50 a page. Views of the case are left out unless "
            "`views=true`."
        ),
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT, description="From 1."),
            OpenApiParameter("views", OpenApiTypes.BOOL, description="true: include who viewed the case."),
        ],
        responses={200: TimelineSerializer, 400: ERRORS[400], 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = selectors.cases_for_user(user=user).filter(reference=reference).select_related("landlord").first()
        if case is None:
            raise exceptions.NotFound()
        problems: dict[str, list[str]] = {}
        page_text = request.query_params.get("page", "1").strip() or "1"
        if not page_text.isdigit() or len(page_text) > 6 or int(page_text) < 1:
            problems["page"] = ["Give a page number from 1."]
        views = False
        if request.query_params.get("views", "").strip():
            try:
                views = _boolean(request.query_params["views"])
            except ValueError as problem:
                problems["views"] = [str(problem)]
        if problems:
            raise exceptions.ValidationError(problems)
        page = int(page_text)
        timeline = case_timeline(user=user, case=case, show_views=views, page=page)
        if page > 1 and not timeline.rows:
            raise exceptions.NotFound("There is no such page of this timeline.")

        def link(number: int) -> str:
            query = request.query_params.copy()
            query["page"] = str(number)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return Response(
            {
                "count": timeline.count,
                "next": link(page + 1) if timeline.has_next else None,
                "previous": link(page - 1) if page > 1 else None,
                "results": [timeline_row(r) for r in timeline.rows],
            }
        )
