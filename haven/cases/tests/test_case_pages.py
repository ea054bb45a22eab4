"""The case list and the case page: clocks, contacts, re-categorisation, who may see what.

Rules proved here: officers see their own cases first; a case past its response target without a
response is overdue and a contact with the reporter is the first response; re-categorising
recomputes the target and keeps the history (emh 4.3; WWH 3.0); restricted cases are seen only by
their officer, specialists and managers; bad input is a field error with the form kept; the list
and the page cost the same number of queries however many cases, parties and contacts there are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.accounts.models import Landlord, Role, Team, User
from haven.accounts.services import user_create
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, Party, PartyRole
from haven.cases.services import contact_plan_agree
from haven.cases.tests.factories import open_case, signed_in, text
from haven.register.models import Person, Property

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
Staff = Callable[[str], tuple[Landlord, User, User]]


def test_an_officer_sees_their_case_in_my_cases_with_its_clock(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    late = open_case(landlord, adviser, officer, received_at=timezone.now() - timedelta(days=30))
    page = text(signed_in(officer).get("/cases/"))
    assert case.reference in page and late.reference in page
    assert "Overdue" in page and "Low risk" in page and "Unreasonable noise" in page
    assert page.index(late.reference) < page.index(case.reference), "sorted by the response due"


def test_a_contact_with_the_reporter_is_the_first_response(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    now = timezone.localtime()
    response = signed_in(officer).post(
        f"/cases/{case.reference}/contacts/",
        {"party": reporter.pk, "channel": "phone", "on": now.strftime("%d/%m/%Y"), "time": now.strftime("%H:%M"),
         "summary": "Agreed weekly calls on Mondays"},
    )  # fmt: skip
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.first_response_at is not None
    page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "Agreed weekly calls on Mondays" in page and "Responded" in page


def test_a_contact_in_the_future_is_a_field_error_and_the_form_is_kept(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = signed_in(officer).post(
        f"/cases/{case.reference}/contacts/",
        {
            "party": "",
            "channel": "phone",
            "on": tomorrow.strftime("%d/%m/%Y"),
            "time": "10:00",
            "summary": "Typed note",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and "cannot be in the future" in page and "Typed note" in page
    assert not case.contacts.exists()
    response = signed_in(officer).post(f"/cases/{case.reference}/contacts/", {"channel": "", "on": "31/02/2026"})
    assert response.status_code == 400 and "Choose how the contact was made." in text(response)


def test_recategorising_recomputes_the_due_date_and_shows_the_history(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    before = case.response_due_at
    response = signed_in(officer).post(
        f"/cases/{case.reference}/recategorise/",
        {"tier": "high", "category": "noise", "reason": "Threats made on the stairs"},
    )
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.tier == "high" and case.response_due_at < before
    page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "Low risk → High risk" in page and "Threats made on the stairs" in page
    response = signed_in(officer).post(
        f"/cases/{case.reference}/recategorise/", {"tier": "urgent", "category": "noise", "reason": ""}
    )
    assert response.status_code == 400
    assert "Say why the case is being re-categorised." in text(response)


def test_an_adviser_can_read_a_case_but_not_record_on_it(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    client = signed_in(adviser)
    page = text(client.get(f"/cases/{case.reference}/"))
    assert case.reference in page and "Record a contact" not in page
    response = client.post(f"/cases/{case.reference}/contacts/", {"channel": "phone", "summary": "x"})
    assert response.status_code == 403 and not case.contacts.exists()


def test_a_restricted_case_is_seen_only_by_its_officer_specialists_and_managers(
    staff: Staff, make_user: Callable[..., User]
) -> None:
    landlord, adviser, officer = staff("emh")
    specialist = make_user(landlord, "specialist")
    case = open_case(landlord, specialist, specialist, category="domestic_abuse", tier="high")
    assert case.restricted and case.officer != officer
    assert signed_in(officer).get(f"/cases/{case.reference}/").status_code == 404
    assert signed_in(adviser).get(f"/cases/{case.reference}/").status_code == 404
    assert case.reference not in text(signed_in(adviser).get("/cases/"))
    assert signed_in(specialist).get(f"/cases/{case.reference}/").status_code == 200


def test_another_landlords_case_is_not_found_and_a_view_is_audited(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    _, _, other_officer = staff("whg")
    case = open_case(landlord, adviser, officer)
    assert signed_in(other_officer).get(f"/cases/{case.reference}/").status_code == 404
    assert signed_in(officer).get(f"/cases/{case.reference}/").status_code == 200
    assert AuditEvent.objects.filter(verb=Verb.CASE_VIEWED, object_label=case.reference, actor=officer).count() == 1


def _bulk_cases(landlord: Landlord, officer: User, n: int, start: int) -> None:
    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            landlord=landlord, reference=f"ASB-2026-{start + i:06d}", category="noise", tier="low", officer=officer,
            opened_at=now - timedelta(days=i % 20), response_due_at=now + timedelta(hours=i - n // 2),
            policy_id="emh", policy_version="1",
        )
        for i in range(n)
    )  # fmt: skip


def test_the_case_list_costs_the_same_queries_for_10_and_1000_cases(staff: Staff) -> None:
    landlord, _adviser, officer = staff("emh")
    client = signed_in(officer)
    _bulk_cases(landlord, officer, 10, 1)
    client.get("/cases/")  # the session is read and touched once
    with CaptureQueriesContext(connection) as small:
        assert client.get("/cases/?scope=all&overdue=yes").status_code == 200
    _bulk_cases(landlord, officer, 990, 100)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/cases/?scope=all")
    assert response.status_code == 200 and "1000 cases" in text(response)
    assert 'aria-label="Page 20"' in text(response) and 'aria-current="page">1<' in text(response)
    assert len(large.captured_queries) == len(small.captured_queries) <= 8


def test_the_case_page_costs_the_same_queries_however_many_parties_and_contacts(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    client = signed_in(officer)
    person = Person.objects.create(landlord=landlord, reference="C1", first_name="Pat", last_name="Lee")

    def add(n: int) -> None:
        party = Party.objects.create(case=case, role=PartyRole.WITNESS, name=f"Witness {n}", person=person)
        case.contacts.create(party=party, channel="phone", at=timezone.now(), summary=f"Call {n}", recorded_by=officer)

    add(0)
    client.get(f"/cases/{case.reference}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.reference}/")
    for n in range(1, 15):
        add(n)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(f"/cases/{case.reference}/"))
    assert "Witness 14" in page and "Call 14" in page
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_property_and_person_pages_list_their_cases(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    home = Property.objects.create(
        landlord=landlord, reference="P1", uprn="000000000001", address_line_1="1 High Street", town="Coalville",
        postcode="LE67 4JP", tenure="social_rent",
    )  # fmt: skip
    case = open_case(landlord, adviser, officer, property=home)
    person = Person.objects.create(landlord=landlord, reference="C9", first_name="Pat", last_name="Lee")
    Party.objects.create(case=case, role=PartyRole.WITNESS, person=person)
    client = signed_in(officer)
    assert case.reference in text(client.get("/register/properties/P1/"))
    page = text(client.get("/register/people/C9/"))
    assert case.reference in page and "Witness" in page


def between(page: str, start: str, end: str = "</table>") -> str:
    """The part of a page from ``start`` to the next ``end``."""
    begin = page.index(start)
    return page[begin : page.index(end, begin)]


def test_a_missed_update_is_tagged_in_the_case_list_row(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer, received_at=timezone.now() - timedelta(days=30))
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    contact_plan_agree(
        actor=officer, case=case, party=reporter, channel="phone", every_days=7,
        agreed_at=timezone.now() - timedelta(days=20),
    )  # fmt: skip
    rows = between(text(signed_in(officer).get("/cases/")), 'data-testid="cases"')
    assert case.reference in rows and "Update overdue" in rows


def test_contacts_and_changes_say_who_recorded_them_and_the_banner_gives_the_new_due_date(
    staff: Staff, make_user: Callable[..., User]
) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    recorder = make_user(landlord, "manager")
    recorder.first_name, recorder.last_name = "Morgan", "Recorder"
    recorder.save(update_fields=["first_name", "last_name"])
    client = signed_in(recorder)
    now = timezone.localtime()
    client.post(
        f"/cases/{case.reference}/contacts/",
        {"party": "", "channel": "email", "on": now.strftime("%d/%m/%Y"), "time": now.strftime("%H:%M"),
         "summary": "Wrote to the police"},
    )  # fmt: skip
    response = client.post(
        f"/cases/{case.reference}/recategorise/",
        {"tier": "high", "category": "noise", "reason": "Threats made on the stairs"},
        follow=True,
    )
    page = text(response)
    assert "Re-categorised to High risk, Unreasonable noise; response now due by" in page
    assert "Morgan Recorder" in between(page, 'data-testid="contacts"')
    assert "Morgan Recorder" in between(page, 'data-testid="history"')


def test_the_case_page_shows_a_register_persons_communication_needs(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = open_case(landlord, adviser, officer)
    person = Person.objects.create(
        landlord=landlord, reference="C7", first_name="Ola", last_name="Nowak",
        communication_needs="Polish interpreter", reasonable_adjustments="Calls after 10am",
    )  # fmt: skip
    Party.objects.create(case=case, role=PartyRole.WITNESS, person=person)
    page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "Ola Nowak" in page and "Polish interpreter" in page and "Calls after 10am" in page


def test_a_team_officer_who_restricts_a_colleagues_case_is_sent_to_the_list(staff: Staff) -> None:
    landlord, adviser, _officer = staff("emh")
    team = Team.objects.filter(landlord=landlord).first()
    assert team is not None
    owner, colleague = (
        user_create(actor="tests", landlord=landlord, username=f"emh-{name}", role=Role.OFFICER, password="x" * 16,
                    first_name=name, last_name="Officer", team=team, via="command")
        for name in ("owner", "colleague")
    )  # fmt: skip
    case = open_case(landlord, adviser, owner)
    assert case.team == team
    response = signed_in(colleague).post(
        f"/cases/{case.reference}/recategorise/",
        {"tier": "high", "category": "domestic_abuse", "reason": "Disclosed abuse by a partner"},
    )
    assert response.status_code == 303 and response["Location"] == "/cases/"
    case.refresh_from_db()
    assert case.restricted and signed_in(colleague).get(f"/cases/{case.reference}/").status_code == 404
