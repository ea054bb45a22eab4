"""Register pages: search, property and person.

Each page checks that the user is a member of a landlord's staff, calls the register selectors
(which scope every read by the user's landlord) and renders. Another landlord's record and a
record that does not exist get the same 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from haven.accounts.models import User
from haven.accounts.permissions import can_view_register
from haven.accounts.selectors import landlord_profile
from haven.register.sections import sections_for_person, sections_for_property
from haven.register.selectors import (
    SEARCH_LIMIT,
    NotFound,
    age_on,
    person_detail,
    person_sensitive,
    property_detail,
    property_household_markers,
    register_search,
)

MIN_QUERY_LENGTH = 2


def _no_access(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/no_landlord.html", status=403)


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


def search(request: HttpRequest) -> HttpResponse:
    """Find people and properties by name, address, postcode, UPRN or reference."""
    user = request.user
    if not isinstance(user, User) or not can_view_register(user):
        return _no_access(request)
    query = " ".join(request.GET.get("q", "").split())
    context: dict[str, object] = {"query": query, "too_short": False, "results": None, "limit": SEARCH_LIMIT}
    if query:
        results = register_search(user=user, query=query)
        context["results"] = results
        context["too_short"] = len(results.query) < MIN_QUERY_LENGTH
    return render(request, "register/search.html", context)


def property_page(request: HttpRequest, reference: str) -> HttpResponse:
    """A property with its staff-safety markers, current household and previous tenancies."""
    user = request.user
    if not isinstance(user, User) or not can_view_register(user) or user.landlord is None:
        return _no_access(request)
    try:
        prop = property_detail(user=user, reference=reference)
    except NotFound:
        return _not_found(request)
    profile = landlord_profile(user.landlord)
    # Tenancies come current first (property_detail); the page shows the two groups apart.
    tenancies = list(prop.tenancies.all())
    context = {
        "property": prop,
        "markers": property_household_markers(prop),
        "profile": profile,
        "tenure_in_scope": prop.tenure_in_scope(profile),
        "current_tenancies": [t for t in tenancies if t.ends_on is None],
        "previous_tenancies": [t for t in tenancies if t.ends_on is not None],
        "sections": sections_for_property(user, prop),
    }
    return render(request, "register/property.html", context)


def person_page(request: HttpRequest, reference: str) -> HttpResponse:
    """A person's contact details, markers and tenancies; vulnerabilities for the roles allowed."""
    user = request.user
    if not isinstance(user, User) or not can_view_register(user):
        return _no_access(request)
    try:
        person = person_detail(user=user, reference=reference)
        sensitive = person_sensitive(user=user, person=person)
    except NotFound:
        return _not_found(request)
    context = {
        "person": person,
        "age": age_on(person.date_of_birth),
        "markers": list(person.markers.all()),
        "memberships": list(person.memberships.all()),
        "sensitive": sensitive,
        "sections": sections_for_person(user, person),
    }
    return render(request, "register/person.html", context)
