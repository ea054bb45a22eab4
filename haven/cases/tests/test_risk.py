"""Risk and vulnerability on a case: the services and selectors (issue 5).

Rules proved here, with their seed clauses:

- emh 4.4: the officer's full risk assessment of the reporter and other affected parties, from the
  profile's matrix, storing the matrix version, policy id and version, score, band, proposed tier
  and the tier at the time; each reassessment is a new row (history kept); audited with band and
  score only, never the answers;
- emh 4.3-4.4: a change of band proposes a change of tier (the officer re-categorises; Haven
  never changes the tier by itself); whg has one tier, so it never proposes one;
- emh 4.4 with ``casework.full_risk_within``: the assessment is due that long after the first
  report, in working time, and overdue after; every profile;
- emh 4.7-4.8: support needs of a party (usually the reported person); a referral needs both to
  whom and when;
- emh 4.11-4.14, livv 4 (MASH): a safeguarding concern about an adult or a child is referred (to
  whom, when) or the reason why not is recorded; it adds the ``safeguarding`` flag and restricts
  the case;
- deny by default: only caseworkers who can work the case record any of these; bad input is
  refused with a reason per field and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haven.accounts.models import Landlord, User
from haven.accounts.selectors import landlord_calendar
from haven.audit.models import AuditEvent, Verb
from haven.cases.models import (
    Case,
    CaseFlag,
    CaseStatus,
    Party,
    PartyRole,
    RiskAssessment,
    SafeguardingConcern,
    SupportNeed,
)
from haven.cases.selectors.risk import full_risk_due, risk_by_party, tier_proposal
from haven.cases.services import case_recategorise
from haven.cases.services.risk import risk_assess, safeguarding_concern_record, support_need_record
from haven.cases.tests.factories import open_case
from haven.common.errors import ApplicationError
from haven.policies.registry import get_profile
from haven.policies.schema import PolicyProfile

pytestmark = pytest.mark.django_db
Staff = Callable[[str], tuple[Landlord, User, User]]
PROFILES = ["whg", "wwh", "emh", "livv", "pnp"]


def plain_category(profile: PolicyProfile) -> str:
    return next(c.code for c in profile.categories if not c.restricted and not c.flags & {"hate"})


def case_for(landlord: Landlord, adviser: User, officer: User, **triage: Any) -> Case:
    """A case on an unrestricted category at the profile's fallback tier (which opens a case)."""
    profile = get_profile(landlord.policy_id)
    lowest_tier = min((t for t in profile.triage.tiers if t.opens_case), key=lambda t: t.rank).id
    values = {"category": plain_category(profile), "tier": lowest_tier, **triage}
    return open_case(landlord, adviser, officer, **values)


def reporter_of(case: Case) -> Party:
    return Party.objects.get(case=case, role=PartyRole.REPORTER)


def lowest(profile: PolicyProfile, **chosen: str) -> dict[str, str]:
    answers = {q.code: min(q.options, key=lambda o: o.weight).code for q in profile.risk_matrix.questions}
    return {**answers, **chosen}


def top_band(profile: PolicyProfile) -> Any:
    return max(profile.risk_matrix.bands, key=lambda b: b.min_score)


# ---- the full assessment (emh 4.4) ------------------------------------------------------------------


