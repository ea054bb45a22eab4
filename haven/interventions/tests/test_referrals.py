"""Referrals to partners (emh 6.1-6.2, 4.13; WWH 4.0 "Monitor Referrals").

Rules proved here: a referral goes only to a partner of the landlord's profile, for every bundled
profile; without consent it needs a lawful basis other than consent and why (emh 4.13); the answer
is expected by the profile's ``partnership.referral_response_within`` in the landlord's working
time unless the officer sets a date, never before the referral was made; a referral is overdue
from the day after its answer was expected, and never once answered; the soonest awaited answer is
part of the case's ``next_due_at``; the answer is refused before the referral or in the future and
when someone else saved the referral since; the audit holds codes and dates, no free text.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, PartyRole
from haven.cases.services.parties import case_party_add
from haven.cases.tests.any_profile import PROFILES, noise_case
from haven.common.dates import end_of_day
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.interventions.models import Referral
from haven.interventions.selectors.partnership import referral_overdue
from haven.interventions.services.partnership import referral_default_due, referral_make, referral_response_record
from haven.interventions.tests.factories import setting
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def aged_case(policy_id, staff, make_user, *, days: int = 30):  # type: ignore[no-untyped-def]
    """A noise case opened ``days`` ago, its officer and a reported person."""
    landlord, adviser, officer = staff(policy_id)
    received = timezone.now() - timedelta(days=days)
    case = noise_case(landlord, adviser, officer, received_at=received)
    case_party_add(actor=officer, case=case, role=PartyRole.REPORTED, name="Dan Reid", address="Flat 4")
    case.refresh_from_db()
    return case, officer


def refer(case: Case, officer, **changes) -> Referral:  # type: ignore[no-untyped-def]
    values = {"partner": "police", "made_on": TODAY(), "reason": "Threats to the reporter", "consent": "given"}
    values.update(changes)
    return referral_make(actor=officer, case=case, **values)


@pytest.mark.parametrize("policy_id", PROFILES)
def test_a_referral_goes_only_to_a_partner_of_the_profile(policy_id, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Issue 6 "Bad input": a referral to an agency not in the profile is refused, for each profile;
    one of its partners is accepted."""
    s = setting(policy_id, staff, make_user)
    profile = get_profile(policy_id)
    with pytest.raises(ApplicationError) as refused:
        refer(s.case, s.officer, partner="interpol")
    assert refused.value.fields["partner"] == (
        f"interpol is not one of {profile.landlord.name}'s partners: choose one from the list."
    )
    assert not Referral.objects.exists()
    partner = profile.partners[0]
    referral = refer(s.case, s.officer, partner=partner.code, party=s.reported)
    assert (referral.partner, referral.party, referral.lawful_basis) == (partner.code, s.reported, "consent")
    assert AuditEvent.objects.filter(verb=Verb.REFERRAL_MADE, object_label=s.case.reference).count() == 1


