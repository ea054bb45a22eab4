"""The toolkit and partnership parts of the bundled profiles (issue 6), and the schema's checks.

.venv/bin/pytest haven/policies/tests/test_toolkit.py -q
"""

from __future__ import annotations

import pytest
import yaml

from haven.policies.loader import PolicyError, parse_profile
from haven.policies.tests.profiles import BUNDLED, ENGLISH, POLICY_DIR, interventions, profile

GROUND_7A_CONDITIONS = {"serious_offence", "injunction_breach", "cbo_breach", "closure_order", "noise_abatement_breach"}


@pytest.mark.parametrize("policy_id", ENGLISH)
def test_ground_7a_carries_the_five_statutory_conditions(policy_id):
    """Housing Act 1988 Sch 2 Ground 7A conditions 1-5 (pnp 5.6.2: a court has already found the
    tenant or household guilty); the legal action guard offers the ground only with one of them."""
    tool = profile(policy_id).interventions.tool("possession_ground_7a")
    assert tool is not None and tool.route == "possession"
    assert {c.code for c in tool.conditions} == GROUND_7A_CONDITIONS
    assert all("Ground 7A, condition" in c.source for c in tool.conditions)


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_every_legal_tool_needs_proportionality_and_has_a_route(policy_id):
    """emh 4.9, pnp 5.6.3: a proportionality assessment before legal action; every legal tool says
    how it runs (injunction, possession or other) and only legal tools carry a route."""
    p = profile(policy_id)
    for tool in p.interventions.legal:
        assert tool.needs_proportionality, tool.code
        assert tool.route in {"injunction", "possession", "other"}
    assert p.interventions.tool("part1_injunction").route == "injunction"  # type: ignore[union-attr]
    for tool in p.interventions.informal + p.interventions.partner_powers:
        assert tool.route == "other" and not tool.conditions


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_the_twin_track_has_a_support_tool_in_every_profile(policy_id):
    """emh 4.10 twin track: support for the person runs alongside enforcement; each seed names a
    support referral or tenancy support among its tools."""
    tracks = {t.track for t in profile(policy_id).interventions.informal}
    assert "support" in tracks


def test_wales_offers_renting_homes_act_possession_not_housing_act_grounds():
    """wwh: the Renting Homes (Wales) Act 2016 replaces Housing Act 1988 grounds in Wales."""
    p = profile("wwh")
    codes = {t.code for t in interventions(p)}
    assert "possession_ground_14" not in codes and "possession_ground_7a" not in codes
    assert p.interventions.tool("possession_breach_prohibited_conduct").route == "possession"  # type: ignore[union-attr]


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_partnership_sets_a_referral_answer_time_and_disclosure_approvers(policy_id):
    """WWH 4.0 "Monitor Referrals"; emh 6.3-6.4 information sharing: every profile says when a
    partner's answer is expected and who may approve a disclosure."""
    p = profile(policy_id)
    assert p.partnership.referral_response_within.amount > 0
    assert p.partnership.disclosure_approvers
    assert p.partner(p.partners[0].code) is p.partners[0]
    assert p.partner("no_such_partner") is None


def test_kind_of_names_the_toolkit_a_code_belongs_to():
    p = profile("pnp")
    assert p.interventions.kind_of("parenting_contract") == "informal"
    assert p.interventions.kind_of("part1_injunction") == "legal"
    assert p.interventions.kind_of("closure_order") == "partner_power"
    assert p.interventions.kind_of("possession_breach_prohibited_conduct") is None  # a Welsh tool


def _emh() -> dict:
    return yaml.safe_load((POLICY_DIR / "emh.yaml").read_text(encoding="utf-8"))


def test_an_informal_tool_with_a_route_is_refused():
    data = _emh()
    data["interventions"]["informal"][0]["route"] = "possession"
    with pytest.raises(PolicyError, match="not legal action"):
        parse_profile(yaml.safe_dump(data, sort_keys=False))


def test_a_legal_agreement_is_refused():
    data = _emh()
    data["interventions"]["legal"][0]["agreement"] = True
    with pytest.raises(PolicyError, match="cannot be an agreement"):
        parse_profile(yaml.safe_dump(data, sort_keys=False))


def test_repeated_condition_codes_are_refused():
    data = _emh()
    tool = next(t for t in data["interventions"]["legal"] if t["code"] == "possession_ground_7a")
    tool["conditions"].append(dict(tool["conditions"][0]))
    with pytest.raises(PolicyError, match="repeated: serious_offence"):
        parse_profile(yaml.safe_dump(data, sort_keys=False))


def test_a_profile_without_partnership_is_refused():
    data = _emh()
    del data["partnership"]
    with pytest.raises(PolicyError, match="partnership"):
        parse_profile(yaml.safe_dump(data, sort_keys=False))
