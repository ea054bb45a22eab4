"""Staff-safety warning markers (pnp "Red Flag procedure"). Rules proved here:

- the markers of a case's property and of every current party's register person show at the top
  of the case page, as a GOV.UK warning, to anyone who may open the case (an adviser too).
- a party taken off the case no longer brings their markers; another landlord's never show.
- the report page of intake shows the markers of the report's property.
- all the markers cost one query, however many people and markers there are.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.accounts.models import Landlord, User
from haven.cases.models import Party, PartyRole
from haven.cases.selectors.parties import case_markers
from haven.cases.services.parties import case_party_add, case_party_remove
from haven.cases.tests.any_profile import PROFILES, noise_case
from haven.cases.tests.factories import signed_in, text
from haven.register.models import Person, Property, WarningMarker

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]


def _home(landlord: Landlord, reference: str = "P1") -> Property:
    return Property.objects.create(
        landlord=landlord, reference=reference, uprn="000000000001", address_line_1="1 High Street",
        town="Macclesfield", postcode="SK10 1AA", tenure="social_rent",
    )  # fmt: skip


def _warning(page: str) -> str:
    start = page.index('data-testid="markers"')
    return page[start : page.index("</div>", start)]


@pytest.mark.parametrize("policy_id", PROFILES)
def test_property_and_party_markers_show_at_the_top_of_the_case_to_anyone(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    home = _home(landlord)
    case = noise_case(landlord, adviser, officer, property=home)
    WarningMarker.objects.create(landlord=landlord, property=home, kind="dangerous_animal", detail="Two dogs")
    person = Person.objects.create(landlord=landlord, reference="R1", first_name="Jo", last_name="Bloggs")
    WarningMarker.objects.create(landlord=landlord, person=person, kind="violence", detail="Threatened an officer")
    case_party_add(actor=officer, case=case, role=PartyRole.REPORTED, person=person)
    for who in (adviser, officer):
        page = text(signed_in(who).get(f"/cases/{case.reference}/"))
        warning = _warning(page)
        assert "Staff safety:" in warning
        assert "Dangerous animal at the address (the address): Two dogs" in warning
        assert "Violent or threatening to staff (Jo Bloggs): Threatened an officer" in warning
        assert page.index('data-testid="markers"') < page.index('data-testid="case-summary"')


def test_a_party_taken_off_no_longer_brings_markers_and_other_landlords_never_do(staff: Staff) -> None:
    landlord, adviser, officer = staff("pnp")
    other, _, _ = staff("emh")
    case = noise_case(landlord, adviser, officer)
    person = Person.objects.create(landlord=landlord, reference="R1", first_name="Jo", last_name="Bloggs")
    WarningMarker.objects.create(landlord=landlord, person=person, kind="weapons")
    stranger_home = _home(other, "X1")
    WarningMarker.objects.create(landlord=other, property=stranger_home, kind="violence")
    party = case_party_add(actor=officer, case=case, role=PartyRole.WITNESS, person=person)
    assert [m.kind for m in case_markers(user=officer, case=case)] == ["weapons"]
    case_party_remove(actor=officer, party=party, reason="Added in error")
    case.refresh_from_db()
    assert case_markers(user=officer, case=case) == []
    assert 'data-testid="markers"' not in text(signed_in(officer).get(f"/cases/{case.reference}/"))


def test_the_intake_report_page_shows_the_markers_of_the_reports_property(staff: Staff) -> None:
    landlord, adviser, officer = staff("pnp")
    home = _home(landlord)
    WarningMarker.objects.create(landlord=landlord, property=home, kind="visit_in_pairs", detail="Since May")
    case = noise_case(landlord, adviser, officer, property=home)
    report = case.reports.get()
    page = text(signed_in(adviser).get(f"/reports/{report.reference}/"))
    assert "Staff safety:" in page and "Visit in pairs only (the address): Since May" in page


def test_markers_cost_one_query_however_many_people_and_markers(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    home = _home(landlord)
    case = noise_case(landlord, adviser, officer, property=home)

    def add(n: int) -> None:
        person = Person.objects.create(landlord=landlord, reference=f"R{n}", first_name="Pat", last_name=f"Lee{n}")
        WarningMarker.objects.create(landlord=landlord, person=person, kind="verbal_abuse")
        Party.objects.create(case=case, role=PartyRole.WITNESS, person=person)

    for n in range(12):
        add(n)
    case = case.__class__.objects.prefetch_related("parties").get(pk=case.pk)
    with CaptureQueriesContext(connection) as queries:
        markers = case_markers(user=officer, case=case)
        names = [m.person.last_name for m in markers if m.person]
    assert len(names) == 12 and len(queries.captured_queries) == 1
