"""Demo households: people, tenancies and their details, drawn from a seeded generator so the
register is the same for a seed (Faker en_GB names; realistic shares of vulnerabilities, markers and
equality answers)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from faker import Faker

from haven.accounts.models import Landlord
from haven.policies.registry import get_profile
from haven.register.models import (
    ContactMethod,
    EqualityMonitoring,
    HouseholdRole,
    MarkerKind,
    Person,
    Property,
    Tenancy,
    TenancyMember,
    TenancyType,
    Vulnerability,
    VulnerabilityKind,
    WarningMarker,
)

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
