"""A legal action's moves through its stages (``interventions.workflow``), its hearings, twin
track (emh 4.10) and closing the case while an action is open.

Rules proved here: a move not in the table is refused saying what comes next (a notice for an
injunction, a claim before approval); each move's facts are required; dates not in the future, not
before the previous stage; a claim not before its notice; expiries not before service or order; a
power of arrest only with an injunction; the Ground 7A notice within 12 months beginning with the
day of the condition (Housing Act 1988 s8), both edges; concluding needs the outcome; a stale edit
is refused; each move is a stage change and an audit without free text; hearings only once the
claim is issued and not before it, the first moving "issued" to "hearing"; nothing waits for
support work; an open legal action stops the case closing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from haven.audit.models import AuditEvent, Verb
from haven.cases.services.workflow import case_transition
from haven.cases.tests.test_workflow import CLOSING
from haven.common.errors import ApplicationError
from haven.common.stale import version_of
from haven.interventions.models import LegalAction, LegalStage
from haven.interventions.selectors.legal import ground_7a_last_day
from haven.interventions.services.legal import legal_action_approve, legal_action_move
from haven.interventions.services.legal_hearings import hearing_add, hearing_update
from haven.interventions.services.partnership import referral_make
from haven.interventions.tests.factories import Setting, setting
from haven.interventions.tests.test_legal import ago, assess, refused, start

pytestmark = pytest.mark.django_db
S = LegalStage
LONDON = ZoneInfo("Europe/London")
CLAIM = {"court": "Derby County Court", "claim_number": "K00DE123"}


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


def approved(s: Setting, code: str = "part1_injunction", **more: object) -> LegalAction:
    action = start(s, code=code, **more)  # type: ignore[arg-type]
    assess(s, action, on=ago(15))
    return legal_action_approve(actor=s.manager, legal_action=action, on=ago(14), note="Approved at panel")


def move(s: Setting, action: LegalAction, to: str, on: object, **facts: object) -> LegalAction:
    return legal_action_move(actor=s.officer, legal_action=action, to=to, on=on, version=None, **facts)  # type: ignore[arg-type]


def at(days_ahead: int) -> datetime:
    return datetime.combine(timezone.localdate() + timedelta(days=days_ahead), time(10), tzinfo=LONDON)


def test_a_move_not_in_the_table_says_what_comes_next(emh: Setting) -> None:
    """A stage skipped is refused with the next step (STAGE_HINTS): no notice for an injunction
    (2014 Act: no notice stage), no claim before approval."""
    action = approved(emh)
    error = refused(move, s=emh, action=action, to=S.NOTICE_SERVED, on=ago(13), notice_served_on=None)
    assert (
        "cannot go from approved to notice served" in error.message
        and "Serve the notice or issue the claim" in error.message
    )
    early = start(emh, code="possession_ground_14")
    assess(emh, early)
    error = refused(move, s=emh, action=early, to=S.ISSUED, on=ago(13), **CLAIM)
    assert "Record the approval to go ahead" in error.message
    error = refused(move, s=emh, action=early, to=S.HEARING, on=ago(13))
    assert "Next can be: approved, concluded." in error.message
    fresh = start(emh)
    error = refused(move, s=emh, action=fresh, to=S.PROPORTIONALITY, on=ago(13))
    assert "recorded through the proportionality assessment" in error.message


def test_each_moves_facts_are_required_and_dates_ordered(emh: Setting) -> None:
    """A move's needs are required; its date is not in the future nor before the previous stage."""
    action = approved(emh)
    error = refused(move, s=emh, action=action, to=S.ISSUED, on=ago(13))
    assert set(error.fields) == {"court", "claim_number"}
    error = refused(move, s=emh, action=action, to=S.ISSUED, on=timezone.localdate() + timedelta(days=1), **CLAIM)
    assert "future" in error.fields["on"]
    error = refused(move, s=emh, action=action, to=S.ISSUED, on=ago(15), **CLAIM)
    assert "before the last step" in error.fields["on"]
    issued = move(emh, action, S.ISSUED, ago(13), **CLAIM)
    assert (issued.stage, issued.claim_issued_on, issued.claim_number) == (S.ISSUED, ago(13), "K00DE123")
    event = AuditEvent.objects.filter(verb=Verb.LEGAL_STAGE_CHANGED).latest("pk")
    assert event.changes["stage"] == [S.APPROVED, S.ISSUED] and "Derby" not in str(event.changes)


def test_possession_claim_not_before_notice_and_expiry_not_before_service(emh: Setting) -> None:
    """Possession (Housing Act 1988 s8): the notice first; its expiry not before service; the
    claim issued on or after service, not before."""
    action = approved(emh, code="possession_ground_14")
    error = refused(move, s=emh, action=action, to=S.NOTICE_SERVED, on=ago(12), notice_expires_on=ago(13))
    assert "expire before it was served" in error.fields["notice_expires_on"]
    action = move(emh, action, S.NOTICE_SERVED, ago(12), notice_expires_on=ago(-20))
    assert (action.notice_served_on, action.notice_expires_on) == (ago(12), ago(-20))
    action = move(emh, action, S.ISSUED, ago(12), **CLAIM)
    assert action.stage == S.ISSUED


