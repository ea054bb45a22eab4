"""Who a new case goes to, by the landlord's profile (``routing``).

In order: a specialist team when the case carries a flag the profile routes (emh 3.5-3.6), else the
team the profile names for the tier (emh 4.1: the category decides the team), else the patch's team
and officer, else the profile's default team. Within a team, the patch officer when they are in it,
else the member with the fewest open cases (default: not in seed; the seeds name the team, not the
person): every case gets a named officer where one exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from haven.accounts.models import Landlord, Role, Team, User
from haven.cases.models import OPEN_STATUSES
from haven.policies.schema import PolicyProfile
from haven.register.models import Property

CASEWORKERS = (Role.OFFICER, Role.SPECIALIST, Role.MANAGER)


@dataclass(frozen=True)
class Route:
    team: Team | None
    officer: User | None
    procedure: str
    note: str


def route_case(
    *, landlord: Landlord, profile: PolicyProfile, tier_id: str, flags: set[str], property: Property | None
) -> Route:
    routing = profile.routing
    teams = {t.name.lower(): t for t in Team.objects.filter(landlord=landlord)}
    specialist = routing.specialist_for(flags)
    procedure = specialist.procedure or "" if specialist else ""
    patch = property.patch if property is not None and property.patch_id else None
    wanted: str | None = None
    why = ""
    if specialist:
        wanted, why = (
            specialist.team,
            f"{specialist.flag.value.replace('_', ' ')} cases go to {specialist.team} ({specialist.source})",
        )
    elif tier_id in routing.tier_teams:
        wanted, why = (
            routing.tier_teams[tier_id],
            f"{profile.tier(tier_id).label} cases go to {routing.tier_teams[tier_id]} ({routing.source})",
        )
    team = teams.get(wanted.lower()) if wanted else None
    if wanted and team is None:
        why += f"; this landlord has no team called {wanted}, so the case follows the patch"
    if team is None and patch is not None and patch.team_id:
        team = patch.team
        why = (why + "; " if why else "") + f"the property is in patch {patch.code}"
    if team is None:
        team = teams.get(routing.default_team.lower())
        why = (why + "; " if why else "") + f"the default team is {routing.default_team}"
    officer = _officer(
        landlord=landlord, team=team, patch_officer=patch.officer if patch and patch.officer_id else None
    )
    if officer is None:
        why += "; no case officer is available: a manager must allocate one"
    return Route(team=team, officer=officer, procedure=procedure, note=why[:300])


def _officer(*, landlord: Landlord, team: Team | None, patch_officer: User | None) -> User | None:
    if patch_officer is not None and patch_officer.is_active and (team is None or patch_officer.team_id == team.pk):
        return patch_officer
    staff = User.objects.filter(landlord=landlord, is_active=True)
    # Officers and specialists carry cases; a manager only when the landlord has nobody else.
    for people in (
        staff.filter(role__in=CASEWORKERS[:2], team=team) if team is not None else staff.none(),
        staff.filter(role__in=CASEWORKERS[:2]),
        staff.filter(role=Role.MANAGER),
    ):
        found = (
            people.annotate(open_cases=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES)))
            .order_by("open_cases", "username")
            .first()
        )
        if found is not None:
            return found
    return None
