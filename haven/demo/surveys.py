"""Survey invitations and answers for the demo's closed cases (issue 7)."""

from __future__ import annotations

from haven.accounts.models import User
from haven.cases.models import Case
from haven.policies.schema import PolicyProfile


def surveys_generate(*, cases: list[Case], users: dict[str, User], profile: PolicyProfile) -> None:
    """Survey invitations and answers for the demo's closed cases (issue 7)."""
