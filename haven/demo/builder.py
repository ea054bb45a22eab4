"""Deterministic demo data: the five seed landlords, their staff, patches, properties and households.

Each landlord has its own ``random.Random(f"{seed}:{policy_id}")`` for staff, patches and
properties, and a second generator plus a seeded ``Faker("en_GB")`` for its people and tenancies,
so the same seed gives the same data on every machine, and adding people never moves an address.
Dates (births, tenancy starts) are drawn as ages and durations before ``today``, so a demo loaded
on another day holds the same people at the same ages.

Volume is a parameter (``properties_per_landlord``, ``haven demo --scale N``): every property gets
a current tenancy with its household, and every row is written with ``bulk_create`` in batches,
so the number of queries grows with the number of batches, never with the number of rows.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from haven.accounts.models import Landlord, Role, User
from haven.accounts.services import landlord_create, team_create, user_create
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.demo.casework import casework_generate
from haven.demo.households import Households
from haven.policies.registry import get_profile
from haven.register.importing.apply import _property_search_text
from haven.register.models import (
    LocalAuthorityArea,
    Patch,
    Property,
)

DEMO_PROFILES = ("whg", "wwh", "emh", "livv", "pnp")
DEMO_ROLES = ("adviser", "officer", "specialist", "manager", "auditor", "admin")
DEFAULT_PASSWORD = "haven-demo-2026"

# Where each landlord works: (local authority area, ONS code, postcode outward codes, towns).
GEOGRAPHY: dict[str, list[tuple[str, str, tuple[str, ...], str]]] = {
    "whg": [("Walsall", "E08000030", ("WS1", "WS2", "WS3", "WS5"), "Walsall")],
    "wwh": [
        ("Cardiff", "W06000015", ("CF5", "CF11", "CF14"), "Cardiff"),
        ("Flintshire", "W06000005", ("CH5", "CH7"), "Mold"),
    ],
    "emh": [
        ("North West Leicestershire", "E07000134", ("LE65", "LE67"), "Coalville"),
        ("Nottingham", "E06000018", ("NG5", "NG7"), "Nottingham"),
    ],
    "livv": [("Knowsley", "E08000011", ("L28", "L32", "L36"), "Kirkby")],
    "pnp": [("Cheshire East", "E06000049", ("SK10", "SK11"), "Macclesfield")],
}
STREETS = (
    "Oak",
    "Church",
    "Mill",
    "Station",
    "Park",
    "Victoria",
    "Albert",
    "Meadow",
    "Chapel",
    "Brook",
    "Elm",
    "Willow",
    "Beech",
    "Hawthorn",
    "Cedar",
    "Ash",
    "Rowan",
    "Holly",
    "Orchard",
    "Canal",
)
STREET_KINDS = ("Road", "Street", "Close", "Avenue", "Way", "Court", "Gardens", "Drive")
FIRST_NAMES = (
    "Amira",
    "Ben",
    "Chloe",
    "Dylan",
    "Eleri",
    "Farid",
    "Grace",
    "Harri",
    "Isla",
    "Jamal",
    "Kerry",
    "Liam",
    "Megan",
    "Nia",
    "Owen",
    "Priya",
    "Rhys",
    "Sian",
    "Tom",
    "Yusuf",
)
LAST_NAMES = (
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Green",
    "Hughes",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Patel",
    "Roberts",
    "Smith",
    "Taylor",
    "Walker",
    "Williams",
    "Wright",
)
TENURE_WEIGHTS = {
    "england": (
        ("social_rent", 70),
        ("affordable_rent", 15),
        ("starter", 5),
        ("shared_ownership", 6),
        ("leasehold", 4),
    ),
    "wales": (("secure_contract", 80), ("standard_contract", 20)),
}


@dataclass
class DemoResult:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, landlord
    properties: int = 0
    people: int = 0
    tenancies: int = 0


def demo_load(
    *,
    seed: int = 2026,
    properties_per_landlord: int = 40,
    password: str = DEFAULT_PASSWORD,
    profiles: tuple[str, ...] = DEMO_PROFILES,
    today: date | None = None,
) -> DemoResult:
    """Create the demo landlords that do not exist yet; existing ones are left as they are.

    ``properties_per_landlord`` homes per landlord, each with a current tenancy and its household.
    ``today`` anchors dates of birth and tenancy starts (the local date unless given).
    """
    result = DemoResult()
    today = today or timezone.localdate()
    for index, policy_id in enumerate(profiles):
        # One generator per landlord, so adding a landlord never changes the others' data.
        rng = random.Random(f"{seed}:{policy_id}")
        if Landlord.objects.filter(slug=policy_id).exists():
            result.skipped.append(policy_id)
        else:
            people = Households(policy_id=policy_id, seed=seed, today=today)
            result.properties += _load_landlord(policy_id, index, rng, properties_per_landlord, password, people)
            result.people += people.people
            result.tenancies += people.tenancies
            result.created.append(policy_id)
        name = get_profile(policy_id).landlord.name
        result.logins.extend((f"{policy_id}-{role}", Role(role).label, name) for role in DEMO_ROLES)
    return result


@transaction.atomic
def _load_landlord(
    policy_id: str, index: int, rng: random.Random, count: int, password: str, households: Households
) -> int:
    profile = get_profile(policy_id)
    actor = "haven demo"
    landlord = landlord_create(
        actor=actor, slug=policy_id, name=profile.landlord.name, policy_id=policy_id, via="command"
    )
    # The teams the profile routes cases to (routing): the default team takes officers; the first
    # specialist team (or "ASB team") takes the specialist and the manager.
    routing = profile.routing
    teams = {name: team_create(actor=actor, landlord=landlord, name=name, via="command") for name in routing.teams}
    housing_team = teams[routing.default_team]
    specialist_name = routing.specialist[0].team if routing.specialist else "ASB team"
    asb_team = teams.get(specialist_name) or team_create(
        actor=actor, landlord=landlord, name=specialist_name, via="command"
    )
    users: dict[str, User] = {}
    for role in DEMO_ROLES:
        team = asb_team if role in {"specialist", "manager"} else housing_team if role == "officer" else None
        users[role] = user_create(
            actor=actor,
            landlord=landlord,
            username=f"{policy_id}-{role}",
            role=Role(role),
            password=password,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            email=f"{policy_id}-{role}@demo.haven.invalid",
            team=team,
            via="command",
        )
    areas = [
        LocalAuthorityArea.objects.create(landlord=landlord, name=name, gss_code=code)
        for name, code, _, _ in GEOGRAPHY[policy_id]
    ]
    patches = [
        Patch.objects.create(
            landlord=landlord,
            code=f"{policy_id.upper()}-P{n}",
            name=f"{area.name} {part}",
            team=housing_team,
            officer=users["officer"],
            local_authority_area=area,
        )
        for n, (area, part) in enumerate(((a, p) for a in areas for p in ("North", "South")), start=1)
    ]
    households.landlord = landlord
    made = properties_generate(
        landlord=landlord, patches=patches, rng=rng, count=count, landlord_index=index, on_batch=households.add
    )
    reports = casework_generate(landlord=landlord, users=users, rng=rng)
    audit_record(
        actor=actor,
        verb=Verb.DEMO_LOADED,
        target=landlord,
        via="command",
        changes={
            "reports": [0, reports],
            "properties": [0, made],
            "users": [0, len(users)],
            "people": [0, households.people],
            "tenancies": [0, households.tenancies],
        },
    )
    return made


def properties_generate(
    *,
    landlord: Landlord,
    patches: list[Patch],
    rng: random.Random,
    count: int,
    landlord_index: int,
    batch_size: int = 2000,
    on_batch: Callable[[list[Property]], None] | None = None,
) -> int:
    """Bulk-create ``count`` plausible properties spread over the patches, in batches.

    ``on_batch`` is called with each batch once it is saved (so its properties have ids); the
    households use it. It must not draw from ``rng``: the addresses depend only on the seed.
    """
    country = get_profile(landlord.policy_id).landlord.country.value
    tenures, weights = zip(*TENURE_WEIGHTS[country], strict=True)
    geography = {area: (outwards, town) for area, _, outwards, town in GEOGRAPHY[landlord.slug]}
    areas = {a.name: a for a in LocalAuthorityArea.objects.filter(landlord=landlord)}
    batch: list[Property] = []

    def save() -> None:
        Property.objects.bulk_create(batch)
        if on_batch and batch:
            on_batch(batch)
        batch.clear()

    for n in range(count):
        patch = patches[n % len(patches)]
        area = patch.name.rsplit(" ", 1)[0]
        outwards, town = geography[area]
        tenure = rng.choices(tenures, weights)[0]
        home = Property(
            landlord=landlord,
            # Demo UPRNs start with 9 and carry the landlord's index so they never clash.
            uprn=f"9{landlord_index:02d}{n:09d}",
            reference=f"{landlord.slug.upper()}{n + 1:06d}",
            address_line_1=f"{rng.randint(1, 180)} {rng.choice(STREETS)} {rng.choice(STREET_KINDS)}",
            town=town,
            postcode=f"{rng.choice(outwards)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            patch=patch,
            local_authority_area=areas[area],
            tenure=tenure,
            counts_for_tsm=tenure != "leasehold",
        )
        home.search_text = _property_search_text(
            {f: getattr(home, f) for f in ("address_line_1", "address_line_2", "address_line_3", "town", "postcode")}
        )
        batch.append(home)
        if len(batch) >= batch_size:
            save()
    save()
    return count


# ---- households: people and tenancies ----------------------------------------------------------
