"""The five bundled policy profiles (policies/*.yaml) load and carry the rules of their seeds.

Pure pytest, no Django (the loader and schema do not need it):

    .venv/bin/python -m pytest haven/policies/tests/test_profiles.py -p no:django -q

Each per-profile test names the seed clause it checks ("emh 4.2"), so a reader can hold the rule
against the landlord's own policy. The negative tests edit a valid profile a little and check that
the loader names the problem, its place and (where it can) its line.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from haven.policies.loader import PolicyError, Problem, load_profile, parse_profile
from haven.policies.schema import DEFAULT_SOURCE, Country, Flag, PolicyProfile, Sourced, TimeUnit
from haven.policies.screen import tier_from_screen

ROOT = Path(__file__).resolve().parents[3]
POLICY_DIR = ROOT / "policies"
DOC = ROOT / "docs" / "policies.md"
BUNDLED = ("whg", "wwh", "emh", "livv", "pnp")
ENGLISH = ("whg", "emh", "livv", "pnp")


def profile(policy_id: str) -> PolicyProfile:
    return load_profile(POLICY_DIR / f"{policy_id}.yaml")


def interventions(p: PolicyProfile):
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


# ---- every bundled profile ----------------------------------------------------------------------


def test_the_bundled_folder_holds_exactly_the_five_seed_profiles():
    assert sorted(p.stem for p in POLICY_DIR.glob("*.yaml")) == sorted(BUNDLED)


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_profile_validates_and_its_id_matches_the_file_name(policy_id):
    p = profile(policy_id)
    assert p.id == policy_id
    assert p.version == "2026.1"


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_profile_has_a_hate_category_for_tsm_nm01(policy_id):
    assert [c.code for c in profile(policy_id).categories if Flag.HATE in c.flags]


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_profile_has_a_restricted_staff_targeted_category(policy_id):
    """emh 3.4; pnp 1.6: ASB against staff and contractors is a category of its own."""
    staff = [c for c in profile(policy_id).categories if Flag.STAFF_TARGETED in c.flags]
    assert staff
    assert all(c.restricted for c in staff)


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_profile_has_a_restricted_domestic_abuse_category(policy_id):
    abuse = [c for c in profile(policy_id).categories if Flag.DOMESTIC_ABUSE in c.flags]
    assert abuse
    assert all(c.restricted for c in abuse)


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_every_tier_has_a_response_target_and_a_review_cadence(policy_id):
    for tier in profile(policy_id).triage.tiers:
        assert tier.response_target.amount > 0, tier.id
        assert tier.response_target.unit in set(TimeUnit), tier.id
        assert tier.review_every.amount > 0, tier.id


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_every_category_default_tier_is_one_of_the_tiers(policy_id):
    p = profile(policy_id)
    tier_ids = {t.id for t in p.triage.tiers}
    assert p.triage.default_tier in tier_ids
    for category in p.categories:
        assert category.default_tier is None or category.default_tier in tier_ids, category.code


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_fallback_tier_opens_a_case(policy_id):
    """A report that nothing else grades must never silently become advice only (WWH 3.0)."""
    p = profile(policy_id)
    assert p.tier(p.triage.default_tier).opens_case


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_every_source_cites_this_landlords_seed_or_says_it_is_a_default(policy_id):
    pattern = re.compile(rf"^({re.escape(DEFAULT_SOURCE)}(; .+)?|{policy_id} .+)$")
    for place, node in sourced_nodes(profile(policy_id)):
        assert pattern.match(node.source), f"{place}: {node.source!r}"


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_legal_interventions_need_proportionality_and_approval(policy_id):
    """emh 4.9; pnp 5.6.3: a proportionality assessment before any legal action."""
    legal = profile(policy_id).interventions.legal
    assert legal
    for intervention in legal:
        assert intervention.needs_proportionality, intervention.code
        assert intervention.needs_manager_approval, intervention.code


AGREEMENTS = {"acceptable_behaviour_contract", "good_neighbour_agreement", "parenting_contract"}


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_agreements_are_marked_as_agreements_and_are_informal(policy_id):
    """ABC, GNA and Parenting Contract have terms and breaches (emh 5.4; livv 4; pnp 5.4.3)."""
    p = profile(policy_id)
    for intervention in interventions(p):
        assert intervention.agreement == (intervention.code in AGREEMENTS), intervention.code
    assert all(i.code not in AGREEMENTS for i in p.interventions.legal + p.interventions.partner_powers)


@pytest.mark.parametrize("policy_id", ENGLISH)
def test_english_profiles_report_tsms_and_offer_no_welsh_tools(policy_id):
    p = profile(policy_id)
    assert p.landlord.country is Country.ENGLAND
    assert p.kpis.tsm_applies
    assert not [i.code for i in interventions(p) if i.jurisdiction == "wales"]


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_office_hours_default_to_nine_to_five_with_no_closure_days(policy_id):
    hours = profile(policy_id).office_hours
    assert (hours.opens.isoformat(), hours.closes.isoformat()) == ("09:00:00", "17:00:00")
    assert hours.closure_days == ()
    assert hours.is_default


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_not_asb_examples_name_known_advice_routes(policy_id):
    not_asb = profile(policy_id).not_asb
    routes = {r.code for r in not_asb.advice_routes}
    assert all(e.advice_route in routes for e in not_asb.examples if e.advice_route)


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_docs_list_the_tier_ids_and_every_default_place(policy_id):
    """docs/policies.md lists each profile's tier ids and every `default: not in seed` place."""
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^### `{policy_id}`.*?(?=^### |\Z)", text, flags=re.M | re.S)
    assert match, f"docs/policies.md has no '### `{policy_id}`' section"
    section = match.group(0)
    p = profile(policy_id)
    for tier in p.triage.tiers:
        assert f"`{tier.id}`" in section, tier.id
    for place in p.defaults():
        assert f"`{place}`" in section, place


