"""``haven demo``: the five landlords, users named <profile>-<role>, deterministic (issue 2, item 8),
and a realistic register: every home let on a current tenancy to a household of plausible people."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from haven.accounts.models import Landlord, User
from haven.cases.models import Action, ActionPlan, Case, Note, RiskAssessment
from haven.demo.builder import DEMO_PROFILES, DEMO_ROLES, demo_load
from haven.register.importing.apply import _property_search_text
from haven.register.models import (
    EqualityMonitoring,
    HouseholdRole,
    Patch,
    Person,
    Property,
    Tenancy,
    TenancyMember,
    Vulnerability,
    WarningMarker,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
TODAY = date(2026, 11, 23)


def test_demo_creates_five_landlords_with_every_role_and_their_properties() -> None:
    result = demo_load(seed=7, properties_per_landlord=12)
    assert sorted(result.created) == sorted(DEMO_PROFILES)
    assert {landlord.policy_id for landlord in Landlord.objects.all()} == set(DEMO_PROFILES)
    expected = {f"{p}-{r}" for p in DEMO_PROFILES for r in DEMO_ROLES}
    assert set(User.objects.values_list("username", flat=True)) == expected
    assert User.objects.get(username="emh-officer").check_password("haven-demo-2026")
    assert Property.objects.count() == 12 * len(DEMO_PROFILES)
    # wwh is in Wales: occupation contracts, not English tenancies (Renting Homes (Wales) Act 2016).
    assert set(Property.objects.filter(landlord__slug="wwh").values_list("tenure", flat=True)) <= {
        "secure_contract",
        "standard_contract",
    }


def test_demo_is_deterministic_for_a_seed_and_safe_to_run_twice() -> None:
    demo_load(seed=2026, properties_per_landlord=3)
    first = list(
        Property.objects.filter(landlord__slug="emh")
        .order_by("reference")
        .values_list("reference", "address_line_1", "postcode")
    )
    again = demo_load(seed=2026, properties_per_landlord=3)
    assert again.created == [] and sorted(again.skipped) == sorted(DEMO_PROFILES)
    assert Property.objects.count() == 3 * len(DEMO_PROFILES)
    # The same seed gives the same data on any machine: this pins seed 2026's first emh homes.
    assert first == PINNED_EMH_2026


PINNED_EMH_2026 = [
    ("EMH000001", "71 Ash Gardens", "LE67 4YT"),
    ("EMH000002", "165 Hawthorn Drive", "LE65 3SD"),
    ("EMH000003", "81 Hawthorn Drive", "NG7 9ZG"),
]


# ---- the register: properties, people, tenancies ---------------------------------------------


def test_every_home_is_let_on_one_current_tenancy_to_a_plausible_household() -> None:
    result = demo_load(seed=7, properties_per_landlord=30, today=TODAY)
    homes = Property.objects.count()
    assert result.tenancies == Tenancy.objects.count() == homes == 30 * len(DEMO_PROFILES)
    assert result.people == Person.objects.count() == TenancyMember.objects.count()
    assert homes * 1.5 <= result.people <= homes * 4  # 1-2 tenants and 0-3 others per home
    assert not Tenancy.objects.exclude(ends_on=None).exists()
    assert Counter(Tenancy.objects.values_list("property_id", flat=True)).most_common(1)[0][1] == 1
    assert not Patch.objects.filter(local_authority_area=None).exists()

    born = dict(Person.objects.values_list("id", "date_of_birth"))
    households: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"tenant": [], "member": []})
    for tenancy_id, person_id, role in TenancyMember.objects.values_list("tenancy_id", "person_id", "role"):
        households[tenancy_id][role].append(person_id)
    starts = dict(Tenancy.objects.values_list("id", "starts_on"))
    for tenancy_id, household in households.items():
        assert 1 <= len(household[HouseholdRole.TENANT]) <= 2
        assert 0 <= len(household[HouseholdRole.MEMBER]) <= 3
        tenants = [born[p] for p in household[HouseholdRole.TENANT]]
        assert all(_age(b, starts[tenancy_id]) >= 18 for b in tenants), "a tenant under 18 at the start"
        lead = min(tenants)  # the eldest tenant
        for member in household[HouseholdRole.MEMBER]:
            assert _age(lead, born[member]) >= 17, "a child born before its parent was 17"

    for person in Person.objects.all():
        assert re.fullmatch(r"[A-Z]{3,4}-C\d{7}", person.reference)
        assert person.first_name and person.last_name
        assert person.search_name == f"{person.first_name} {person.last_name}".lower()
        assert person.date_of_birth is not None and date(1900, 1, 1) < person.date_of_birth <= TODAY
        assert not person.phone or re.fullmatch(r"07700 900\d{3}", person.phone)  # Ofcom's drama range
        assert not person.email or person.email.endswith("@example.org")
        if _age(person.date_of_birth, TODAY) < 16:
            assert not person.phone and not person.email and not person.preferred_contact and not person.title
    for home in Property.objects.all():
        assert re.fullmatch(r"\d{12}", home.uprn)
        assert home.search_text == _property_search_text(home.__dict__)
    assert all(re.fullmatch(r"[A-Z]{3,4}-T\d{7}", ref) for ref in Tenancy.objects.values_list("reference", flat=True))
    assert Tenancy.objects.get(reference="EMH-T0000001").property.reference == "EMH000001"


def test_the_first_emh_home_has_a_current_tenancy_with_a_tenant() -> None:
    demo_load(properties_per_landlord=3)  # the defaults `haven demo` uses, as the page tests do
    tenancy = Tenancy.objects.get(property__reference="EMH000001", ends_on=None)
    assert tenancy.members.filter(role=HouseholdRole.TENANT).exists()


def test_tenancies_are_the_kind_the_country_and_tenure_call_for() -> None:
    demo_load(seed=3, properties_per_landlord=80, profiles=("wwh", "emh"), today=TODAY)
    wales = dict(Counter(Tenancy.objects.filter(landlord__slug="wwh").values_list("property__tenure", "tenancy_type")))
    # Renting Homes (Wales) Act 2016: occupation contracts that match the home's contract.
    assert set(wales) <= {("secure_contract", "secure_contract"), ("standard_contract", "standard_contract")}
    assert ("secure_contract", "secure_contract") in wales
    england = set(Tenancy.objects.filter(landlord__slug="emh").values_list("property__tenure", "tenancy_type"))
    assert england <= {
        ("social_rent", "assured"),
        ("affordable_rent", "assured"),
        ("starter", "starter"),
        ("shared_ownership", "lease"),
        ("leasehold", "lease"),
    }
    assert ("social_rent", "assured") in england
    for starts_on in Tenancy.objects.filter(tenancy_type="starter").values_list("starts_on", flat=True):
        assert (TODAY - starts_on).days < 365  # a starter tenancy lasts a year


def test_people_carry_needs_languages_and_special_category_data_in_plausible_shares() -> None:
    result = demo_load(seed=2026, properties_per_landlord=700, profiles=("wwh", "emh"), today=TODAY)
    people = Person.objects.count()
    assert people == result.people > 2000
    vulnerable = Vulnerability.objects.values("person").distinct().count()
    assert 0.05 < vulnerable / people < 0.11  # about 8%
    per_person = Counter(Vulnerability.objects.values_list("person_id", flat=True))
    assert set(per_person.values()) == {1, 2}
    marked = WarningMarker.objects.values("person").distinct().count()
    assert 0.01 < marked / people < 0.035  # about 2%
    assert WarningMarker.objects.filter(property=None).count() == WarningMarker.objects.count()
    assert 0.22 < EqualityMonitoring.objects.count() / people < 0.38  # about 30%

    languages = Counter(Person.objects.values_list("landlord__slug", "preferred_language"))
    assert languages[("wwh", "Welsh")] > 0 and languages[("emh", "Welsh")] == 0
    assert all(languages[("emh", other)] > 0 for other in ("Polish", "Urdu", "Punjabi"))
    needs = " ".join(Person.objects.values_list("communication_needs", flat=True))
    assert "Large print letters" in needs and "BSL interpreter" in needs
    assert {"phone", "text", "email", "letter"} <= set(Person.objects.values_list("preferred_contact", flat=True))


def _load_and_read_people(seed: int) -> list[tuple[str, ...]]:
    with transaction.atomic():
        demo_load(seed=seed, properties_per_landlord=15, today=TODAY)
        people = list(
            Person.objects.order_by("reference").values_list("reference", "first_name", "last_name", "date_of_birth")
        )
        transaction.set_rollback(True)  # the next load starts from an empty register again
    return people


def test_the_same_seed_gives_the_same_people_and_another_seed_other_people() -> None:
    first, again, other = _load_and_read_people(5), _load_and_read_people(5), _load_and_read_people(6)
    assert first and first == again
    assert [p[1:3] for p in first] != [p[1:3] for p in other[: len(first)]]


def test_the_demo_takes_queries_per_batch_never_per_row() -> None:
    def queries(count: int) -> int:
        # Counted by a wrapper, not CaptureQueriesContext: that keeps only the last 9,000 queries,
        # and the demo makes more, so two runs would look alike whatever they did.
        made = 0

        def counted(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            nonlocal made
            made += 1
            return execute(sql, params, many, context)

        with transaction.atomic(), connection.execute_wrapper(counted):
            demo_load(seed=1, properties_per_landlord=count, today=TODAY)
            transaction.set_rollback(True)
        return made

    small, large = queries(20), queries(200)
    # Ten times the homes (900 more, with about 1,900 more people and their tenancies): a query per
    # row would add thousands; bulk inserts in batches add a few per batch (SQLite's 999-parameter
    # limit makes batches of about 60 rows; PostgreSQL writes each batch in one).
    extra_homes = 180 * len(DEMO_PROFILES)
    assert large - small < extra_homes / 10, (small, large)


def test_the_command_rejects_a_negative_scale() -> None:
    with pytest.raises(CommandError, match="--scale must be 0 or more"):
        call_command("demo", "--scale", "-1")


def test_the_command_gives_the_same_people_in_two_fresh_databases(tmp_path: Path) -> None:
    """``haven demo --scale N`` twice, in two new SQLite databases (``--properties`` is the old name)."""
    found = []
    for number, option in enumerate(("--scale", "--properties")):
        database = tmp_path / f"demo{number}.sqlite3"
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
        env.update(
            {
                "HAVEN_MODE": "test",
                "HAVEN_VAR_DIR": str(tmp_path / f"var{number}"),
                "DATABASE_URL": f"sqlite:///{database}",
            }
        )
        haven = [sys.executable, "-m", "haven.cli"]
        subprocess.run([*haven, "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
        shown = subprocess.run(
            [*haven, "demo", "--seed", "11", option, "4"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
            text=True,
            capture_output=True,
        ).stdout
        with sqlite3.connect(database) as db:
            people = db.execute(
                "SELECT reference, first_name, last_name FROM register_person ORDER BY reference"
            ).fetchall()
            tenancies = db.execute("SELECT count(*) FROM register_tenancy").fetchone()[0]
        assert f"Created {len(people)} people and {tenancies} tenancies." in shown
        assert tenancies == 4 * len(DEMO_PROFILES)
        found.append(people)
    assert found[0] and found[0] == found[1]


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_every_demo_landlord_has_a_worked_case_and_one_still_waiting_for_its_plan() -> None:
    """The workspace in the demo (haven/demo/workspace.py): an answered case with a full risk
    assessment, an agreed action plan with actions, an incident and notes, for every profile; the
    other cases have no plan yet, so the plan's clock (casework.action_plan_within) runs on them."""
    demo_load(seed=7, properties_per_landlord=6)
    for landlord in Landlord.objects.all():
        cases = Case.objects.filter(landlord=landlord)
        worked = cases.filter(action_plan__isnull=False)
        assert worked.count() == 1, landlord.slug
        case = worked.get()
        assert RiskAssessment.objects.filter(case=case).exists(), landlord.slug
        assert Action.objects.filter(case=case).count() == 2 and Note.objects.filter(case=case, sensitive=True).exists()
        assert case.incidents.count() == 1
        assert cases.filter(action_plan__isnull=True, action_plan_due_at__isnull=False).exists(), landlord.slug
    assert ActionPlan.objects.count() == len(DEMO_PROFILES)


