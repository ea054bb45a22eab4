"""Demo cases at scale (``haven demo --cases N``): many plausible cases, written in bulk.

The normal demo opens its few cases through the real services. That is far too slow for the
100,000 cases the case lists must stay quick with (issue 5), so this module writes the rows
directly, batch by batch, with ``bulk_create``. It therefore computes, the same way the services
do, the fields they would store:

- ``flags`` are the category's flags (``case_flags``; emh 3.4-3.6), kept as ``CaseFlag`` rows
  too, and ``restricted`` follows the restricting flags (domestic abuse, staff targeted,
  safeguarding);
- ``response_due_at`` is the tier's response target in the landlord's working time (emh 4.2:
  high within 24 working hours; whg 2.5: five working days) and ``action_plan_due_at`` the
  profile's ``casework.action_plan_within`` after the report (pnp 5.1);
- the team and officer follow the profile's routing (specialist teams by flag, teams by tier,
  else the patch's team and officer);
- ``next_contact_due_at`` is the last contact with the reporter plus the contact plan's interval
  (whg 2.5), ``last_activity_at`` the latest recorded work (WWH 5.0), and ``next_due_at`` what
  ``cases.services.case_next_due`` would give.

References come from the same counters ``haven.common.sequences.sequence_next`` uses
(``case:{landlord}:{year}``): each batch locks the counter rows, takes the next numbers and moves
the counters on, so a case opened afterwards through the services gets a new reference.

The data depend only on the seed, the landlord, the number of cases and ``now``. Each batch is
its own transaction and nothing is kept between batches, so memory does not grow with the count.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Landlord, Role, Team, User
from haven.accounts.selectors import landlord_calendar, landlord_profile
from haven.accounts.services import user_create
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.cases.models import Case, CaseStatus, HateStrand
from haven.cases.services import case_flags
from haven.common.models import Sequence
from haven.common.working_time import WorkingCalendar
from haven.demo.scale_rows import Batch, CaseStory, story_for
from haven.policies.schema import RESTRICTING_FLAGS, Category, PolicyProfile
from haven.register.models import Patch, Property, TenancyMember

SPAN = timedelta(days=730)  # cases opened over the last two years
EXTRA_OFFICERS = 5  # besides <slug>-officer, so "My cases" is a realistic share of the landlord's
ACTOR = "haven demo"
HATE_STRANDS = [HateStrand.RACE, HateStrand.RELIGION, HateStrand.SEXUAL_ORIENTATION, HateStrand.DISABILITY,
                HateStrand.TRANSGENDER]  # fmt: skip
HATE_WEIGHTS = [55, 12, 12, 14, 7]


def _category_weight(category: Category) -> int:
    """How common a category is (default: not in seed; roughly the shape of the seeds' KPI
    returns: noise first, then nuisance and crime, few hate and domestic abuse cases)."""
    flags = {f.value for f in category.flags}
    for flag, weight in (("staff_targeted", 1), ("domestic_abuse", 2), ("safeguarding", 2), ("hate", 3),
                         ("violence", 5), ("noise", 24), ("environmental", 8), ("crime", 7)):  # fmt: skip
        if flag in flags:
            return weight
    return 6


@dataclass
class Home:
    property_id: int
    patch_id: int | None
    postcode: str
    address: str
    tenancy_id: int | None = None
    person_id: int | None = None


@dataclass
class World:
    """What one landlord's cases are drawn from, loaded once (a few queries) per run."""

    landlord: Landlord
    profile: PolicyProfile
    calendar: WorkingCalendar
    officers: list[User]
    specialist: User
    manager: User
    teams: dict[str, Team]
    patches: dict[int, Patch]
    homes: list[Home]
    categories: list[Category]
    weights: list[int]
    tiers: list[str]  # tiers that open a case, least serious first
    partners: list[str]

    @property
    def default_team(self) -> Team | None:
        return self.teams.get(self.profile.routing.default_team.lower())