# ---- emh ---------------------------------------------------------------------------------------


def test_emh_4_2_response_times_by_risk_tier():
    """emh 4.2: high risk within 24 working hours; medium and low within 5 working days."""
    p = profile("emh")
    targets = {t.id: (t.response_target.amount, t.response_target.unit) for t in p.triage.tiers}
    assert targets == {
        "high": (24, TimeUnit.WORKING_HOURS),
        "medium": (5, TimeUnit.WORKING_DAYS),
        "low": (5, TimeUnit.WORKING_DAYS),
    }
    assert [t.id for t in p.tiers_by_rank] == ["high", "medium", "low"]


def test_emh_4_2_category_to_tier_table():
    """emh 4.2: threats, violence and hate crime are high; drugs and criminal activity medium;
    noise, pets and animals, garden, litter/rubbish/fly tipping low."""
    p = profile("emh")
    tiers = {c.code: c.default_tier for c in p.categories}
    assert {tiers[c] for c in ("harassment_threats", "physical_violence", "hate_crime")} == {"high"}
    assert {tiers[c] for c in ("drugs", "criminal_activity")} == {"medium"}
    assert {tiers[c] for c in ("noise", "pets_animals", "garden_nuisance", "litter_fly_tipping")} == {"low"}


def test_emh_3_7_reporting_categories():
    codes = {c.code for c in profile("emh").categories}
    assert codes >= {
        "harassment_threats",
        "domestic_abuse",
        "physical_violence",
        "hate_crime",
        "vandalism",
        "alcohol_nuisance",
        "noise",
        "pets_animals",
        "garden_nuisance",
        "litter_fly_tipping",
        "graffiti",
        "drugs",
    }


def test_emh_3_5_and_3_6_domestic_abuse_and_hate_crime_follow_their_own_policies():
    p = profile("emh")
    assert "3.5" in p.category("domestic_abuse").own_procedure
    assert "3.6" in p.category("hate_crime").own_procedure
    assert Flag.HATE in p.category("hate_crime").flags


