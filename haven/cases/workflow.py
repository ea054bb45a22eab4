"""A case's statuses and the moves between them, as data (ARCHITECTURE.md convention 3).

``case_transition`` (cases.services.workflow) is the only way a status changes: it looks the move
up here, refuses one that is not in the table, checks who may make it and what it needs, and saves.
Active / inactive is not a status: it is derived from recent activity (WWH 5.0; see
cases.selectors.activity). Why a case may close (the closure reasons) and what is checked when it
does (the closure conditions) are the profile's ``closure`` section (issue 7).
"""

from __future__ import annotations

from dataclasses import dataclass

from haven.accounts.models import Role
from haven.cases.models import CaseStatus

STATUSES: tuple[str, ...] = tuple(CaseStatus.values)


@dataclass(frozen=True)
class Move:
    """One allowed move. ``needs`` are the inputs it requires besides the actor; ``roles`` may make
    it on any case they may work on, and ``case_officer`` lets the case's own officer make it."""

    status_from: str
    status_to: str
    action: str  # the button and the API path: "close", "reopen"
    past: str  # how the timeline says it: "closed", "reopened"
    needs: frozenset[str]
    roles: frozenset[str]
    case_officer: bool = True


CLOSING_NEEDS = frozenset({"reason", "closure_reason", "outcome", "resolved"})
DECIDERS = frozenset({Role.SPECIALIST, Role.MANAGER})

MOVES: dict[tuple[str, str], Move] = {
    (CaseStatus.OPEN, CaseStatus.CLOSED): Move(
        CaseStatus.OPEN, CaseStatus.CLOSED, "close", "closed", CLOSING_NEEDS, DECIDERS
    ),
    (CaseStatus.REOPENED, CaseStatus.CLOSED): Move(
        CaseStatus.REOPENED, CaseStatus.CLOSED, "close", "closed", CLOSING_NEEDS, DECIDERS
    ),
    (CaseStatus.CLOSED, CaseStatus.REOPENED): Move(
        CaseStatus.CLOSED, CaseStatus.REOPENED, "reopen", "reopened", frozenset({"reason"}), DECIDERS
    ),
}


def move_for(status_from: str, status_to: str) -> Move | None:
    """The move from one status to another, or None when the table does not allow it."""
    return MOVES.get((status_from, status_to))


def moves_from(status: str) -> list[Move]:
    """Every move the table allows from a status, in table order."""
    return [m for m in MOVES.values() if m.status_from == status]


def may_make(move: Move, *, role: str, is_case_officer: bool) -> bool:
    """Whether someone with this role (and who is or is not the case's officer) may make the move.
    The caller also checks they may work on the case at all (accounts.permissions.can_work_case)."""
    return role in move.roles or (move.case_officer and is_case_officer)


def may_reach(status_to: str, *, role: str, is_case_officer: bool) -> bool:
    """Whether someone may make some move into ``status_to`` (whatever the case's status now)."""
    return any(
        may_make(m, role=role, is_case_officer=is_case_officer) for m in MOVES.values() if m.status_to == status_to
    )
