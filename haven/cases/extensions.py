"""Seams through which apps that build on cases (interventions, issue 6) add to what a case
knows, without cases importing them (ARCHITECTURE.md dependency rule). Each app registers its
functions from its AppConfig.ready.

- ``case_due_source``: a function ``(case) -> datetime | None`` giving the soonest thing that app
  has due on an open case (an agreement review, a partner's answer to a referral); the case's
  ``next_due_at`` is the soonest of these and the case's own clocks (``services.core.case_next_due``).
- ``case_close_check``: a function ``(case) -> str | None`` giving a reason the case cannot be
  closed yet (a legal action still open), or None.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from haven.cases.models import Case

DueSource = Callable[["Case"], "datetime | None"]
CloseCheck = Callable[["Case"], "str | None"]
_DUE_SOURCES: list[DueSource] = []
_CLOSE_CHECKS: list[CloseCheck] = []


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