def test_emh_3_4_staff_targeted_category():
    category = profile("emh").category("staff_targeted")
    assert category.source == "emh 3.4"
    assert Flag.STAFF_TARGETED in category.flags


def test_emh_2_2_shared_owners_and_leaseholders_are_signposted():
    tenures = profile("emh").tenures
    assert set(tenures.signposted) == {"shared_ownership", "leasehold"}
    assert "social_rent" in tenures.in_scope
    assert "signposted" in tenures.signposting_advice


def test_emh_3_1_housing_related_definition_from_the_2014_act():
    definition = profile("emh").definition
    assert "housing related nuisance or annoyance" in definition.text
    assert "2014" in definition.legal_source
    assert definition.housing_related_only


def test_emh_3_8_and_3_9_not_asb_and_neighbour_disputes():
    not_asb = profile("emh").not_asb
    assert any("everyday living" in e.text for e in not_asb.examples)
    assert any(e.advice_route == "mediation" and e.source == "emh 3.9" for e in not_asb.examples)
    assert "mediation" in not_asb.neighbour_disputes
    assert len(not_asb.reasons) == 3


def test_emh_4_3_cases_can_be_recategorised():
    assert profile("emh").triage.recategorise_any_time


def test_emh_4_9_4_10_and_5_5_legal_action():
    p = profile("emh")
    legal = {i.code: i for i in p.interventions.legal}
    assert {"part1_injunction", "possession_ground_14", "possession_ground_7a"} <= set(legal)
    assert legal["part1_injunction"].jurisdiction == "england_and_wales"
    assert legal["possession_ground_14"].jurisdiction == "england"
    assert all(i.needs_proportionality for i in legal.values())
    assert p.interventions.twin_track
    assert p.interventions.source == "emh 4.10, 5.1"


def test_emh_5_4_acceptable_behaviour_contract_is_an_agreement():
    informal = {i.code: i for i in profile("emh").interventions.informal}
    assert informal["acceptable_behaviour_contract"].agreement
    assert {"mediation", "advisory_letter", "warning_letter"} <= set(informal)


def test_emh_5_6_closure_order_is_a_partner_power():
    powers = {i.code: i for i in profile("emh").interventions.partner_powers}
    assert powers["closure_order"].source == "emh 5.6"


def test_emh_6_2_partnership_forums():
    partners = {p.code: p.kind for p in profile("emh").partners}
    assert partners["marac"] == partners["mappa"] == partners["jag"] == "forum"
    assert partners["police"] == "agency"


def test_emh_6_6_explains_what_confidentiality_means_for_action():
    explanation = profile("emh").anonymous_reports.explanation
    assert "confidential" in explanation
    assert "cannot take action without telling" in explanation


def test_emh_7_5_complaints_contact_details():
    landlord = profile("emh").landlord
    assert landlord.complaints_email == "complaints@emh.co.uk"
    assert landlord.complaints_phone == "0300 123 6000"
    assert "LE67 4JP" in landlord.address


def test_emh_8_1_reviewed_every_three_years():
    assert profile("emh").policy.review_every_years == 3


def test_emh_7_2_housemark_benchmarking():
    assert "HouseMark" in profile("emh").kpis.benchmarking


# ---- wwh ---------------------------------------------------------------------------------------


def test_wwh_3_0_three_tiers_and_advice_only_opens_no_case():
    """wwh 3.0: advice only / low level, low risk / serious, high risk."""
    p = profile("wwh")
    assert [t.id for t in p.tiers_by_rank] == ["serious", "low_level", "advice_only"]
    assert not p.tier("advice_only").opens_case
    assert p.tier("low_level").opens_case and p.tier("serious").opens_case
    assert p.triage.recategorise_any_time


def test_wwh_3_0_categories_map_to_their_tier():
    p = profile("wwh")
    tiers = {c.code: c.default_tier for c in p.categories}
    assert {tiers[c] for c in ("persistent_noise", "violence_aggression", "criminal_activity")} == {"serious"}
    assert {tiers[c] for c in ("vehicle_nuisance", "fly_tipping", "animal_nuisance")} == {"low_level"}


