"""A legal action's stages and the moves between them, as data (ARCHITECTURE.md convention 3).

``legal_move`` (interventions.services.legal) is the only way a stage changes: it looks the move
up here, refuses one that is not in the table (a stage skipped), checks the guard (the
proportionality assessment, emh 4.9 and pnp 5.6.3; a manager's approval where the profile asks),
checks the dates, and saves. The route comes from the profile's tool (``Intervention.route``):

- ``injunction`` (Part 1 injunction, 2014 Act): no notice stage; the order may carry a power of
  arrest (s4); a breach may lead to committal;
- ``possession`` (Housing Act 1988 Grounds 14 and 7A, s21; Renting Homes (Wales) Act 2016 claims):
  a notice is served before the claim is issued (s8, s83ZA, s21; RH(W)A s159, s173); a possession
  order may be followed by an eviction warrant;
- ``other`` (licence or lease proceedings, a prohibited conduct standard contract order): a notice
  may be served or not.

Recording the proportionality assessment moves an action from ``considering``; recording its
first hearing moves it from ``issued``; those two moves are made by their own services.
"""

from __future__ import annotations

from dataclasses import dataclass

from haven.interventions.models import LegalStage

S = LegalStage
ROUTES = ("injunction", "possession", "other")
ALL_ROUTES = frozenset(ROUTES)


@dataclass(frozen=True)
class Move:
    """One allowed move. ``needs``: the facts it records (fields of ``LegalAction`` besides the
    date ``on``); ``routes``: the routes it belongs to; ``by_service``: made by recording something
    else (the assessment, a hearing), not as a move of its own."""

    stage_from: str
    stage_to: str
    needs: tuple[str, ...] = ()
    routes: frozenset[str] = ALL_ROUTES
    by_service: str = ""


_OPEN = [s for s in S.values if s != S.CONCLUDED]

_MOVE_LIST: list[Move] = [
    Move(S.CONSIDERING, S.PROPORTIONALITY, by_service="the proportionality assessment"),
    Move(S.PROPORTIONALITY, S.APPROVED, ("approval_note",)),
    Move(S.APPROVED, S.NOTICE_SERVED, ("notice_served_on",), frozenset({"possession", "other"})),
    Move(S.APPROVED, S.ISSUED, ("claim_issued_on", "court", "claim_number"), frozenset({"injunction", "other"})),
    Move(S.NOTICE_SERVED, S.ISSUED, ("claim_issued_on", "court", "claim_number"), frozenset({"possession", "other"})),
    Move(S.ISSUED, S.HEARING, by_service="a hearing"),
    Move(S.HEARING, S.ORDER_MADE, ("order_made_on", "order_terms")),
    Move(S.ORDER_MADE, S.BREACH, ("note",)),
    Move(S.BREACH, S.BREACH, ("note",)),
    Move(S.ORDER_MADE, S.WARRANT, ("warrant_on",), frozenset({"possession"})),
    Move(S.BREACH, S.WARRANT, ("warrant_on",), frozenset({"possession"})),
    *(Move(stage, S.CONCLUDED, ("concluded_on", "outcome")) for stage in _OPEN),
]  # fmt: skip
MOVES: dict[tuple[str, str], Move] = {(m.stage_from, m.stage_to): m for m in _MOVE_LIST}

# A tool that needs no proportionality assessment (none of the bundled profiles has one) goes
# from considering straight to approved.
UNASSESSED_APPROVAL = Move(S.CONSIDERING, S.APPROVED, ("approval_note",))

# What each stage says is next, in the order the page offers it.
STAGE_HINTS: dict[str, str] = {
    S.CONSIDERING: "Record the proportionality assessment (emh 4.9; pnp 5.6.3) before the action goes further.",
    S.PROPORTIONALITY: "Record the approval to go ahead.",
    S.APPROVED: "Serve the notice or issue the claim.",
    S.NOTICE_SERVED: "Issue the claim once the notice allows it.",
    S.ISSUED: "Record the first hearing.",
    S.HEARING: "Record further hearings, or the order the court made.",
    S.ORDER_MADE: "Record a breach of the order, or conclude the action.",
    S.BREACH: "Record the committal or warrant, or conclude the action.",
    S.WARRANT: "Conclude the action with its outcome.",
    S.CONCLUDED: "",
}


def move_for(stage_from: str, stage_to: str, *, route: str, needs_proportionality: bool) -> Move | None:
    """The move from one stage to another for this route, or None when it is not allowed."""
    if stage_from == S.CONSIDERING and stage_to == S.APPROVED and not needs_proportionality:
        return UNASSESSED_APPROVAL
    move = MOVES.get((stage_from, stage_to))
    if move is None or route not in move.routes:
        return None
    return move


def moves_from(stage: str, *, route: str, needs_proportionality: bool) -> list[Move]:
    """The moves open from a stage, for the page's choices and the API's ``next_stages``."""
    found = [m for m in _MOVE_LIST if m.stage_from == stage and route in m.routes]
    if stage == S.CONSIDERING and not needs_proportionality:
        found.insert(0, UNASSESSED_APPROVAL)
    return found


def stage_label(stage: str) -> str:
    return str(dict(S.choices).get(stage, stage))
