"""Helpers for the profile tests: where the bundled profiles are, and walking a profile's parts."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from haven.policies.loader import load_profile
from haven.policies.schema import Intervention, PolicyProfile, Sourced

ROOT = Path(__file__).resolve().parents[3]
POLICY_DIR = ROOT / "policies"
DOC = ROOT / "docs" / "policies.md"
BUNDLED = ("whg", "wwh", "emh", "livv", "pnp")
ENGLISH = ("whg", "emh", "livv", "pnp")


def profile(policy_id: str) -> PolicyProfile:
    return load_profile(POLICY_DIR / f"{policy_id}.yaml")


def interventions(p: PolicyProfile) -> tuple[Intervention, ...]:
    return p.interventions.informal + p.interventions.legal + p.interventions.partner_powers


def sourced_nodes(node: object, path: str = "") -> list[tuple[str, Sourced]]:
    """Every part of a profile that carries a ``source``, with its dotted place."""
    found: list[tuple[str, Sourced]] = []
    if isinstance(node, Sourced):
        found.append((path or "(profile)", node))
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            found += sourced_nodes(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, tuple):
        for index, item in enumerate(node):
            found += sourced_nodes(item, f"{path}[{index}]")
    return found
