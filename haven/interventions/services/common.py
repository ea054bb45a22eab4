"""The helpers every intervention service shares: locking the case, dates for pages and audit
changes, and the length check of free text."""

from __future__ import annotations

from datetime import date
from typing import Any

from haven.accounts.models import User
from haven.accounts.permissions import can_work_case
from haven.cases.models import Case
from haven.common.errors import ApplicationError


def locked_case(actor: User, case: Case, *related: str, code: str = "") -> Case:
    """The case locked for the rest of the transaction; only someone who may work it changes it."""
    query = Case.objects.select_for_update()
    if related:
        query = query.select_related(*related)
    case = query.get(pk=case.pk)
    if not can_work_case(actor, case):
        raise ApplicationError("You cannot change this case.", code=code)
    return case


def day(value: date) -> str:
    """A date as the pages say it: "3 Mar 2026"."""
    return f"{value.day} {value:%b %Y}"


def iso_day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def plain(value: Any) -> Any:
    """A value as an audit change holds it: JSON has no dates."""
    return value.isoformat() if isinstance(value, date) else value


def text_problem(value: str, limit: int, what: str) -> str:
    return f"Write {what} in no more than {limit:,} characters." if len(value) > limit else ""


def check_length(problems: dict[str, str], name: str, value: str, what: str, limit: int) -> None:
    """Adds the problem of ``value`` being longer than ``limit`` to ``problems[name]``."""
    if message := text_problem(value, limit, what):
        problems[name] = message
