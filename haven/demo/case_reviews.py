"""Local authority areas with thresholds and an ASB Case Review on a demo case (issue 7)."""

from __future__ import annotations

from haven.accounts.models import User
from haven.cases.models import Case
from haven.policies.schema import PolicyProfile


def case_reviews_generate(*, cases: list[Case], users: dict[str, User], profile: PolicyProfile) -> None:
    """Local authority areas with thresholds and an ASB Case Review on a demo case (issue 7)."""
