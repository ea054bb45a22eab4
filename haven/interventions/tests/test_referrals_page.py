"""Referrals on the case page and the overdue referrals list (WWH 4.0 "Monitor Referrals"; emh 4.13).

Rules proved here: an officer makes a referral and records the answer from the case page; bad input
shows the form again as typed with its errors and writes nothing; "What is due" shows a red
"Referral overdue" item once past the day expected and a blue "Referral answer expected" before;
``/referrals/overdue/`` lists the overdue referrals on the open cases the user may see (never
another landlord's, a restricted case only for those who may see it) at the same query cost for
1 or 20; the case page part costs the same queries for 1 or 20 referrals.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.cases.tests.factories import open_case, signed_in, text
from haven.interventions.models import Referral
from haven.interventions.services.partnership import referral_response_record
from haven.interventions.tests.test_referrals import aged_case, refer

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _day(days: int) -> str:
    return (TODAY() + timedelta(days=days)).strftime("%d/%m/%Y")


def test_an_officer_makes_a_referral_and_records_the_answer_from_the_case_page(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """The referral form and the answer form on the case page (WWH 4.0; emh 4.13)."""
    case, officer = aged_case("emh", staff, make_user)
    client = signed_in(officer)
    made = client.post(f"/cases/{case.reference}/referrals/", {
        "referral-make-partner": "social_care", "referral-make-made_on": _day(-2),
        "referral-make-reason": "Children at risk", "referral-make-consent": "not_sought",
        "referral-make-lawful_basis": "safeguarding", "referral-make-basis_detail": "Risk of harm to a child",
    })  # fmt: skip
    assert made.status_code == 303, text(made)
    referral = Referral.objects.get(case=case)
    assert (referral.partner, referral.lawful_basis, referral.made_on) == (
        "social_care",
        "safeguarding",
        TODAY() - timedelta(days=2),
    )
    page = text(client.get(f"/cases/{case.reference}/"))
    assert "Social Care (Adult and Children)" in page and "Referral answer expected" in page
    answered = client.post(f"/cases/{case.reference}/referrals/{referral.pk}/response/", {
        f"referral-{referral.pk}-responded_on": _day(0), f"referral-{referral.pk}-response": "Assessment booked",
        f"referral-{referral.pk}-version": referral.updated_at.isoformat(),
    })  # fmt: skip
    assert answered.status_code == 303, text(answered)
    referral.refresh_from_db()
    assert referral.response == "Assessment booked" and referral.responded_on == TODAY()
    assert "Referral answer expected" not in text(client.get(f"/cases/{case.reference}/"))


def test_bad_input_keeps_what_was_typed_and_writes_nothing(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Issue 6 "Bad input": no consent without a lawful basis, named in the error summary, with the
    typed reason kept; a partner outside the profile cannot be posted either."""
    case, officer = aged_case("emh", staff, make_user)
    client = signed_in(officer)
    refused = client.post(f"/cases/{case.reference}/referrals/", {
        "referral-make-partner": "police", "referral-make-made_on": _day(0),
        "referral-make-reason": "Threats made on the stairs", "referral-make-consent": "refused",
    })  # fmt: skip
    page = text(refused)
    assert refused.status_code == 400
    assert "There is a problem" in page and "Without consent, choose the lawful basis" in page
    assert "Threats made on the stairs" in page and 'value="refused" checked' in page
    other = client.post(f"/cases/{case.reference}/referrals/", {
        "referral-make-partner": "interpol", "referral-make-made_on": _day(0),
        "referral-make-reason": "x", "referral-make-consent": "given",
    })  # fmt: skip
    assert other.status_code == 400 and "Choose the partner from the list." in text(other)
    assert not Referral.objects.exists()


