"""Recording a case review and its sign-off (issue 7; WWH 5.0, emh 7.1), through the services.

Rules proved here: a review answers every question of the profile's checklist (``reviews.checklist``)
with a conclusion (continue, escalate, de-escalate, close) and why; it waits for a team manager's
sign-off where ``reviews.manager_signoff``; a closed case, a missing answer, an unknown conclusion
or a blank reason is refused with nothing changed; only a team manager signs off, never their own
review, and only once; each is audited (CASE_REVIEWED, REVIEW_SIGNED_OFF).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.models import Case, SignOff
from haven.cases.services.workflow import case_transition
from haven.cases.tests.any_profile import PROFILES, noise_case
from haven.common.errors import ApplicationError
from haven.policies.registry import get_profile
from haven.reviews.models import Review
from haven.reviews.services.reviews import CLOSED_MESSAGE, review_record, review_sign_off
from haven.reviews.tests.test_reviews_cadence import answers_for

pytestmark = pytest.mark.django_db


def _review(actor, case: Case, **changes):  # type: ignore[no-untyped-def]
    values = {
        "answers": answers_for(case),
        "conclusion": "continue",
        "conclusion_note": "Incidents go on; keep the plan.",
    }
    values.update(changes)
    return review_record(actor=actor, case=case, **values)


def _audits(verb: Verb) -> int:
    return AuditEvent.objects.filter(verb=verb).count()


def close(case: Case, manager) -> Case:  # type: ignore[no-untyped-def]
    profile = get_profile(case.landlord.policy_id)
    return case_transition(
        actor=manager, case=case, to="closed", reason="Resolved", closure_reason=profile.closure.default_reason,
        outcome="Noise stopped", resolved=True,
        confirmed=[c.code for c in profile.closure.conditions if c.kind == "confirm"],
    )  # fmt: skip


@pytest.mark.parametrize("policy_id", PROFILES)
def test_a_review_keeps_every_answer_and_waits_for_sign_off(policy_id, staff) -> None:  # type: ignore[no-untyped-def]
    """WWH 5.0: each checklist question answered, the conclusion and why; every bundled profile has
    reviews.manager_signoff, so the review awaits a manager; CASE_REVIEWED is audited."""
    landlord, adviser, officer = staff(policy_id)
    case = noise_case(landlord, adviser, officer)
    review = _review(officer, case, conclusion="escalate", threshold_met=True)
    assert review.answers == answers_for(case)
    assert (review.conclusion, review.signoff, review.by, review.threshold_met) == (
        "escalate", SignOff.AWAITING, officer, True,
    )  # fmt: skip
    assert review.policy_id == policy_id
    case.refresh_from_db()
    assert case.last_reviewed_at == review.held_at
    event = AuditEvent.objects.get(verb=Verb.CASE_REVIEWED)
    assert event.changes["conclusion"] == [None, "escalate"] and event.via == "web"


def test_every_checklist_question_must_be_answered(staff) -> None:  # type: ignore[no-untyped-def]
    """WWH 5.0: a review answers the whole checklist; a blank or missing answer is named by its
    question and nothing is written."""
    landlord, adviser, officer = staff("wwh")
    case = noise_case(landlord, adviser, officer)
    answers = answers_for(case)
    answers.pop("same_issue")
    answers["advice_worked"] = "   "
    with pytest.raises(ApplicationError) as refused:
        _review(officer, case, answers=answers)
    assert set(refused.value.fields) == {"answers.same_issue", "answers.advice_worked"}
    assert "Answer the question: What advice has been given" in refused.value.fields["answers.advice_worked"]
    assert not Review.objects.exists() and _audits(Verb.CASE_REVIEWED) == 0
    case.refresh_from_db()
    assert case.last_reviewed_at is None


def test_a_conclusion_and_its_reason_are_required(staff) -> None:  # type: ignore[no-untyped-def]
    """WWH 5.0: the officer's conclusion is one of continue, escalate, de-escalate, close, with why;
    a question not on the checklist is refused."""
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as refused:
        _review(officer, case, conclusion="carry_on", conclusion_note=" ", answers={**answers_for(case), "x": "y"})
    assert set(refused.value.fields) == {"conclusion", "conclusion_note", "answers"}
    assert not Review.objects.exists()


def test_a_review_cannot_be_in_the_future_or_before_the_case(staff) -> None:  # type: ignore[no-untyped-def]
    """A review is held between the case's opening and now."""
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer)
    for held in (timezone.now() + timedelta(days=1), case.opened_at - timedelta(days=1)):
        with pytest.raises(ApplicationError) as refused:
            _review(officer, case, held_at=held)
        assert set(refused.value.fields) == {"held_at"}
    assert not Review.objects.exists()


