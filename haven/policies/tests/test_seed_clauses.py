"""Each bundled profile carries its own seed's rules, clause by clause ("emh 4.2").

Pure pytest, no Django. The profile-wide checks and the negative tests are in test_profiles.py.
"""

from __future__ import annotations

from datetime import date

from haven.policies.schema import Country, Flag, TimeUnit
from haven.policies.tests.profiles import interventions, profile

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
