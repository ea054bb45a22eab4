"""Active and inactive (WWH 5.0: "if recent activity or action has occurred they will be considered
'Active', if there is no current activity in relation to the case, then it may be considered
'Inactive'").

Rules proved here, in every bundled profile: a case is active when it is open or reopened and work
was recorded on it within the profile's ``casework.inactive_after`` calendar days; a case with
older work is inactive, a closed case is never active; the filter (``active_q``) and the
per-case rule (``case_is_active``) agree; recording work makes an inactive case active again; the
case page, the case list, the API case document and the API's ``active`` and ``due=inactive``
filters all use this rule.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.cases.models import Case
from haven.cases.selectors.activity import active_q, case_is_active, inactive_q
from haven.cases.services import contact_record
from haven.cases.services.workflow import case_transition
from haven.cases.tests.factories import signed_in, text
from haven.cases.tests.test_workflow import CLOSING, open_any
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]
PROFILES = ["whg", "wwh", "emh", "livv", "pnp"]


def _idle(case: Case, days: float) -> Case:
    """Make the case's last recorded work ``days`` ago."""
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - timedelta(days=days))
    case.refresh_from_db()
    return case


@pytest.mark.parametrize("policy_id", PROFILES)
def test_a_case_is_active_within_the_profiles_window_and_inactive_after_it(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    profile = get_profile(policy_id)
    window = profile.casework.inactive_after.amount
    now = timezone.now()
    fresh = open_any(landlord, adviser, officer)
    edge = _idle(open_any(landlord, adviser, officer), window - 0.01)
    stale = _idle(open_any(landlord, adviser, officer), window + 0.01)
    closed = case_transition(actor=officer, case=open_any(landlord, adviser, officer), to="closed", **CLOSING)  # type: ignore[arg-type]
    assert case_is_active(fresh, profile, now) and case_is_active(edge, profile, now)
    assert not case_is_active(stale, profile, now) and not case_is_active(closed, profile, now)
    cases = Case.objects.filter(landlord=landlord)
    assert set(cases.filter(active_q(profile, now))) == {fresh, edge}
    assert set(cases.filter(inactive_q(profile, now))) == {stale}  # closed is neither


def test_an_open_case_without_a_recorded_activity_counts_from_when_it_opened(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    profile, now = get_profile("emh"), timezone.now()
    case = open_any(landlord, adviser, officer)
    Case.objects.filter(pk=case.pk).update(last_activity_at=None, opened_at=now - timedelta(days=60))
    case.refresh_from_db()
    assert not case_is_active(case, profile, now)
    assert list(Case.objects.filter(inactive_q(profile, now))) == [case]
    Case.objects.filter(pk=case.pk).update(opened_at=now - timedelta(days=2))
    case.refresh_from_db()
    assert case_is_active(case, profile, now) and list(Case.objects.filter(active_q(profile, now))) == [case]


def test_recording_work_makes_an_inactive_case_active_again(staff: Staff) -> None:
    landlord, adviser, officer = staff("wwh")
    profile = get_profile("wwh")
    case = _idle(open_any(landlord, adviser, officer), 40)
    assert not case_is_active(case, profile, timezone.now())
    reporter = case.parties.get(role="reporter")
    contact_record(actor=officer, case=case, party=reporter, channel="phone", at=timezone.now(), summary="Called")
    case.refresh_from_db()
    assert case_is_active(case, profile, timezone.now())


def test_a_reopened_case_with_recent_work_is_active(staff: Staff) -> None:
    landlord, adviser, officer = staff("pnp")
    case = case_transition(actor=officer, case=open_any(landlord, adviser, officer), to="closed", **CLOSING)  # type: ignore[arg-type]
    case = case_transition(actor=officer, case=case, to="reopened", reason="More reports")
    assert case_is_active(case, get_profile("pnp"), timezone.now())


@pytest.mark.parametrize("policy_id", PROFILES)
def test_the_page_the_list_and_the_api_say_inactive_for_an_idle_case(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    fresh = open_any(landlord, adviser, officer)
    stale = _idle(open_any(landlord, adviser, officer), 60)
    client = signed_in(officer)
    page = text(client.get(f"/cases/{stale.reference}/"))
    assert 'data-testid="case-activity">Inactive' in page and "review the case (WWH 5.0)" in page
    assert 'data-testid="case-activity">Active' in text(client.get(f"/cases/{fresh.reference}/"))
    listing = text(client.get("/cases/"))
    assert 'data-testid="activity">Inactive' in listing and 'data-testid="activity">Active' in listing
    inactive_only = text(client.get("/cases/?due=inactive"))
    assert stale.reference in inactive_only and fresh.reference not in inactive_only
    assert client.get(f"/api/v1/cases/{stale.reference}").json()["active"] is False
    assert client.get(f"/api/v1/cases/{fresh.reference}").json()["active"] is True
    listed = {c["reference"]: c["active"] for c in client.get("/api/v1/cases?active=false").json()["results"]}
    assert listed == {stale.reference: False}
    listed = {c["reference"] for c in client.get("/api/v1/cases?active=true").json()["results"]}
    assert listed == {fresh.reference}
    assert [c["reference"] for c in client.get("/api/v1/cases?due=inactive").json()["results"]] == [stale.reference]
