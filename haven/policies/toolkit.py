"""The profile's toolkit and partners (issue 6): interventions from advice to possession, the
conditions legal action needs, the partner agencies and forums, and how partnership works."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from haven.policies.types import Code, Duration, Sourced, Text
from haven.policies.types import unique as _unique


class LegalCondition(Sourced):
    """A condition one of which must be recorded before a legal action can be taken, such as the
    conditions of the mandatory ground (Housing Act 1988 Sch 2 Ground 7A; Peaks & Plains 5.6.2)."""

    code: Code
    label: Text


class Intervention(Sourced):
    """One tool of the toolkit (whg 2.11; pnp 1.3). ``track`` places an informal tool on the twin
    track (emh 4.10): ``support`` for the person, ``enforcement`` against the behaviour, ``other``
    for neither (mediation, CCTV...). ``route`` says how a legal action runs through its stages
    (``interventions.workflow``): an ``injunction`` has no notice stage and may carry a power of
    arrest; ``possession`` needs a notice before the claim and may end in a warrant; ``other`` may
    have a notice. ``conditions``: one must be recorded before the action is started (Ground 7A)."""

    code: Code
    label: Text
    legal_basis: str | None = None
    agreement: bool = False  # ABC, GNA, Parenting Contract: has terms and breaches
    needs_proportionality: bool = False  # emh 4.9; Peaks & Plains 5.6.3
    needs_manager_approval: bool = False
    jurisdiction: Literal["england", "wales", "england_and_wales"] = "england_and_wales"
    track: Literal["support", "enforcement", "other"] = "other"
    route: Literal["injunction", "possession", "other"] = "other"
    conditions: tuple[LegalCondition, ...] = ()

    @model_validator(mode="after")
    def _conditions_unique(self) -> Intervention:
        _unique(f"interventions[{self.code}].conditions", [c.code for c in self.conditions])
        return self


class Interventions(Sourced):
    informal: tuple[Intervention, ...] = Field(min_length=1)
    legal: tuple[Intervention, ...] = Field(min_length=1)
    partner_powers: tuple[Intervention, ...] = ()
    twin_track: bool = True  # emh 4.10

    @model_validator(mode="after")
    def _kinds_consistent(self) -> Interventions:
        for tool in self.informal + self.partner_powers:
            if tool.needs_proportionality or tool.route != "other" or tool.conditions:
                raise ValueError(
                    f"intervention {tool.code!r} is not legal action: needs_proportionality, route and "
                    "conditions belong to the legal tools"
                )
        for tool in self.legal:
            if tool.agreement:
                raise ValueError(f"legal action {tool.code!r} cannot be an agreement")
        return self

    def tool(self, code: str) -> Intervention | None:
        return next((t for t in self.informal + self.legal + self.partner_powers if t.code == code), None)

    def kind_of(self, code: str) -> str | None:
        """``informal``, ``legal`` or ``partner_power``; None for a code not in the toolkit."""
        for kind, tools in (("informal", self.informal), ("legal", self.legal), ("partner_power", self.partner_powers)):
            if any(t.code == code for t in tools):
                return kind
        return None


class Partnership(Sourced):
    """How the landlord works with partners (emh 6.2-6.4; WWH 4.0 "Monitor Referrals").
    ``referral_response_within``: when a partner's answer to a referral is expected, unless the
    officer sets a date; past it, an unanswered referral is overdue. ``disclosure_approvers``: the
    roles that may approve a disclosure of case information to another organisation."""

    referral_response_within: Duration
    disclosure_approvers: tuple[Literal["officer", "specialist", "manager"], ...] = Field(min_length=1)


class Partner(Sourced):
    code: Code
    label: Text
    kind: Literal["agency", "forum"]