def test_ground_7a_notice_within_12_months_of_the_condition_both_edges(staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """Housing Act 1988 s8: 12 months beginning with the day of the condition, so the last day is
    condition_on + 12 months - 1 day: served on it is accepted, a day later refused."""
    s = setting("emh", staff, make_user)
    today = timezone.localdate()
    on_time = approved(
        s,
        code="possession_ground_7a",
        condition="closure_order",
        condition_on=today.replace(year=today.year - 1) + timedelta(days=1),
    )
    assert ground_7a_last_day(on_time.condition_on) == today  # type: ignore[arg-type]
    assert move(s, on_time, S.NOTICE_SERVED, today).stage == S.NOTICE_SERVED
    late = approved(
        s, code="possession_ground_7a", condition="closure_order", condition_on=today.replace(year=today.year - 1)
    )
    error = refused(move, s=s, action=late, to=S.NOTICE_SERVED, on=today)
    assert "within 12 months" in error.fields["notice_served_on"] and "s8" in error.fields["notice_served_on"]


def test_the_last_day_from_29_february() -> None:
    """The corresponding-date rule: 12 months beginning 29 February 2024 end on 28 February 2025."""
    from datetime import date

    assert ground_7a_last_day(date(2024, 2, 29)) == date(2025, 2, 28)
    assert ground_7a_last_day(date(2025, 3, 1)) == date(2026, 2, 28)


def test_power_of_arrest_only_for_an_injunction_and_order_expiry_after_order(emh: Setting) -> None:
    """A power of arrest goes with a Part 1 injunction only (2014 Act s4); an order cannot
    expire before it is made; concluding needs the outcome."""
    action = approved(emh)
    action = move(emh, action, S.ISSUED, ago(13), **CLAIM)
    hearing_add(actor=emh.officer, legal_action=action, at=at(-12), kind="first")
    action.refresh_from_db()
    error = refused(
        move,
        s=emh,
        action=action,
        to=S.ORDER_MADE,
        on=ago(12),
        order_terms="Not to enter Mill Street",
        order_expires_on=ago(13),
    )
    assert "expire before it was made" in error.fields["order_expires_on"]
    action = move(emh, action, S.ORDER_MADE, ago(12), order_terms="Not to enter Mill Street", power_of_arrest=True)
    assert action.power_of_arrest is True
    error = refused(move, s=emh, action=action, to=S.CONCLUDED, on=ago(1))
    assert set(error.fields) == {"outcome"}
    action = move(emh, action, S.CONCLUDED, ago(1), outcome="Order obeyed for six months")
    assert (action.stage, action.concluded_on, action.is_open) == (S.CONCLUDED, ago(1), False)
    other = approved(emh, code="possession_ground_14")
    other = move(emh, other, S.NOTICE_SERVED, ago(13))
    other = move(emh, other, S.ISSUED, ago(13), **CLAIM)
    hearing_add(actor=emh.officer, legal_action=other, at=at(-12), kind="first")
    other.refresh_from_db()
    error = refused(
        move, s=emh, action=other, to=S.ORDER_MADE, on=ago(12), order_terms="Possession", power_of_arrest=True
    )
    assert "Part 1 injunction" in error.fields["power_of_arrest"]


def test_a_stale_move_is_refused_and_changes_nothing(emh: Setting) -> None:
    """Stale-edit guard (common.stale): a version older than the action's is refused."""
    action = approved(emh)
    old = version_of(action.updated_at - timedelta(seconds=5))
    with pytest.raises(ApplicationError) as caught:
        legal_action_move(actor=emh.officer, legal_action=action, to=S.ISSUED, on=ago(13), version=old, **CLAIM)
    assert caught.value.code == "stale"
    action.refresh_from_db()
    assert action.stage == S.APPROVED


def test_hearings_only_once_the_claim_is_issued_and_not_before_it(emh: Setting) -> None:
    """ "Record the claim being issued before its hearings"; a hearing before the claim is refused;
    the first at "issued" moves the action to "hearing"; the court defaults to the action's."""
    action = approved(emh)
    error = refused(hearing_add, actor=emh.officer, legal_action=action, at=at(5), kind="first")
    assert error.fields["at"] == "Record the claim being issued before its hearings."
    action = move(emh, action, S.ISSUED, ago(10), **CLAIM)
    error = refused(hearing_add, actor=emh.officer, legal_action=action, at=at(-11), kind="first")
    assert error.fields["at"] == f"The hearing cannot be before the claim was issued on {ago(10).day} {ago(10):%B %Y}."
    hearing = hearing_add(actor=emh.officer, legal_action=action, at=at(5), kind="first")
    action.refresh_from_db()
    assert (action.stage, hearing.court) == (S.HEARING, "Derby County Court")
    assert action.stage_changes.filter(stage_from=S.ISSUED, stage_to=S.HEARING).count() == 1
    hearing_add(actor=emh.officer, legal_action=action, at=at(30), kind="trial")
    assert action.stage_changes.count() == 5  # no second move to hearing
    updated = hearing_update(
        actor=emh.officer, hearing=hearing, outcome="Adjourned", version=version_of(hearing.updated_at)
    )
    assert updated.outcome == "Adjourned"
    with pytest.raises(ApplicationError) as caught:
        hearing_update(actor=emh.officer, hearing=hearing, outcome="Again", version=version_of(hearing.updated_at))
    assert caught.value.code == "stale"


def test_twin_track_legal_action_moves_on_while_support_is_open(emh: Setting) -> None:
    """Twin track (emh 4.10): an open support referral for the reported person does not hold up
    the legal action."""
    referral_make(
        actor=emh.officer,
        case=emh.case,
        partner="nhs_mental_health",
        party=emh.reported,
        made_on=timezone.localdate(),
        reason="Support for the reported person",
        consent="given",
    )
    action = approved(emh)
    action = move(emh, action, S.ISSUED, ago(13), **CLAIM)
    assert action.stage == S.ISSUED


def test_closing_the_case_says_the_legal_action_is_open(emh: Setting) -> None:
    """An open legal action blocks closing the case (hooks.py; issue 7)."""
    start(emh)
    error = refused(case_transition, actor=emh.officer, case=emh.case, to="closed", **CLOSING)
    assert "a legal action still open" in error.message
