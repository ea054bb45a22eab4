"""Information sharing through the API (emh 6.3-6.4; WWH 4.0).

``GET/POST /api/v1/cases/{reference}/information-shares``: the case's sharing log (its shares and
its referrals, newest first) and a new entry; caseworkers only (404 for a case the caller may not
see, 403 for one they may see but not work on). ``GET/POST /api/v1/sharing-agreements`` and
``GET/PATCH /api/v1/sharing-agreements/{id}``: the landlord's agreements (every member of staff
reads; team managers write; 409 for a stale ``version``). ``POST /api/v1/cases/intelligence``
opens a restricted, partner-led case from intelligence (the profile's restricted roles only).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.selectors import landlord_profile
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_sharing import (
    InformationShareCreateSerializer,
    IntelligenceCaseDocumentSerializer,
    IntelligenceCaseSerializer,
    LogEntrySerializer,
    SharingAgreementBodySerializer,
    SharingAgreementPatchSerializer,
    SharingAgreementSerializer,
    agreement_document,
    log_document,
)
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.case_common import or_404, refusals, validated, workable_case
from haven.api.views.cases import ERRORS
from haven.api.views.reports import staff_user
from haven.interventions.models.partnership import InformationShare, SharingAgreement
from haven.interventions.selectors.sharing import (
    LogRow,
    active_agreements,
    approver_by_username,
    case_sharing_log,
    review_overdue,
    sharing_agreement_of,
    sharing_agreements,
)
from haven.interventions.services.sharing import (
    case_open_from_intelligence,
    information_share_record,
    sharing_agreement_create,
    sharing_agreement_update,
)

STALE = {409: OpenApiResponse(ApiErrorsSerializer, description="Changed by someone else since `version`.")}
AGREEMENT_ERRORS = {
    400: ERRORS[400],
    403: OpenApiResponse(ApiErrorsSerializer, description="Only team managers add or change agreements."),
}


class LogPage(PageNumberPagination):
    page_size = 50


class CaseInformationSharesApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The information sharing log of a case, newest first",
        description=(
            "Every disclosure of the case's information to another organisation and everything received from "
            "one (emh 6.3-6.4), with the referrals made on the case (a referral is a disclosure: `kind` "
            "`referral`). Caseworkers only. 50 a page."
        ),
        responses={200: LogEntrySerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference, "Only caseworkers on this case can read its information sharing log.")
        rows = case_sharing_log(case=case, profile=landlord_profile(case.landlord))
        paginator = LogPage()
        page: list[LogRow] = paginator.paginate_queryset(rows, request, view=self) or []  # type: ignore[arg-type]
        return paginator.get_paginated_response([log_document(row) for row in page])

    @extend_schema(
        summary="Record information shared on a case",
        description=(
            "A disclosure (`direction` `disclosed`) needs `what`, the `partner` or `organisation`, `shared_on` "
            "(not in the future), `method`, an active sharing `agreement` of the landlord or a `lawful_basis` "
            "with `basis_detail`, and `approved_by`: a member of staff whose role the policy's "
            "`partnership.disclosure_approvers` names. Information `received` needs its `handling` "
            "restrictions. 201 with the entry."
        ),
        parameters=[idempotency.PARAMETER],
        request=InformationShareCreateSerializer,
        responses={201: LogEntrySerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = workable_case(user, reference, "You cannot record information sharing on this case.")
        data = validated(InformationShareCreateSerializer, request)
        agreement: SharingAgreement | None = None
        if data.get("agreement") is not None:
            agreement = next(
                (a for a in active_agreements(landlord_id=case.landlord_id) if a.pk == data["agreement"]), None
            )
            if agreement is None:
                raise exceptions.ValidationError(
                    {"agreement": ["Choose an active information sharing agreement of this landlord."]}
                )
        approver: User | None = None
        wanted = (data.get("approved_by") or "").strip()
        if wanted:
            approver = approver_by_username(landlord_id=case.landlord_id, username=wanted)
            if approver is None:
                raise exceptions.ValidationError(
                    {"approved_by": [f"There is no member of staff with the user name {wanted}."]}
                )
        with refusals(forbidden=True):
            share = information_share_record(
                actor=user, case=case, direction=data.get("direction") or "", partner=data.get("partner") or "",
                organisation=data.get("organisation") or "", what=data.get("what") or "",
                shared_on=data.get("shared_on"), method=data.get("method") or "", agreement=agreement,
                lawful_basis=data.get("lawful_basis") or "", basis_detail=data.get("basis_detail") or "",
                approved_by=approver, handling=data.get("handling") or "", via="api",
            )  # fmt: skip
        return Response(_share_document(share, case), status=status.HTTP_201_CREATED)


def _share_document(share: InformationShare, case: Any) -> dict[str, Any]:
    rows = case_sharing_log(case=case, profile=landlord_profile(case.landlord))
    return log_document(next(r for r in rows if r.share is not None and r.share.pk == share.pk))


class CaseIntelligenceApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Open a case from partner intelligence",
        description=(
            "A police-led (or other partner-led) case (WWH 4.0): the `partner` agency, when it was received, a "
            "summary, the category and tier of the policy, where (a register property reference, or a location "
            "and postcode), and the handling restrictions. The case is restricted (only its officer and the "
            "policy's restricted roles see it), its `lead_agency` is the partner, and the intelligence is the "
            "first entry of its sharing log. Specialists and managers (the policy's `casework.restricted_roles`) "
            "only. 201."
        ),
        parameters=[idempotency.PARAMETER],
        request=IntelligenceCaseSerializer,
        responses={201: IntelligenceCaseDocumentSerializer, **AGREEMENT_ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request) -> Response:
        user = staff_user(request)
        data = validated(IntelligenceCaseSerializer, request)
        with refusals(forbidden=True):
            case = case_open_from_intelligence(
                actor=user, partner=data.get("partner") or "", received_at=data.get("received_at"),
                summary=data.get("summary") or "", category=data.get("category") or "", tier=data.get("tier") or "",
                property_reference=data.get("property_reference") or "", location=data.get("location") or "",
                postcode=data.get("postcode") or "", method=data.get("method") or "secure_email",
                handling=data.get("handling") or "", via="api",
            )  # fmt: skip
        rows = case_sharing_log(case=case, profile=landlord_profile(case.landlord))
        document = {"reference": case.reference, "lead_agency": case.lead_agency, "restricted": case.restricted,
                    "share": log_document(rows[0])}  # fmt: skip
        return Response(document, status=status.HTTP_201_CREATED)


def _agreement_body(data: dict[str, Any], current: SharingAgreement | None) -> dict[str, Any]:
    def pick(name: str, default: Any) -> Any:
        return data.get(name, default)

    parties = data.get("parties")
    return {
        "title": pick("title", current.title if current else "") or "",
        "parties": "\n".join(parties) if parties is not None else (current.parties if current else ""),
        "purpose": pick("purpose", current.purpose if current else "") or "",
        "signed_on": pick("signed_on", current.signed_on if current else None),
        "review_on": pick("review_on", current.review_on if current else None),
        "active": pick("active", current.active if current else True),
    }


class SharingAgreementsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The landlord's information sharing agreements",
        description="Every member of staff reads them (emh 6.3): in force first, then by the soonest review.",
        responses={200: SharingAgreementSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        user = staff_user(request)
        today = timezone.localdate()
        paginator = LogPage()
        page = paginator.paginate_queryset(sharing_agreements(user=user), request, view=self) or []
        return paginator.get_paginated_response([agreement_document(a, overdue=review_overdue(a, today)) for a in page])

    @extend_schema(
        summary="Add an information sharing agreement",
        description="A title unique within the landlord, its parties, purpose, when signed and when it is due for "
        "review. Team managers only. 201 with the agreement.",
        parameters=[idempotency.PARAMETER],
        request=SharingAgreementBodySerializer,
        responses={201: SharingAgreementSerializer, **AGREEMENT_ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request) -> Response:
        user = staff_user(request)
        data = validated(SharingAgreementBodySerializer, request)
        with refusals(forbidden=True):
            agreement = sharing_agreement_create(actor=user, **_agreement_body(data, None), via="api")
        document = agreement_document(agreement, overdue=review_overdue(agreement, timezone.localdate()))
        return Response(document, status=status.HTTP_201_CREATED)


class SharingAgreementApi(APIView):
    permission_classes = [IsLandlordStaff]

    def _found(self, user: User, agreement_id: int) -> SharingAgreement:
        return or_404(sharing_agreement_of(user=user, agreement_id=agreement_id))

    @extend_schema(
        summary="One information sharing agreement",
        responses={
            200: SharingAgreementSerializer,
            404: OpenApiResponse(ApiErrorsSerializer, description="No such agreement."),
        },
    )
    def get(self, request: Request, agreement_id: int) -> Response:
        agreement = self._found(staff_user(request), agreement_id)
        return Response(agreement_document(agreement, overdue=review_overdue(agreement, timezone.localdate())))

    @extend_schema(
        summary="Change an information sharing agreement",
        description="Leave out what does not change. Send the `version` you read: if someone changed the "
        "agreement since, the answer is 409 and nothing is saved. Team managers only. 200 with the agreement.",
        parameters=[idempotency.PARAMETER],
        request=SharingAgreementPatchSerializer,
        responses={200: SharingAgreementSerializer, **AGREEMENT_ERRORS, **STALE,
                   404: OpenApiResponse(ApiErrorsSerializer, description="No such agreement."),
                   422: idempotency.RESPONSES[422]},
    )  # fmt: skip
    @idempotency.idempotent
    def patch(self, request: Request, agreement_id: int) -> Response:
        user = staff_user(request)
        agreement = self._found(user, agreement_id)
        data = validated(SharingAgreementPatchSerializer, request)
        with refusals(forbidden=True):
            agreement = sharing_agreement_update(
                actor=user, agreement=agreement, **_agreement_body(data, agreement),
                version=data.get("version") or None, via="api",
            )  # fmt: skip
        return Response(agreement_document(agreement, overdue=review_overdue(agreement, timezone.localdate())))


# ``v1/cases/intelligence`` comes before ``v1/cases/<str:reference>`` in haven/api/urls.py, which
# would otherwise take it (and answer a POST with 405): INTELLIGENCE_URLS is that one path, listed first.
INTELLIGENCE_URLS = [path("v1/cases/intelligence", CaseIntelligenceApi.as_view(), name="case-intelligence")]

urlpatterns = [
    path(
        "v1/cases/<str:reference>/information-shares",
        CaseInformationSharesApi.as_view(),
        name="case-information-shares",
    ),
    path("v1/sharing-agreements", SharingAgreementsApi.as_view(), name="sharing-agreements"),
    path("v1/sharing-agreements/<int:agreement_id>", SharingAgreementApi.as_view(), name="sharing-agreement"),
]
