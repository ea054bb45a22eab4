"""The legal stage table (interventions.workflow) as data: which moves each route allows. The
services that apply it (and the guard's messages) are tested in test_legal*.py."""

from __future__ import annotations

import pytest

from haven.interventions.models import LegalStage as S
from haven.interventions.workflow import MOVES, STAGE_HINTS, move_for, moves_from


@pytest.mark.parametrize("route", ["injunction", "possession", "other"])
def test_nothing_moves_past_considering_but_the_assessment_when_proportionality_is_needed(route):
    """emh 4.9; pnp 5.6.3: a proportionality assessment before a legal action goes further."""
    for stage in S.values:
        found = move_for(S.CONSIDERING, stage, route=route, needs_proportionality=True)
        assert (found is not None) == (stage in {S.PROPORTIONALITY, S.CONCLUDED}), stage
    assert move_for(S.CONSIDERING, S.PROPORTIONALITY, route=route, needs_proportionality=True).by_service  # type: ignore[union-attr]


def test_a_tool_without_the_assessment_goes_from_considering_to_approved():
    assert move_for(S.CONSIDERING, S.APPROVED, route="other", needs_proportionality=False) is not None
    assert move_for(S.CONSIDERING, S.APPROVED, route="other", needs_proportionality=True) is None


def test_an_injunction_has_no_notice_and_no_warrant():
    """Part 1 injunctions (2014 Act) are applied for without a notice seeking possession; there is
    no eviction warrant, only breach and committal."""
    assert move_for(S.APPROVED, S.NOTICE_SERVED, route="injunction", needs_proportionality=True) is None
    assert move_for(S.APPROVED, S.ISSUED, route="injunction", needs_proportionality=True) is not None
    assert move_for(S.ORDER_MADE, S.WARRANT, route="injunction", needs_proportionality=True) is None
    assert move_for(S.ORDER_MADE, S.BREACH, route="injunction", needs_proportionality=True) is not None


def test_possession_needs_a_notice_before_the_claim():
    """Housing Act 1988 s8 (Grounds 14 and 7A), s21; Renting Homes (Wales) Act 2016: notice first."""
    assert move_for(S.APPROVED, S.ISSUED, route="possession", needs_proportionality=True) is None
    assert move_for(S.APPROVED, S.NOTICE_SERVED, route="possession", needs_proportionality=True) is not None
    assert move_for(S.NOTICE_SERVED, S.ISSUED, route="possession", needs_proportionality=True) is not None
    assert move_for(S.BREACH, S.WARRANT, route="possession", needs_proportionality=True) is not None


def test_other_proceedings_may_serve_a_notice_or_not():
    assert move_for(S.APPROVED, S.ISSUED, route="other", needs_proportionality=True) is not None
    assert move_for(S.APPROVED, S.NOTICE_SERVED, route="other", needs_proportionality=True) is not None


def test_a_hearing_comes_before_an_order_and_the_claim_before_a_hearing():
    for route in ("injunction", "possession", "other"):
        assert move_for(S.ISSUED, S.ORDER_MADE, route=route, needs_proportionality=True) is None
        assert move_for(S.APPROVED, S.HEARING, route=route, needs_proportionality=True) is None
        assert move_for(S.HEARING, S.ORDER_MADE, route=route, needs_proportionality=True) is not None


def test_every_open_stage_can_be_concluded_and_a_concluded_action_goes_nowhere():
    for stage in S.values:
        if stage != S.CONCLUDED:
            move = move_for(stage, S.CONCLUDED, route="possession", needs_proportionality=True)
            assert move is not None and "outcome" in move.needs
    assert moves_from(S.CONCLUDED, route="possession", needs_proportionality=True) == []


def test_every_stage_but_the_last_says_what_comes_next():
    assert set(STAGE_HINTS) == set(S.values)
    assert all(STAGE_HINTS[s] for s in S.values if s != S.CONCLUDED)
    assert all(m.routes for m in MOVES.values())
