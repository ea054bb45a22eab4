"""The register pages: search, property and person.

The register is loaded through the real import service from the sample files, so the pages are
tested against the data a landlord would load. Query counts are pinned and shown not to grow
with the number of rows.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.register.models import (
    HouseholdRole,
    Person,
    Property,
    Tenancy,
    TenancyMember,
    TenancyType,
)
from haven.register.services import register_import

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
KINDS = ("patches", "properties", "people", "tenancies")
VULNERABILITIES_RECORDED = "Vulnerabilities are recorded for this person. Ask a case officer before contacting them."


def load_samples(landlord: Landlord) -> None:
    for kind in KINDS:
        _, result = register_import(
            actor="tests",
            landlord=landlord,
            kind=kind,
            path=SAMPLES / f"{kind}.csv",
            file_name=f"{kind}.csv",
            apply=True,
        )
        assert result.ok, [str(p) for p in result.problems]


@pytest.fixture
def register(emh: Landlord) -> Landlord:
    load_samples(emh)
    return emh


@pytest.fixture
def officer_client(client: Client, officer: User, register: Landlord) -> Client:
    client.force_login(officer)
    return client


@pytest.fixture
def other_landlord(make_landlord: Callable[..., Landlord]) -> Landlord:
    """A second landlord with a property and a person that emh staff must never see."""
    whg = make_landlord("whg")
    Property.objects.create(
        landlord=whg,
        uprn="100071234567",
        reference="WHG000777",
        address_line_1="3 Quarry Lane",
        town="Walsall",
        postcode="WS1 9ZZ",
        tenure="social_rent",
        search_text="3 quarry lane walsall ws1 9zz",
    )
    Person.objects.create(landlord=whg, reference="WHGC0777", first_name="Zara", last_name="Quilter")
    return whg


def search(client: Client, query: str) -> str:
    """The part of the search page after the form: the results and messages."""
    response = client.get(reverse("register:search"), {"q": query})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Name, address, postcode, UPRN or reference</label>" in page
    return page.split("</form>", 1)[1]


def no_match(query: str) -> str:
    return f"No people or properties match \u2018{query}\u2019."


def count_queries(client: Client, url: str, data: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, data or {}).status_code == 200
    return len(queries.captured_queries)


# ---- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/register/?q=oak", "/register/properties/P000101/", "/register/people/C001002/"],
)
def test_anonymous_users_are_sent_to_sign_in(client: Client, register: Landlord, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    "url",
    ["/register/?q=oak", "/register/properties/P000101/", "/register/people/C001002/"],
)
def test_a_user_without_a_landlord_is_refused_with_403(client: Client, register: Landlord, url: str) -> None:
    root = User.objects.create_superuser("root", password="x-long-enough-password")
    client.force_login(root)
    response = client.get(url)
    assert response.status_code == 403
    assert "You cannot use Haven yet" in response.content.decode()


def test_unknown_property_and_person_references_are_404(officer_client: Client) -> None:
    assert officer_client.get(reverse("register:property", args=["P999999"])).status_code == 404
    assert officer_client.get(reverse("register:person", args=["C999999"])).status_code == 404


# ---- search ------------------------------------------------------------------------------------


def test_search_page_without_a_query_shows_the_form_only(officer_client: Client) -> None:
    page = search(officer_client, "")
    assert "No people or properties match" not in page
    assert "Properties</h2>" not in page


@pytest.mark.parametrize("query", ["LE67 4JP", "le67 4jp", "le674jp", " LE67  4JP "])
def test_search_finds_properties_by_postcode_in_any_case_or_spacing(officer_client: Client, query: str) -> None:
    page = search(officer_client, query)
    assert "12 Oak Road" in page and "14 Oak Road" in page
    assert "Station Street" not in page


def test_search_finds_a_property_by_uprn(officer_client: Client) -> None:
    page = search(officer_client, "100030563101")
    assert "Flat 1 Cedar Court" in page
    assert "Flat 2 Cedar Court" not in page
    assert reverse("register:property", args=["P000103"]) in page


def test_search_finds_a_property_and_a_person_by_reference(officer_client: Client) -> None:
    page = search(officer_client, "P000106")
    assert "9 Station Street" in page and "7 Station Street" not in page
    page = search(officer_client, "c001004")
    assert "Mr Liam Walker" in page
    assert reverse("register:person", args=["C001004"]) in page


def test_search_by_surname_lists_people_with_their_current_address(officer_client: Client) -> None:
    page = search(officer_client, "Davies")
    assert "Mr Owen Davies" in page and "Grace Davies" in page
    assert "12 November 1951" in page
    # Both live at Flat 1 Cedar Court on tenancy T000502.
    assert page.count("Flat 1 Cedar Court, Meadow Lane, Coalville, LE67 3FS") == 2
    assert "Khan" not in page


def test_search_by_part_of_an_address_finds_the_property(officer_client: Client) -> None:
    page = search(officer_client, "cedar court")
    assert "Flat 1 Cedar Court" in page and "Flat 2 Cedar Court" in page
    assert "Social rent" in page and "Shared ownership" in page  # tenure column
    assert "NWL-2 Coalville South" in page  # patch column


def test_a_search_that_matches_nothing_says_so(officer_client: Client) -> None:
    page = search(officer_client, "Nowhere Street")
    assert no_match("Nowhere Street") in page


def test_a_one_character_query_asks_for_more_and_searches_nothing(officer_client: Client) -> None:
    page = search(officer_client, "K")
    assert "Enter at least 2 characters" in page
    assert "Khan" not in page
    assert "No people or properties match" not in page


def test_an_ended_property_is_tagged_ended_in_the_results(officer_client: Client, register: Landlord) -> None:
    Property.objects.filter(landlord=register, reference="P000105").update(ended_on=date(2025, 11, 1))
    page = search(officer_client, "Station Street")
    assert page.count(">Ended</strong>") == 1


def test_search_never_finds_another_landlords_records(officer_client: Client, other_landlord: Landlord) -> None:
    for query in ("Quarry Lane", "WS1 9ZZ", "100071234567", "WHG000777", "Quilter", "WHGC0777"):
        page = search(officer_client, query)
        assert no_match(query) in page, query


def test_another_landlords_property_and_person_pages_are_404(officer_client: Client, other_landlord: Landlord) -> None:
    assert officer_client.get(reverse("register:property", args=["WHG000777"])).status_code == 404
    assert officer_client.get(reverse("register:person", args=["WHGC0777"])).status_code == 404


def test_another_landlords_copy_of_a_reference_is_not_shown(
    officer_client: Client, make_landlord: Callable[..., Landlord]
) -> None:
    whg = make_landlord("whg")
    load_samples(whg)  # the same references, in another landlord's register
    page = search(officer_client, "P000101")
    assert page.count(reverse("register:property", args=["P000101"])) == 1


def test_search_query_count_does_not_grow_with_the_number_of_results(
    officer_client: Client, register: Landlord, django_assert_max_num_queries
) -> None:
    url = reverse("register:search")
    few = count_queries(officer_client, url, {"q": "Walker"})
    # Twenty more Walkers, each a tenant of their own home on Walker Street.
    for n in range(20):
        home = Property.objects.create(
            landlord=register,
            uprn=f"2000000000{n:02d}",
            reference=f"PW{n:04d}",
            address_line_1=f"{n + 1} Walker Street",
            town="Coalville",
            postcode="LE67 9ZZ",
            tenure="social_rent",
            search_text=f"{n + 1} walker street coalville le67 9zz",
        )
        person = Person.objects.create(
            landlord=register,
            reference=f"CW{n:04d}",
            first_name=f"Alex{n}",
            last_name="Walker",
            search_name=f"alex{n} walker",
        )
        tenancy = Tenancy.objects.create(
            landlord=register,
            reference=f"TW{n:04d}",
            property=home,
            tenancy_type=TenancyType.ASSURED,
            starts_on=date(2020, 1, 1),
        )
        TenancyMember.objects.create(tenancy=tenancy, person=person, role=HouseholdRole.TENANT)
    many = count_queries(officer_client, url, {"q": "Walker"})
    assert many == few
    with django_assert_max_num_queries(6):
        page = officer_client.get(url, {"q": "Walker"}).content.decode()
    assert "20 Walker Street" in page and "Alex19 Walker" in page


# ---- property page -----------------------------------------------------------------------------


def test_property_page_shows_the_summary_household_and_staff_safety_markers(officer_client: Client) -> None:
    response = officer_client.get(reverse("register:property", args=["P000106"]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert '<h1 class="govuk-heading-l">9 Station Street, Nottingham, NG6 8AB</h1>' in page
    assert "govuk-summary-list" in page
    assert "100031234568" in page and "NOT-1 Bulwell" in page and "Nottingham" in page
    assert "Maisonette" in page and "Starter or introductory tenancy" in page
    # emh 2.2: starter tenancies are in scope of the emh policy.
    assert page.split('data-testid="tenure-in-scope">')[1].split()[0] == "Yes"
    # Liam Walker's markers are shown at the top, in a warning.
    warning = page.split('class="govuk-warning-text"')[1].split("</div>")[0]
    assert "Staff safety:" in warning
    assert "Violent or threatening to staff (Mr Liam Walker)" in warning
    assert "Visit in pairs only (Mr Liam Walker)" in warning
    # The current household on T000503: Liam the tenant, Tom a household member.
    assert "Starter tenancy" in page and "2 March 2026" in page
    household = page.split('data-testid="household"')[1].split("</table>")[0]
    assert household.index("Mr Liam Walker") < household.index("Tom Walker")  # tenants first
    assert reverse("register:person", args=["C001004"]) in household
    assert reverse("register:person", args=["C001006"]) in household
    assert "Tenant" in household and "Household member" in household


def test_property_page_says_when_the_tenure_is_outside_the_policy(officer_client: Client) -> None:
    page = officer_client.get(reverse("register:property", args=["P000105"])).content.decode()
    # emh 2.2: leaseholders are signposted, not in scope.
    assert "No: the policy does not cover this tenure" in page
    assert "Previous tenancies" in page and "31 October 2025" in page
    assert "No current tenancy is recorded." in page


def test_property_page_without_markers_shows_no_warning(officer_client: Client) -> None:
    page = officer_client.get(reverse("register:property", args=["P000101"])).content.decode()
    assert "govuk-warning-text" not in page
    assert "Ms Amira Khan" in page


def test_property_page_query_count_does_not_grow_with_previous_tenancies(
    officer_client: Client, register: Landlord, django_assert_max_num_queries
) -> None:
    url = reverse("register:property", args=["P000106"])
    home = Property.objects.get(landlord=register, reference="P000106")
    person = Person.objects.get(landlord=register, reference="C001008")
    one_previous = Tenancy.objects.create(
        landlord=register,
        reference="TOLD00",
        property=home,
        tenancy_type=TenancyType.ASSURED,
        starts_on=date(2000, 1, 1),
        ends_on=date(2000, 12, 31),
    )
    TenancyMember.objects.create(tenancy=one_previous, person=person, role=HouseholdRole.TENANT)
    few = count_queries(officer_client, url)
    for n in range(1, 20):
        start = date(2001, 1, 1) + timedelta(days=n * 200)
        tenancy = Tenancy.objects.create(
            landlord=register,
            reference=f"TOLD{n:02d}",
            property=home,
            tenancy_type=TenancyType.ASSURED,
            starts_on=start,
            ends_on=start + timedelta(days=150),
        )
        TenancyMember.objects.create(tenancy=tenancy, person=person, role=HouseholdRole.TENANT)
    many = count_queries(officer_client, url)
    assert many == few
    with django_assert_max_num_queries(9):  # + the cases at this address (haven.cases)
        page = officer_client.get(url).content.decode()
    assert page.count("Mr Jamal Ahmed") == 20


# ---- person page -------------------------------------------------------------------------------


def test_person_page_for_an_officer_shows_vulnerabilities_and_audits_the_view(
    officer_client: Client, officer: User
) -> None:
    page = html.unescape(officer_client.get(reverse("register:person", args=["C001002"])).content.decode())
    assert '<h1 class="govuk-heading-l">Mr Owen Davies</h1>' in page
    assert "12 November 1951 (age " in page
    assert "01530 555010" in page and "Letter" in page and "English" in page
    # WWH 2.0: communication needs and adjustments are shown prominently.
    inset = page.split('data-testid="adjustments"')[1].split("</div>")[0]
    assert "Large print letters" in inset and "Calls after 10am" in inset
    vulnerabilities = page.split('data-testid="vulnerabilities"')[1]
    assert "Older person" in vulnerabilities and "Sight or hearing impairment" in vulnerabilities
    assert "Equality monitoring" in vulnerabilities
    assert VULNERABILITIES_RECORDED not in page
    # The tenancy, with its address linked.
    assert reverse("register:property", args=["P000103"]) in page and "Assured tenancy" in page
    assert AuditEvent.objects.filter(verb=Verb.VULNERABILITIES_VIEWED, actor=officer, object_label="C001002").exists()
    assert AuditEvent.objects.filter(verb=Verb.PERSON_VIEWED, actor=officer, object_label="C001002").exists()


def test_person_page_for_an_adviser_says_only_that_vulnerabilities_are_recorded(
    client: Client, register: Landlord, make_user: Callable[..., User]
) -> None:
    adviser = make_user(register, "adviser")
    client.force_login(adviser)
    page = html.unescape(client.get(reverse("register:person", args=["C001002"])).content.decode())
    vulnerabilities = page.split('data-testid="vulnerabilities"')[1]
    assert VULNERABILITIES_RECORDED in vulnerabilities
    assert "Older person" not in page and "Sight or hearing impairment" not in page
    assert "Equality monitoring" not in page
    assert not AuditEvent.objects.filter(verb=Verb.VULNERABILITIES_VIEWED).exists()
    assert AuditEvent.objects.filter(verb=Verb.PERSON_VIEWED, actor=adviser).exists()


def test_person_page_without_vulnerabilities_says_none_are_recorded(
    client: Client, register: Landlord, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user(register, "adviser"))
    page = client.get(reverse("register:person", args=["C001008"])).content.decode()
    assert "No vulnerabilities recorded." in page
    assert VULNERABILITIES_RECORDED not in page


def test_person_page_shows_staff_safety_markers_in_a_warning(officer_client: Client) -> None:
    page = officer_client.get(reverse("register:person", args=["C001004"])).content.decode()
    warning = page.split('class="govuk-warning-text"')[1].split("</div>")[0]
    assert "Staff safety:" in warning
    assert "Violent or threatening to staff" in warning and "Visit in pairs only" in warning
    assert "Starter tenancy" in page and "Tenant" in page
    assert "No vulnerabilities recorded." in page


def test_person_page_query_count_does_not_grow_with_tenancies(
    officer_client: Client, register: Landlord, django_assert_max_num_queries
) -> None:
    url = reverse("register:person", args=["C001008"])
    person = Person.objects.get(landlord=register, reference="C001008")
    few = count_queries(officer_client, url)
    for n in range(20):
        start = date(1990, 1, 1) + timedelta(days=n * 300)
        home = Property.objects.create(
            landlord=register,
            uprn=f"3000000000{n:02d}",
            reference=f"PJ{n:04d}",
            address_line_1=f"{n + 1} Ahmed Close",
            town="Nottingham",
            postcode="NG6 9ZZ",
            tenure="social_rent",
        )
        tenancy = Tenancy.objects.create(
            landlord=register,
            reference=f"TJ{n:04d}",
            property=home,
            tenancy_type=TenancyType.ASSURED,
            starts_on=start,
            ends_on=start + timedelta(days=200),
        )
        TenancyMember.objects.create(tenancy=tenancy, person=person, role=HouseholdRole.TENANT)
    many = count_queries(officer_client, url)
    assert many == few
    with django_assert_max_num_queries(12):  # + the cases this person is in (haven.cases)
        page = officer_client.get(url).content.decode()
    assert "20 Ahmed Close" in page
