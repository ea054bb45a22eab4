"""The five bundled policy profiles (policies/*.yaml) load and carry the rules of their seeds.

Pure pytest, no Django (the loader and schema do not need it):

    .venv/bin/python -m pytest haven/policies/tests/test_profiles.py -p no:django -q

Each per-profile test names the seed clause it checks ("emh 4.2"), so a reader can hold the rule
against the landlord's own policy. The negative tests edit a valid profile a little and check that
the loader names the problem, its place and (where it can) its line.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from haven.policies.loader import PolicyError, Problem, load_profile, parse_profile
from haven.policies.schema import DEFAULT_SOURCE, Country, Flag, TimeUnit
from haven.policies.screen import tier_from_screen
from haven.policies.tests.profiles import BUNDLED, DOC, ENGLISH, POLICY_DIR, interventions, profile, sourced_nodes

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


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_the_fast_libyaml_reading_gives_the_same_profile_as_the_pure_python_one(policy_id, monkeypatch):
    """The loader reads with libyaml when it can (speed); the result must be exactly what the
    pure-Python reader gives, which is the one that reports problems with their lines."""
    import haven.policies.loader as loader

    text = (POLICY_DIR / f"{policy_id}.yaml").read_text(encoding="utf-8")
    fast = parse_profile(text)
    monkeypatch.setattr(loader, "_FAST_LOADER", None)
    assert parse_profile(text) == fast
