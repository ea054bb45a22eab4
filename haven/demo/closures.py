"""A demo case closed with its conditions and sign-off, and a complaint (issue 7)."""

from __future__ import annotations

from haven.accounts.models import User
from haven.cases.models import Case
from haven.policies.schema import PolicyProfile


def closures_generate(*, cases: list[Case], users: dict[str, User], profile: PolicyProfile) -> None:
    """A demo case closed with its conditions and sign-off, and a complaint (issue 7)."""