@pytest.mark.parametrize("policy_id", PROFILES)
def test_an_assessment_stores_the_matrix_its_score_band_and_proposed_tier(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    profile = get_profile(policy_id)
    case = case_for(landlord, adviser, officer)
    at = timezone.now() - timedelta(minutes=10)
    a = risk_assess(
        actor=officer, case=case, party=reporter_of(case), answers=lowest(profile, harm="threatened"),
        notes="Threatened at the door", assessed_at=at,
    )  # fmt: skip
    weight = next(o.weight for o in profile.risk_matrix.question("harm").options if o.code == "threatened")  # type: ignore[union-attr]
    band = top_band(profile)
    assert (a.score, a.band, a.proposed_tier) == (weight, band.code, band.tier)
    assert (a.matrix_version, a.policy_id, a.policy_version) == (
        profile.risk_matrix.version,
        profile.id,
        profile.version,
    )
    assert a.tier_at_assessment == case.tier and a.assessed_by == officer and a.assessed_at == at
    case.refresh_from_db()
    assert case.last_activity_at is not None and case.last_activity_at >= at
    assert case.tier == a.tier_at_assessment  # the tier is the officer's decision, not changed here
    event = AuditEvent.objects.get(verb=Verb.RISK_ASSESSED, object_label=case.reference)
    assert event.changes["band"] == [None, band.code] and event.changes["score"] == [None, weight]
    assert "threatened" not in json.dumps(event.changes) and "door" not in json.dumps(event.changes)


def test_each_reassessment_is_a_new_row_and_the_history_is_kept_newest_first(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    case = case_for(landlord, adviser, officer)
    reporter = reporter_of(case)
    first = risk_assess(
        actor=officer, case=case, party=reporter, answers=lowest(profile),
        assessed_at=timezone.now() - timedelta(minutes=30),
    )  # fmt: skip
    second = risk_assess(actor=officer, case=case, party=reporter, answers=lowest(profile, hate="yes"))
    assert RiskAssessment.objects.filter(case=case).count() == 2
    (found,) = risk_by_party(case=case)
    assert found.latest == second and found.history == [second, first]
    assert (first.band, second.band) == ("low", "high")
    event = AuditEvent.objects.filter(verb=Verb.RISK_ASSESSED).latest("pk")
    assert event.changes["band"] == ["low", "high"]


def test_a_change_of_band_proposes_a_change_of_tier_until_the_case_is_recategorised(staff: Staff) -> None:
    """emh 4.3: a case may be re-categorised if the risk has become more serious."""
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    case = case_for(landlord, adviser, officer)
    assert case.tier == "low"
    assert tier_proposal(case=case, profile=profile) is None
    risk_assess(actor=officer, case=case, party=reporter_of(case), answers=lowest(profile, vulnerability="high"))
    proposal = tier_proposal(case=case, profile=profile)
    assert proposal is not None and (proposal.tier, proposal.label, proposal.current_label) == (
        "high",
        "High risk",
        "Low risk",
    )
    case = case_recategorise(actor=officer, case=case, tier="high", reason="Full assessment: highly vulnerable")
    assert tier_proposal(case=case, profile=profile) is None


def test_whg_never_proposes_a_tier_change_as_it_has_one_tier(staff: Staff) -> None:
    """whg 2.5: one response for every report; the band still shows the risk (whg 2.10)."""
    landlord, adviser, officer = staff("whg")
    profile = get_profile("whg")
    case = case_for(landlord, adviser, officer)
    a = risk_assess(actor=officer, case=case, party=reporter_of(case), answers=lowest(profile, harm="hurt"))
    assert a.band == "high" and a.proposed_tier == "standard"
    assert tier_proposal(case=case, profile=profile) is None


def test_bad_answers_are_refused_naming_each_and_nothing_is_written(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    case = case_for(landlord, adviser, officer)
    answers: dict[str, Any] = {**lowest(profile, harm="slapped"), "colour": "red"}
    del answers["children"]
    with pytest.raises(ApplicationError) as error:
        risk_assess(actor=officer, case=case, party=reporter_of(case), answers=answers, notes="x" * 5001)
    assert set(error.value.fields) == {"answers", "answers.harm", "answers.children", "notes"}
    assert "colour" in error.value.fields["answers"]
    assert "slapped" in error.value.fields["answers.harm"]
    with pytest.raises(ApplicationError) as error:
        risk_assess(
            actor=officer, case=case, party=reporter_of(case), answers=lowest(profile),
            assessed_at=timezone.now() + timedelta(days=1),
        )  # fmt: skip
    assert set(error.value.fields) == {"assessed_at"}
    assert not RiskAssessment.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.RISK_ASSESSED).exists()


def test_only_an_affected_current_party_of_this_case_is_assessed(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    case = case_for(landlord, adviser, officer)
    other = case_for(landlord, adviser, officer)
    reported = Party.objects.create(case=case, role=PartyRole.REPORTED, name="Lee Smith")
    gone = Party.objects.create(case=case, role=PartyRole.WITNESS, name="Pat Lee", removed_at=timezone.now())
    for party, words in [
        (reporter_of(other), "not a party to this case"),
        (gone, "taken off the case"),
        (reported, "support needs instead"),
        (None, "Choose who"),
    ]:
        with pytest.raises(ApplicationError) as error:
            risk_assess(actor=officer, case=case, party=party, answers=lowest(profile))
        assert words in error.value.fields["party"]
    witness = Party.objects.create(case=case, role=PartyRole.WITNESS, name="Jo Bloggs")
    assert risk_assess(actor=officer, case=case, party=witness, answers=lowest(profile)).party == witness


def test_advisers_auditors_other_teams_and_other_landlords_cannot_record_any_of_it(
    staff: Staff, make_user: Callable[..., User], make_landlord: Callable[..., Landlord]
) -> None:
    landlord, adviser, officer = staff("emh")
    profile = get_profile("emh")
    case = case_for(landlord, adviser, officer)
    reporter = reporter_of(case)
    elsewhere = make_landlord("emh", slug="elsewhere")
    refused = [
        adviser,
        make_user(landlord, "auditor"),
        make_user(landlord, "officer", username="other-team-officer"),
        make_user(elsewhere, "manager"),
    ]
    for user in refused:
        with pytest.raises(ApplicationError, match="cannot record risk"):
            risk_assess(actor=user, case=case, party=reporter, answers=lowest(profile))
        with pytest.raises(ApplicationError, match="cannot record support"):
            support_need_record(actor=user, case=case, party=reporter, kind="mental_health", description="Anxiety")
        with pytest.raises(ApplicationError, match="cannot record safeguarding"):
            safeguarding_concern_record(
                actor=user, case=case, about="child", concern="Child left alone", referred=False,
                no_referral_reason="Known to social care",
            )  # fmt: skip
    assert not RiskAssessment.objects.exists() and not SupportNeed.objects.exists()
    assert not SafeguardingConcern.objects.exists()
    assert risk_assess(actor=make_user(landlord, "manager"), case=case, party=reporter, answers=lowest(profile))


def test_a_closed_case_is_not_assessed(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = case_for(landlord, adviser, officer)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
    with pytest.raises(ApplicationError, match="closed"):
        risk_assess(actor=officer, case=case, party=reporter_of(case), answers=lowest(get_profile("emh")))


# ---- when the full assessment is due (casework.full_risk_within) ----------------------------------------


@pytest.mark.parametrize("policy_id", PROFILES)
def test_the_full_assessment_is_due_by_the_profiles_clock_and_overdue_after(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    profile = get_profile(policy_id)
    within = profile.casework.full_risk_within
    case = case_for(landlord, adviser, officer, received_at=timezone.now() - timedelta(days=40))
    due = full_risk_due(case)
    assert due is not None and due.overdue
    assert due.due_at == landlord_calendar(landlord).due_at(case.opened_at, within.amount, within.unit)
    assert full_risk_due(case, now=due.due_at - timedelta(minutes=1)) == type(due)(due_at=due.due_at, overdue=False)
    risk_assess(actor=officer, case=case, party=reporter_of(case), answers=lowest(profile))
    assert full_risk_due(case) is None
    fresh = case_for(landlord, adviser, officer, received_at=timezone.now() - timedelta(minutes=5))
    found = full_risk_due(fresh)
    assert found is not None and not found.overdue


# ---- support needs (emh 4.7-4.8) --------------------------------------------------------------------


def test_a_support_need_of_the_reported_person_is_recorded_and_audited_without_its_details(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = case_for(landlord, adviser, officer)
    reported = Party.objects.create(case=case, role=PartyRole.REPORTED, name="Lee Smith")
    on = timezone.localdate()
    need = support_need_record(
        actor=officer, case=case, party=reported, kind="substance", description="Alcohol use at night",
        referred_to="Change Grow Live", referred_on=on,
    )  # fmt: skip
    assert (need.party, need.kind, need.referred_to, need.referred_on, need.recorded_by) == (
        reported,
        "substance",
        "Change Grow Live",
        on,
        officer,
    )
    event = AuditEvent.objects.get(verb=Verb.SUPPORT_NEED_RECORDED)
    assert event.changes["kind"] == [None, "substance"]
    assert "Alcohol" not in json.dumps(event.changes) and "Change Grow" not in json.dumps(event.changes)


def test_a_support_need_refuses_half_a_referral_and_a_missing_description(staff: Staff) -> None:
    landlord, adviser, officer = staff("emh")
    case = case_for(landlord, adviser, officer)
    reporter = reporter_of(case)
    with pytest.raises(ApplicationError) as error:
        support_need_record(actor=officer, case=case, party=reporter, kind="magic", description=" ", referred_to="GP")
    assert set(error.value.fields) == {"kind", "description", "referred_on"}
    with pytest.raises(ApplicationError) as error:
        support_need_record(
            actor=officer, case=case, party=reporter, kind="other", description="Debt",
            referred_on=timezone.localdate() + timedelta(days=2),
        )  # fmt: skip
    assert set(error.value.fields) == {"referred_to", "referred_on"}
    assert "future" in error.value.fields["referred_on"]
    assert not SupportNeed.objects.exists()


# ---- safeguarding (emh 4.11-4.14; livv 4 MASH) -----------------------------------------------------------


@pytest.mark.parametrize("policy_id", PROFILES)
def test_a_safeguarding_concern_flags_and_restricts_the_case(staff: Staff, policy_id: str) -> None:
    landlord, adviser, officer = staff(policy_id)
    case = case_for(landlord, adviser, officer)
    assert not case.restricted
    today = timezone.localdate()
    concern = safeguarding_concern_record(
        actor=officer, case=case, about="child", concern="Children left alone overnight", referred=True,
        referred_to="MASH", referred_on=today, referral_reference="M-123", party=reporter_of(case),
    )  # fmt: skip
    assert (concern.referred, concern.referred_to, concern.raised_on, concern.raised_by) == (
        True,
        "MASH",
        today,
        officer,
    )
    case.refresh_from_db()
    assert "safeguarding" in case.flags and case.restricted
    assert CaseFlag.objects.filter(case=case, flag="safeguarding").count() == 1
    flags = AuditEvent.objects.get(verb=Verb.CASE_FLAGS_CHANGED, object_label=case.reference)
    assert "safeguarding" in flags.changes["flags"][1] and "safeguarding" not in flags.changes["flags"][0]
    recorded = AuditEvent.objects.get(verb=Verb.SAFEGUARDING_RECORDED)
    assert "alone" not in json.dumps(recorded.changes) and "M-123" not in json.dumps(recorded.changes)
    safeguarding_concern_record(
        actor=officer, case=case, about="adult", concern="Self neglect", referred=False,
        no_referral_reason="Already supported by adult social care",
    )  # fmt: skip
    assert CaseFlag.objects.filter(case=case, flag="safeguarding").count() == 1
    assert AuditEvent.objects.filter(verb=Verb.CASE_FLAGS_CHANGED, object_label=case.reference).count() == 1


def test_a_concern_is_referred_to_someone_on_a_date_or_says_why_not(staff: Staff) -> None:
    landlord, adviser, officer = staff("livv")
    case = case_for(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as error:
        safeguarding_concern_record(actor=officer, case=case, about="child", concern="Bruises", referred=True)
    assert set(error.value.fields) == {"referred_to", "referred_on"}
    with pytest.raises(ApplicationError) as error:
        safeguarding_concern_record(actor=officer, case=case, about="adult", concern="Exploited", referred=False)
    assert set(error.value.fields) == {"no_referral_reason"}
    with pytest.raises(ApplicationError) as error:
        safeguarding_concern_record(
            actor=officer, case=case, about="pet", concern="", referred=False, no_referral_reason="n/a",
            referred_to="MASH", raised_on=timezone.localdate() + timedelta(days=1),
        )  # fmt: skip
    assert set(error.value.fields) == {"about", "concern", "referred", "raised_on"}
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ApplicationError) as error:
        safeguarding_concern_record(
            actor=officer, case=case, about="adult", concern="Exploited", referred=True, referred_to="MASH",
            referred_on=yesterday, raised_on=timezone.localdate(),
        )  # fmt: skip
    assert set(error.value.fields) == {"referred_on"}
    assert not SafeguardingConcern.objects.exists()
    case.refresh_from_db()
    assert not case.restricted and "safeguarding" not in case.flags
