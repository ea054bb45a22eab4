"""The register API: properties, people and tenancies, for housing management system integrations.

``GET`` lists (paginated, 50 a page) and single records for any member of the landlord's staff,
through ``haven.register.selectors``; ``PUT /api/v1/{properties|people|tenancies}/{reference}``
creates or updates one record for administrators (an integration uses an administrator's token),
through ``haven.register.services.record_upsert``: the same checks and writes as the import file.

A PUT replaces the record with the body, as a row of the file would (an optional field left out
is blank), so sending the same PUT again changes nothing and answers ``200``: PUT is idempotent by
itself, and the ``Idempotency-Key`` header is neither needed nor read.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from haven.accounts.models import User
from haven.accounts.permissions import can_import_register
from haven.api.permissions import IsLandlordStaff
from haven.api.serializers.register import (
    ApiErrorsSerializer,
    PersonDetailSerializer,
    PersonSerializer,
    PersonUpsertSerializer,
    PropertySerializer,
    PropertyUpsertSerializer,
    TenancySerializer,
    TenancyUpsertSerializer,
    person_document,
    property_document,
    tenancy_document,
    upsert_columns,
)
from haven.common.errors import ApplicationError
from haven.register import selectors
from haven.register.fields import postcode_clean
from haven.register.importing.layouts import LAYOUTS
from haven.register.models import Person, Property, Tenancy, Vulnerability
from haven.register.services import record_upsert

SEARCH_MAX = 100


class RegisterPage(PageNumberPagination):
    page_size = 50


class CanChangeRegister(BasePermission):
    """Reads for any member of staff (with IsLandlordStaff); writes for those who may import."""

    message = "Your role does not allow this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or can_import_register(request.user)  # type: ignore[arg-type]


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User) and user.landlord is not None  # IsLandlordStaff has checked
    return user


def _one(queryset: QuerySet[Any], reference: str) -> Any:
    """The record with this reference in the user's register; 404 for anything else."""
    found = queryset.filter(reference=reference).first()
    if found is None:
        raise exceptions.NotFound()
    return found


def _search_text(request: Request) -> str:
    return " ".join(request.query_params.get("search", "").split())[:SEARCH_MAX]


def _page(request: Request, view: APIView, queryset: QuerySet[Any], document: Any) -> Response:
    paginator = RegisterPage()
    rows = paginator.paginate_queryset(queryset, request, view=view) or []
    return paginator.get_paginated_response([document(row) for row in rows])


def _upsert(request: Request, kind: str, reference: str) -> str:
    """Check the body and write it: "created", "updated" or "unchanged"; a 400 naming each problem."""
    user = _user(request)
    landlord = user.landlord
    assert landlord is not None  # IsLandlordStaff has checked
    columns, problems = upsert_columns(LAYOUTS[kind], reference, request.data)
    if problems:
        raise exceptions.ValidationError(problems)
    try:
        return record_upsert(actor=user, landlord=landlord, kind=kind, data=columns, via="api")
    except ApplicationError as failure:
        # As haven.api.errors shows an ApplicationError, with "non_field_errors" shown as no field.
        raise exceptions.ValidationError(
            {k: [v] for k, v in failure.fields.items()} or {"non_field_errors": [failure.message]}
        ) from None


def _written(outcome: str, document: dict[str, Any]) -> Response:
    return Response(document, status=status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK)


ERRORS = {
    400: OpenApiResponse(ApiErrorsSerializer, description="The record was not saved: one error per problem."),
    403: OpenApiResponse(ApiErrorsSerializer, description="Only administrators may change the register."),
    404: OpenApiResponse(ApiErrorsSerializer, description="No such record for the caller's landlord."),
}
NOT_FOUND = {404: ERRORS[404]}
SEARCH = OpenApiParameter(
    "search", OpenApiTypes.STR, description="A reference, UPRN, postcode or part of the address or name."
)


# ---- properties ---------------------------------------------------------------------------------


def _properties(user: User) -> QuerySet[Property]:
    return selectors.properties_for_user(user=user).order_by("reference")


def property_search(queryset: QuerySet[Property], text: str) -> QuerySet[Property]:
    """As ``selectors.register_search`` matches properties: reference, UPRN, postcode or address."""
    if not text:
        return queryset
    match = Q(reference__istartswith=text) | Q(search_text__contains=text.lower())
    compact = re.sub(r"\s+", "", text)
    if compact.isdigit() and len(compact) <= 12:
        match |= Q(uprn=compact.zfill(12)) | Q(uprn__endswith=compact)
    with contextlib.suppress(ValueError):
        match |= Q(postcode=postcode_clean(text))
    return queryset.filter(match)


class PropertyListApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = RegisterPage

    @extend_schema(
        summary="Properties in the caller's landlord's register",
        parameters=[SEARCH],
        responses=PropertySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        queryset = property_search(_properties(_user(request)), _search_text(request))
        return _page(request, self, queryset, property_document)


class PropertyApi(APIView):
    permission_classes = [IsLandlordStaff, CanChangeRegister]

    @extend_schema(summary="One property", responses={200: PropertySerializer, **NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        return Response(property_document(_one(_properties(_user(request)), reference)))

    @extend_schema(
        summary="Create or update one property, as a row of the properties import file",
        description=(
            "The body holds the columns of the properties import file; the reference is the one in the "
            "address. 201 when the property is new, 200 when it was updated or already so. Sending the "
            "same body again changes nothing (PUT is idempotent; no Idempotency-Key is needed)."
        ),
        request=PropertyUpsertSerializer,
        responses={200: PropertySerializer, 201: PropertySerializer, **ERRORS},
    )
    def put(self, request: Request, reference: str) -> Response:
        outcome = _upsert(request, "properties", reference)
        return _written(outcome, property_document(_one(_properties(_user(request)), reference.strip())))


# ---- people -------------------------------------------------------------------------------------


def _people(user: User) -> QuerySet[Person]:
    """People with their markers and whether they have vulnerabilities (never which: see selectors)."""
    return (
        selectors.people_for_user(user=user)
        .annotate(vulnerable=Exists(Vulnerability.objects.filter(person_id=OuterRef("pk"))))
        .prefetch_related("markers")
        .order_by("last_name", "first_name", "reference")
    )


def person_search(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """As ``selectors.register_search`` matches people: reference, start of full name or last name."""
    if not text:
        return queryset
    return queryset.filter(
        Q(reference__istartswith=text) | Q(search_name__startswith=text.lower()) | Q(last_name__istartswith=text)
    )


def _person_listed(person: Person) -> dict[str, Any]:
    return person_document(person, has_vulnerabilities=person.vulnerable)  # type: ignore[attr-defined]


class PersonListApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = RegisterPage

    @extend_schema(
        summary="People in the caller's landlord's register (never their vulnerabilities)",
        parameters=[SEARCH],
        responses=PersonSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        queryset = person_search(_people(_user(request)), _search_text(request))
        return _page(request, self, queryset, _person_listed)


class PersonApi(APIView):
    permission_classes = [IsLandlordStaff, CanChangeRegister]

    @extend_schema(
        summary="One person; their vulnerabilities for the roles that may see them",
        description=(
            "Each view of a person is audited. Case officers, specialists and managers also get "
            "`vulnerabilities` (special category data), and that view is audited too; others get only "
            "`has_vulnerabilities`."
        ),
        responses={200: PersonDetailSerializer, **NOT_FOUND},
    )
    def get(self, request: Request, reference: str) -> Response:
        user = _user(request)
        try:
            person = selectors.person_detail(user=user, reference=reference, via="api")
            sensitive = selectors.person_sensitive(user=user, person=person, via="api")
        except selectors.NotFound:
            raise exceptions.NotFound() from None
        return Response(
            person_document(
                person,
                has_vulnerabilities=sensitive.has_vulnerabilities,
                vulnerabilities=sensitive.vulnerabilities if sensitive.allowed else None,
            )
        )

    @extend_schema(
        summary="Create or update one person, as a row of the people import file",
        description=(
            "The body holds the columns of the people import file; the reference is the one in the "
            "address. 201 when the person is new, 200 when they were updated or already so. Sending the "
            "same body again changes nothing (PUT is idempotent; no Idempotency-Key is needed). The "
            "response never lists vulnerabilities."
        ),
        request=PersonUpsertSerializer,
        responses={200: PersonSerializer, 201: PersonSerializer, **ERRORS},
    )
    def put(self, request: Request, reference: str) -> Response:
        outcome = _upsert(request, "people", reference)
        return _written(outcome, _person_listed(_one(_people(_user(request)), reference.strip())))


# ---- tenancies ----------------------------------------------------------------------------------


def _tenancies(user: User) -> QuerySet[Tenancy]:
    """Tenancies with their property and household (selected and prefetched by the selector)."""
    return selectors.tenancies_for_user(user=user).order_by("-starts_on", "reference")


class TenancyListApi(APIView):
    permission_classes = [IsLandlordStaff]
    pagination_class = RegisterPage

    @extend_schema(
        summary="Tenancies in the caller's landlord's register",
        parameters=[OpenApiParameter("property", OpenApiTypes.STR, description="Only this property's tenancies.")],
        responses=TenancySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        queryset = _tenancies(_user(request))
        prop = request.query_params.get("property", "").strip()
        if prop:
            queryset = queryset.filter(property__reference=prop)
        return _page(request, self, queryset, tenancy_document)


class TenancyApi(APIView):
    permission_classes = [IsLandlordStaff, CanChangeRegister]

    @extend_schema(summary="One tenancy", responses={200: TenancySerializer, **NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        return Response(tenancy_document(_one(_tenancies(_user(request)), reference)))

    @extend_schema(
        summary="Create or update one tenancy, as a row of the tenancies import file",
        description=(
            "The body holds the columns of the tenancies import file; the reference is the one in the "
            "address. `tenants` and `household_members` are lists of person references; the household "
            "is replaced by the one sent. 201 when the tenancy is new, 200 otherwise. Sending the same "
            "body again changes nothing (PUT is idempotent; no Idempotency-Key is needed)."
        ),
        request=TenancyUpsertSerializer,
        responses={200: TenancySerializer, 201: TenancySerializer, **ERRORS},
    )
    def put(self, request: Request, reference: str) -> Response:
        outcome = _upsert(request, "tenancies", reference)
        return _written(outcome, tenancy_document(_one(_tenancies(_user(request)), reference.strip())))