def test_reviewing_a_closed_case_is_refused_and_nothing_changes(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Issue 7 "Bad input": reviewing a closed case says so plainly; no review, no audit, the case
    keeps no review date and its last review."""
    landlord, adviser, officer = staff("emh")
    manager = make_user(landlord, "manager")
    case = close(noise_case(landlord, adviser, officer), manager)
    case.refresh_from_db()
    before = (case.last_reviewed_at, case.review_due_at, case.last_activity_at, case.updated_at)
    with pytest.raises(ApplicationError) as refused:
        _review(officer, case)
    assert refused.value.message == CLOSED_MESSAGE == "This case is closed; reopen it to review it."
    assert refused.value.code == "conflict"
    case.refresh_from_db()
    assert (case.last_reviewed_at, case.review_due_at, case.last_activity_at, case.updated_at) == before
    assert before[1] is None and not Review.objects.exists() and _audits(Verb.CASE_REVIEWED) == 0


def test_only_who_may_work_the_case_reviews_it(staff) -> None:  # type: ignore[no-untyped-def]
    """can_work_case: an adviser who can see the case cannot review it."""
    landlord, adviser, officer = staff("emh")
    case = noise_case(landlord, adviser, officer)
    with pytest.raises(ApplicationError) as refused:
        _review(adviser, case)
    assert refused.value.code == "forbidden" and not Review.objects.exists()


def test_a_team_manager_signs_off_a_review(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """reviews.manager_signoff (WWH 5.0): a team manager signs the review off; REVIEW_SIGNED_OFF
    is audited; it cannot be signed again."""
    landlord, adviser, officer = staff("emh")
    manager = make_user(landlord, "manager")
    review = _review(officer, noise_case(landlord, adviser, officer))
    signed = review_sign_off(actor=manager, review=review, decision=SignOff.SIGNED_OFF, note="Agreed.")
    assert (signed.signoff, signed.signed_off_by, signed.signoff_note) == (SignOff.SIGNED_OFF, manager, "Agreed.")
    assert signed.signed_off_at is not None
    assert AuditEvent.objects.get(verb=Verb.REVIEW_SIGNED_OFF).changes["signoff"] == ["awaiting", "signed_off"]
    with pytest.raises(ApplicationError) as refused:
        review_sign_off(actor=manager, review=review, decision=SignOff.SIGNED_OFF)
    assert refused.value.code == "conflict" and refused.value.message == "This review is already signed off."
    assert _audits(Verb.REVIEW_SIGNED_OFF) == 1


def test_a_manager_returns_a_review_with_a_note(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """A returned review stays on record with what to look at again; the note is required."""
    landlord, adviser, officer = staff("emh")
    manager = make_user(landlord, "manager")
    review = _review(officer, noise_case(landlord, adviser, officer))
    with pytest.raises(ApplicationError) as refused:
        review_sign_off(actor=manager, review=review, decision=SignOff.RETURNED, note="")
    assert set(refused.value.fields) == {"note"}
    with pytest.raises(ApplicationError) as refused:
        review_sign_off(actor=manager, review=review, decision="maybe")
    assert set(refused.value.fields) == {"decision"}
    review_sign_off(actor=manager, review=review, decision=SignOff.RETURNED, note="Look at the evidence again.")
    review.refresh_from_db()
    assert review.signoff == SignOff.RETURNED and review.signoff_note == "Look at the evidence again."


def test_nobody_signs_off_their_own_review(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """WWH 5.0 sign-off: a manager who held the review cannot sign it off; another manager can."""
    landlord, adviser, officer = staff("emh")
    manager, other = make_user(landlord, "manager"), make_user(landlord, "manager", username="second-manager")
    review = _review(manager, noise_case(landlord, adviser, officer))
    with pytest.raises(ApplicationError) as refused:
        review_sign_off(actor=manager, review=review, decision=SignOff.SIGNED_OFF)
    assert refused.value.code == "forbidden" and "another team manager" in refused.value.message
    review.refresh_from_db()
    assert review.signoff == SignOff.AWAITING and _audits(Verb.REVIEW_SIGNED_OFF) == 0
    assert review_sign_off(actor=other, review=review, decision=SignOff.SIGNED_OFF).signoff == SignOff.SIGNED_OFF


@pytest.mark.parametrize("role", ["officer", "specialist", "adviser", "auditor"])
def test_only_a_team_manager_signs_off(role, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Sign-off is a team manager's (reviews.manager_signoff): every other role is refused."""
    landlord, adviser, officer = staff("emh")
    review = _review(officer, noise_case(landlord, adviser, officer))
    someone = make_user(landlord, role, username=f"another-{role}")
    with pytest.raises(ApplicationError) as refused:
        review_sign_off(actor=someone, review=review, decision=SignOff.SIGNED_OFF)
    assert refused.value.code == "forbidden" and refused.value.message == "Only a team manager can sign off a review."
    review.refresh_from_db()
    assert review.signoff == SignOff.AWAITING


def test_a_review_that_needs_no_sign_off_is_not_signed(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Where the profile has no manager_signoff the review is not_needed, and signing it is refused."""
    landlord, adviser, officer = staff("emh")
    manager = make_user(landlord, "manager")
    review = _review(officer, noise_case(landlord, adviser, officer))
    Review.objects.filter(pk=review.pk).update(signoff=SignOff.NOT_NEEDED)
    with pytest.raises(ApplicationError) as refused:
        review_sign_off(actor=manager, review=review, decision=SignOff.SIGNED_OFF)
    assert refused.value.message == "This review does not need a sign-off."


def test_the_demo_has_a_signed_off_review_and_one_awaiting_sign_off() -> None:
    """demo.reviews: each demo landlord's worked case has a review signed off by its team manager and
    the next case one awaiting sign-off (reviews.manager_signoff), made through the services."""
    from haven.demo.builder import DEMO_PROFILES, demo_load

    demo_load(seed=7, properties_per_landlord=3)
    for policy_id in DEMO_PROFILES:
        reviews = Review.objects.filter(landlord__slug=policy_id)
        assert reviews.filter(signoff=SignOff.SIGNED_OFF).count() >= 1, policy_id
        assert reviews.filter(signoff=SignOff.AWAITING).count() >= 1, policy_id
        for review in reviews.select_related("case"):
            assert review.next_review_at is not None and review.held_at >= review.case.opened_at
