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
