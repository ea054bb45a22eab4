"""Detecting the ASB Case Review threshold on real cases (2014 Act s104 and Sch 4): a reporter's reports
gathered across the landlord's cases with the complaints they made to other agencies, their area's
threshold (statutory; the local variations of one hate incident and N people about one place), the
date edges (a complaint 30 vs 32 days after the incident; the sixth month), a problem reported to the
council and the landlord counted once, and the Victims' Commissioner's prompt to tell the reporter.

The helpers at the top (``Scene``, ``scene``, ``report``, ``area``) are shared with the page and API
tests of the ASB Case Review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.accounts.selectors import landlord_profile
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, Party, PartyRole
from haven.cases.tests.any_profile import NOISE
from haven.intake.models import Report
from haven.intake.services import report_create, report_triage
from haven.register.models import LocalAuthorityArea
from haven.reviews.models import AgencyComplaint, RightToReviewNotice
from haven.reviews.selectors.case_review import case_review_status, eligible_reporters
from haven.reviews.services.case_review import agency_complaint_record, right_to_review_told
from haven.reviews.threshold import COMMUNITY, HATE, STATUTORY, add_months

pytestmark = pytest.mark.django_db
AMIRA = "amira@example.org"


@dataclass
class Scene:
    landlord: Landlord
    adviser: User
    officer: User
    manager: User


def scene(staff: Any, make_user: Any, policy_id: str = "emh") -> Scene:
    landlord, adviser, officer = staff(policy_id)
    return Scene(landlord, adviser, officer, make_user(landlord, "manager"))


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def report(
    s: Scene, made: date, incident: date | None, *, email: str = AMIRA, name: str = "Amira Khan",
    phone: str = "07700 900123", postcode: str = "", hate: bool = False, case: Case | None = None,
) -> Report:  # fmt: skip
    """A phone report made on ``made`` about behaviour on ``incident``: a new case, or joined to ``case``."""
    found = report_create(
        actor=s.adviser, landlord=s.landlord, channel="phone", what="Shouting and banging at night", where="Flat 3",
        reporter_name=name, reporter_phone=phone, reporter_email=email, received_at=noon(made),
        happened_on=incident, postcode=postcode,
    )  # fmt: skip
    report_triage(
        actor=s.adviser, report=found, is_asb=True, officer=s.officer, extra_flags=["hate"] if hate else [],
        link_to_case=case.reference if case else None, **({} if case else NOISE[s.landlord.policy_id]),
    )  # fmt: skip
    found.refresh_from_db()
    return found


def area(s: Scene, name: str = "Nottingham", **values: Any) -> LocalAuthorityArea:
    return LocalAuthorityArea.objects.create(landlord=s.landlord, name=name, **values)


def reporter_of(case: Case) -> Party:
    return case.parties.get(role=PartyRole.REPORTER)


def status_of(s: Scene, case: Case, as_at: date) -> Any:
    case = Case.objects.get(pk=case.pk)
    return case_review_status(user=s.officer, case=case, profile=landlord_profile(s.landlord), as_at=as_at)


def standing_on(s: Scene, case: Case, as_at: date) -> Any:
    found = status_of(s, case, as_at).standing_of(reporter_of(case).pk)
    assert found is not None
    return found


START = timezone.localdate() - timedelta(days=150)


def three_reports(s: Scene, gap: int = 30, *, last_gap: int | None = None) -> Case:
    """Three reports by Amira across two cases, 20 days apart, each ``gap`` days after its incident
    (the last ``last_gap``). Returns the case of the last report."""
    first = report(s, START, START - timedelta(days=gap)).case
    assert first is not None
    report(s, START + timedelta(days=20), START + timedelta(days=20 - gap))
    last_made = START + timedelta(days=40)
    last = report(s, last_made, last_made - timedelta(days=last_gap if last_gap is not None else gap))
    assert last.case is not None
    return last.case


@pytest.mark.parametrize(("last_gap", "met"), [(30, True), (32, False)])
def test_statutory_threshold_day_30_counts_day_32_does_not(staff, make_user, last_gap: int, met: bool) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(9)-(10): three qualifying complaints within six months meet the statutory
    threshold, counted across the reporter's cases; a complaint 32 days after the behaviour (more
    than one calendar month) is not a qualifying complaint, one 30 days after it is."""
    s = scene(staff, make_user)
    case = three_reports(s, last_gap=last_gap)
    found = standing_on(s, case, START + timedelta(days=45))
    assert found.assessment.met is met
    assert found.assessment.count == (3 if met else 2)
    assert found.assessment.rule == (STATUTORY if met else None)
    assert len(found.complaints) == 3  # all three are shown; only the qualifying ones count


