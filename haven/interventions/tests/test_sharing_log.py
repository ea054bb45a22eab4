"""The information sharing log of a case (emh 6.3-6.4): the service's rules and the case page part.

Rules proved here: a disclosure needs an active agreement of this landlord or a lawful basis with
why, and an approver whose role the profile's ``partnership.disclosure_approvers`` names (for each
bundled profile); information received needs its handling restrictions; good entries of each kind
are recorded, audited on the case timeline, and shown on the case page, newest first, with the
case's referrals shown as disclosures; only caseworkers see the log; the page keeps typed input
on errors.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.selectors import case_detail
from haven.cases.selectors.timeline import case_timeline
from haven.cases.tests.any_profile import PROFILES
from haven.cases.tests.factories import signed_in, text
from haven.common.errors import ApplicationError
from haven.interventions.models.partnership import InformationShare, Referral
from haven.interventions.services.sharing import information_share_record, sharing_agreement_create
from haven.interventions.tests.factories import setting
from haven.interventions.views.sharing import _part
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db


def _agreement(manager, title="Police and landlord ASB protocol", **changes):  # type: ignore[no-untyped-def]
    values = {"title": title, "parties": "Police\nLandlord", "purpose": "Tackling ASB together",
              "signed_on": timezone.localdate() - timedelta(days=30),
              "review_on": timezone.localdate() + timedelta(days=300)}  # fmt: skip
    values.update(changes)
    return sharing_agreement_create(actor=manager, **values)


def _disclose(s, **changes):  # type: ignore[no-untyped-def]
    values = {"actor": s.officer, "case": s.case, "direction": "disclosed", "partner": "police",
              "what": "Dates of the incidents reported", "shared_on": timezone.localdate(), "method": "secure_email",
              "lawful_basis": "crime_disorder", "basis_detail": "To prevent further disorder",
              "approved_by": s.manager}  # fmt: skip
    values.update(changes)
    return information_share_record(**values)


def _refusal(call, **changes):  # type: ignore[no-untyped-def]
    with pytest.raises(ApplicationError) as caught:
        call(**changes)
    return caught.value


def test_a_disclosure_with_neither_agreement_nor_lawful_basis_is_refused(staff, make_user) -> None:
    """emh 6.3-6.4: every disclosure names the agreement or the lawful basis that allows it."""
    s = setting("emh", staff, make_user)
    error = _refusal(lambda **c: _disclose(s, **c), lawful_basis="", basis_detail="")
    assert error.fields["lawful_basis"] == (
        "Say which information sharing agreement or lawful basis allows this disclosure."
    )
    error = _refusal(lambda **c: _disclose(s, **c), basis_detail="")
    assert error.fields == {"basis_detail": "Say why this lawful basis allows the disclosure."}
    assert not InformationShare.objects.exists()


def test_another_landlords_agreement_or_an_inactive_one_is_refused(staff, make_user, make_landlord) -> None:
    """emh 6.3: the agreement is one the landlord is party to, and still in force."""
    s = setting("emh", staff, make_user)
    other = make_landlord("emh", slug="other")
    foreign = _agreement(make_user(other, "manager"))
    stale = _agreement(s.manager, title="Old protocol", active=False)
    for agreement in (foreign, stale):
        error = _refusal(lambda **c: _disclose(s, **c), agreement=agreement, lawful_basis="", basis_detail="")
        assert error.fields["agreement"] == "Choose an active information sharing agreement of this landlord."
    assert not InformationShare.objects.exists()


def test_an_approver_without_an_approving_role_is_refused(staff, make_user) -> None:
    """emh 6.4: the approver's role is one of the profile's partnership.disclosure_approvers (emh:
    specialist or manager), so the officer cannot approve their own disclosure."""
    s = setting("emh", staff, make_user)
    error = _refusal(lambda **c: _disclose(s, **c), approved_by=s.officer)
    assert (
        error.fields["approved_by"]
        == "Sam Tester cannot approve a disclosure: it needs an ASB specialist or a team manager."
    )
    error = _refusal(lambda **c: _disclose(s, **c), approved_by=None)
    assert error.fields["approved_by"] == "Say who approved this disclosure: an ASB specialist or a team manager."


@pytest.mark.parametrize("policy_id", PROFILES)
def test_the_approving_roles_follow_the_profile(policy_id, staff, make_user) -> None:
    """emh 6.4: each profile names its own approvers (wwh lets an officer approve; the others do not)."""
    s = setting(policy_id, staff, make_user)
    roles = get_profile(policy_id).partnership.disclosure_approvers
    specialist = make_user(s.landlord, "specialist")
    for approver in (s.officer, specialist, s.manager):
        if approver.role in roles:
            assert _disclose(s, approved_by=approver).approved_by == approver
        else:
            assert (
                "cannot approve a disclosure" in _refusal(lambda **c: _disclose(s, **c), approved_by=approver).message
            )
    assert (s.officer.role in roles) == (policy_id == "wwh")


def test_information_received_needs_its_handling_restrictions(staff, make_user) -> None:
    """emh 6.3-6.4: information received from a partner is recorded with how it must be handled."""
    s = setting("emh", staff, make_user)
    error = _refusal(
        lambda **c: information_share_record(**c), actor=s.officer, case=s.case, direction="received",
        organisation="Leicestershire Police", what="Two call-outs last month", shared_on=timezone.localdate(),
        method="phone", handling="  ",
    )  # fmt: skip
    assert error.fields == {"handling": "Say how it must be handled, or 'No restrictions'."}


def test_a_good_disclosure_and_a_good_receipt_are_recorded_and_on_the_timeline(staff, make_user) -> None:
    """emh 6.3-6.4: what, to whom, when, how, the agreement and who approved it; received with its
    handling. Each is audited on the case (codes and ids only, no free text)."""
    s = setting("emh", staff, make_user)
    agreement = _agreement(s.manager)
    disclosed = _disclose(s, agreement=agreement, lawful_basis="", basis_detail="")
    assert (disclosed.organisation, disclosed.lawful_basis, disclosed.approved_by) == (
        "Police Services", "agreement", s.manager,
    )  # fmt: skip
    received = information_share_record(
        actor=s.officer, case=s.case, direction="received", partner="", organisation="Leicestershire Police",
        what="Two call-outs last month", shared_on=timezone.localdate(), method="phone", handling="Police only",
        approved_by=s.manager,
    )  # fmt: skip
    assert received.approved_by is None and received.handling == "Police only"
    events = AuditEvent.objects.filter(verb=Verb.INFORMATION_SHARED, object_id=str(s.case.pk))
    assert events.count() == 2
    assert "Dates of the incidents" not in str(list(events.values_list("changes", flat=True)))
    phrases = [row.what for row in case_timeline(user=s.officer, case=s.case).rows]
    assert phrases.count("Recorded information shared") == 2


def test_the_case_page_shows_the_log_with_referrals_newest_first(staff, make_user) -> None:
    """emh 6.3-6.4: the log on the case shows every disclosure, the referrals among them (consent or
    lawful basis, made by), and the handling next to each entry received; caseworkers only."""
    s = setting("emh", staff, make_user)
    today = timezone.localdate()
    _disclose(s, what="Incident dates", shared_on=today)
    information_share_record(
        actor=s.officer, case=s.case, direction="received", organisation="Leicestershire Police",
        what="Call-out log", shared_on=today, method="phone", handling="Do not tell the reported person",
    )  # fmt: skip
    # Referrals are helper C's records; made directly here so this test does not wait on C's service.
    Referral.objects.create(
        case=s.case, partner="social_care", made_on=today - timedelta(days=2), reason="Support for the reporter",
        consent="given", response_due_on=today + timedelta(days=10), made_by=s.officer,
    )  # fmt: skip
    page = text(signed_in(s.officer).get(f"/cases/{s.case.reference}/"))
    log = page[page.index('data-testid="sharing-log"') :]
    assert log.index("Call-out log") < log.index("Incident dates") < log.index("Support for the reporter")
    assert 'To Social Care (Adult and Children)<br><span class="govuk-body-s">Referral;' in log
    assert "Consent given" in log
    assert "Handling</strong> Do not tell the reported person" in log
    assert "Approved by Sam Tester" in log
    adviser_page = text(signed_in(s.adviser).get(f"/cases/{s.case.reference}/"))
    assert 'data-testid="sharing-log"' not in adviser_page and "Call-out log" not in adviser_page


def test_the_page_form_records_a_disclosure_and_keeps_typed_input_on_errors(staff, make_user) -> None:
    """The sharing form on the case page: a refused disclosure shows the message and what was typed
    (400, nothing written); a good one is recorded and redirects to the log."""
    s = setting("emh", staff, make_user)
    client = signed_in(s.officer)
    url = f"/cases/{s.case.reference}/information-shares/"
    body = {"share-direction": "disclosed", "share-partner": "police", "share-what": "Incident dates and times",
            "share-shared_on": timezone.localdate().strftime("%d/%m/%Y"), "share-method": "phone"}  # fmt: skip
    refused = client.post(url, body)
    assert refused.status_code == 400
    page = text(refused)
    assert "There is a problem" in page and "Incident dates and times</textarea>" in page
    assert "Say which information sharing agreement or lawful basis allows this disclosure." in page
    assert not InformationShare.objects.exists()
    body.update({"share-lawful_basis": "safeguarding", "share-basis_detail": "A child at risk",
                 "share-approved_by": str(s.manager.pk)})  # fmt: skip
    done = client.post(url, body)
    assert done.status_code == 303 and done["Location"].endswith("#information-sharing")
    assert InformationShare.objects.get().approved_by == s.manager


def test_a_caseworker_may_not_see_the_form_of_a_case_they_cannot_work(staff, make_user) -> None:
    """Only those who may work the case (can_work_case) write the log: an adviser gets 403."""
    s = setting("emh", staff, make_user)
    response = signed_in(s.adviser).post(f"/cases/{s.case.reference}/information-shares/", {})
    assert response.status_code == 403


def test_the_case_page_part_costs_the_same_queries_whatever_the_log_size(staff, make_user) -> None:
    """ARCHITECTURE.md 12: the sharing part adds a fixed number of queries (shares, referrals, and for
    the form the active agreements and the approvers), however long the log."""
    s = setting("emh", staff, make_user)

    def cost() -> int:
        case = case_detail(user=s.officer, reference=s.case.reference)
        with CaptureQueriesContext(connection) as queries:
            _part(s.officer, case, {})
        return len(queries)

    first = cost()
    for n in range(3):
        _disclose(s, what=f"Entry {n}", agreement=_agreement(s.manager, title=f"Protocol {n}"))
    assert cost() == first == 4
