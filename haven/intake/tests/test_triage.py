"""Triage against each bundled profile: tier, due date in working time, routing, linking.

Rules proved here: the response target per tier in working time from receipt (emh 4.2; whg 2.5;
WWH 3.0; Livv; pnp), deemed receipt and bank holidays, the harm-centred screen (emh 4.2), WWH's
advice-only route, Livv's anonymous information-only rule, not-ASB decisions with advice
(emh 3.8), linking to open cases only, and re-categorisation keeping its history (emh 4.3).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from haven.accounts.models import Landlord, User
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, CaseStatus, Party, PartyRole, Recategorisation
from haven.cases.services import case_recategorise, contact_record
from haven.common.errors import ApplicationError
from haven.intake.models import Report, ReportStatus
from haven.intake.services import report_create, report_triage
from haven.policies.registry import get_profile

LONDON = ZoneInfo("Europe/London")
# Friday 28 August 2026, 16:30: the summer bank holiday is Monday 31 August.
BEFORE_BANK_HOLIDAY = datetime(2026, 8, 28, 16, 30, tzinfo=LONDON)
NEXT_WORKING_DAY_SAME_TIME = datetime(2026, 9, 1, 16, 30, tzinfo=LONDON)  # 24 working hours
FIFTH_WORKING_DAY_CLOSE = datetime(2026, 9, 7, 17, 0, tzinfo=LONDON)  # 5 working days: Tue..Mon


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


# (profile, category, screen answers, tier expected, due expected): one per tier of every profile.
CASES = [
    ("emh", "noise", {}, "low", FIFTH_WORKING_DAY_CLOSE),
    ("emh", "drugs", {}, "medium", FIFTH_WORKING_DAY_CLOSE),
    ("emh", "noise", {"violence": True}, "high", NEXT_WORKING_DAY_SAME_TIME),
    ("emh", "noise", {"vulnerable": True}, "high", NEXT_WORKING_DAY_SAME_TIME),  # emh 4.2 harm-centred
    ("wwh", "vehicle_nuisance", {}, "low_level", FIFTH_WORKING_DAY_CLOSE),
    ("wwh", "persistent_noise", {}, "serious", NEXT_WORKING_DAY_SAME_TIME),
    ("wwh", "vehicle_nuisance", {"cannot_cope": True}, "serious", NEXT_WORKING_DAY_SAME_TIME),
    ("whg", "noise", {"violence": True}, "standard", FIFTH_WORKING_DAY_CLOSE),  # whg 2.5: one target
    ("whg", "hate_crime", {}, "standard", FIFTH_WORKING_DAY_CLOSE),
    ("livv", "noise", {}, "low", FIFTH_WORKING_DAY_CLOSE),
    ("livv", "noise", {"crime": True}, "medium", FIFTH_WORKING_DAY_CLOSE),
    ("livv", "physical_violence", {"violence": True}, "high", NEXT_WORKING_DAY_SAME_TIME),
    ("pnp", "noise", {}, "low_level", FIFTH_WORKING_DAY_CLOSE),
    ("pnp", "violence", {"violence": True}, "serious", NEXT_WORKING_DAY_SAME_TIME),
    ("pnp", "pets", {"vulnerable": True}, "serious", NEXT_WORKING_DAY_SAME_TIME),
]


@pytest.mark.parametrize(("policy_id", "category", "screen", "tier", "due"), CASES)
def test_each_profile_sets_its_tier_and_due_date_before_a_bank_holiday_weekend(
    staff, policy_id: str, category: str, screen: dict[str, bool], tier: str, due: datetime
) -> None:
    landlord, adviser, _ = staff(policy_id)
    report = phone_report(landlord, adviser)
    report_triage(actor=adviser, report=report, is_asb=True, category=category, screen=screen)
    report.refresh_from_db()
    assert report.status == ReportStatus.CASE_OPENED
    case = report.case
    assert case is not None
    assert (case.tier, case.response_due_at.astimezone(LONDON)) == (tier, due)
    assert case.opened_at == BEFORE_BANK_HOLIDAY
    assert (case.policy_id, case.policy_version) == (policy_id, get_profile(policy_id).version)
    assert case.officer is not None, "every case gets a named officer"
    assert Party.objects.get(case=case, role=PartyRole.REPORTER).name == "Amira Khan"
    assert case.reference.startswith("ASB-2026-")


def test_a_report_after_office_hours_on_the_friday_is_deemed_received_after_the_bank_holiday(staff) -> None:
    landlord, adviser, _ = staff("emh")
    report = phone_report(landlord, adviser, received_at=datetime(2026, 8, 28, 18, 0, tzinfo=LONDON))
    report_triage(actor=adviser, report=report, is_asb=True, category="noise", screen={"violence": True})
    report.refresh_from_db()
    assert report.case is not None
    # Deemed received Tuesday 09:00; 24 working hours later is Wednesday 09:00.
    assert report.case.response_due_at.astimezone(LONDON) == datetime(2026, 9, 2, 9, 0, tzinfo=LONDON)


def test_wwh_advice_only_records_advice_and_opens_no_case(staff) -> None:
    landlord, adviser, _ = staff("wwh")
    report = phone_report(landlord, adviser)
    with pytest.raises(ApplicationError) as error:
        report_triage(actor=adviser, report=report, is_asb=True, category="vehicle_nuisance", tier="advice_only")
    assert "advice_given" in error.value.fields
    report_triage(
        actor=adviser, report=report, is_asb=True, category="vehicle_nuisance", tier="advice_only",
        advice_given="Explained parking on the road is not something we can enforce.",
    )  # fmt: skip
    report.refresh_from_db()
    assert report.status == ReportStatus.ADVICE_ONLY and report.case is None
    assert not Case.objects.exists()


def test_livv_anonymous_reports_are_information_only_unless_details_are_confirmed(staff) -> None:
    landlord, adviser, _ = staff("livv")
    first = phone_report(landlord, adviser, anonymous=True)
    report_triage(actor=adviser, report=first, is_asb=True, category="noise", tier="low")
    first.refresh_from_db()
    assert first.status == ReportStatus.INFORMATION_ONLY and first.case is None
    second = phone_report(landlord, adviser, anonymous=True)
    report_triage(actor=adviser, report=second, is_asb=True, category="noise", tier="low", details_confirmed=True)
    second.refresh_from_db()
    assert second.status == ReportStatus.CASE_OPENED
    assert Party.objects.get(case=second.case).anonymous


def test_emh_anonymous_reports_open_cases_with_an_anonymous_reporter(staff) -> None:
    landlord, adviser, _ = staff("emh")
    report = phone_report(landlord, adviser, anonymous=True)
    assert report.reporter_name == "" and report.reporter_phone == ""  # emh 6.6: nothing kept
    report_triage(actor=adviser, report=report, is_asb=True, category="noise", tier="low")
    report.refresh_from_db()
    assert report.status == ReportStatus.CASE_OPENED


def test_not_asb_needs_a_reason_and_the_advice_given(staff) -> None:
    landlord, adviser, _ = staff("emh")
    report = phone_report(landlord, adviser)
    with pytest.raises(ApplicationError) as error:
        report_triage(actor=adviser, report=report, is_asb=False)
    assert set(error.value.fields) == {"not_asb_reason", "advice_given"}
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW and report.triaged_at is None  # nothing half-saved
    report_triage(
        actor=adviser, report=report, is_asb=False, not_asb_reason="Noise generated from everyday living (emh 3.8)",
        advice_given="Talk to your neighbour; the council's environmental health team can help with noise.",
        advice_routes=["talk_to_neighbour", "environmental_health"],
    )  # fmt: skip
    report.refresh_from_db()
    assert report.status == ReportStatus.NOT_ASB and report.advice_routes == [
        "talk_to_neighbour",
        "environmental_health",
    ]
    assert AuditEvent.objects.filter(verb=Verb.REPORT_TRIAGED, object_label=report.reference).count() == 1
    with pytest.raises(ApplicationError, match="already been triaged"):
        report_triage(actor=adviser, report=report, is_asb=False, not_asb_reason="x", advice_given="y")


def test_unknown_category_tier_and_screen_questions_are_named(staff) -> None:
    landlord, adviser, _ = staff("emh")
    report = phone_report(landlord, adviser)
    with pytest.raises(ApplicationError) as error:
        report_triage(
            actor=adviser, report=report, is_asb=True, category="parking", tier="urgent", screen={"bogus": True}
        )
    assert set(error.value.fields) == {"category", "tier", "screen"}


def test_a_report_links_to_an_open_case_never_a_closed_one(staff) -> None:
    landlord, adviser, _ = staff("emh")
    first = phone_report(landlord, adviser)
    report_triage(actor=adviser, report=first, is_asb=True, category="noise", tier="low")
    first.refresh_from_db()
    assert first.case is not None
    second = phone_report(landlord, adviser)
    report_triage(actor=adviser, report=second, is_asb=True, link_to_case=first.case.reference)
    second.refresh_from_db()
    assert second.status == ReportStatus.LINKED and second.case_id == first.case_id
    Case.objects.filter(pk=first.case.pk).update(status=CaseStatus.CLOSED)
    third = phone_report(landlord, adviser)
    with pytest.raises(ApplicationError, match="closed"):
        report_triage(actor=adviser, report=third, is_asb=True, link_to_case=first.case.reference)


def test_flags_route_to_the_specialist_team_and_restrict_the_case(staff, make_user) -> None:
    landlord, adviser, _officer = staff("emh")
    specialist = make_user(landlord, "specialist")
    specialist.team = landlord.teams.get(name="ASB team")
    specialist.save()
    report = phone_report(landlord, adviser)
    report_triage(actor=adviser, report=report, is_asb=True, category="domestic_abuse", tier="high")
    report.refresh_from_db()
    case = report.case
    assert case is not None
    assert case.team is not None and case.team.name == "ASB team" and case.officer == specialist
    assert "domestic_abuse" in case.flags and case.restricted
    assert "Domestic Abuse Policy" in case.procedure


def test_recategorising_recomputes_the_target_and_keeps_history(staff) -> None:
    landlord, adviser, officer = staff("emh")
    report = phone_report(landlord, adviser)
    report_triage(actor=adviser, report=report, is_asb=True, category="noise", tier="low", officer=officer)
    report.refresh_from_db()
    case = report.case
    assert case is not None and case.response_due_at.astimezone(LONDON) == FIFTH_WORKING_DAY_CLOSE
    case_recategorise(actor=officer, case=case, tier="high", reason="Threats made on the stairs (emh 4.3)")
    case.refresh_from_db()
    assert case.tier == "high" and case.response_due_at.astimezone(LONDON) == NEXT_WORKING_DAY_SAME_TIME
    history = Recategorisation.objects.get(case=case)
    assert (history.tier_from, history.tier_to, history.due_to) == ("low", "high", case.response_due_at)
    with pytest.raises(ApplicationError):
        case_recategorise(actor=officer, case=case, tier="high", reason="again")


def test_the_first_contact_with_the_reporter_is_the_first_response(staff) -> None:
    landlord, adviser, officer = staff("emh")
    report = phone_report(landlord, adviser)
    report_triage(actor=adviser, report=report, is_asb=True, category="noise", tier="low", officer=officer)
    report.refresh_from_db()
    case = report.case
    assert case is not None
    reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
    at = datetime(2026, 9, 1, 10, 0, tzinfo=LONDON)
    contact_record(actor=officer, case=case, party=reporter, channel="phone", at=at, summary="Agreed weekly calls")
    case.refresh_from_db()
    assert case.first_response_at == at
    with pytest.raises(ApplicationError) as error:
        contact_record(actor=adviser, case=case, party=reporter, channel="phone", at=at, summary="x")
    assert "cannot" in str(error.value)


def test_an_adviser_cannot_add_a_report_to_a_restricted_case_they_cannot_see(staff, make_user) -> None:
    landlord, adviser, _officer = staff("emh")
    specialist = make_user(landlord, "specialist")
    first = phone_report(landlord, adviser)
    report_triage(actor=specialist, report=first, is_asb=True, category="domestic_abuse", tier="high")
    first.refresh_from_db()
    assert first.case is not None and first.case.restricted
    second = phone_report(landlord, adviser)
    with pytest.raises(ApplicationError, match="There is no case"):
        report_triage(actor=adviser, report=second, is_asb=True, link_to_case=first.case.reference)
    report_triage(actor=specialist, report=second, is_asb=True, link_to_case=first.case.reference)
    second.refresh_from_db()
    assert second.case_id == first.case_id


def test_viewing_a_report_is_audited(staff) -> None:
    from haven.intake.selectors import report_detail

    landlord, adviser, _officer = staff("emh")
    report = phone_report(landlord, adviser)
    report_detail(user=adviser, reference=report.reference, via="api")
    assert AuditEvent.objects.filter(verb=Verb.REPORT_VIEWED, object_label=report.reference, via="api").count() == 1
