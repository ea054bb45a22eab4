"""Seams through which apps that build on cases (interventions, issue 6) add to what a case
knows, without cases importing them (ARCHITECTURE.md dependency rule). Each app registers its
functions from its AppConfig.ready.

- ``case_due_source``: a function ``(case) -> datetime | None`` giving the soonest thing that app
  has due on an open case (an agreement review, a partner's answer to a referral); the case's
  ``next_due_at`` is the soonest of these and the case's own clocks (``services.core.case_next_due``).
- ``case_close_check``: a function ``(case) -> str | None`` giving a reason the case cannot be
  closed yet (a legal action still open), or None.
- ``closure_condition(code)``: registers the function ``(case) -> bool`` that works out a ``check``
  closure condition of the profile (``closure.conditions``; issue 7): true when it is met.
- ``on_case_closed``: a function ``(case, closure, actor) -> None`` called in the closing
  transaction, after the closure is saved (the reviews app invites the reporter to the survey).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.accounts.models import User
    from haven.cases.models import Case, Closure

DueSource = Callable[["Case"], "datetime | None"]
CloseCheck = Callable[["Case"], "str | None"]
ConditionCheck = Callable[["Case"], bool]
ClosedHook = Callable[["Case", "Closure", "User"], None]
_DUE_SOURCES: list[DueSource] = []
_CLOSE_CHECKS: list[CloseCheck] = []
_CONDITIONS: dict[str, ConditionCheck] = {}
_CLOSED_HOOKS: list[ClosedHook] = []


def case_due_source(source: DueSource) -> DueSource:
    if source not in _DUE_SOURCES:
        _DUE_SOURCES.append(source)
    return source


def case_close_check(check: CloseCheck) -> CloseCheck:
    if check not in _CLOSE_CHECKS:
        _CLOSE_CHECKS.append(check)
    return check


def extra_due(case: Case) -> list[datetime]:
    return [due for source in _DUE_SOURCES if (due := source(case)) is not None]


def close_refusals(case: Case) -> list[str]:
    return [why for check in _CLOSE_CHECKS if (why := check(case))]


def closure_condition(code: str) -> Callable[[ConditionCheck], ConditionCheck]:
    def register(check: ConditionCheck) -> ConditionCheck:
        _CONDITIONS[code] = check
        return check

    return register


def condition_check(code: str) -> ConditionCheck | None:
    """The function that works out a ``check`` closure condition, or None when no app registered it."""
    return _CONDITIONS.get(code)


def on_case_closed(hook: ClosedHook) -> ClosedHook:
    if hook not in _CLOSED_HOOKS:
        _CLOSED_HOOKS.append(hook)
    return hook


def case_closed(case: Case, closure: Closure, actor: User) -> None:
    for hook in _CLOSED_HOOKS:
        hook(case, closure, actor)
