"""Case reviews of the demo cases, a quality review and a persistent reporter (issue 7)."""

from __future__ import annotations

from haven.accounts.models import User
from haven.cases.models import Case
from haven.policies.schema import PolicyProfile


def reviews_generate(*, cases: list[Case], users: dict[str, User], profile: PolicyProfile) -> None:
    """Case reviews of the demo cases, a quality review and a persistent reporter (issue 7)."""
