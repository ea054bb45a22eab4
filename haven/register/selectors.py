"""Every read of the register, scoped to the user's landlord (deny by default).

Special category data (vulnerabilities, equality answers) is read only through
:func:`person_sensitive`, which checks the role and writes an audit event for each view.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from haven.accounts.models import User
from haven.accounts.permissions import can_view_register, can_view_special_category
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.common.errors import ApplicationError
from haven.register.fields import postcode_clean
from haven.register.models import (
    EqualityMonitoring,
    ImportRun,
    Person,
    Property,
    Tenancy,
    TenancyMember,
    Vulnerability,
    WarningMarker,
)

SEARCH_LIMIT = 25


class NotFound(ApplicationError):
    """The record does not exist for this user (or is another landlord's: the same answer)."""


def _landlord(user: User) -> int:
    """The landlord whose register the user may read; anyone else is refused."""
    if not can_view_register(user) or user.landlord_id is None:
        raise NotFound("You do not have access to the register.")
    return user.landlord_id


@dataclass(frozen=True)
class SearchResults:
    query: str
    people: list[Any]  # Person, with current_memberships
    properties: list[Property]


def register_search(*, user: User, query: str, limit: int = SEARCH_LIMIT) -> SearchResults:
    """People and properties matching a name, address, postcode, UPRN or reference.

    References, UPRNs and postcodes match from their start (indexed); names match the start of the
    full name or of the last name; an address matches anywhere in it. Two queries, whatever the
    register's size.
    """
    landlord_id = _landlord(user)
    text = " ".join(query.split())[:100]
    if len(text) < 2:
        return SearchResults(query=text, people=[], properties=[])
    lower = text.lower()
    compact = re.sub(r"\s+", "", text).upper()
    property_match = Q(reference__istartswith=text) | Q(search_text__contains=lower)
    if compact.isdigit():
        property_match |= Q(uprn=compact.zfill(12)) | Q(uprn__endswith=compact)
    try:
        property_match |= Q(postcode=postcode_clean(text))
    except ValueError:
        if re.fullmatch(r"[A-Za-z]{1,2}[0-9][0-9A-Za-z]?", text):  # an outward code: "LE67"
            property_match |= Q(postcode__startswith=f"{text.upper()} ")
    properties = list(
        Property.objects.filter(property_match, landlord_id=landlord_id)
        .select_related("patch")
        .order_by("ended_on", "postcode", "address_line_1")[:limit]
    )
    person_match = Q(reference__istartswith=text) | Q(search_name__startswith=lower) | Q(last_name__istartswith=text)
    people = list(
        Person.objects.filter(person_match, landlord_id=landlord_id)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TenancyMember.objects.filter(tenancy__ends_on__isnull=True).select_related(
                    "tenancy__property"
                ),
                to_attr="current_memberships",
            )
        )
        .order_by("ended_on", "last_name", "first_name")[:limit]
    )
    return SearchResults(query=text, people=people, properties=properties)


def property_detail(*, user: User, reference: str) -> Property:
    """One property with its patch, area, markers and tenancies (current first) with households."""
    landlord_id = _landlord(user)
    try:
        return (
            Property.objects.select_related("patch__team", "patch__officer", "local_authority_area")
            .prefetch_related(
                "markers",
                Prefetch(
                    "tenancies",
                    queryset=Tenancy.objects.order_by("ends_on", "-starts_on").prefetch_related(
                        Prefetch("members", queryset=TenancyMember.objects.select_related("person"))
                    ),
                ),
            )
            .get(landlord_id=landlord_id, reference=reference)
        )
    except Property.DoesNotExist:
        raise NotFound(f"There is no property with the reference {reference}.") from None


def property_household_markers(prop: Property) -> list[WarningMarker]:
    """Warning markers on the property and on everyone in its current households."""
    people = [m.person_id for t in prop.tenancies.all() if t.ends_on is None for m in t.members.all()]
    markers = list(prop.markers.all())
    markers += list(WarningMarker.objects.filter(person_id__in=people).select_related("person"))
    return markers


def person_detail(*, user: User, reference: str, via: str = "web") -> Person:
    """One person with their tenancies and markers; no special category data (see person_sensitive).

    Viewing a person's record is audited: the register holds victims and alleged perpetrators.
    """
    landlord_id = _landlord(user)
    try:
        person = Person.objects.prefetch_related(
            "markers",
            Prefetch(
                "memberships",
                queryset=TenancyMember.objects.select_related("tenancy__property").order_by(
                    "tenancy__ends_on", "-tenancy__starts_on"
                ),
            ),
        ).get(landlord_id=landlord_id, reference=reference)
    except Person.DoesNotExist:
        raise NotFound(f"There is no person with the reference {reference}.") from None
    with transaction.atomic():
        audit_record(actor=user, verb=Verb.PERSON_VIEWED, target=person, label=person.reference, via=via)
    return person


