"""The cases at a property and a person's cases, shown on the register's pages (issue 3: "a
property page shows every case at that address; a person page every case they appear in and in
which role"). Registered from CasesConfig.ready; see haven.register.sections."""

from __future__ import annotations

from haven.accounts.models import User
from haven.accounts.permissions import is_landlord_staff
from haven.accounts.selectors import landlord_profile
from haven.cases.selectors import cases_for_property, person_case_roles
from haven.register.models import Person, Property
from haven.register.sections import Section, person_section, property_section


def _labels(user: User) -> dict[str, dict[str, str]]:
    assert user.landlord is not None
    profile = landlord_profile(user.landlord)
    return {
        "categories": {c.code: c.label for c in profile.categories},
        "tiers": {t.id: t.label for t in profile.triage.tiers},
    }


@property_section
def property_cases(user: User, prop: Property) -> Section | None:
    if not is_landlord_staff(user):
        return None
    labels = _labels(user)
    rows = [
        {"case": c, "roles": [], "category": labels["categories"].get(c.category, c.category),
         "tier": labels["tiers"].get(c.tier, c.tier)}
        for c in cases_for_property(user=user, property_id=prop.pk)
    ]  # fmt: skip
    return Section("cases/register_cases.html", {"title": "Cases at this address", "rows": rows, "roles": False})


@person_section
def person_cases(user: User, person: Person) -> Section | None:
    if not is_landlord_staff(user):
        return None
    labels = _labels(user)
    rows = [
        {"case": c, "roles": roles, "category": labels["categories"].get(c.category, c.category),
         "tier": labels["tiers"].get(c.tier, c.tier)}
        for c, roles in person_case_roles(user=user, person_id=person.pk)
    ]  # fmt: skip
    return Section("cases/register_cases.html", {"title": "Cases", "rows": rows, "roles": True})