def test_wwh_3_0_advice_only_examples_are_not_asb():
    texts = {e.text for e in profile("wwh").not_asb.examples}
    assert texts == {"Noise from an unidentified source", "Lifestyle noises", "Children playing during the day"}


def test_wwh_is_in_wales_and_tsms_do_not_apply():
    p = profile("wwh")
    assert p.landlord.country is Country.WALES
    assert p.kpis.tsm_applies is False


def test_wwh_tenures_are_renting_homes_wales_occupation_contracts():
    tenures = profile("wwh").tenures
    assert set(tenures.in_scope) == {"secure_contract", "standard_contract"}


def test_wwh_offers_no_english_only_tool():
    p = profile("wwh")
    assert not [i.code for i in interventions(p) if i.jurisdiction == "england"]
    text = " ".join(f"{i.label} {i.legal_basis or ''}" for i in interventions(p))
    assert "Housing Act 1988" not in text
    assert "Ground 14" not in text and "Ground 7A" not in text


def test_wwh_4_0_legal_tools_are_renting_homes_wales_act_and_need_manager_consultation():
    legal = {i.code: i for i in profile("wwh").interventions.legal}
    welsh = [i for i in legal.values() if i.jurisdiction == "wales"]
    assert len(welsh) >= 2
    assert all("Renting Homes (Wales) Act 2016" in i.legal_basis for i in welsh)
    assert "s157" in legal["possession_breach_prohibited_conduct"].legal_basis
    assert "s55" in legal["possession_breach_prohibited_conduct"].legal_basis
    assert legal["part1_injunction"].jurisdiction == "england_and_wales"
    assert all(i.needs_manager_approval for i in legal.values())


def test_wwh_1_0_definition_is_the_crime_and_disorder_act_1998():
    definition = profile("wwh").definition
    assert "Crime and Disorder Act 1998" in definition.legal_source
    assert "harassment, alarm or distress" in definition.text
    assert not definition.housing_related_only


def test_wwh_4_0_hate_crime_and_domestic_violence_have_their_own_procedures():
    p = profile("wwh")
    assert "4.0" in p.category("hate_crime").own_procedure
    assert "4.0" in p.category("domestic_abuse").own_procedure


def test_wwh_5_0_active_and_inactive_cases_are_measured():
    codes = {k.code for k in profile("wwh").kpis.measures}
    assert {"active_cases", "inactive_cases", "satisfaction"} <= codes


# ---- whg ---------------------------------------------------------------------------------------


def test_whg_2_5_single_standard_tier_within_five_working_days():
    p = profile("whg")
    assert [t.id for t in p.triage.tiers] == ["standard"]
    target = p.tier("standard").response_target
    assert (target.amount, target.unit) == (5, TimeUnit.WORKING_DAYS)
    assert p.triage.default_tier == "standard"


def test_whg_1_5_tenures_in_scope_and_market_rent_signposted():
    tenures = profile("whg").tenures
    assert {"social_rent", "affordable_rent", "shared_ownership", "leasehold"} <= set(tenures.in_scope)
    assert tenures.signposted == ("market_rent",)
    assert "Freeholder" in tenures.signposting_advice


def test_whg_1_1_hate_crime_has_its_own_policy():
    hate = profile("whg").category("hate_crime")
    assert Flag.HATE in hate.flags
    assert "Hate Crime Policy" in hate.own_procedure


def test_whg_3_1_bi_annual_committee_report():
    reporting = profile("whg").kpis.reporting
    assert [(r.audience, r.every_months) for r in reporting] == [("Customer Service Oversight Committee", 6)]


def test_whg_3_2_to_3_5_benchmarking_tsms_audits_and_casework_reviews():
    kpis = profile("whg").kpis
    codes = {k.code for k in kpis.measures}
    assert {"tsm_nm01", "tsm_tp12", "closure_satisfaction", "compliance_audits", "casework_reviews"} <= codes
    assert kpis.tsm_applies
    assert "Registered Providers" in kpis.benchmarking


