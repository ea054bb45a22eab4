"""Extra sections of the property and person pages, given by apps that build on the register.

The register sits below cases in the dependency rule, so its pages cannot import cases. Instead an
app registers a section provider here (from its AppConfig.ready); the page asks every provider for
its section. A provider returns the template to include and its context, or None to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from haven.accounts.models import User
from haven.register.models import Person, Property


@dataclass(frozen=True)
class Section:
    template: str
    context: dict[str, Any]


PropertySection = Callable[[User, Property], Section | None]
PersonSection = Callable[[User, Person], Section | None]

_property_sections: list[PropertySection] = []
_person_sections: list[PersonSection] = []


def property_section(provider: PropertySection) -> PropertySection:
    if provider not in _property_sections:
        _property_sections.append(provider)
    return provider


def person_section(provider: PersonSection) -> PersonSection:
    if provider not in _person_sections:
        _person_sections.append(provider)
    return provider


def sections_for_property(user: User, prop: Property) -> list[Section]:
    return [s for s in (provider(user, prop) for provider in _property_sections) if s is not None]


def sections_for_person(user: User, person: Person) -> list[Section]:
    return [s for s in (provider(user, person) for provider in _person_sections) if s is not None]
