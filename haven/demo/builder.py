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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker

from haven.accounts.models import Landlord, Role, User
from haven.accounts.services import landlord_create, team_create, user_create
from haven.audit.models import Verb
from haven.audit.services import audit_record
from haven.demo.casework import casework_generate
from haven.policies.registry import get_profile
from haven.register.importing.apply import _property_search_text
from haven.register.models import (
    ContactMethod,
    EqualityMonitoring,
    HouseholdRole,
    LocalAuthorityArea,
    MarkerKind,
    Patch,
    Person,
    Property,
    Tenancy,
    TenancyMember,
    TenancyType,
    Vulnerability,
    VulnerabilityKind,
    WarningMarker,
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

# Ofcom keeps 07700 900000 to 900999 for drama: numbers that reach nobody.
DRAMA_PHONE = "07700 900{:03d}"
EMAIL_DOMAIN = "example.org"  # RFC 2606: reaches nobody
# Other than English: (language, share of households). Wales has Welsh speakers (wwh).
LANGUAGES = {
    "wales": (("Welsh", 0.14), ("Polish", 0.01)),
    "england": (("Polish", 0.03), ("Urdu", 0.02), ("Punjabi", 0.02)),
}
TITLES = {"F": (("Ms", 40), ("Mrs", 35), ("Miss", 20), ("Dr", 2), ("Mx", 1)), "M": (("Mr", 97), ("Dr", 2), ("Mx", 1))}
CONTACT_WEIGHTS = (
    (ContactMethod.PHONE, 35),
    (ContactMethod.TEXT, 25),
    (ContactMethod.EMAIL, 20),
    (ContactMethod.LETTER, 15),
    (ContactMethod.IN_PERSON, 5),
)
ADJUSTMENTS = (
    "Calls after 10am",
    "Copy letters to their support worker",
    "Meet in a ground-floor room",
    "Extra time to reply to letters",
    "Explain decisions by phone as well as in writing",
)
VULNERABILITY_SHARE = 0.08  # of people, each with one or two
MARKER_SHARE = 0.025  # of adults: about 2% of people
EQUALITY_SHARE = 0.37  # of adults: about 30% of people answer the equality questions
VULNERABILITY_WEIGHTS = {
    "child": (
        (VulnerabilityKind.CHILD_OR_YOUNG_PERSON, 50),
        (VulnerabilityKind.LEARNING_DISABILITY, 15),
        (VulnerabilityKind.MENTAL_HEALTH, 15),
        (VulnerabilityKind.DOMESTIC_ABUSE, 10),
        (VulnerabilityKind.SENSORY, 5),
        (VulnerabilityKind.PHYSICAL_DISABILITY, 5),
    ),
    "adult": (
        (VulnerabilityKind.MENTAL_HEALTH, 30),
        (VulnerabilityKind.PHYSICAL_DISABILITY, 20),
        (VulnerabilityKind.LEARNING_DISABILITY, 10),
        (VulnerabilityKind.DOMESTIC_ABUSE, 10),
        (VulnerabilityKind.SENSORY, 8),
        (VulnerabilityKind.SUBSTANCE_MISUSE, 8),
        (VulnerabilityKind.PREVIOUS_VICTIM, 8),
        (VulnerabilityKind.SOCIAL_ISOLATION, 6),
    ),
    "older": (
        (VulnerabilityKind.OLDER_PERSON, 45),
        (VulnerabilityKind.PHYSICAL_DISABILITY, 25),
        (VulnerabilityKind.SENSORY, 15),
        (VulnerabilityKind.SOCIAL_ISOLATION, 15),
        (VulnerabilityKind.MENTAL_HEALTH, 5),
    ),
}
MARKER_WEIGHTS = (
    (MarkerKind.VERBAL_ABUSE, 30),
    (MarkerKind.VIOLENCE, 20),
    (MarkerKind.VISIT_IN_PAIRS, 20),
    (MarkerKind.DANGEROUS_ANIMAL, 15),
    (MarkerKind.NO_LONE_VISITS, 10),
    (MarkerKind.WEAPONS, 5),
)
MARKER_DETAILS: dict[str, str] = {
    MarkerKind.VERBAL_ABUSE: "Shouted at an officer on a home visit",
    MarkerKind.VIOLENCE: "Threatened an officer; police informed",
    MarkerKind.VISIT_IN_PAIRS: "Agreed with the neighbourhood team",
    MarkerKind.DANGEROUS_ANIMAL: "Large dog, not always kept in",
    MarkerKind.NO_LONE_VISITS: "Agreed with the ASB team",
    MarkerKind.WEAPONS: "Police intelligence",
}
# Census 2021 ethnic group wording (England and Wales), roughly as social housing tenants answer.
ETHNICITY_WEIGHTS = (
    ("White: English, Welsh, Scottish, Northern Irish or British", 72),
    ("White: Irish", 1),
    ("White: Any other White background", 4),
    ("Mixed or multiple ethnic groups: White and Black Caribbean", 2),
    ("Mixed or multiple ethnic groups: Any other Mixed background", 1),
    ("Asian or Asian British: Indian", 3),
    ("Asian or Asian British: Pakistani", 3),
    ("Asian or Asian British: Bangladeshi", 1),
    ("Black, Black British, Caribbean or African: African", 4),
    ("Black, Black British, Caribbean or African: Caribbean", 2),
    ("Other ethnic group: Arab", 1),
    ("Prefer not to say", 6),
)
ETHNICITY_BY_LANGUAGE = {
    "Welsh": "White: English, Welsh, Scottish, Northern Irish or British",
    "Polish": "White: Any other White background",
    "Urdu": "Asian or Asian British: Pakistani",
    "Punjabi": "Asian or Asian British: Indian",
}
RELIGION_WEIGHTS = (
    ("No religion", 45),
    ("Christian", 38),
    ("Muslim", 6),
    ("Hindu", 2),
    ("Sikh", 1),
    ("Buddhist", 1),
    ("Jewish", 1),
    ("Prefer not to say", 6),
)
RELIGION_BY_LANGUAGE = {"Polish": "Christian", "Urdu": "Muslim", "Punjabi": "Sikh"}
ORIENTATION_WEIGHTS = (
    ("Straight or heterosexual", 85),
    ("Gay or lesbian", 3),
    ("Bisexual", 2),
    ("Prefer not to say", 10),
)
DISABLING: frozenset[str] = frozenset(
    {
        VulnerabilityKind.PHYSICAL_DISABILITY,
        VulnerabilityKind.MENTAL_HEALTH,
        VulnerabilityKind.LEARNING_DISABILITY,
        VulnerabilityKind.SENSORY,
    }
)


def tenancy_type_for(tenure: str, country: str) -> str:
    """The tenancy a home at ``tenure`` is let on: Housing Act tenancies in England, contracts in Wales."""
    if tenure in {"shared_ownership", "leasehold"}:
        return TenancyType.LEASE
    if country == "wales":
        return TenancyType.STANDARD_CONTRACT if tenure == "standard_contract" else TenancyType.SECURE_CONTRACT
    return TenancyType.STARTER if tenure == "starter" else TenancyType.ASSURED


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _pick(rng: random.Random, weighted: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


class Households:
    """Generates a current tenancy and its household for each batch of saved properties.

    People come from their own ``random.Random`` and a ``Faker("en_GB")`` seeded from the landlord's
    seed, so they never disturb the property generator. Each batch is written with a fixed number
    of ``bulk_create`` calls (people, tenancies, members, vulnerabilities, markers, equality).
    """

    def __init__(self, *, policy_id: str, seed: int, today: date) -> None:
        self.rng = random.Random(f"{seed}:{policy_id}:people")
        self.fake = Faker("en_GB")
        self.fake.seed_instance(f"{seed}:{policy_id}")
        self.today = today
        self.prefix = policy_id.upper()
        self.country = get_profile(policy_id).landlord.country.value
        self.landlord: Landlord | None = None  # set once the landlord exists
        self.people = 0
        self.tenancies = 0

    # -- one batch ---------------------------------------------------------------------------

    def add(self, properties: list[Property]) -> None:
        assert self.landlord is not None
        tenancies: list[Tenancy] = []
        members: list[_Member] = []
        for home in properties:
            tenancy, household = self._household(home)
            tenancies.append(tenancy)
            for member in household:
                self.people += 1
                member.person.reference = f"{self.prefix}-C{self.people:07d}"
                member.tenancy = tenancy
            members.extend(household)
        Person.objects.bulk_create([m.person for m in members])  # the ids come back (RETURNING)
        Tenancy.objects.bulk_create(tenancies)
        TenancyMember.objects.bulk_create(
            [TenancyMember(tenancy=m.tenancy, person=m.person, role=m.role) for m in members]
        )
        vulnerabilities: list[Vulnerability] = []
        markers: list[WarningMarker] = []
        answers: list[EqualityMonitoring] = []
        for m in members:
            vulnerabilities.extend(Vulnerability(person=m.person, kind=kind) for kind in m.vulnerabilities)
            if m.marker:
                markers.append(
                    WarningMarker(
                        landlord=self.landlord, person=m.person, kind=m.marker, detail=MARKER_DETAILS[m.marker]
                    )
                )
            if m.equality:
                answers.append(self._equality(m))
        Vulnerability.objects.bulk_create(vulnerabilities)
        WarningMarker.objects.bulk_create(markers)
        EqualityMonitoring.objects.bulk_create(answers)

    # -- one household -----------------------------------------------------------------------

    def _household(self, home: Property) -> tuple[Tenancy, list[_Member]]:
        """One or two tenants and up to three other members, sharing a language and mostly a surname."""
        rng, fake = self.rng, self.fake
        language = self._language()
        lead_age = int(rng.triangular(19, 92, 42))
        lead_sex = rng.choice("FM")
        surname = fake.last_name()
        household = [self._person(lead_sex, surname, lead_age, language, HouseholdRole.TENANT)]
        youngest_tenant = lead_age
        if rng.random() < 0.35:  # joint tenants
            sex = lead_sex if rng.random() < 0.1 else ("M" if lead_sex == "F" else "F")
            age = max(18, lead_age + rng.randint(-6, 6))
            name = surname if rng.random() < 0.7 else fake.last_name()
            household.append(self._person(sex, name, age, language, HouseholdRole.TENANT))
            youngest_tenant = min(youngest_tenant, age)
        # Other members: the lead tenant's children, born when the lead tenant was 17 to 45 (in an
        # older household, grown-up children living at home).
        lowest, highest = max(0, lead_age - 45), min(lead_age - 18, 40)
        wanted = rng.choices((0, 1, 2, 3), (40, 25, 22, 13) if lead_age < 55 else (75, 20, 5, 0))[0]
        for _ in range(wanted if lowest <= highest else 0):
            age = rng.randint(lowest, highest)
            name = surname if rng.random() < 0.85 else fake.last_name()
            household.append(self._person(rng.choice("FM"), name, age, language, HouseholdRole.MEMBER))
        tenancy_type = tenancy_type_for(home.tenure, self.country)
        self.tenancies += 1
        tenancy = Tenancy(
            landlord=self.landlord,
            reference=f"{self.prefix}-T{self.tenancies:07d}",
            property=home,
            tenancy_type=tenancy_type,
            starts_on=self.today - timedelta(days=self._tenancy_days(tenancy_type, youngest_tenant)),
        )
        return tenancy, household

    def _tenancy_days(self, tenancy_type: str, youngest_tenant: int) -> int:
        rng = self.rng
        if tenancy_type == TenancyType.STARTER:
            return rng.randint(14, 340)  # a starter tenancy lasts 12 months
        if tenancy_type == TenancyType.STANDARD_CONTRACT:
            return rng.randint(30, 3 * 365)
        # Never before the youngest tenant turned 18, nor more than 40 years ago.
        most = max(60, min(40, youngest_tenant - 18) * 365)
        return int(rng.triangular(60, most, 60 + (most - 60) / 4))

    def _language(self) -> str:
        roll = self.rng.random()
        for language, share in LANGUAGES[self.country]:
            if roll < share:
                return language
            roll -= share
        return "English"

    def _person(self, sex: str, surname: str, age: int, language: str, role: str) -> _Member:
        rng, fake = self.rng, self.fake
        first = fake.first_name_female() if sex == "F" else fake.first_name_male()
        born = _years_before(self.today, age) - timedelta(days=rng.randint(0, 364))  # ``age`` today
        adult = age >= 18
        person = Person(
            landlord=self.landlord,
            title=_pick(rng, TITLES[sex]) if adult else "",
            first_name=first,
            last_name=surname,
            date_of_birth=born,
            preferred_language=language,
            search_name=f"{first} {surname}".lower()[:201],
        )
        if age >= 16:
            self._contact(person, age)
        needs: list[str] = []
        if rng.random() < (0.08 if age >= 70 else 0.015):
            needs.append("Large print letters")
        if rng.random() < 0.005:
            needs.append("BSL interpreter")
        if language not in {"English", "Welsh"} and adult and rng.random() < 0.4:
            needs.append(f"{language} interpreter")
        person.communication_needs = "; ".join(needs)
        if adult and rng.random() < 0.03:
            person.reasonable_adjustments = rng.choice(ADJUSTMENTS)
        kinds: list[str] = []
        if rng.random() < VULNERABILITY_SHARE:
            weights = VULNERABILITY_WEIGHTS["child" if age < 18 else "older" if age >= 70 else "adult"]
            kinds.append(_pick(rng, weights))
            if rng.random() < 0.3:
                second = _pick(rng, weights)
                if second not in kinds:
                    kinds.append(second)
        marker = _pick(rng, MARKER_WEIGHTS) if adult and rng.random() < MARKER_SHARE else None
        equality = adult and rng.random() < EQUALITY_SHARE
        return _Member(person, role, sex, kinds, marker, equality)

    def _contact(self, person: Person, age: int) -> None:
        rng = self.rng
        has_phone = rng.random() < (0.9 if age < 75 else 0.7)
        has_email = rng.random() < (0.6 if age < 65 else 0.3)
        if has_phone:
            person.phone = DRAMA_PHONE.format(rng.randrange(1000))
        if has_email:
            local = "".join(c for c in f"{person.first_name}.{person.last_name}".lower() if c.isalpha() or c == ".")
            person.email = f"{local}{rng.randint(1, 99)}@{EMAIL_DOMAIN}"
        allowed = [
            (method, weight)
            for method, weight in CONTACT_WEIGHTS
            if (has_phone or method not in {ContactMethod.PHONE, ContactMethod.TEXT})
            and (has_email or method != ContactMethod.EMAIL)
        ]
        person.preferred_contact = _pick(rng, allowed)

    def _equality(self, member: _Member) -> EqualityMonitoring:
        rng, person = self.rng, member.person
        language = person.preferred_language
        sex = {"F": "Female", "M": "Male"}[member.sex]

        def maybe(value: str) -> str:
            return value if rng.random() < 0.92 else ""  # an unanswered question stays blank

        ethnicity = ETHNICITY_BY_LANGUAGE.get(language) or _pick(rng, ETHNICITY_WEIGHTS)
        religion = RELIGION_BY_LANGUAGE.get(language) or _pick(rng, RELIGION_WEIGHTS)
        if DISABLING & set(member.vulnerabilities):
            disability = "Yes"
        else:
            disability = _pick(rng, (("No", 75), ("Yes", 15), ("Prefer not to say", 10)))
        return EqualityMonitoring(
            person=person,
            sex=maybe(sex if rng.random() < 0.97 else "Prefer not to say"),
            gender_identity_same_as_birth=maybe(_pick(rng, (("Yes", 95), ("No", 1), ("Prefer not to say", 4)))),
            sexual_orientation=maybe(_pick(rng, ORIENTATION_WEIGHTS)),
            ethnicity=maybe(ethnicity),
            religion=maybe(religion),
            disability=maybe(disability),
        )


@dataclass
class _Member:
    """A generated person, their place in the household, and what goes in the linked tables."""

    person: Person
    role: str
    sex: str  # "F" or "M": picks the first name, title and equality answer
    vulnerabilities: list[str]
    marker: str | None
    equality: bool
    tenancy: Tenancy | None = None
