"""A case on any of the five bundled profiles: each names its tiers and categories its own way."""

from __future__ import annotations

from typing import Any

from haven.accounts.models import Landlord, User
from haven.cases.models import Case
from haven.cases.tests.factories import open_case

PROFILES = ["whg", "wwh", "emh", "livv", "pnp"]
NOISE = {
    "whg": {"category": "noise", "tier": "standard"},
    "wwh": {"category": "persistent_noise", "tier": "low_level"},
    "emh": {"category": "noise", "tier": "low"},
    "livv": {"category": "noise", "tier": "low"},
    "pnp": {"category": "noise", "tier": "low_level"},
}


def noise_case(landlord: Landlord, adviser: User, officer: User | None = None, **triage: Any) -> Case:
    """A noise case (no restricting flags) on the landlord's own profile."""
    return open_case(landlord, adviser, officer, **{**NOISE[landlord.policy_id], **triage})