def test_whg_6_1_reviewed_every_three_years_next_due_january_2027():
    policy = profile("whg").policy
    assert policy.review_every_years == 3
    assert policy.next_review_due == date(2027, 1, 1)


def test_whg_2_12_cctv_and_patrols_and_2_9_partner_action():
    p = profile("whg")
    assert {i.code: i.source for i in p.interventions.informal}["cctv_patrols"] == "whg 2.12"
    assert [i.code for i in p.interventions.partner_powers] == ["partner_action"]


def test_whg_2_8_escalates_from_support_to_enforcement():
    interventions_ = profile("whg").interventions
    assert interventions_.twin_track is False
    assert interventions_.source == "whg 2.8"


# ---- livv --------------------------------------------------------------------------------------


def test_livv_anonymous_reports_are_information_only_if_unconfirmed():
    """livv 4 Case Management: an anonymous complaint that cannot be confirmed is recorded for
    information only."""
    anonymous = profile("livv").anonymous_reports
    assert anonymous.accepted
    assert anonymous.handling == "information_only_if_unconfirmed"
    assert anonymous.source == "livv 4 Case Management"
    assert "information only" in anonymous.explanation


def test_livv_6_kpis():
    codes = {k.code for k in profile("livv").kpis.measures}
    assert codes == {"open_cases_monthly", "closed_cases_monthly", "legal_cases_ytd", "types_reported", "satisfaction"}


def test_livv_4_definition_is_the_three_limbs_of_the_2014_act():
    definition = profile("livv").definition
    assert definition.text.count("conduct") == 3
    assert "s2(1)" in definition.legal_source


def test_livv_4_hate_crime_and_domestic_abuse_are_within_this_policy():
    p = profile("livv")
    assert p.category("hate_incident").own_procedure is None
    assert p.category("domestic_abuse").own_procedure is None


def test_livv_4_issues_that_may_not_be_asb():
    examples = {e.text for e in profile("livv").not_asb.examples}
    assert len(examples) == 13
    assert {"Parking", "Dog fouling", "Cooking odours", "Life-style clashes"} <= examples


def test_livv_4_early_interventions_include_two_agreements():
    informal = {i.code: i for i in profile("livv").interventions.informal}
    assert informal["acceptable_behaviour_contract"].agreement
    assert informal["good_neighbour_agreement"].agreement


def test_livv_4_legal_action_follows_other_options_not_twin_track():
    interventions_ = profile("livv").interventions
    assert interventions_.twin_track is False
    assert all(i.needs_proportionality for i in interventions_.legal)


def test_livv_4_safeguarding_referrals_go_to_mash():
    partners = {p.code: p for p in profile("livv").partners}
    assert partners["mash"].kind == "agency"
    assert partners["safer_knowsley"].kind == "forum"


def test_livv_document_control_review_every_three_years_from_july_2025():
    policy = profile("livv").policy
    assert policy.review_every_years == 3
    assert policy.next_review_due == date(2025, 7, 1)


# ---- pnp ---------------------------------------------------------------------------------------


def test_pnp_5_6_3_every_legal_intervention_needs_a_proportionality_exercise():
    legal = profile("pnp").interventions.legal
    assert legal
    assert all(i.needs_proportionality for i in legal)
    assert all("pnp 5.6.3" in i.source for i in legal)


def test_pnp_5_6_2_ground_7a_is_english_absolute_possession():
    ground_7a = {i.code: i for i in profile("pnp").interventions.legal}["possession_ground_7a"]
    assert ground_7a.jurisdiction == "england"
    assert "Ground 7A" in ground_7a.legal_basis


def test_pnp_5_6_1_dispersal_and_closure_orders_are_partner_powers():
    codes = {i.code for i in profile("pnp").interventions.partner_powers}
    assert codes == {"dispersal", "closure_order"}


