"""The review cadence (issue 7; emh 7.1, WWH 5.0): an open case's next review date is its tier's
``review_every`` in working time from the latest of its opening, last review and reopening; none
once closed. Worked through the services, for every profile and every tier that opens a case."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from haven.accounts.selectors import landlord_calendar
from haven.cases.models import Case
from haven.cases.services import case_recategorise
from haven.cases.services.workflow import case_transition
from haven.cases.tests.any_profile import PROFILES, noise_case
from haven.common.working_time import LONDON
from haven.policies.registry import get_profile
from haven.reviews.services.reviews import review_record


def _expected(case: Case, since: datetime, tier_id: str | None = None) -> datetime:
    every = get_profile(case.landlord.policy_id).tier(tier_id or case.tier).review_every
    return landlord_calendar(case.landlord).due_at(since, every.amount, every.unit)


def answers_for(case: Case) -> dict[str, str]:
    """An answer to every question of the case's landlord's checklist (WWH 5.0)."""
    return {item.code: f"Answer to {item.code}" for item in get_profile(case.landlord.policy_id).reviews.checklist}


def _review(actor, case: Case, at: datetime | None = None):  # type: ignore[no-untyped-def]
    return review_record(
        actor=actor, case=case, answers=answers_for(case), threshold_met=False, conclusion="continue",
        conclusion_note="Incidents continue; keep the plan.", held_at=at,
    )  # fmt: skip


@pytest.mark.parametrize("policy_id", PROFILES)
def test_each_tier_sets_its_own_review_date_at_opening_and_after_a_review(policy_id, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Every tier of every profile that opens a case: opening sets review_due_at = opened + the
    tier's review_every (working time); a review moves it to the review + review_every."""
    landlord, adviser, officer = staff(policy_id)
    tiers = [t for t in get_profile(policy_id).triage.tiers if t.opens_case]
    assert tiers
    for n, tier in enumerate(tiers):
        case = noise_case(landlord, adviser, officer, tier=tier.id, reporter_email=f"r{n}@example.org")
        case.refresh_from_db()
        assert case.review_due_at == _expected(case, case.opened_at), tier.id
        held = timezone.now() - timedelta(minutes=5)
        review = _review(officer, case, held)
        case.refresh_from_db()
        assert case.last_reviewed_at == held
        assert case.review_due_at == _expected(case, held) == review.next_review_at, tier.id
        assert review.due_at == _expected(case, case.opened_at)
    # next_due_at keeps its own meaning: the review date is not folded into it
    assert case.next_due_at != case.review_due_at


def test_emh_low_is_reviewed_twenty_working_days_after_opening(staff) -> None:  # type: ignore[no-untyped-def]
    """emh low: review_every 20 working days (default: not in seed). Received Mon 2 Nov 2026 10:00
    -> due at office close on the 20th working day after, Mon 30 Nov 2026 (no bank holidays)."""
    landlord, adviser, officer = staff("emh")
    received = datetime(2026, 11, 2, 10, 0, tzinfo=LONDON)
    case = noise_case(landlord, adviser, officer, received_at=received)
    case.refresh_from_db()
    due = case.review_due_at.astimezone(LONDON)
    close = get_profile("emh").office_hours.closes
    assert (due.date().isoformat(), due.time()) == ("2026-11-30", close)


@pytest.mark.parametrize(
    "policy_id",
    [p for p in PROFILES if len({str(t.review_every) for t in get_profile(p).triage.tiers if t.opens_case}) > 1],
)
def test_recategorising_to_a_tier_with_another_cadence_moves_the_review_date(policy_id, staff) -> None:  # type: ignore[no-untyped-def]
    """Re-categorising (WWH 3.0) to a tier with a different review_every recomputes the date."""
    landlord, adviser, officer = staff(policy_id)
    tiers = [t for t in get_profile(policy_id).triage.tiers if t.opens_case]
    first = tiers[0]
    other = next(t for t in tiers if str(t.review_every) != str(first.review_every))
    case = noise_case(landlord, adviser, officer, tier=first.id)
    case.refresh_from_db()
    before = case.review_due_at
    case = case_recategorise(actor=officer, case=case, tier=other.id, reason="Now affecting several neighbours")
    case.refresh_from_db()
    assert case.review_due_at == _expected(case, case.opened_at, other.id) != before


def test_recategorising_after_a_review_counts_the_new_cadence_from_the_review(staff) -> None:  # type: ignore[no-untyped-def]
    """emh 7.1 with WWH 3.0: a case reviewed, then moved from low (20 working days) to high (10),
    is next reviewed 10 working days after that review, not after its opening."""
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer, received_at=timezone.now() - timedelta(days=10))
    held = timezone.now() - timedelta(days=2)
    _review(officer, case, held)
    case = case_recategorise(actor=officer, case=case, tier="high", reason="Threats made to the reporter")
    case.refresh_from_db()
    assert get_profile("emh").tier("high").review_every.amount == 10
    assert case.last_reviewed_at == held and case.review_due_at == _expected(case, held, "high")


def test_closing_clears_the_review_date_and_reopening_counts_from_the_reopening(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Closed -> no review date; reopened -> review_every from the reopening (later than the last
    review), until a review after it."""
    landlord, adviser, officer = staff("emh")
    manager = make_user(landlord, "manager")
    profile = get_profile("emh")
    case = noise_case(landlord, adviser, officer, received_at=timezone.now() - timedelta(days=40))
    _review(officer, case, timezone.now() - timedelta(days=30))
    case = case_transition(
        actor=manager, case=case, to="closed", reason="Resolved", closure_reason="resolved",
        outcome="Noise stopped", resolved=True,
        confirmed=[c.code for c in profile.closure.conditions if c.kind == "confirm"],
    )  # fmt: skip
    case.refresh_from_db()
    assert case.review_due_at is None
    case = case_transition(actor=manager, case=case, to="reopened", reason="New incidents reported")
    case.refresh_from_db()
    assert case.reopened_at is not None and case.last_reviewed_at is not None
    assert case.reopened_at > case.last_reviewed_at
    assert case.review_due_at == _expected(case, case.reopened_at)
    _review(officer, case)
    case.refresh_from_db()
    assert case.review_due_at == _expected(case, case.last_reviewed_at)
