"""The policy compliance audit (whg 3.4), against a data set worked out by hand (emh, January 2026):

- responded within target: X answered in time (met), Y answered late (short), Z not answered and
  past its target (short): 3 checked, 1 met, Y and Z short;
- survey offered at closure: X closed with its reporter invited (met); Y's reporter anonymous, so
  no invitation (short): 2 checked, 1 met;
- a case opened today, not answered and not yet due, is not counted;
- the page lists the cases that fall short with links to them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from haven.cases.models import Case, CaseStatus, Closure, Party, PartyRole
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import open_case, signed_in, text
from haven.insights.selectors.compliance import compliance_audit

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")


def uk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UK)  # type: ignore[misc]


def test_the_audit_matches_the_hand_count_and_drills_down(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    landlord, adviser, officer = staff("emh")
    made = {}
    for name, day, answered in (("X", 5, 1), ("Y", 6, 200), ("Z", 7, None)):
        case = open_case(landlord, adviser, officer, received_at=uk(2026, 1, day, 10))
        Case.objects.filter(pk=case.pk).update(
            response_due_at=uk(2026, 1, day, 10) + timedelta(hours=48),
            first_response_at=uk(2026, 1, day, 10) + timedelta(hours=answered) if answered else None,
        )  # fmt: skip
        made[name] = case
    open_case(landlord, adviser, officer)  # today: not due yet
    Party.objects.filter(case=made["Y"], role=PartyRole.REPORTER).update(anonymous=True)
    for name in ("X", "Y"):
        case_transition(actor=officer, case=made[name], to=CaseStatus.CLOSED, reason="Done", closure_reason="resolved",
                        outcome="Ended", resolved=True)  # fmt: skip
        Closure.objects.filter(case=made[name]).update(closed_at=uk(2026, 1, 20, 10))

    lines = {line.code: line for line in compliance_audit(landlord, uk(2026, 1, 1), uk(2026, 2, 1))}
    responded = lines["responded"]
    assert (responded.checked, responded.met, sorted(responded.short)) == (
        3, 1, sorted([made["Y"].reference, made["Z"].reference])
    )  # fmt: skip
    survey = lines["survey_offered"]
    assert (survey.checked, survey.met, survey.short) == (2, 1, [made["Y"].reference])
    assert list(lines) == ["responded", "full_risk", "action_plan", "contact_plan", "reviews", "proportionality",
                           "survey_offered", "evidence"]  # fmt: skip
    assert compliance_audit(landlord, uk(2026, 1, 1), uk(2026, 2, 1))[0].percent == 33.3
    today_only = compliance_audit(landlord, timezone.now() - timedelta(hours=2), timezone.now() + timedelta(hours=1))
    assert today_only[0].checked == 0

    page = signed_in(make_user(landlord, "manager")).get("/insights/compliance/?start=01/01/2026&end=31/01/2026")
    body = page.content.decode()
    assert page.status_code == 200 and "Policy compliance audit" in text(page)
    assert f'href="/cases/{made["Z"].reference}/"' in body and "2 fall short" in text(page)
    assert signed_in(officer).get("/insights/compliance/").status_code == 403


def test_working_day_deadlines_count_the_close_of_business_weekends_and_bank_holidays(staff) -> None:  # type: ignore[no-untyped-def]
    """Lines 2 and 8 (emh 4.4 full risk assessment, emh 4.3 evidence review: 5 working days, office
    09:00-17:00), worked out by hand on the January 2026 calendar (Thursday 1 January a bank holiday).
    A deadline is the close (17:00) of the 5th working day after the day of deemed receipt; a record
    arriving at or after 17:00, or on a day the office is shut, is received the next working day.

    Full risk assessment, by the case's first report:
    - A: Monday 5th 10:00, due Monday 12th 17:00, assessed at 17:00 exactly: met;
    - B: Tuesday 6th 10:00, due Tuesday 13th 17:00, assessed a second later: short;
    - C: Friday 9th 18:00, received Monday 12th, due Monday 19th 17:00, assessed then at 16:00: met;
    - D: Wednesday 7th 10:00, never assessed, due passed: short;
    - E: Saturday 10th 11:00, received Monday 12th, due Monday 19th 17:00, assessed 17:30: short;
    so 5 checked, 2 met, B, D and E short.

    Evidence review, by when the incident was recorded:
    - on A: Thursday 1st (bank holiday) 10:00, received Friday 2nd, due Friday 9th 17:00, reviewed
      Friday 9th 16:00: met;
    - on B: Monday 5th at 17:00, received Tuesday 6th, due Tuesday 13th 17:00, reviewed then at
      10:00: met;
    - on B: Monday 5th 10:00, never reviewed: short;
    - on D: 31 December 2025: outside the period;
    so 3 checked, 2 met, B short.
    """
    from haven.cases.models import Incident, RiskAssessment

    landlord, adviser, officer = staff("emh")
    opened = {"A": uk(2026, 1, 5, 10), "B": uk(2026, 1, 6, 10), "C": uk(2026, 1, 9, 18), "D": uk(2026, 1, 7, 10),
              "E": uk(2026, 1, 10, 11)}  # fmt: skip
    assessed = {"A": uk(2026, 1, 12, 17), "B": uk(2026, 1, 13, 17, 0, 1), "C": uk(2026, 1, 19, 16), "D": None,
                "E": uk(2026, 1, 19, 17, 30)}  # fmt: skip
    cases = {name: open_case(landlord, adviser, officer, received_at=at) for name, at in opened.items()}
    for name, case in cases.items():
        Case.objects.filter(pk=case.pk).update(opened_at=opened[name])
        RiskAssessment.objects.filter(case=case).delete()
        Incident.objects.filter(case=case).delete()
        if assessed[name] is not None:
            reporter = Party.objects.get(case=case, role=PartyRole.REPORTER)
            RiskAssessment.objects.create(
                case=case, party=reporter, matrix_version="1", policy_id="emh", policy_version="1", score=3,
                band="low", tier_at_assessment="low", assessed_at=assessed[name], assessed_by=officer,
            )  # fmt: skip
    for name, created, reviewed in (("A", uk(2026, 1, 1, 10), uk(2026, 1, 9, 16)),
                                    ("B", uk(2026, 1, 5, 17), uk(2026, 1, 13, 10)), ("B", uk(2026, 1, 5, 10), None),
                                    ("D", uk(2025, 12, 31, 10), None)):  # fmt: skip
        incident = Incident.objects.create(case=cases[name], occurred_at=created, description="Shouting",
                                           source="officer", reviewed_at=reviewed)  # fmt: skip
        Incident.objects.filter(pk=incident.pk).update(created_at=created)

    lines = {line.code: line for line in compliance_audit(landlord, uk(2026, 1, 1), uk(2026, 2, 1))}
    risk, evidence = lines["full_risk"], lines["evidence"]
    assert (risk.checked, risk.met, risk.short_count) == (5, 2, 3)
    assert sorted(risk.short) == sorted(cases[n].reference for n in "BDE")
    assert (evidence.checked, evidence.met, evidence.short_count, evidence.short) == (3, 2, 1, [cases["B"].reference])