def test_pnp_5_4_3_early_interventions_include_abc_and_parenting_contract():
    informal = {i.code: i for i in profile("pnp").interventions.informal}
    assert informal["acceptable_behaviour_contract"].agreement
    assert informal["parenting_contract"].agreement
    assert "restorative_justice" in informal


def test_pnp_1_6_staff_targeted_has_its_own_procedures():
    staff = profile("pnp").category("staff_targeted")
    assert staff.source == "pnp 1.6, 4.2"
    assert "Unacceptable Behaviour Policy" in staff.own_procedure


def test_pnp_4_4_behaviour_not_dealt_with_as_asb():
    examples = profile("pnp").not_asb.examples
    assert len(examples) == 6
    assert all(e.source == "pnp 4.4" for e in examples)


def test_pnp_8_2_performance_measures_and_7_4_1_annual_board_report():
    kpis = profile("pnp").kpis
    codes = {k.code for k in kpis.measures}
    assert {
        "volume_and_types",
        "time_to_resolve",
        "resolved_unresolved",
        "response_times_by_seriousness",
        "equality_trends",
    } <= codes
    board = [r for r in kpis.reporting if r.audience == "Board"]
    assert board and board[0].every_months == 12 and board[0].source == "pnp 7.4.1"


def test_pnp_tiers_by_seriousness_serious_and_low_level():
    """pnp 8.2 (response times by seriousness), 4.1 (serious criminal activity), 5.4.3 (low level)."""
    p = profile("pnp")
    assert [t.id for t in p.tiers_by_rank] == ["serious", "low_level"]
    assert p.tier("serious").response_target.unit == TimeUnit.WORKING_HOURS


def test_pnp_10_1_reviewed_every_two_years():
    assert profile("pnp").policy.review_every_years == 2


# ---- negative tests: small edits of a valid profile ---------------------------------------------


def as_dict(policy_id: str) -> dict[str, Any]:
    return yaml.safe_load((POLICY_DIR / f"{policy_id}.yaml").read_text(encoding="utf-8"))


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def problems(text: str) -> list[Problem]:
    with pytest.raises(PolicyError) as caught:
        parse_profile(text, source_name="edited.yaml")
    assert caught.value.problems
    assert "edited.yaml" in str(caught.value)
    return caught.value.problems


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} is not in the text")


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_an_unedited_round_trip_still_parses(policy_id):
    """The negative tests below fail for their one edit only."""
    assert parse_profile(dump(as_dict(policy_id))).id == policy_id


def test_an_unknown_key_is_rejected_with_its_place_and_line():
    data = as_dict("emh")
    data["triage"]["tiers"][1]["colour"] = "amber"
    text = dump(data)
    (problem,) = problems(text)
    assert problem.place == "triage.tiers[1].colour"
    assert problem.message == "is not a setting Haven knows (check the spelling)"
    assert problem.line == line_of(text, "colour: amber")


def test_a_misspelt_section_is_rejected_and_the_missing_one_reported():
    data = as_dict("emh")
    data["tenure"] = data.pop("tenures")
    found = {p.place: p.message for p in problems(dump(data))}
    assert found["tenure"] == "is not a setting Haven knows (check the spelling)"
    assert found["tenures"] == "is required but missing"


def test_a_category_whose_default_tier_does_not_exist_is_rejected():
    data = as_dict("emh")
    data["categories"][0]["default_tier"] = "urgent"
    (problem,) = problems(dump(data))
    assert "category 'harassment_threats' has default_tier 'urgent'" in problem.message
    assert "not one of the tiers: high, low, medium" in problem.message


def test_a_triage_default_tier_that_does_not_exist_is_rejected():
    data = as_dict("whg")
    data["triage"]["default_tier"] = "high"
    (problem,) = problems(dump(data))
    assert problem.place == "triage"
    assert "default_tier 'high' is not one of the tiers: standard" in problem.message


