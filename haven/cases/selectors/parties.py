"""Reading the people in a case, with what staff must know about each wherever they appear
(WWH 2.0: communication needs and reasonable adjustments "recorded and shared appropriately"),
and the staff-safety warning markers of the case (pnp "Red Flag procedure").

Everything is read in a bounded number of queries: the parties come from ``case_detail``'s
prefetch (``parties__person``), vulnerabilities in one query through the register's audited batch
read, markers in one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from haven.accounts.models import User
from haven.cases.models import Case, Party
from haven.register.models import Person, Tenancy, Vulnerability, WarningMarker
from haven.register.selectors import people_for_user, people_vulnerabilities, tenancies_for_user, warning_markers


@dataclass(frozen=True)
class PartyView:
    party: Party
    needs: list[str] = field(default_factory=list)  # the party's own and the register's, once each
    adjustments: str = ""
    vulnerabilities: list[Vulnerability] = field(default_factory=list)
    has_vulnerabilities: bool = False  # also for those who may not see what they are
    may_see_vulnerabilities: bool = False


def _sorted(case: Case) -> list[Party]:
    return sorted(case.parties.all(), key=lambda p: (p.removed_at is not None, p.pk))


def case_parties(*, user: User, case: Case, via: str = "web") -> list[PartyView]:
    """The case's parties, current first, each with their communication needs and adjustments (for
    all staff) and their vulnerabilities (only for ``can_view_special_category``; each shown
    person's view audited as VULNERABILITIES_VIEWED). ``case.parties`` should be prefetched with
    their persons."""
    parties = _sorted(case)
    current = [p for p in parties if p.removed_at is None]
    sensitive = people_vulnerabilities(user=user, person_ids=[p.person_id for p in current if p.person_id], via=via)
    rows = []
    for party in parties:
        person = party.person
        needs = [party.communication_needs] if party.communication_needs else []
        if person is not None and person.communication_needs and person.communication_needs not in needs:
            needs.append(person.communication_needs)
        shown = party.removed_at is None and party.person_id is not None
        rows.append(
            PartyView(
                party=party,
                needs=needs,
                adjustments=person.reasonable_adjustments if person is not None else "",
                vulnerabilities=sensitive.of(party.person_id) if shown else [],
                has_vulnerabilities=shown and party.person_id in sensitive.recorded,
                may_see_vulnerabilities=sensitive.allowed,
            )
        )
    return rows


def case_markers(*, user: User, case: Case) -> list[WarningMarker]:
    """The warning markers of the case's property and of every current party's register person, in
    one query: shown at the top of the case to whoever opens it (staff safety comes first)."""
    people = [p.person_id for p in case.parties.all() if p.person_id is not None and p.removed_at is None]
    return warning_markers(user=user, person_ids=people, property_ids=[case.property_id] if case.property_id else [])


def register_person(*, user: User, reference: str) -> Person | None:
    """A person of the user's landlord's register by their reference, or None."""
    reference = reference.strip()
    return people_for_user(user=user).filter(reference=reference).first() if reference else None


def register_tenancy(*, user: User, reference: str) -> Tenancy | None:
    reference = reference.strip()
    return tenancies_for_user(user=user).filter(reference=reference).first() if reference else None


def case_party(*, case: Case, party_id: int | str) -> Party | None:
    """One party of the case (from its prefetched parties), or None."""
    return next((p for p in case.parties.all() if str(p.pk) == str(party_id)), None)