def test_what_is_due_shows_overdue_referrals_in_red(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """WWH 4.0 "Monitor Referrals": red once past the day its answer was expected."""
    case, officer = aged_case("whg", staff, make_user)
    refer(case, officer, made_on=TODAY() - timedelta(days=9), response_due_on=TODAY() - timedelta(days=1))
    page = text(signed_in(officer).get(f"/cases/{case.reference}/"))
    assert "Referral overdue" in page and "has not answered" in page and 'govuk-tag--red">Overdue' in page


def test_the_case_page_part_costs_the_same_for_1_or_20_referrals(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Bounded queries (ARCHITECTURE.md 12): the part prefetches, never a query per row."""
    case, officer = aged_case("emh", staff, make_user)
    client = signed_in(officer)
    refer(case, officer, made_on=TODAY() - timedelta(days=3))
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/cases/{case.reference}/").status_code == 200
    for _ in range(19):
        refer(case, officer, made_on=TODAY() - timedelta(days=3), party=case.parties.last())
    with CaptureQueriesContext(connection) as twenty:
        assert client.get(f"/cases/{case.reference}/").status_code == 200
    assert len(twenty) == len(one)


def test_the_overdue_list_shows_only_what_the_user_may_see(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """WWH 4.0 "Monitor Referrals": the overdue referrals of the landlord's cases the user may see;
    another landlord's never; a restricted case only for its officer, specialists and managers;
    answered and not yet due ones are not listed."""
    case, officer = aged_case("emh", staff, make_user)
    landlord = case.landlord
    specialist = make_user(landlord, "specialist")
    restricted = open_case(landlord, specialist, specialist, category="domestic_abuse", tier="high",
                           received_at=timezone.now() - timedelta(days=20))  # fmt: skip
    assert restricted.restricted
    late = {"made_on": TODAY() - timedelta(days=8), "response_due_on": TODAY() - timedelta(days=2)}
    refer(case, officer, **late)
    refer(case, officer, made_on=TODAY() - timedelta(days=8), response_due_on=TODAY())
    answered = refer(case, officer, **late)
    referral_response_record(actor=officer, referral=answered, responded_on=TODAY(), response="Done", version=None)
    refer(restricted, specialist, partner="marac", **late)
    other_case, other_officer = aged_case("whg", staff, make_user)
    refer(other_case, other_officer, **late)

    # References are per landlord (both landlords have an ASB-...-000001): count the rows.
    officer_page = text(signed_in(officer).get("/referrals/overdue/"))
    assert case.reference in officer_page and restricted.reference not in officer_page
    assert "1 overdue referral" in officer_page and "2 days late" in officer_page
    specialist_page = text(signed_in(specialist).get("/referrals/overdue/"))
    assert restricted.reference in specialist_page and "2 overdue referrals" in specialist_page
    whg_page = text(signed_in(other_officer).get("/referrals/overdue/"))
    assert other_case.reference in whg_page and "1 overdue referral" in whg_page
    assert restricted.reference not in whg_page


def test_the_overdue_list_costs_the_same_for_1_or_20_referrals(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Bounded queries (ARCHITECTURE.md 12), with the ``referral_awaiting`` index."""
    case, officer = aged_case("emh", staff, make_user)
    client = signed_in(officer)
    late = {"made_on": TODAY() - timedelta(days=8), "response_due_on": TODAY() - timedelta(days=2)}
    refer(case, officer, **late)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/referrals/overdue/").status_code == 200
    for _ in range(19):
        refer(case, officer, party=case.parties.last(), **late)
    with CaptureQueriesContext(connection) as twenty:
        response = client.get("/referrals/overdue/")
    assert "20 overdue referrals" in text(response)
    assert len(twenty) == len(one)


def test_who_may_not_work_the_case_sees_no_forms_and_is_refused(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Deny by default (ARCHITECTURE.md 5): an adviser who can see the case gets no forms and a 403;
    another landlord's officer a 404; nothing is written."""
    case, _ = aged_case("emh", staff, make_user)
    adviser = case.landlord.users.get(role="adviser")
    _, _, stranger = staff("whg")
    post = {"referral-make-partner": "police", "referral-make-made_on": _day(0),
            "referral-make-reason": "x", "referral-make-consent": "given"}  # fmt: skip
    client = signed_in(adviser)
    assert "Make a referral" not in text(client.get(f"/cases/{case.reference}/"))
    assert client.post(f"/cases/{case.reference}/referrals/", post).status_code == 403
    assert signed_in(stranger).post(f"/cases/{case.reference}/referrals/", post).status_code == 404
    assert signed_in(stranger).post(f"/cases/{case.reference}/meetings/", {}).status_code == 404
    assert not Referral.objects.exists()
