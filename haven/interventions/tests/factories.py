"""Shared test set-up for interventions, legal action and partnership: a noise case on any bundled
profile with its officer, a manager and the reported person, made the real way."""

from __future__ import annotations

from dataclasses import dataclass

from haven.accounts.models import Landlord, User
from haven.cases.models import Case, Party, PartyRole
from haven.cases.services.parties import case_party_add
from haven.cases.tests.any_profile import noise_case


@dataclass
class Setting:
    landlord: Landlord
    adviser: User
    officer: User
    manager: User
    case: Case
    reported: Party

    @property
    def reporter(self) -> Party:
        return self.case.parties.get(role=PartyRole.REPORTER)


def setting(policy_id: str, staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    """A case on ``policy_id``'s profile, its officer, a manager and a reported person."""
    landlord, adviser, officer = staff(policy_id)
    manager = make_user(landlord, "manager")
    case = noise_case(landlord, adviser, officer)
    reported = case_party_add(
        actor=officer, case=case, role=PartyRole.REPORTED, name="Dan Reid", address="Flat 4, 2 Mill Street"
    )
    case.refresh_from_db()
    return Setting(landlord, adviser, officer, manager, case, reported)