def test_the_application_window_closes_after_six_months(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(8)(b): the application must be within six months of the complaint: on the day
    six calendar months after the first of three complaints they all still count, the next day the
    first has lapsed and the threshold is no longer met."""
    s = scene(staff, make_user)
    case = three_reports(s)
    edge = add_months(START, 6)
    on_edge = standing_on(s, case, edge)
    assert on_edge.assessment.met and on_edge.assessment.lapses_on == edge
    after = standing_on(s, case, edge + timedelta(days=1))
    assert not after.assessment.met and after.assessment.count == 2


def test_an_area_may_set_a_lower_threshold(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(10): the relevant bodies may set a threshold of fewer than three complaints; the
    case's area (here the landlord's only area) is used."""
    s = scene(staff, make_user)
    area(s, threshold_complaints=2)
    report(s, START, START - timedelta(days=3))
    case = report(s, START + timedelta(days=10), START + timedelta(days=9)).case
    assert case is not None
    found = standing_on(s, case, START + timedelta(days=12))
    assert found.assessment.met and found.assessment.threshold == 2


@pytest.mark.parametrize(("gap", "met"), [(30, True), (32, False)])
def test_local_variation_one_hate_incident(staff, make_user, gap: int, met: bool) -> None:  # type: ignore[no-untyped-def]
    """Local variation (s104(10) as the area sets it; emh 3.6 hate): in an area where one hate
    incident meets the threshold, one qualifying complaint of a hate incident meets it (30 days after
    the incident), and one made 32 days after does not qualify at all."""
    s = scene(staff, make_user)
    area(s, hate_incident_qualifies=True)
    case = report(s, START, START - timedelta(days=gap), hate=True).case
    assert case is not None
    found = standing_on(s, case, START + timedelta(days=1))
    assert found.assessment.met is met
    assert found.assessment.rule == (HATE if met else None)


def test_without_the_hate_variation_one_hate_incident_is_not_enough(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(10): the statutory threshold (three) applies where the area has no hate variation."""
    s = scene(staff, make_user)
    area(s)
    case = report(s, START, START - timedelta(days=1), hate=True).case
    assert case is not None
    assert not standing_on(s, case, START + timedelta(days=1)).assessment.met


@pytest.mark.parametrize(("people", "met"), [(3, True), (2, False)])
def test_local_variation_reports_by_different_people_about_one_place(staff, make_user, people: int, met: bool) -> None:  # type: ignore[no-untyped-def]
    """Local variation (the area's community threshold): three reports by different people about one
    place within six months meet it for each of them; two people do not (and one person reporting
    twice is still one person)."""
    s = scene(staff, make_user)
    area(s, community_reports=3)
    names = [("Amira Khan", AMIRA), ("Bea Lowe", "bea@example.org"), ("Cal Moss", "cal@example.org")][:people]
    cases = []
    for i, (name, email) in enumerate(names):
        made = START + timedelta(days=i * 10)
        cases.append(report(s, made, made, name=name, email=email, phone=f"07700 90000{i}", postcode="NG1 1AA").case)
    report(s, START + timedelta(days=25), START + timedelta(days=25), postcode="NG1 1AA")  # Amira again
    found = standing_on(s, cases[0], START + timedelta(days=30))
    assert found.assessment.met is met
    assert found.assessment.community == people
    if met:
        assert found.assessment.rule == COMMUNITY


@pytest.mark.parametrize(("gap", "met"), [(30, True), (32, False)])
def test_community_variation_date_edges(staff, make_user, gap: int, met: bool) -> None:  # type: ignore[no-untyped-def]
    """Local variation (the area's community threshold) with s104(9)'s one month: the third person's
    report counts toward the three people 30 days after the incident, not 32; and the six months
    run from each report (on the sixth-month edge of the first report it still counts, the day after
    it does not)."""
    s = scene(staff, make_user)
    area(s, community_reports=3)
    first = report(s, START, START, postcode="NG1 1AA").case
    assert first is not None
    report(s, START + timedelta(days=5), START + timedelta(days=5), name="Bea Lowe", email="bea@example.org",
           phone="07700 900001", postcode="NG1 1AA")  # fmt: skip
    made = START + timedelta(days=40)
    report(s, made, made - timedelta(days=gap), name="Cal Moss", email="cal@example.org", phone="07700 900002",
           postcode="NG1 1AA")  # fmt: skip
    assert standing_on(s, first, made).assessment.met is met
    if met:
        edge = add_months(START, 6)
        assert standing_on(s, first, edge).assessment.met
        assert not standing_on(s, first, edge + timedelta(days=1)).assessment.met


def test_a_problem_reported_to_the_council_and_the_landlord_counts_once(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104 (statutory guidance): one incident reported to several agencies is one complaint.
    Amira's report to the landlord and her complaint to the council about the same night count once;
    her complaint to the police about another night counts too, so two, not three."""
    s = scene(staff, make_user)
    incident = START - timedelta(days=2)
    case = report(s, START, incident).case
    assert case is not None
    amira = reporter_of(case)
    agency_complaint_record(
        actor=s.officer, case=case, party=amira, agency="Nottingham City Council", made_on=START + timedelta(days=1),
        incident_on=incident,
    )  # fmt: skip
    agency_complaint_record(
        actor=s.officer, case=case, party=amira, agency="Police", made_on=START + timedelta(days=5),
        incident_on=START + timedelta(days=4), agency_reference="LOG 1234",
    )  # fmt: skip
    found = standing_on(s, case, START + timedelta(days=6))
    assert len(found.complaints) == 3
    assert found.assessment.count == 2
    assert not found.assessment.met
    events = AuditEvent.objects.filter(verb=Verb.AGENCY_COMPLAINT_RECORDED, object_id=str(case.pk))
    assert events.count() == 2


def test_agency_complaint_bad_input_changes_nothing(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104(9): a complaint about behaviour after it was made, or made in the future, is refused
    with a message for each field and nothing saved."""
    from haven.common.errors import ApplicationError

    s = scene(staff, make_user)
    case = report(s, START, START).case
    assert case is not None
    with pytest.raises(ApplicationError) as refused:
        agency_complaint_record(
            actor=s.officer, case=case, party=reporter_of(case), agency="", made_on=START,
            incident_on=START + timedelta(days=1),
        )  # fmt: skip
    assert set(refused.value.fields) == {"agency", "incident_on"}
    with pytest.raises(ApplicationError) as refused:
        agency_complaint_record(
            actor=s.officer, case=case, party=reporter_of(case), agency="Police",
            made_on=timezone.localdate() + timedelta(days=1), incident_on=START,
        )  # fmt: skip
    assert "made_on" in refused.value.fields
    assert not AgencyComplaint.objects.exists()


def test_the_officer_is_prompted_to_tell_the_reporter_at_the_second_complaint(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Victims' Commissioner (profile ``asb_case_review.tell_reporter_at`` = 2 on emh 7.7): one
    complaint, no prompt; the second within six months, the prompt; once told (audited), no prompt
    until a complaint made after the notice is counted... which it is not, as the notice is later."""
    s = scene(staff, make_user)
    case = report(s, START, START).case
    assert case is not None
    assert not standing_on(s, case, START).tell_now
    report(s, START + timedelta(days=3), START + timedelta(days=3), case=case)
    prompted = standing_on(s, case, START + timedelta(days=4))
    assert prompted.tell_now and not prompted.assessment.met
    right_to_review_told(
        actor=s.officer, case=case, party=reporter_of(case), told_on=START + timedelta(days=4), channel="phone",
        complaints=prompted.assessment.count,
    )  # fmt: skip
    told = standing_on(s, case, START + timedelta(days=5))
    assert not told.tell_now and told.told is not None
    assert RightToReviewNotice.objects.get().complaints == 2
    assert AuditEvent.objects.filter(verb=Verb.RIGHT_TO_REVIEW_TOLD, object_id=str(case.pk)).count() == 1


def test_an_anonymous_reporter_is_never_counted(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104: only a person who can apply has a right to a review; an anonymous report
    (emh 6.6) joined to the case counts for nobody and adds no reporter."""
    s = scene(staff, make_user)
    case = report(s, START, START).case
    assert case is not None
    anonymous = report_create(
        actor=s.adviser, landlord=s.landlord, channel="phone", what="Banging again", where="Flat 3", anonymous=True,
        received_at=noon(START + timedelta(days=1)), happened_on=START + timedelta(days=1),
    )  # fmt: skip
    report_triage(actor=s.adviser, report=anonymous, is_asb=True, link_to_case=case.reference)
    status = status_of(s, case, START + timedelta(days=2))
    assert [r.key for r in status.reporters] == [f"email:{AMIRA}"]
    assert status.reporters[0].assessment.count == 1


def test_the_list_shows_reporters_at_the_threshold_or_due_to_be_told(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """2014 Act s104; Victims' Commissioner: the list across cases holds the reporter meeting the
    threshold and the one due to be told, not the one with a single complaint."""
    s = scene(staff, make_user)
    met_case = three_reports(s)
    told_case = report(s, START, START, email="bea@example.org", name="Bea Lowe", phone="07700 900999").case
    assert told_case is not None
    report(s, START + timedelta(days=2), START + timedelta(days=2), email="bea@example.org", case=told_case)
    report(s, START, START, email="cal@example.org", name="Cal Moss", phone="07700 900888")
    rows = eligible_reporters(user=s.officer, profile=landlord_profile(s.landlord), as_at=START + timedelta(days=45))
    by_email = {r.standing.party.email: r for r in rows}
    assert set(by_email) == {AMIRA, "bea@example.org"}
    assert by_email[AMIRA].standing.assessment.met
    assert not by_email["bea@example.org"].standing.assessment.met
    assert met_case.reference in {r.case.reference for r in rows}


def test_the_case_status_is_a_fixed_number_of_queries(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """ARCHITECTURE.md (query counts): the case's standing reads the same number of queries for one
    complaint on another case and for three on three other cases."""
    s = scene(staff, make_user)
    area(s, community_reports=3)
    one = report(s, START, START, postcode="NG1 1AA").case
    assert one is not None
    report(s, START, START, postcode="NG1 1AA")
    case = Case.objects.get(pk=one.pk)
    profile = landlord_profile(s.landlord)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        case_review_status(user=s.officer, case=case, profile=profile, as_at=START + timedelta(days=1))
    for i in range(2):
        report(s, START + timedelta(days=i + 1), START + timedelta(days=i + 1), postcode="NG1 1AA")
    case = Case.objects.get(pk=one.pk)
    with CaptureQueriesContext(connection) as later:
        case_review_status(user=s.officer, case=case, profile=profile, as_at=START + timedelta(days=5))
    assert len(later) == len(first)
