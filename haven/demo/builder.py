"""Deterministic demo data: the five seed landlords, their staff, patches and properties.

Everything comes from one ``random.Random(seed)``, so the same seed gives the same data on
every machine, and later issues can add reports and cases on top. Volume is a parameter
(``properties_per_landlord``) and rows are written with ``bulk_create`` in batches, so a later
``--scale`` can generate large registers quickly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.db import transaction

from haven.accounts.models import Landlord, Role, User
from haven.accounts.services import landlord_create, team_create, user_create
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.policies.registry import get_profile
from haven.register.models import LocalAuthorityArea, Patch, Property

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


def demo_load(
    *,
    seed: int = 2026,
    properties_per_landlord: int = 40,
    password: str = DEFAULT_PASSWORD,
    profiles: tuple[str, ...] = DEMO_PROFILES,
) -> DemoResult:
    """Create the demo landlords that do not exist yet; existing ones are left as they are."""
    result = DemoResult()
    for index, policy_id in enumerate(profiles):
        # One generator per landlord, so adding a landlord never changes the others' data.
        rng = random.Random(f"{seed}:{policy_id}")
        if Landlord.objects.filter(slug=policy_id).exists():
            result.skipped.append(policy_id)
        else:
            result.properties += _load_landlord(policy_id, index, rng, properties_per_landlord, password)
            result.created.append(policy_id)
        name = get_profile(policy_id).landlord.name
        result.logins.extend((f"{policy_id}-{role}", Role(role).label, name) for role in DEMO_ROLES)
    return result


@transaction.atomic
def _load_landlord(policy_id: str, index: int, rng: random.Random, count: int, password: str) -> int:
    profile = get_profile(policy_id)
    actor = "haven demo"
    landlord = landlord_create(
        actor=actor, slug=policy_id, name=profile.landlord.name, policy_id=policy_id, via="command"
    )
    asb_team = team_create(actor=actor, landlord=landlord, name="ASB team", via="command")
    housing_team = team_create(actor=actor, landlord=landlord, name="Neighbourhood housing team", via="command")
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
        )
        for n, (area, part) in enumerate(((a, p) for a in areas for p in ("North", "South")), start=1)
    ]
    made = properties_generate(landlord=landlord, patches=patches, rng=rng, count=count, landlord_index=index)
    audit_record(
        actor=actor,
        verb=Verb.DEMO_LOADED,
        target=landlord,
        via="command",
        changes={"properties": [0, made], "users": [0, len(users)]},
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
) -> int:
    """Bulk-create ``count`` plausible properties spread over the patches, in batches."""
    country = get_profile(landlord.policy_id).landlord.country.value
    tenures, weights = zip(*TENURE_WEIGHTS[country], strict=True)
    geography = {area: (outwards, town) for area, _, outwards, town in GEOGRAPHY[landlord.slug]}
    areas = {a.name: a for a in LocalAuthorityArea.objects.filter(landlord=landlord)}
    batch: list[Property] = []
    for n in range(count):
        patch = patches[n % len(patches)]
        area = patch.name.rsplit(" ", 1)[0]
        outwards, town = geography[area]
        tenure = rng.choices(tenures, weights)[0]
        batch.append(
            Property(
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
        )
        if len(batch) >= batch_size:
            Property.objects.bulk_create(batch)
            batch.clear()
    Property.objects.bulk_create(batch)
    return count