def _staff(landlord: Landlord, teams: dict[str, Team], profile: PolicyProfile) -> dict[str, list[User]]:
    """The demo's officer, specialist and manager, plus a few more officers in the default team
    (made once, through ``user_create``, without a password: they cannot sign in)."""
    users = {u.username: u for u in User.objects.filter(landlord=landlord).select_related("team")}
    slug = landlord.slug
    team = teams.get(profile.routing.default_team.lower())
    for n in range(2, EXTRA_OFFICERS + 2):
        name = f"{slug}-officer{n}"
        if name not in users:
            users[name] = user_create(
                actor=ACTOR, landlord=landlord, username=name, role=Role.OFFICER, password=None,
                first_name="Demo", last_name=f"Officer {n}", email=f"{name}@demo.haven.invalid",
                team=team, via="command",
            )  # fmt: skip
    officers = [u for u in users.values() if u.role == Role.OFFICER and u.is_active]
    if not officers:
        raise ValueError(
            f"{slug} has no case officers to give demo cases to; add one, or load the demo into an empty database."
        )

    def one(role: Role) -> list[User]:
        found = [u for u in users.values() if u.role == role and u.is_active]
        return found or officers

    return {
        "officers": sorted(officers, key=lambda u: u.username),
        "specialist": sorted(one(Role.SPECIALIST), key=lambda u: u.username),
        "manager": sorted(one(Role.MANAGER), key=lambda u: u.username),
    }


def world_load(landlord: Landlord) -> World:
    profile = landlord_profile(landlord)
    teams = {t.name.lower(): t for t in Team.objects.filter(landlord=landlord)}
    staff = _staff(landlord, teams, profile)
    homes = {
        pk: Home(pk, patch_id, postcode, address)
        for pk, patch_id, postcode, address in Property.objects.filter(landlord=landlord)
        .order_by("pk")
        .values_list("pk", "patch_id", "postcode", "address_line_1")
    }
    tenants = (
        TenancyMember.objects.filter(tenancy__landlord=landlord, role="tenant", tenancy__ends_on__isnull=True)
        .order_by("tenancy__property_id", "pk")
        .values_list("tenancy__property_id", "tenancy_id", "person_id")
    )
    for property_id, tenancy_id, person_id in tenants:
        home = homes.get(property_id)
        if home is not None and home.person_id is None:
            home.tenancy_id, home.person_id = tenancy_id, person_id
    categories = list(profile.categories)
    tiers = sorted((t for t in profile.triage.tiers if t.opens_case), key=lambda t: t.rank)
    return World(
        landlord=landlord,
        profile=profile,
        calendar=landlord_calendar(landlord),
        officers=staff["officers"],
        specialist=staff["specialist"][0],
        manager=staff["manager"][0],
        teams=teams,
        patches={p.pk: p for p in Patch.objects.filter(landlord=landlord).select_related("team")},
        homes=list(homes.values()),
        categories=categories,
        weights=[_category_weight(c) for c in categories],
        tiers=[t.id for t in tiers],
        partners=[p.code for p in profile.partners if p.kind == "agency"],
    )


# ---- one case ------------------------------------------------------------------------------------


def _tier(world: World, category: Category, rng: random.Random) -> str:
    """The category's default tier where the profile gives one (WWH 3.0; emh 4.1), the most
    serious tier for violence, hate and domestic abuse, else mostly the least serious, with some
    raised by the risk screen (emh 4.2)."""
    tiers = world.tiers
    flags = {f.value for f in category.flags}
    if category.default_tier and category.default_tier in tiers:
        tier = category.default_tier
    elif flags & {"violence", "hate", "domestic_abuse", "safeguarding"}:
        tier = tiers[-1]
    else:
        tier = rng.choices(tiers, [60, 28, 12][: len(tiers)] if len(tiers) <= 3 else None)[0]
    if rng.random() < 0.08:  # a yes to a vulnerability question raises the tier (emh 4.2)
        tier = tiers[-1]
    return tier


def _route(
    world: World, tier: str, flags: set[str], home: Home | None, rng: random.Random
) -> tuple[Team | None, User, str]:
    """The team and officer as ``cases.routing.route_case`` chooses them: a specialist team by
    flag (emh 3.5-3.6), a team by tier (emh 4.1), else the patch's team and officer."""
    routing = world.profile.routing
    special = routing.specialist_for(flags)
    wanted = special.team if special else routing.tier_teams.get(tier)
    if wanted and wanted.lower() in world.teams:
        worker = world.specialist if rng.random() < 0.85 else world.manager
        return world.teams[wanted.lower()], worker, (special.procedure or "") if special else ""
    patch = world.patches.get(home.patch_id) if home and home.patch_id else None
    team = patch.team if patch and patch.team_id else world.default_team
    if patch and patch.officer_id and rng.random() < 0.35:
        officer = next((o for o in world.officers if o.pk == patch.officer_id), world.officers[0])
    else:
        officer = rng.choice(world.officers)
    return team, officer, ""