def test_a_welsh_profile_with_a_ground_14_intervention_is_rejected():
    data = as_dict("wwh")
    data["interventions"]["legal"].append(
        {
            "code": "possession_ground_14",
            "label": "Possession on Ground 14",
            "legal_basis": "Housing Act 1988, Schedule 2, Ground 14",
            "needs_proportionality": True,
            "jurisdiction": "england",
            "source": "wwh 4.0",
        }
    )
    (problem,) = problems(dump(data))
    assert "possession_ground_14" in problem.message
    assert "apply only in England, but this landlord is in Wales" in problem.message


def test_an_english_profile_with_a_welsh_only_intervention_is_rejected():
    data = as_dict("emh")
    data["interventions"]["legal"].append(
        {
            "code": "prohibited_conduct_standard_contract",
            "label": "Prohibited conduct standard contract",
            "jurisdiction": "wales",
            "source": "emh 5.5",
        }
    )
    (problem,) = problems(dump(data))
    assert (
        "prohibited_conduct_standard_contract apply only in Wales, but this landlord is in England" in problem.message
    )


def test_tsm_applies_true_for_a_welsh_landlord_is_rejected():
    data = as_dict("wwh")
    data["kpis"]["tsm_applies"] = True
    (problem,) = problems(dump(data))
    assert problem.message == "Tenant Satisfaction Measures apply in England only; set kpis.tsm_applies to false"


def test_office_hours_that_close_before_they_open_are_rejected():
    data = as_dict("emh")
    data["office_hours"]["closes"] = "08:30"
    text = dump(data)
    (problem,) = problems(text)
    assert problem.place == "office_hours"
    assert problem.message.startswith("office hours must open before they close")
    assert "opens 09:00:00, closes 08:30:00" in problem.message
    assert problem.line == line_of(text, "office_hours:")


def test_an_unknown_time_unit_is_rejected_with_its_place():
    data = as_dict("emh")
    data["triage"]["tiers"][0]["response_target"]["unit"] = "hours"
    text = dump(data)
    (problem,) = problems(text)
    assert problem.place == "triage.tiers[0].response_target.unit"
    assert "working_hours" in problem.message
    assert problem.line == line_of(text, "unit: hours")


def test_a_category_flag_outside_the_flag_list_is_rejected():
    data = as_dict("pnp")
    data["categories"][0]["flags"] = ["violence", "urgent"]
    (problem,) = problems(dump(data))
    assert problem.place.startswith("categories[0].flags")
    assert "hate" in problem.message and "restricted" in problem.message


def test_tenures_both_in_scope_and_signposted_are_rejected():
    data = as_dict("emh")
    data["tenures"]["signposted"].append("social_rent")
    (problem,) = problems(dump(data))
    assert problem.place == "tenures"
    assert "both in scope and signposted: social_rent" in problem.message


def test_a_not_asb_example_with_an_unknown_advice_route_is_rejected():
    data = as_dict("livv")
    data["not_asb"]["examples"][0]["advice_route"] = "citizens_advice"
    (problem,) = problems(dump(data))
    assert "unknown advice_route 'citizens_advice'" in problem.message


def test_a_section_without_a_source_is_rejected():
    data = as_dict("livv")
    del data["anonymous_reports"]["source"]
    (problem,) = problems(dump(data))
    assert problem.place == "anonymous_reports.source"
    assert problem.message == "is required but missing"