@dataclass(frozen=True)
class Sensitive:
    allowed: bool
    has_vulnerabilities: bool
    vulnerabilities: list[Vulnerability]
    equality: EqualityMonitoring | None


def person_sensitive(*, user: User, person: Person, via: str = "web") -> Sensitive:
    """A person's vulnerabilities and equality answers, for the roles allowed; each view audited.

    Others learn only whether vulnerabilities are recorded, so that an adviser knows to take care
    and to pass the call to a case officer.
    """
    landlord_id = _landlord(user)
    if person.landlord_id != landlord_id:
        raise NotFound("There is no such person.")
    vulnerabilities = list(Vulnerability.objects.filter(person=person))
    if not can_view_special_category(user):
        return Sensitive(False, bool(vulnerabilities), [], None)
    equality = EqualityMonitoring.objects.filter(person=person).first()
    if vulnerabilities or equality:
        with transaction.atomic():
            audit_record(actor=user, verb=Verb.VULNERABILITIES_VIEWED, target=person, label=person.reference, via=via)
    return Sensitive(True, bool(vulnerabilities), vulnerabilities, equality)


def properties_for_user(*, user: User) -> QuerySet[Property]:
    landlord_id = _landlord(user)
    return Property.objects.filter(landlord_id=landlord_id).select_related("patch", "local_authority_area")


def people_for_user(*, user: User) -> QuerySet[Person]:
    landlord_id = _landlord(user)
    return Person.objects.filter(landlord_id=landlord_id)


def tenancies_for_user(*, user: User) -> QuerySet[Tenancy]:
    landlord_id = _landlord(user)
    return (
        Tenancy.objects.filter(landlord_id=landlord_id)
        .select_related("property")
        .prefetch_related(Prefetch("members", queryset=TenancyMember.objects.select_related("person")))
    )


def import_runs(*, user: User, limit: int = 20) -> list[ImportRun]:
    landlord_id = _landlord(user)
    return list(ImportRun.objects.filter(landlord_id=landlord_id).select_related("uploaded_by")[:limit])


def import_run(*, user: User, run_id: int) -> ImportRun:
    landlord_id = _landlord(user)
    try:
        return ImportRun.objects.select_related("uploaded_by").get(landlord_id=landlord_id, pk=run_id)
    except ImportRun.DoesNotExist:
        raise NotFound("There is no such import.") from None


def age_on(born: date | None, today: date | None = None) -> int | None:
    if born is None:
        return None
    today = today or timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@dataclass(frozen=True)
class PeopleSensitive:
    """Vulnerabilities of several people at once: ``allowed`` says whether the details may be shown;
    ``recorded`` holds the ids of the people with any recorded (what an adviser may know)."""

    allowed: bool
    recorded: frozenset[int]
    vulnerabilities: dict[int, list[Vulnerability]]

    def of(self, person_id: int | None) -> list[Vulnerability]:
        return self.vulnerabilities.get(person_id, []) if person_id is not None else []


def people_vulnerabilities(*, user: User, person_ids: Iterable[int], via: str = "web") -> PeopleSensitive:
    """The vulnerabilities of the given register people in one query, for pages that show several
    people (a case's parties, WWH 2.0: needs show wherever the person appears). As
    :func:`person_sensitive`: the details only for ``can_view_special_category``, each person's
    shown details audited (VULNERABILITIES_VIEWED); others learn only that some are recorded."""
    landlord_id = _landlord(user)
    ids = sorted({i for i in person_ids if i is not None})
    if not ids:
        return PeopleSensitive(can_view_special_category(user), frozenset(), {})
    rows = list(
        Vulnerability.objects.filter(person_id__in=ids, person__landlord_id=landlord_id)
        .select_related("person")
        .order_by("person_id", "kind")
    )
    found: dict[int, list[Vulnerability]] = {}
    for row in rows:
        found.setdefault(row.person_id, []).append(row)
    if not can_view_special_category(user):
        return PeopleSensitive(False, frozenset(found), {})
    if found:
        with transaction.atomic():
            for person_id in sorted(found):
                person = found[person_id][0].person
                audit_record(
                    actor=user, verb=Verb.VULNERABILITIES_VIEWED, target=person, label=person.reference, via=via
                )
    return PeopleSensitive(True, frozenset(found), found)


def warning_markers(
    *, user: User, person_ids: Iterable[int] = (), property_ids: Iterable[int] = ()
) -> list[WarningMarker]:
    """The staff-safety warning markers (pnp "Red Flag procedure") on any of the given people or
    properties of the user's landlord, as one query, address markers first."""
    landlord_id = _landlord(user)
    people = sorted({i for i in person_ids if i is not None})
    places = sorted({i for i in property_ids if i is not None})
    if not people and not places:
        return []
    return list(
        WarningMarker.objects.filter(Q(person_id__in=people) | Q(property_id__in=places), landlord_id=landlord_id)
        .select_related("person", "property")
        .order_by(F("person_id").asc(nulls_first=True), "kind", "pk")
    )
