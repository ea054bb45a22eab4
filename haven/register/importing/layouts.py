"""The column layout of each import file, and the cleaning of one row into values.

The layouts are documented for landlords in ``docs/register-import.md`` and shown on the import
page; sample files are in ``haven/register/samples/``. A test checks the three agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from haven.register import fields
from haven.register.models import (
    TENURE_CHOICES,
    TSM_HOME_TENURES,
    WELSH_TENANCY_TYPES,
    ContactMethod,
    MarkerKind,
    PropertyType,
    TenancyType,
    VulnerabilityKind,
)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    meaning: str
    example: str = ""


@dataclass(frozen=True)
class Problem:
    row: int | None  # as a spreadsheet numbers it: the header is row 1
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Context:
    """What a row is checked against: the landlord's register as it stands before the import."""

    landlord_id: int
    country: str  # "england" or "wales"
    today: date
    patches: dict[str, int] = field(default_factory=dict)  # code (upper) -> id
    patch_areas: dict[int, int | None] = field(default_factory=dict)  # patch id -> area id
    areas: dict[str, int] = field(default_factory=dict)  # name (lower) -> id
    teams: dict[str, int] = field(default_factory=dict)  # name (lower) -> id
    officers: dict[str, int] = field(default_factory=dict)  # username (lower) -> id
    property_ids: dict[str, int] = field(default_factory=dict)  # reference -> id
    person_ids: dict[str, int] = field(default_factory=dict)  # reference -> id
    uprn_owner: dict[str, str] = field(default_factory=dict)  # uprn -> property reference


Cleaner = Callable[[dict[str, str], Context, "RowErrors"], dict[str, Any]]


