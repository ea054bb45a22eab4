"""The staff pages for reports (issue 4): intake by a contact-centre adviser with the caller found in
the register, the triage queue with its clock, the report, the triage decision, and evidence downloads.

Rules proved here: a report taken by phone is recorded by the adviser on that channel (WWH 3.0);
a problem keeps every answer as typed; a report cannot be received in the future; the caller search
shows the open cases at the caller's home; the triage decision follows the profile (emh 3.8-3.9 not
ASB with advice; emh 4.2 harm-centred tier; linking to an open case); only staff who take reports
see the pages; another landlord's records are not found; opening evidence is audited; the queue
costs the same number of queries whatever its length.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.cases.models import Case
from haven.intake.models import Evidence, Report, ReportStatus
from haven.intake.services import report_create, report_triage
from haven.policies.registry import get_profile
from haven.register.models import HouseholdRole, Person, Property, Tenancy, TenancyMember, TenancyType

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Friday 28 August 2026, 16:30: the summer bank holiday is Monday 31 August.
BEFORE_BANK_HOLIDAY = datetime(2026, 8, 28, 16, 30, tzinfo=LONDON)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
NEW = "/reports/new/"


@pytest.fixture
def emh_staff(staff: Callable[[str], tuple[Landlord, User, User]]) -> tuple[Landlord, User, User]:
    return staff("emh")


@pytest.fixture
def adviser_client(client: Client, emh_staff: tuple[Landlord, User, User]) -> Client:
    client.force_login(emh_staff[1])
    return client


def home_with_tenant(landlord: Landlord, *, reference: str = "EMH000001", surname: str = "Okonkwo") -> Person:
    prop = Property.objects.create(
        landlord=landlord,
        uprn="100030000001",
        reference=reference,
        address_line_1="12 Meadow Road",
        town="Coalville",
        postcode="LE67 4JP",
        tenure="social_rent",
        search_text="12 meadow road coalville le67 4jp",
    )
    person = Person.objects.create(
        landlord=landlord,
        reference=f"{reference}-C1",
        first_name="Grace",
        last_name=surname,
        phone="07700 900456",
        search_name=f"grace {surname.lower()}",
    )
    tenancy = Tenancy.objects.create(
        landlord=landlord,
        reference=f"{reference}-T1",
        property=prop,
        tenancy_type=TenancyType.choices[0][0],
        starts_on=date(2020, 1, 6),
    )
    TenancyMember.objects.create(tenancy=tenancy, person=person, role=HouseholdRole.choices[0][0])
    return person


def phone_report(landlord: Landlord, adviser: User, **extra: object) -> Report:
    values: dict[str, object] = {
        "channel": "phone",
        "what": "Loud music and shouting every night until 3am",
        "where": "The flat above mine",
        "reporter_name": "Amira Khan",
        "reporter_phone": "07700 900123",
        "preferred_contact": "phone",
        "received_at": BEFORE_BANK_HOLIDAY,
    }
    values.update(extra)
    return report_create(actor=adviser, landlord=landlord, **values)  # type: ignore[arg-type]


def intake_data(client: Client, **extra: object) -> dict[str, object]:
    """The intake form as the page gives it (with its one-time token), filled in for a phone call."""
    page = client.get(NEW)
    token = page.context["form"]["token"].value()
    data: dict[str, object] = {
        "token": token,
        "channel": "phone",
        "received_on": "2026-08-28",
        "received_time": "16:30",
        "what": "Shouting & banging on the stairs <every night>",
        "where": "The stairwell of block B",
        "address": "Block B, Meadow Court",
        "postcode": "le67 4jp",
        "reporter_name": "Amira Khan",
        "reporter_phone": "07700 900123",
        "preferred_contact": "phone",
    }
    data.update(extra)
    return data


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


# ---- intake ----------------------------------------------------------------------------------------


def test_an_adviser_takes_a_phone_report_with_evidence_and_is_told_what_to_tell_the_caller(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    page = adviser_client.get(NEW)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="q"' in body and "autofocus" in body
    assert 'value="phone" checked' in body  # phone is the default channel
    assert 'value="web"' not in body  # the online form is the reporter's own channel

    photo = SimpleUploadedFile("stairs.png", PNG, content_type="image/png")
    response = adviser_client.post(NEW, intake_data(adviser_client, evidence=[photo]))
    assert response.status_code == 303
    report = Report.objects.get()
    assert response["Location"] == reverse("intake:report", args=[report.reference])
    assert (report.channel, report.recorded_by, report.landlord) == ("phone", adviser, landlord)
    assert report.received_at == BEFORE_BANK_HOLIDAY
    assert report.postcode == "LE67 4JP" and report.what == "Shouting & banging on the stairs <every night>"
    evidence = Evidence.objects.get(report=report)
    assert (evidence.original_name, evidence.kind, evidence.uploaded_by) == ("stairs.png", "image", adviser)

    shown = adviser_client.get(response["Location"])
    page_text = text(shown)
    assert f"Report {report.reference} saved" in page_text
    assert "What to tell the caller" in page_text and "We aim to contact you within" in page_text
    assert "Shouting & banging on the stairs <every night>" in page_text  # escaped, shown as typed
    assert "stairs.png" in page_text and evidence.sha256 in page_text
    assert "What to tell the caller" not in text(adviser_client.get(response["Location"]))  # said once


def test_a_problem_keeps_every_answer_as_typed_and_asks_for_the_files_again(adviser_client: Client) -> None:
    photo = SimpleUploadedFile("stairs.png", PNG, content_type="image/png")
    data = intake_data(adviser_client, what="", postcode="not a postcode", evidence=[photo], how_often="Most nights")
    response = adviser_client.post(NEW, data)
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "Enter what happened" in page
    assert "Block B, Meadow Court" in page and "Most nights" in page and "07700 900123" in page
    assert "Attach the files again" in page
    assert not Report.objects.exists() and not Evidence.objects.exists()

    data = intake_data(adviser_client, postcode="not a postcode")
    response = adviser_client.post(NEW, data)
    assert response.status_code == 400
    assert "Enter a real postcode" in text(response)  # the service's rule, shown at the postcode
    assert 'value="not a postcode"' in response.content.decode()


def test_a_report_cannot_be_received_in_the_future(adviser_client: Client) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = adviser_client.post(NEW, intake_data(adviser_client, received_on=tomorrow.isoformat()))
    assert response.status_code == 400
    assert "cannot be in the future" in text(response)
    assert response.context["form"].errors["received_on"]
    assert not Report.objects.exists()


def test_sending_the_same_form_twice_shows_the_report_already_saved(adviser_client: Client) -> None:
    data = intake_data(adviser_client)
    first = adviser_client.post(NEW, data)
    second = adviser_client.post(NEW, data)
    assert Report.objects.count() == 1
    assert second.status_code == 303 and second["Location"] == first["Location"]
    assert "already saved as" in text(adviser_client.get(second["Location"]))


def test_a_form_without_a_known_token_is_not_saved_but_kept(adviser_client: Client) -> None:
    response = adviser_client.post(NEW, intake_data(adviser_client, token="forged"))
    assert response.status_code == 400
    assert "This form has expired" in text(response) and "Block B, Meadow Court" in text(response)
    assert not Report.objects.exists()


def test_the_caller_search_finds_a_person_by_name_with_the_open_case_at_their_home(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    person = home_with_tenant(landlord)
    home = Property.objects.get(reference="EMH000001")
    earlier = phone_report(landlord, adviser, property=home)
    report_triage(actor=adviser, report=earlier, is_asb=True, category="noise", screen={})
    case = Case.objects.get()

    with CaptureQueriesContext(connection) as queries:
        response = adviser_client.get(NEW, {"q": "Okonkwo"})
    assert len(queries) <= 12, [q["sql"] for q in queries]
    page = text(response)
    assert "Grace Okonkwo" in page and "12 Meadow Road" in page
    assert case.reference in page and "Low risk" in page
    choose = f"{NEW}?person={person.reference}&amp;property=EMH000001"
    assert choose in response.content.decode()

    chosen = adviser_client.get(NEW, {"person": person.reference, "property": "EMH000001"})
    assert case.reference in text(chosen)
    form = chosen.context["form"]
    assert form["reporter_person"].value() == person.reference and form["property"].value() == "EMH000001"
    assert form["reporter_name"].value() == "Grace Okonkwo"


def test_choosing_the_caller_links_the_report_to_their_register_records(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, _, _ = emh_staff
    person = home_with_tenant(landlord)
    data = intake_data(adviser_client, reporter_person=person.reference, property="EMH000001", address="")
    response = adviser_client.post(NEW, data)
    assert response.status_code == 303
    report = Report.objects.get()
    assert report.reporter_person == person and report.property is not None
    assert report.property.reference == "EMH000001"
    page = adviser_client.get(response["Location"]).content.decode()
    assert reverse("register:property", args=["EMH000001"]) in page


def test_a_register_reference_that_is_not_found_is_a_form_error(
    adviser_client: Client, make_landlord: Callable[..., Landlord]
) -> None:
    other = make_landlord("whg")
    home_with_tenant(other, reference="WHG000777")  # another landlord's: the same as not there
    response = adviser_client.post(NEW, intake_data(adviser_client, property="WHG000777"))
    assert response.status_code == 400
    assert "There is no property WHG000777" in text(response)
    assert 'href="#q"' in response.content.decode()  # the summary links to the caller search
    assert not Report.objects.exists()


# ---- the report and the triage decision ------------------------------------------------------------


def test_the_report_page_shows_anonymous_reporters_as_anonymous(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    report = phone_report(landlord, adviser, anonymous=True)
    page = text(adviser_client.get(reverse("intake:report", args=[report.reference])))
    assert "Anonymous" in page and "Amira Khan" not in page
    assert "Triage this report" in page


def test_the_triage_page_gives_the_policy_as_guidance(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    report = phone_report(landlord, adviser)
    page = text(adviser_client.get(reverse("intake:triage", args=[report.reference])))
    profile = get_profile("emh")
    assert profile.definition.text in page
    assert "Noise generated from everyday living" in page  # emh 3.8
    assert "Mediation service" in page and "Approach the neighbour yourself" in page  # emh 3.9, 5.2
    assert profile.not_asb.neighbour_disputes and profile.not_asb.neighbour_disputes in page
    assert "Has anyone been hurt, or threatened with violence?" in page
    assert "The tier is worked out from the answers, the category and any vulnerability" in page
    assert "Choose automatically by the policy's routing" in page
    assert "The reporter's details have been confirmed" not in page  # Livv only


def test_triage_not_asb_records_the_reason_and_advice(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    report = phone_report(landlord, adviser)
    url = reverse("intake:triage", args=[report.reference])
    missing = adviser_client.post(url, {"is_asb": "no", "not_asb_reason": "reason-3"})
    assert missing.status_code == 400
    assert "Record the advice given" in text(missing)
    assert 'value="reason-3" checked' in missing.content.decode()  # kept as chosen

    response = adviser_client.post(
        url,
        {
            "is_asb": "no",
            "not_asb_reason": "other",
            "other_reason": "Noise generated from everyday living (emh 3.8)",
            "advice_given": "Talk to your neighbour; mediation can help.",
            "advice_routes": ["talk_to_neighbour", "mediation"],
        },
    )
    assert response.status_code == 303
    report.refresh_from_db()
    assert report.status == ReportStatus.NOT_ASB and report.triaged_by == adviser
    assert report.decision_reason == "Noise generated from everyday living (emh 3.8)"
    assert report.advice_routes == ["talk_to_neighbour", "mediation"]
    page = text(adviser_client.get(response["Location"]))
    assert f"Report {report.reference} recorded as not ASB" in page
    assert "Approach the neighbour yourself, Mediation service" in page
    assert "Triage this report" not in page


def test_triage_asb_with_violence_opens_a_high_risk_case_and_says_when_it_is_due(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, officer = emh_staff
    report = phone_report(landlord, adviser)
    response = adviser_client.post(
        reverse("intake:triage", args=[report.reference]),
        {"is_asb": "yes", "category": "noise", "screen": ["violence"], "link_to_case": "new"},
    )
    assert response.status_code == 303
    report.refresh_from_db()
    case = report.case
    assert case is not None and case.tier == "high"  # emh 4.2: threats of violence are high risk
    assert report.screen_answers["violence"] is True and report.screen_answers["hate"] is False
    page = text(adviser_client.get(response["Location"]))
    # emh 4.2: 24 working hours from Friday 16:30 before the bank holiday is Tuesday 16:30.
    assert (
        f"Case {case.reference} opened: High risk, response due by Tue 1 Sep 2026, 4:30pm, officer Sam Tester" in page
    )
    assert case.officer == officer


def test_a_chosen_tier_is_used_when_the_screen_is_left_blank(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, officer = emh_staff
    report = phone_report(landlord, adviser)
    response = adviser_client.post(
        reverse("intake:triage", args=[report.reference]),
        {"is_asb": "yes", "category": "noise", "tier": "medium", "officer": str(officer.pk)},
    )
    assert response.status_code == 303
    report.refresh_from_db()
    assert report.case is not None and (report.case.tier, report.case.officer) == ("medium", officer)
    assert report.screen_answers == {}


def test_triage_problems_are_shown_with_the_answers_kept(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    report = phone_report(landlord, adviser)
    url = reverse("intake:triage", args=[report.reference])
    nothing = adviser_client.post(url, {})
    assert nothing.status_code == 400 and "Choose whether this is ASB under the policy" in text(nothing)
    response = adviser_client.post(url, {"is_asb": "yes", "screen": ["afraid"], "extra_flags": ["hate"]})
    assert response.status_code == 400
    assert "Choose the category of ASB" in text(response)
    body = response.content.decode()
    assert 'value="afraid" checked' in body and 'value="hate" checked' in body
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW


def test_triage_links_a_report_to_the_open_case_at_the_same_home(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    home_with_tenant(landlord)
    home = Property.objects.get(reference="EMH000001")
    first = phone_report(landlord, adviser, property=home)
    report_triage(actor=adviser, report=first, is_asb=True, category="noise", screen={})
    case = Case.objects.get()
    second = phone_report(landlord, adviser, property=home)
    url = reverse("intake:triage", args=[second.reference])
    page = text(adviser_client.get(url))
    assert "This may be about an open case" in page and f"Add to case {case.reference}" in page
    response = adviser_client.post(url, {"is_asb": "yes", "link_to_case": case.reference})
    assert response.status_code == 303
    second.refresh_from_db()
    assert second.status == ReportStatus.LINKED and second.case == case
    assert f"Report {second.reference} added to case {case.reference}" in text(adviser_client.get(response["Location"]))
    assert Case.objects.count() == 1


def test_a_triaged_report_cannot_be_triaged_again(
    adviser_client: Client, emh_staff: tuple[Landlord, User, User]
) -> None:
    landlord, adviser, _ = emh_staff
    report = phone_report(landlord, adviser)
    report_triage(actor=adviser, report=report, is_asb=False, not_asb_reason="x", advice_given="y")
    response = adviser_client.get(reverse("intake:triage", args=[report.reference]))
    assert response.status_code == 303
    assert "already been triaged" in text(adviser_client.get(response["Location"]))


def test_livv_asks_whether_an_anonymous_reporters_details_are_confirmed(
    client: Client, staff: Callable[[str], tuple[Landlord, User, User]]
) -> None:
    landlord, adviser, _ = staff("livv")
    client.force_login(adviser)
    named = phone_report(landlord, adviser)
    anonymous = phone_report(landlord, adviser, anonymous=True)
    question = "The reporter's details have been confirmed"
    assert question not in text(client.get(reverse("intake:triage", args=[named.reference])))
    assert question in text(client.get(reverse("intake:triage", args=[anonymous.reference])))
    response = client.post(
        reverse("intake:triage", args=[anonymous.reference]), {"is_asb": "yes", "category": "noise", "tier": "low"}
    )
    assert "kept as information only" in text(client.get(response["Location"]))