def test_every_demo_landlord_shows_interventions_legal_action_and_partnership() -> None:
    """The interventions in the demo (haven/demo/interventions.py), for every profile: a support tool
    beside any enforcement one (emh 4.10), an agreement with terms where the profile has one, a
    referral, a Part 1 injunction assessed for proportionality and waiting for approval (emh 4.9), and
    a disclosure under a sharing agreement where the profile names the police (emh 6.3-6.4)."""
    from haven.interventions.models import InformationShare, LegalAction, Referral

    demo_load(seed=7, properties_per_landlord=6)
    for landlord in Landlord.objects.all():
        case = Case.objects.get(landlord=landlord, action_plan__isnull=False)
        tracks = set(case.interventions.values_list("track", flat=True))
        assert "support" in tracks, landlord.slug
        agreement = case.interventions.filter(agreement=True).first()
        assert agreement is None or agreement.terms.count() == 3
        assert Referral.objects.filter(case=case).count() == 1
        action = LegalAction.objects.get(case=case)
        assert action.stage == "proportionality_assessed" and action.assessments.count() == 1
        shares = InformationShare.objects.filter(case=case)
        assert all(s.agreement is not None and s.approved_by is not None for s in shares)
    assert InformationShare.objects.count() == 5  # every bundled profile names the police as a partner