class RowErrors:
    """Collects the problems of one row; ``value`` runs a cleaner and records its ValueError."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.problems: list[Problem] = []

    def add(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.row, column, message))

    def value(self, data: dict[str, str], column: str, clean: Callable[[str], Any], default: Any = "") -> Any:
        text = data.get(column, "")
        if not text:
            return default
        try:
            return clean(text)
        except ValueError as error:
            self.add(column, str(error))
            return default

    def required(
        self, data: dict[str, str], column: str, clean: Callable[[str], Any] = str, *, max_length: int | None = None
    ) -> Any:
        if not data.get(column, ""):
            self.add(column, "is empty, and it must be filled in")
            return None
        if max_length is not None:
            return self.text(data, column, max_length)
        return self.value(data, column, clean, default=None)

    def text(self, data: dict[str, str], column: str, max_length: int) -> str:
        text = data.get(column, "")
        if len(text) > max_length:
            self.add(column, f"is {len(text)} characters long; the most Haven keeps is {max_length}")
            return text[:max_length]
        return text


@dataclass(frozen=True)
class Layout:
    kind: str
    key: str  # the column holding the landlord's reference, by which rows update
    columns: tuple[Column, ...]
    clean: Cleaner

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


# ---- patches ------------------------------------------------------------------------------------


def _clean_patch(data: dict[str, str], ctx: Context, errors: RowErrors) -> dict[str, Any]:
    team = data.get("team", "")
    officer = data.get("officer", "")
    if team and team.lower() not in ctx.teams:
        errors.add("team", f"there is no team called '{team}'; teams: {', '.join(sorted(ctx.teams)) or 'none yet'}")
    if officer and officer.lower() not in ctx.officers:
        errors.add("officer", f"there is no member of staff with the user name '{officer}'")
    return {
        "code": (errors.required(data, "patch_code", max_length=20) or "").upper(),
        "name": errors.required(data, "name", max_length=120) or "",
        "local_authority": errors.text(data, "local_authority", 120),
        "team_id": ctx.teams.get(team.lower()) if team else None,
        "officer_id": ctx.officers.get(officer.lower()) if officer else None,
    }


PATCHES = Layout(
    kind="patches",
    key="patch_code",
    columns=(
        Column("patch_code", True, "The landlord's code for the patch; properties name it.", "NWL-1"),
        Column("name", True, "The patch name.", "Coalville North"),
        Column(
            "local_authority", False, "The council area the patch is in; added if new.", "North West Leicestershire"
        ),
        Column("team", False, "The team that receives the patch's new cases (its name in Haven).", "ASB team"),
        Column("officer", False, "The user name of the officer who covers the patch.", "emh-officer"),
    ),
    clean=_clean_patch,
)


# ---- properties ---------------------------------------------------------------------------------


def _clean_property(data: dict[str, str], ctx: Context, errors: RowErrors) -> dict[str, Any]:
    reference = errors.required(data, "property_reference", max_length=40) or ""
    uprn = errors.required(data, "uprn", fields.uprn_clean)
    if uprn and ctx.uprn_owner.get(uprn, reference) != reference:
        errors.add("uprn", f"UPRN {uprn} already belongs to property {ctx.uprn_owner[uprn]}")
    patch_code = data.get("patch_code", "")
    patch_id = ctx.patches.get(patch_code.upper()) if patch_code else None
    if patch_code and patch_id is None:
        known = ", ".join(sorted(ctx.patches)) or "none yet; import the patches first"
        errors.add("patch_code", f"there is no patch '{patch_code}' (patches: {known})")
    area_name = data.get("local_authority", "")
    area_id = ctx.areas.get(area_name.lower()) if area_name else ctx.patch_areas.get(patch_id or 0)
    if area_name and area_id is None:
        known = ", ".join(sorted(ctx.areas)) or "none yet"
        errors.add("local_authority", f"'{area_name}' is not one of the landlord's council areas ({known})")
    tenure = errors.required(data, "tenure", lambda t: fields.choice_clean(t, TENURE_CHOICES, "tenure"))
    counts = errors.value(data, "counts_for_tsm", fields.bool_clean, default=None)
    if counts is None:
        counts = tenure in TSM_HOME_TENURES
    return {
        "reference": reference,
        "uprn": uprn or "",
        "address_line_1": errors.required(data, "address_line_1", max_length=200) or "",
        "address_line_2": errors.text(data, "address_line_2", 200),
        "address_line_3": errors.text(data, "address_line_3", 200),
        "town": errors.required(data, "town", max_length=100) or "",
        "postcode": errors.required(data, "postcode", fields.postcode_clean) or "",
        "patch_id": patch_id,
        "local_authority_area_id": area_id,
        "scheme": errors.text(data, "scheme", 120),
        "property_type": errors.value(
            data, "property_type", lambda t: fields.choice_clean(t, PROPERTY_TYPE_CHOICES, "property type")
        ),
        "tenure": tenure or "",
        "counts_for_tsm": counts,
    }


PROPERTIES = Layout(
    kind="properties",
    key="property_reference",
    columns=(
        Column(
            "property_reference", True, "The landlord's own property reference; re-imports update by it.", "P000123"
        ),
        Column("uprn", True, "Unique Property Reference Number: up to 12 digits.", "100030563014"),
        Column("address_line_1", True, "First line of the address.", "12 Oak Road"),
        Column("address_line_2", False, "Second line.", ""),
        Column("address_line_3", False, "Third line (locality).", "Whitwick"),
        Column("town", True, "Town or city.", "Coalville"),
        Column("postcode", True, "UK postcode; any case and spacing.", "LE67 4JP"),
        Column("patch_code", False, "The patch code (see the patches file).", "NWL-1"),
        Column("local_authority", False, "Council area; blank takes the patch's area.", "North West Leicestershire"),
        Column("scheme", False, "Scheme name, for example an over-55s scheme.", "Cedar Court over-55s"),
        Column("property_type", False, "house, flat, maisonette, bungalow, bedsit, room or other.", "flat"),
        Column(
            "tenure",
            True,
            "social_rent, affordable_rent, shared_ownership, leasehold, … (codes or labels)",
            "social_rent",
        ),
        Column("counts_for_tsm", False, "yes or no; blank follows the tenure (low-cost rental and ownership).", ""),
    ),
    clean=_clean_property,
)


# ---- people -------------------------------------------------------------------------------------

VULNERABILITY_CHOICES = tuple(VulnerabilityKind.choices)
MARKER_CHOICES = tuple(MarkerKind.choices)
CONTACT_CHOICES = tuple(ContactMethod.choices)
PROPERTY_TYPE_CHOICES = tuple(PropertyType.choices)
TENANCY_TYPE_CHOICES = tuple(TenancyType.choices)

EQUALITY_COLUMNS = {  # column -> the most characters EqualityMonitoring keeps
    "sex": 40,
    "gender_identity_same_as_birth": 40,
    "sexual_orientation": 60,
    "ethnicity": 80,
    "religion": 60,
    "disability": 40,
}


def _codes(
    data: dict[str, str], column: str, choices: tuple[tuple[str, str], ...], what: str, errors: RowErrors
) -> list[str]:
    found: list[str] = []
    for part in fields.list_clean(data.get(column, "")):
        try:
            code = fields.choice_clean(part, choices, what)
        except ValueError as error:
            errors.add(column, str(error))
            continue
        if code not in found:
            found.append(code)
    return found


def _clean_person(data: dict[str, str], ctx: Context, errors: RowErrors) -> dict[str, Any]:
    born = errors.value(data, "date_of_birth", lambda t: fields.date_of_birth_clean(t, today=ctx.today), None)
    equality = {c: errors.text(data, c, limit) for c, limit in EQUALITY_COLUMNS.items()}
    return {
        "reference": errors.required(data, "person_reference", max_length=40) or "",
        "title": errors.text(data, "title", 20),
        "first_name": errors.required(data, "first_name", max_length=100) or "",
        "last_name": errors.required(data, "last_name", max_length=100) or "",
        "date_of_birth": born,
        "phone": errors.value(data, "phone", fields.phone_clean),
        "email": errors.value(data, "email", fields.email_clean),
        "preferred_contact": errors.value(
            data, "preferred_contact", lambda t: fields.choice_clean(t, CONTACT_CHOICES, "contact method")
        ),
        "preferred_language": errors.text(data, "preferred_language", 40),
        "communication_needs": errors.text(data, "communication_needs", 2000),
        "reasonable_adjustments": errors.text(data, "reasonable_adjustments", 2000),
        "_vulnerabilities": _codes(data, "vulnerabilities", VULNERABILITY_CHOICES, "vulnerability", errors),
        "_markers": _codes(data, "warning_markers", MARKER_CHOICES, "warning marker", errors),
        "_equality": equality if any(equality.values()) else {},
    }


PEOPLE = Layout(
    kind="people",
    key="person_reference",
    columns=(
        Column("person_reference", True, "The landlord's own person reference; re-imports update by it.", "C004512"),
        Column("title", False, "Title, if any.", "Ms"),
        Column("first_name", True, "First name.", "Amira"),
        Column("last_name", True, "Last name.", "Khan"),
        Column("date_of_birth", False, "YYYY-MM-DD or DD/MM/YYYY; not in the future.", "1984-03-07"),
        Column("phone", False, "Phone number.", "07700 900123"),
        Column("email", False, "E-mail address.", "amira@example.org"),
        Column("preferred_contact", False, "phone, text, email, letter or in_person.", "text"),
        Column("preferred_language", False, "Preferred language.", "English"),
        Column("communication_needs", False, "Communication needs (large print, interpreter, BSL…).", ""),
        Column("reasonable_adjustments", False, "Reasonable adjustments agreed (WWH 2.0).", ""),
        Column(
            "vulnerabilities", False, "Vulnerability codes separated by ';' (special category data).", "mental_health"
        ),
        Column("warning_markers", False, "Staff-safety marker codes separated by ';'.", ""),
        Column("sex", False, "Equality monitoring (optional; pnp 8.2).", ""),
        Column("gender_identity_same_as_birth", False, "Equality monitoring (optional).", ""),
        Column("sexual_orientation", False, "Equality monitoring (optional).", ""),
        Column("ethnicity", False, "Equality monitoring (optional).", ""),
        Column("religion", False, "Equality monitoring (optional).", ""),
        Column("disability", False, "Equality monitoring (optional).", ""),
    ),
    clean=_clean_person,
)


# ---- tenancies ----------------------------------------------------------------------------------


def _clean_tenancy(data: dict[str, str], ctx: Context, errors: RowErrors) -> dict[str, Any]:
    property_ref = errors.required(data, "property_reference") or ""
    property_id = ctx.property_ids.get(property_ref)
    if property_ref and property_id is None:
        errors.add("property_reference", f"there is no property '{property_ref}'; import the properties first")
    kind = errors.required(data, "tenancy_type", lambda t: fields.choice_clean(t, TENANCY_TYPE_CHOICES, "tenancy type"))
    if kind and (kind in WELSH_TENANCY_TYPES) != (ctx.country == "wales") and kind != TenancyType.LEASE:
        if ctx.country == "wales":
            errors.add(
                "tenancy_type", f"'{kind}' is an English tenancy; in Wales use secure_contract or standard_contract"
            )
        else:
            errors.add("tenancy_type", f"'{kind}' is a Welsh occupation contract; this landlord is in England")
    starts = errors.required(data, "start_date", fields.date_clean)
    ends = errors.value(data, "end_date", fields.date_clean, None)
    if starts and ends and ends < starts:
        errors.add("end_date", f"the tenancy ends ({ends:%d/%m/%Y}) before it starts ({starts:%d/%m/%Y})")
    tenants = fields.list_clean(data.get("tenants", ""))
    members = fields.list_clean(data.get("household_members", ""))
    if not tenants:
        errors.add("tenants", "is empty; name at least one tenant by their person reference")
    for column, refs in (("tenants", tenants), ("household_members", members)):
        unknown = [r for r in refs if r not in ctx.person_ids]
        if unknown:
            errors.add(column, f"no person with the reference {', '.join(unknown)}; import the people first")
    both = sorted(set(tenants) & set(members))
    if both:
        errors.add("household_members", f"{', '.join(both)} is already named as a tenant")
    return {
        "reference": errors.required(data, "tenancy_reference", max_length=40) or "",
        "property_id": property_id,
        "tenancy_type": kind or "",
        "starts_on": starts,
        "ends_on": ends,
        "_tenants": [ctx.person_ids[r] for r in tenants if r in ctx.person_ids],
        "_members": [ctx.person_ids[r] for r in members if r in ctx.person_ids],
    }


TENANCIES = Layout(
    kind="tenancies",
    key="tenancy_reference",
    columns=(
        Column("tenancy_reference", True, "The landlord's tenancy reference; re-imports update by it.", "T009871"),
        Column("property_reference", True, "The property's reference (see the properties file).", "P000123"),
        Column(
            "tenancy_type",
            True,
            "assured, starter, introductory, secure, flexible, licence, lease; in Wales secure_contract or "
            "standard_contract.",
            "assured",
        ),
        Column("start_date", True, "YYYY-MM-DD or DD/MM/YYYY.", "2019-06-03"),
        Column("end_date", False, "Blank while the tenancy runs; not before the start.", ""),
        Column("tenants", True, "Person references of the tenants, separated by ';'.", "C004512"),
        Column("household_members", False, "Person references of the other household members.", "C004513; C004514"),
    ),
    clean=_clean_tenancy,
)

LAYOUTS: dict[str, Layout] = {layout.kind: layout for layout in (PATCHES, PROPERTIES, PEOPLE, TENANCIES)}
