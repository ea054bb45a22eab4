"""The people, notes, flags and warning markers of a case through the API.

Reads need a case the caller may see (else 404, as for a case that does not exist); writes need
``can_work_case`` (else 403), a finding ``can_record_finding``. Each write calls one service with
``via="api"`` and honours ``Idempotency-Key``; a change based on an old ``version`` is a 409.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.permissions import can_record_finding, can_view_case, can_work_case
from haven.api import idempotency
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.case_parties import (
    NO_FINDING,
    FindingCreateSerializer,
    FlagsSerializer,
    FlagsSetSerializer,
    MarkerSerializer,
    NoteCreateSerializer,
    NoteSerializer,
    PartyCreateSerializer,
    PartyDetailSerializer,
    PartyRemoveSerializer,
    PartyUpdateSerializer,
    marker_document,
    note_document,
    party_detail,
)
from haven.api.serializers.register import ApiErrorsSerializer
from haven.api.views.reports import Forbidden, application_errors, staff_user
from haven.cases import selectors
from haven.cases.models import Case, Party
from haven.cases.selectors.notes import case_notes
from haven.cases.selectors.parties import case_markers, case_parties, register_person, register_tenancy
from haven.cases.services.flags import case_flags_set
from haven.cases.services.notes import note_add
from haven.cases.services.parties import (
    KEEP,
    case_party_add,
    case_party_remove,
    case_party_update,
    party_finding_record,
)
from haven.common.errors import ApplicationError
from haven.common.stale import version_of


class Page(PageNumberPagination):
    page_size = 100


ERRORS = {
    400: OpenApiResponse(ApiErrorsSerializer, description="Nothing was saved: one error per problem."),
    403: OpenApiResponse(ApiErrorsSerializer, description="The caller may see the case but not do this."),
    404: OpenApiResponse(ApiErrorsSerializer, description="No such case (or person), or not one the caller may see."),
}
STALE = {409: OpenApiResponse(ApiErrorsSerializer, description="Changed by someone else since `version`.")}


def _case(user: User, reference: str, *, work: str | None = None) -> Case:
    """A case the user may see (else 404), with its parties, their register people and tenancies;
    with ``work``, one they may work on (else 403 with that message)."""
    parties = Party.objects.select_related("person", "tenancy").order_by("pk")
    case = (
        selectors.cases_for_user(user=user)
        .filter(reference=reference)
        .select_related("landlord", "property")
        .prefetch_related(Prefetch("parties", queryset=parties))
        .first()
    )
    if case is None or not can_view_case(user, case):
        raise exceptions.NotFound()
    if work is not None and not can_work_case(user, case):
        raise Forbidden(work)
    return case


def _one(user: User, reference: str, party_id: int) -> dict[str, Any]:
    case = _case(user, reference)
    found = next((v for v in case_parties(user=user, case=case, via="api") if v.party.pk == party_id), None)
    if found is None:
        raise exceptions.NotFound()
    return party_detail(found)


def _party(case: Case, party_id: int) -> Party:
    found = next((p for p in case.parties.all() if p.pk == party_id), None)
    if found is None:
        raise exceptions.NotFound()
    return found


def _page(request: Request, view: APIView, rows: list[Any], **extra: Any) -> Response:
    paginator = Page()
    page: list[Any] = paginator.paginate_queryset(rows, request, view=view) or []  # type: ignore[arg-type]
    response = paginator.get_paginated_response(page)
    response.data.update(extra)
    return response


class CasePartiesApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = Page

    @extend_schema(
        summary="The people in a case",
        description=(
            "Neutral roles until a finding (whg 4.1); each person's communication needs and adjustments "
            "(WWH 2.0); vulnerabilities only for case officers, specialists and managers, each view audited. "
            "Current people first, then those taken off the case."
        ),
        responses={200: PartyDetailSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _case(user, reference)
        return _page(request, self, [party_detail(v) for v in case_parties(user=user, case=case, via="api")])

    @extend_schema(
        summary="Add a person to a case",
        description="From the register (`person`: a reference) or not (a name or a description). 201 with the person.",
        parameters=[idempotency.PARAMETER],
        request=PartyCreateSerializer,
        responses={201: PartyDetailSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _case(user, reference, work="You cannot change the people in this case.")
        body = PartyCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = {k: v or "" for k, v in body.validated_data.items()}
        person = register_person(user=user, reference=d.get("person", ""))
        if d.get("person") and person is None:
            raise exceptions.ValidationError({"person": [f"There is nobody with the reference {d['person']}."]})
        tenancy = register_tenancy(user=user, reference=d.get("tenancy", ""))
        if d.get("tenancy") and tenancy is None:
            raise exceptions.ValidationError({"tenancy": [f"There is no tenancy with the reference {d['tenancy']}."]})
        fields = ("name", "phone", "email", "address", "preferred_contact", "communication_needs", "notes")
        try:
            party = case_party_add(
                actor=user, case=case, role=d["role"], person=person, tenancy=tenancy, via="api",
                **{k: d.get(k, "") for k in fields},
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(_one(user, reference, party.pk), status=status.HTTP_201_CREATED)


class CasePartyApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Change a person in a case",
        description=(
            "Only the fields sent change. Send the `version` last read: a change over someone else's is "
            "refused with 409 and nothing is saved. Witness willingness, support needs and support given: emh 4.6."
        ),
        parameters=[idempotency.PARAMETER],
        request=PartyUpdateSerializer,
        responses={200: PartyDetailSerializer, **ERRORS, **STALE, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def patch(self, request: Request, reference: str, party_id: int) -> Response:
        user = staff_user(request)
        case = _case(user, reference, work="You cannot change the people in this case.")
        party = _party(case, party_id)
        body = PartyUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = body.validated_data
        texts = ("name", "phone", "email", "address", "preferred_contact", "communication_needs", "notes",
                 "witness_support_needs", "witness_support_given")  # fmt: skip
        try:
            case_party_update(
                actor=user, party=party, version=d.get("version") or None, role=d.get("role"),
                witness_statement=d.get("witness_statement", KEEP),
                witness_court=d.get("witness_court", KEEP), via="api",
                **{k: d[k] for k in texts if k in d and d[k] is not None},
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(_one(user, reference, party.pk))


class CasePartyFindingApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Record a finding on a person in a case",
        description=(
            "Victim or perpetrator on the balance of probabilities (whg 4.1), with its date and evidence; "
            '"none" withdraws an earlier one. Only the case\'s officer, an ASB specialist or a team manager.'
        ),
        parameters=[idempotency.PARAMETER],
        request=FindingCreateSerializer,
        responses={200: PartyDetailSerializer, **ERRORS, **STALE, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, party_id: int) -> Response:
        user = staff_user(request)
        case = _case(user, reference, work="You cannot record a finding on this case.")
        if not can_record_finding(user, case):
            raise Forbidden("Only the case's officer, an ASB specialist or a team manager can record a finding.")
        party = _party(case, party_id)
        body = FindingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = body.validated_data
        try:
            party_finding_record(
                actor=user, party=party, finding="" if d["finding"] == NO_FINDING else d["finding"],
                finding_on=d.get("finding_on"), evidence=d.get("evidence") or "", version=d.get("version") or None,
                via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(_one(user, reference, party.pk))


class CasePartyRemoveApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="Take a person off a case",
        description="With the reason; the person is kept on the record (`removed_at`). The reporter cannot be.",
        parameters=[idempotency.PARAMETER],
        request=PartyRemoveSerializer,
        responses={200: PartyDetailSerializer, **ERRORS, **STALE, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str, party_id: int) -> Response:
        user = staff_user(request)
        case = _case(user, reference, work="You cannot change the people in this case.")
        party = _party(case, party_id)
        body = PartyRemoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = body.validated_data
        try:
            case_party_remove(
                actor=user, party=party, reason=d.get("reason") or "", version=d.get("version") or None, via="api"
            )
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(_one(user, reference, party.pk))


class CaseNotesApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = Page

    @extend_schema(
        summary="The notes of a case",
        description=(
            "Newest first. Sensitive notes (WWH 3.0 secure area) only for the case's officer, ASB specialists "
            "and team managers, and each reading that includes them is audited; for anyone else they are "
            "left out and counted in `sensitive_withheld`."
        ),
        responses={200: NoteSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        notes = case_notes(user=user, case=_case(user, reference), via="api")
        return _page(request, self, [note_document(n) for n in notes.notes], sensitive_withheld=notes.withheld)

    @extend_schema(
        summary="Add a note to a case",
        parameters=[idempotency.PARAMETER],
        request=NoteCreateSerializer,
        responses={201: NoteSerializer, **ERRORS, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _case(user, reference, work="You cannot add notes to this case.")
        body = NoteCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = body.validated_data
        try:
            note = note_add(actor=user, case=case, text=d.get("text") or "", sensitive=d["sensitive"], via="api")
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(note_document(note), status=status.HTTP_201_CREATED)


def _flags(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference, "version": version_of(case.updated_at), "flags": list(case.flags),
        "hate_strands": list(case.hate_strands or []), "restricted": case.restricted,
    }  # fmt: skip


class CaseFlagsApi(APIView):
    permission_classes = [IsLandlordStaff]

    @extend_schema(
        summary="The flags of a case, with the version to change them",
        responses={200: FlagsSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        return Response(_flags(_case(staff_user(request), reference)))

    @extend_schema(
        summary="Add and take off flags of a case",
        description=(
            "hate (needs `hate_strands`), domestic_abuse, safeguarding, staff_targeted (these three make the "
            "case restricted), persistent_complainant (emh 7.8), vulnerable_reporter. Flags from the case's "
            "category stay until it is re-categorised. 409 when `version` is stale."
        ),
        parameters=[idempotency.PARAMETER],
        request=FlagsSetSerializer,
        responses={200: FlagsSerializer, **ERRORS, **STALE, **idempotency.RESPONSES},
    )
    @idempotency.idempotent
    def post(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        case = _case(user, reference, work="You cannot change this case.")
        body = FlagsSetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d: dict[str, Any] = body.validated_data
        try:
            case = case_flags_set(
                actor=user, case=case, add=d["add"], remove=d["remove"], hate_strands=d.get("hate_strands"),
                reason=d.get("reason") or "", version=d.get("version") or None, via="api",
            )  # fmt: skip
        except ApplicationError as failure:
            raise application_errors(failure) from None
        return Response(_flags(case))


class CaseMarkersApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = Page

    @extend_schema(
        summary="Staff-safety warning markers of a case",
        description=(
            "The markers of the case's property and of every current person's register record (pnp Red Flag "
            "procedure): read them before a visit."
        ),
        responses={200: MarkerSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = staff_user(request)
        markers = case_markers(user=user, case=_case(user, reference))
        return _page(request, self, [marker_document(m) for m in markers])