def test_without_consent_the_lawful_basis_and_why_are_required(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """emh 4.13: sharing without consent toward statutory authorities is lawful for safeguarding,
    but the basis and why must be recorded; consent itself is not a basis without consent."""
    s = setting("emh", staff, make_user)
    for consent in ("refused", "not_sought"):
        with pytest.raises(ApplicationError) as refused:
            refer(s.case, s.officer, consent=consent)
        assert set(refused.value.fields) == {"lawful_basis", "basis_detail"}
    with pytest.raises(ApplicationError) as refused:
        refer(s.case, s.officer, consent="refused", lawful_basis="consent", basis_detail="They agreed")
    assert set(refused.value.fields) == {"lawful_basis"}
    with pytest.raises(ApplicationError) as refused:
        refer(s.case, s.officer, consent="maybe")
    assert set(refused.value.fields) == {"consent"}
    assert not Referral.objects.exists()
    made = refer(s.case, s.officer, partner="social_care", consent="refused", lawful_basis="safeguarding",
                 basis_detail="A child in the home is at risk")  # fmt: skip
    assert (made.consent, made.lawful_basis) == ("refused", "safeguarding")


def test_other_bad_input_is_refused_with_each_field_named(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """A referral needs a date not in the future nor before the case opened, a reason, a party of
    this case, and an answer date not before it was made; nothing is written otherwise."""
    s = setting("emh", staff, make_user)
    other = setting("whg", staff, make_user)
    with pytest.raises(ApplicationError) as refused:
        refer(s.case, s.officer, made_on=TODAY() + timedelta(days=1), reason=" ", party=other.reported)
    assert set(refused.value.fields) == {"made_on", "reason", "party"}
    with pytest.raises(ApplicationError) as refused:
        refer(s.case, s.officer, made_on=TODAY() - timedelta(days=40))
    assert refused.value.fields["made_on"] == "The referral cannot be made before the case's first report was received."
    with pytest.raises(ApplicationError) as refused:
        refer(s.case, s.officer, response_due_on=TODAY() - timedelta(days=1))
    assert refused.value.fields == {"response_due_on": "The answer cannot be expected before the referral was made."}
    assert not Referral.objects.exists()


@pytest.mark.parametrize("policy_id", ["emh", "wwh"])
def test_the_default_answer_date_is_in_working_days_skipping_a_bank_holiday(policy_id, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """WWH 4.0 with the profile's ``referral_response_within`` (10 working days in both): a referral
    made on Friday 28 August 2026, before the August bank holiday on Monday 31st (England and
    Wales), expects its answer on Monday 14 September, not Friday 11th."""
    landlord, adviser, officer = staff(policy_id)
    received = timezone.make_aware(timezone.datetime(2026, 8, 20, 10, 0))
    case = noise_case(landlord, adviser, officer, received_at=received)
    friday = date(2026, 8, 28)
    assert referral_default_due(case=case, made_on=friday) == date(2026, 9, 14)
    assert refer(case, officer, made_on=friday).response_due_on == date(2026, 9, 14)
    # A date the officer sets wins, even the day it was made.
    assert refer(case, officer, made_on=friday, response_due_on=friday).response_due_on == friday


def test_overdue_from_the_day_after_the_answer_was_expected_and_never_once_answered(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """WWH 4.0 "Monitor Referrals": on the day expected it is not overdue, the next day it is; an
    answered referral never is."""
    case, officer = aged_case("wwh", staff, make_user)
    today = TODAY()
    due_today = refer(case, officer, made_on=today - timedelta(days=5), response_due_on=today)
    due_yesterday = refer(case, officer, made_on=today - timedelta(days=5), response_due_on=today - timedelta(days=1))
    assert not referral_overdue(due_today, today)
    assert referral_overdue(due_today, today + timedelta(days=1))
    assert referral_overdue(due_yesterday, today)
    answered = referral_response_record(
        actor=officer, referral=due_yesterday, responded_on=today, response="Police will visit", version=None
    )
    assert not referral_overdue(answered, today + timedelta(days=100))


def test_the_awaited_answer_counts_in_the_cases_next_due(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """The soonest answer awaited is part of the case's next due (cases.extensions; WWH 4.0), and
    leaves it once answered."""
    case, officer = aged_case("emh", staff, make_user, days=30)
    before = Case.objects.get(pk=case.pk).next_due_at
    opened_on = timezone.localtime(case.opened_at).date()
    referral = refer(case, officer, made_on=opened_on, response_due_on=opened_on)
    after = Case.objects.get(pk=case.pk).next_due_at
    assert after == min(d for d in (before, end_of_day(opened_on)) if d is not None)
    assert after == end_of_day(opened_on) and after != before
    referral_response_record(actor=officer, referral=referral, responded_on=TODAY(), response="Seen", version=None)
    assert Case.objects.get(pk=case.pk).next_due_at == before


def test_the_answer_is_dated_between_the_referral_and_today_and_guarded_against_stale_edits(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """The partner's answer cannot be before the referral nor in the future and needs what they
    said; saving over someone else's change is refused (haven.common.stale)."""
    case, officer = aged_case("livv", staff, make_user)
    made = TODAY() - timedelta(days=3)
    referral = refer(case, officer, partner=get_profile("livv").partners[0].code, made_on=made)
    seen = version_of(referral.updated_at)
    with pytest.raises(ApplicationError) as refused:
        referral_response_record(actor=officer, referral=referral, responded_on=made - timedelta(days=1),
                                 response="", version=seen)  # fmt: skip
    assert set(refused.value.fields) == {"responded_on", "response"}
    with pytest.raises(ApplicationError) as refused:
        referral_response_record(actor=officer, referral=referral, responded_on=TODAY() + timedelta(days=1),
                                 response="Yes", version=seen)  # fmt: skip
    assert set(refused.value.fields) == {"responded_on"}
    referral_response_record(actor=officer, referral=referral, responded_on=TODAY(), response="Yes", version=seen)
    with pytest.raises(ApplicationError) as stale:
        referral_response_record(actor=officer, referral=referral, responded_on=TODAY(), response="No", version=seen)
    assert stale.value.code == "stale"
    assert Referral.objects.get(pk=referral.pk).response == "Yes"


def test_the_audit_holds_codes_and_dates_not_what_was_said(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Issue 6 brief: no personal free text in the audit's changes (reasons, answers, bases)."""
    s = setting("pnp", staff, make_user)
    partner = get_profile("pnp").partners[0].code
    referral = refer(s.case, s.officer, partner=partner, consent="not_sought", lawful_basis="crime_disorder",
                     basis_detail="Dan Reid's threats", reason="Dan Reid shouts")  # fmt: skip
    referral_response_record(actor=s.officer, referral=referral, responded_on=TODAY(),
                             response="Dan Reid is known to us", outcome="Warned", version=None)  # fmt: skip
    events = AuditEvent.objects.filter(verb__in=[Verb.REFERRAL_MADE, Verb.REFERRAL_ANSWERED])
    assert events.count() == 2
    assert all("Dan Reid" not in str(e.changes) and "Warned" not in str(e.changes) for e in events)
