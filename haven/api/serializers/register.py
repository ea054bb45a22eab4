"""The register in the API: how properties, people and tenancies are shown, and the PUT bodies.

A PUT body holds the same columns as the import file (``haven.register.importing.layouts``), less
the key column, which the URL gives. JSON values are turned into the text a file cell would hold
(:func:`upsert_columns`) and checked by the one path that checks every register row
(``haven.register.services.record_upsert``). The serializers here document the API in the OpenAPI
schema; the documents themselves are built by the ``*_document`` functions, as in ``views.policy``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from haven.register.importing.layouts import PEOPLE, PROPERTIES, TENANCIES, Layout
from haven.register.models import HouseholdRole, Person, Property, Tenancy, TenancyMember, Vulnerability

# ---- representations ----------------------------------------------------------------------------


class PropertySerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(help_text="The landlord's own property reference.")
    uprn = serializers.CharField(help_text="Unique Property Reference Number: 12 digits with leading zeros.")
    address_line_1 = serializers.CharField()
    address_line_2 = serializers.CharField(allow_blank=True)
    address_line_3 = serializers.CharField(allow_blank=True)
    town = serializers.CharField()
    postcode = serializers.CharField(help_text="Upper case with one space, e.g. LE67 4JP.")
    patch = serializers.CharField(allow_null=True, help_text="The patch code.")
    local_authority = serializers.CharField(allow_null=True, help_text="The council area's name.")
    scheme = serializers.CharField(allow_blank=True)
    property_type = serializers.CharField(allow_blank=True, help_text="house, flat, maisonette, … or blank.")
    tenure = serializers.CharField(help_text="A tenure code, e.g. social_rent.")
    counts_for_tsm = serializers.BooleanField(help_text="Counted as a home for TSM NM01.")
    ended_on = serializers.DateField(allow_null=True, help_text="No longer in the landlord's stock since.")


class PersonSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(help_text="The landlord's own person reference.")
    title = serializers.CharField(allow_blank=True)
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    phone = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    preferred_contact = serializers.CharField(allow_blank=True, help_text="phone, text, email, letter, in_person.")
    preferred_language = serializers.CharField(allow_blank=True)
    communication_needs = serializers.CharField(allow_blank=True)
    reasonable_adjustments = serializers.CharField(allow_blank=True)
    warning_markers = serializers.ListField(child=serializers.CharField(), help_text="Staff-safety marker codes.")
    ended_on = serializers.DateField(allow_null=True, help_text="No longer a customer of the landlord since.")
    has_vulnerabilities = serializers.BooleanField(help_text="Whether any vulnerabilities are recorded.")


class PersonDetailSerializer(PersonSerializer):
    vulnerabilities = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text=(
            "Vulnerability codes (special category data). Present only for the roles that may see them "
            "(case officers, specialists, managers), and each view is audited; never in lists."
        ),
    )


class TenancySerializer(serializers.Serializer[Any]):
    reference = serializers.CharField(help_text="The landlord's tenancy reference.")
    property = serializers.CharField(help_text="The property's reference.")
    tenancy_type = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    tenants = serializers.ListField(child=serializers.CharField(), help_text="Person references of the tenants.")
    household_members = serializers.ListField(
        child=serializers.CharField(), help_text="Person references of the other household members."
    )


class ApiErrorSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(allow_null=True, help_text="The field the problem is with, or null.")
    message = serializers.CharField()


class ApiErrorsSerializer(serializers.Serializer[Any]):
    errors = ApiErrorSerializer(many=True)  # type: ignore[assignment]


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def property_document(prop: Property) -> dict[str, Any]:
    """A property as the API shows it; ``patch`` and ``local_authority_area`` should be selected."""
    return {
        "reference": prop.reference,
        "uprn": prop.uprn,
        "address_line_1": prop.address_line_1,
        "address_line_2": prop.address_line_2,
        "address_line_3": prop.address_line_3,
        "town": prop.town,
        "postcode": prop.postcode,
        "patch": prop.patch.code if prop.patch is not None else None,
        "local_authority": prop.local_authority_area.name if prop.local_authority_area is not None else None,
        "scheme": prop.scheme,
        "property_type": prop.property_type,
        "tenure": prop.tenure,
        "counts_for_tsm": prop.counts_for_tsm,
        "ended_on": _date(prop.ended_on),
    }


def person_document(
    person: Person, *, has_vulnerabilities: bool, vulnerabilities: list[Vulnerability] | None = None
) -> dict[str, Any]:
    """A person as the API shows it; ``markers`` should be prefetched.

    ``vulnerabilities`` is given only when the caller may see them (``selectors.person_sensitive``);
    otherwise the key is left out altogether.
    """
    document: dict[str, Any] = {
        "reference": person.reference,
        "title": person.title,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": _date(person.date_of_birth),
        "phone": person.phone,
        "email": person.email,
        "preferred_contact": person.preferred_contact,
        "preferred_language": person.preferred_language,
        "communication_needs": person.communication_needs,
        "reasonable_adjustments": person.reasonable_adjustments,
        "warning_markers": sorted({m.kind for m in person.markers.all()}),
        "ended_on": _date(person.ended_on),
        "has_vulnerabilities": has_vulnerabilities,
    }
    if vulnerabilities is not None:
        document["vulnerabilities"] = sorted({v.kind for v in vulnerabilities})
    return document


def tenancy_document(tenancy: Tenancy) -> dict[str, Any]:
    """A tenancy as the API shows it; ``property`` selected and ``members__person`` prefetched."""
    members: list[TenancyMember] = list(tenancy.members.all())
    return {
        "reference": tenancy.reference,
        "property": tenancy.property.reference,
        "tenancy_type": tenancy.tenancy_type,
        "start_date": _date(tenancy.starts_on),
        "end_date": _date(tenancy.ends_on),
        "tenants": [m.person.reference for m in members if m.role == HouseholdRole.TENANT],
        "household_members": [m.person.reference for m in members if m.role != HouseholdRole.TENANT],
    }


# ---- PUT bodies: the import file's columns ------------------------------------------------------

LIST_COLUMNS = frozenset({"vulnerabilities", "warning_markers", "tenants", "household_members"})
BOOLEAN_COLUMNS = frozenset({"counts_for_tsm"})
RECORD_NAMES = {"properties": "property", "people": "person", "tenancies": "tenancy"}


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        "nullable": True,
        "description": "A list of codes or references, or the same as text separated by ';'.",
    }
)
class TextListField(serializers.Field):
    """A list of strings, or one string separated by ';' (documentation only)."""


@extend_schema_field({"oneOf": [{"type": "boolean"}, {"type": "string"}], "nullable": True})
class YesNoField(serializers.Field):
    """true or false, or the text "yes" or "no" (documentation only)."""


def _upsert_serializer(layout: Layout, name: str) -> type[serializers.Serializer[Any]]:
    """A serializer documenting the PUT body of ``layout``: its columns, less the key in the URL."""
    attrs: dict[str, Any] = {
        "__doc__": (
            f"One {RECORD_NAMES[layout.kind]}, with the columns of the {layout.kind} import file (less "
            f"{layout.key}, which the address gives). An optional field left out or null is blank, as an "
            "empty cell is in a file."
        ),
        "__module__": __name__,
    }
    for column in layout.columns:
        if column.name == layout.key:
            continue
        options: dict[str, Any] = {"required": column.required, "help_text": column.meaning}
        field: serializers.Field
        if column.name in LIST_COLUMNS:
            field = TextListField(**options)
        elif column.name in BOOLEAN_COLUMNS:
            field = YesNoField(**options)
        else:
            field = serializers.CharField(allow_blank=not column.required, allow_null=not column.required, **options)
        attrs[column.name] = field
    return type(name, (serializers.Serializer,), attrs)


PropertyUpsertSerializer = _upsert_serializer(PROPERTIES, "PropertyUpsertSerializer")
PersonUpsertSerializer = _upsert_serializer(PEOPLE, "PersonUpsertSerializer")
TenancyUpsertSerializer = _upsert_serializer(TENANCIES, "TenancyUpsertSerializer")


# Columns the import passes through as typed, without a length check of its own: a value longer
# than the model keeps is refused here, in plain words, rather than failing in the database.
def _text(value: Any, column: str) -> str:
    """One JSON value as the text of a file cell; ValueError with a plain message when it cannot be."""
    if value is None:
        return ""
    if isinstance(value, bool):
        if column not in BOOLEAN_COLUMNS:
            raise ValueError("must be text, not true or false")
        return "yes" if value else "no"
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, list):
        if column not in LIST_COLUMNS:
            raise ValueError("must be text, not a list")
        parts = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, str | int):
                raise ValueError("must be a list of codes or references, each written as text")
            parts.append(str(item).strip())
        return "; ".join(p for p in parts if p)
    raise ValueError("must be text, not an object")


def upsert_columns(layout: Layout, reference: str, body: Any) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The import columns of a PUT body, with the key from the URL; and the problems, by field.

    Every unknown field is named; a key column in the body must agree with the URL.
    """
    if not isinstance(body, dict):
        return {}, {"non_field_errors": [f"Send the {RECORD_NAMES[layout.kind]} as a JSON object of fields."]}
    problems: dict[str, list[str]] = {}
    columns = {layout.key: reference.strip()}
    allowed = [name for name in layout.names if name != layout.key]
    for name, value in body.items():
        if name == layout.key:
            given = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else None
            if given != columns[layout.key]:
                problems.setdefault(name, []).append(
                    f"does not match the reference in the address ({columns[layout.key]}); leave it out"
                )
            continue
        if name not in allowed:
            problems.setdefault(str(name), []).append(
                f"is not a field of a {RECORD_NAMES[layout.kind]}; the fields are: {', '.join(allowed)}"
            )
            continue
        try:
            text = _text(value, name)
        except ValueError as error:
            problems.setdefault(name, []).append(str(error))
            continue
        columns[name] = text
    # Lengths and characters that cannot be stored are checked with the row, as for a file.
    return columns, problems