def case_draw(world: World, n: int, count: int, now: datetime, rng: random.Random) -> CaseStory:
    """The ``n``th of ``count`` cases, opened in order over the last two years."""
    profile = world.profile
    slot = SPAN / count
    opened = now - SPAN + slot * n + slot * rng.random()
    local = timezone.localtime(opened)
    hour = rng.choices(range(7, 23), [2, 5, 8, 8, 7, 6, 6, 6, 6, 5, 5, 5, 4, 3, 2, 1])[0]
    # In UTC, so that later arithmetic is in elapsed time, as on values read back from the database.
    opened = min(local.replace(hour=hour, minute=rng.randrange(60)), now - timedelta(minutes=10)).astimezone(UTC)
    category = rng.choices(world.categories, world.weights)[0]
    extra = {"vulnerable_reporter"} if rng.random() < 0.07 else set()
    flags = case_flags(profile=profile, category_code=category.code, extra=extra)
    tier = _tier(world, category, rng)
    home = rng.choice(world.homes) if world.homes and rng.random() < 0.92 else None
    team, officer, procedure = _route(world, tier, set(flags), home, rng)
    target = profile.tier(tier).response_target
    plan_within = profile.casework.action_plan_within
    case = Case(
        landlord=world.landlord,
        status=CaseStatus.OPEN,
        category=category.code,
        tier=tier,
        flags=flags,
        restricted=bool(set(flags) & {f.value for f in RESTRICTING_FLAGS}),
        property_id=home.property_id if home else None,
        patch_id=home.patch_id if home else None,
        postcode=home.postcode if home else "",
        location="" if home else rng.choice(["The park behind the shops", "The garages on the estate",
                                             "The bus stop by the school", "The alley behind the flats"]),
        hate_strands=[rng.choices(HATE_STRANDS, HATE_WEIGHTS)[0].value] if "hate" in flags else [],
        team=team,
        officer=officer,
        routing_note="demo data (haven demo --cases)",
        procedure=procedure[:200],
        opened_at=opened,
        response_due_at=world.calendar.due_at(opened, target.amount, target.unit).astimezone(UTC),
        action_plan_due_at=world.calendar.due_at(opened, plan_within.amount, plan_within.unit).astimezone(UTC),
        policy_id=profile.id,
        policy_version=profile.version,
    )  # fmt: skip
    return story_for(world, case, home, now, rng)


# ---- the run ------------------------------------------------------------------------------------


def _number(batch: list[CaseStory], landlord: Landlord) -> None:
    """Give each case the next reference of its year, moving the counters sequence_next uses."""
    years = sorted({timezone.localtime(s.case.opened_at).year for s in batch})
    last: dict[int, Sequence] = {}
    for year in years:
        key = f"case:{landlord.pk}:{year}"
        Sequence.objects.get_or_create(key=key)
        last[year] = Sequence.objects.select_for_update().get(key=key)
    for story in batch:
        row = last[timezone.localtime(story.case.opened_at).year]
        row.last += 1
        story.case.reference = f"ASB-{row.key.rsplit(':', 1)[1]}-{row.last:06d}"
    for row in last.values():
        row.save(update_fields=["last"])


@dataclass
class ScaleResult:
    cases: int = 0
    closed: int = 0
    rows: Counter[str] = field(default_factory=Counter)


def cases_generate(
    *, landlord: Landlord, count: int, seed: int = 2026, now: datetime | None = None, batch_size: int = 2000
) -> ScaleResult:
    """Add ``count`` demo cases to ``landlord`` (which must have the demo's staff), with their
    parties, contacts, contact plans, flag rows, incidents, action plans and actions."""
    now = now or timezone.now()
    rng = random.Random(f"{seed}:cases:{landlord.slug}:{count}")
    world = world_load(landlord)
    result = ScaleResult()
    for start in range(0, count, batch_size):
        stories = [case_draw(world, n, count, now, rng) for n in range(start, min(count, start + batch_size))]
        with transaction.atomic():
            _number(stories, landlord)
            written = Batch(stories).write()
        result.cases += len(stories)
        result.closed += sum(1 for s in stories if s.case.status == CaseStatus.CLOSED)
        result.rows.update(written)
    with transaction.atomic():
        audit_record(
            actor=ACTOR, verb=Verb.DEMO_LOADED, target=landlord, via="command",
            changes={k: [0, v] for k, v in sorted(result.rows.items())},
        )  # fmt: skip
    return result