def test_invalid_yaml_reports_its_line():
    text = (POLICY_DIR / "emh.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    broken_at = line_of(text, "short_name: emh")
    lines[broken_at - 1] = "  short_name: [emh"  # an unclosed flow sequence
    (problem,) = problems("\n".join(lines))
    assert problem.place == "(file)"
    assert problem.message.startswith("this is not valid YAML")
    assert problem.line is not None and broken_at <= problem.line <= broken_at + 2


def test_a_file_that_is_not_a_mapping_is_rejected():
    (problem,) = problems("- just\n- a list\n")
    assert problem.message == "the file must be a YAML mapping of sections"


def test_a_missing_file_is_reported():
    with pytest.raises(PolicyError) as caught:
        load_profile(POLICY_DIR / "nobody.yaml")
    assert caught.value.problems[0].message == "the file does not exist"


def test_a_loaded_profile_is_frozen():
    """Profiles are frozen: a change goes in the file, never in the object."""
    p = profile("emh")
    with pytest.raises(ValidationError, match="frozen"):
        p.triage.tiers[0].rank = 9  # type: ignore[misc]


def test_a_fallback_tier_that_opens_no_case_is_rejected():
    """wwh 3.0: advice only is a decision, never the fallback for a report nothing else grades."""
    data = as_dict("wwh")
    data["triage"]["default_tier"] = "advice_only"
    (problem,) = problems(dump(data))
    assert problem.place == "triage"
    assert "default_tier 'advice_only' must be a tier that opens a case" in problem.message


# ---- the initial risk screen and routing (issue 4) -----------------------------------------------


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_the_risk_screen_with_no_yes_answers_gives_the_lowest_band(policy_id):
    p = profile(policy_id)
    result = tier_from_screen(profile=p, category_code=None, answers={})
    assert result.score == 0
    assert result.tier.id == next(b.tier for b in p.risk_screen.bands if b.min_score == 0)


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_a_category_default_tier_is_never_lowered_by_the_screen(policy_id):
    """emh 4.2: drugs and criminal activity are at least medium risk, whatever the screen says."""
    p = profile(policy_id)
    for category in p.categories:
        if category.default_tier:
            result = tier_from_screen(profile=p, category_code=category.code, answers={})
            assert result.tier.rank >= p.tier(category.default_tier).rank, category.code


@pytest.mark.parametrize("policy_id", ["emh", "wwh", "livv", "pnp"])
def test_a_high_vulnerability_raises_the_tier_whatever_the_category(policy_id):
    """emh 4.2 (harm-centred): a victim with high vulnerability makes the case the most serious tier."""
    p = profile(policy_id)
    lowest = min(p.categories, key=lambda c: p.tier(c.default_tier).rank if c.default_tier else 0)
    for question in (q for q in p.risk_screen.questions if q.vulnerability):
        result = tier_from_screen(profile=p, category_code=lowest.code, answers={question.code: True})
        assert result.tier.id == p.risk_screen.vulnerability_tier
        assert any("vulnerab" in reason for reason in result.reasons)


def test_whg_2_5_every_report_gets_the_one_five_working_day_tier():
    p = profile("whg")
    everything = {q.code: True for q in p.risk_screen.questions}
    assert tier_from_screen(profile=p, category_code="hate_crime", answers=everything).tier.id == "standard"


def test_wwh_3_0_three_routes_from_the_screen():
    p = profile("wwh")
    assert tier_from_screen(profile=p, category_code=None, answers={}).tier.id == "advice_only"
    assert tier_from_screen(profile=p, category_code=None, answers={"persistent": True}).tier.id == "low_level"
    assert tier_from_screen(profile=p, category_code=None, answers={"violence": True}).tier.id == "serious"


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_restricted_categories_route_to_a_named_team(policy_id):
    """emh 3.5-3.6 and the seeds' own procedures: domestic abuse goes to a specialist route."""
    p = profile(policy_id)
    route = p.routing.specialist_for({"domestic_abuse"})
    assert route is not None and route.team


def test_a_band_naming_an_unknown_tier_is_refused():
    text = (
        (POLICY_DIR / "emh.yaml")
        .read_text(encoding="utf-8")
        .replace("{min_score: 10, tier: high}", "{min_score: 10, tier: urgent}")
    )
    with pytest.raises(PolicyError, match="urgent"):
        parse_profile(text)


def test_bands_must_start_at_zero():
    text = (
        (POLICY_DIR / "emh.yaml")
        .read_text(encoding="utf-8")
        .replace("{min_score: 0, tier: low}", "{min_score: 1, tier: low}")
    )
    with pytest.raises(PolicyError, match="min_score 0"):
        parse_profile(text)
