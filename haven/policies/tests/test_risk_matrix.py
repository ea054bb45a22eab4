"""The full risk and vulnerability matrix (emh 4.4) in every bundled profile, and its scoring.

Rules proved here:

- every profile has a versioned matrix whose bands start at 0 and propose tiers of that profile
  that open a case (an open case is never proposed "advice only", wwh 3.0);
- the score is the sum of the chosen options' weights, and the band is the highest whose
  ``min_score`` the score reaches (emh 4.1: "a scoring system that considers the type of behaviour
  and the impact it is having");
- harm-centred (emh 4.2; wwh 3.0 serious; pnp 5.1): threats of violence, a hate motive, high
  vulnerability or a severe effect on mental health each propose the profile's most serious band;
- unknown question or option codes, and missing answers, are refused with a message naming them;
- the schema refuses a matrix with repeated codes, no band from 0, or a band naming no tier.

Pure pytest, no Django: ``.venv/bin/python -m pytest haven/policies/tests/test_risk_matrix.py -p no:django -q``
"""

from __future__ import annotations

from typing import Any

import pytest

from haven.policies.matrix import MatrixAnswersError, band_for, score_matrix
from haven.policies.schema import PolicyProfile
from haven.policies.tests.profiles import BUNDLED, profile
from haven.policies.tests.test_profiles import as_dict, dump, problems


def lowest(p: PolicyProfile) -> dict[str, str]:
    return {q.code: min(q.options, key=lambda o: o.weight).code for q in p.risk_matrix.questions}


def top_band(p: PolicyProfile) -> str:
    return max(p.risk_matrix.bands, key=lambda b: b.min_score).code


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_every_profile_has_a_versioned_matrix_whose_bands_propose_tiers_that_open_a_case(policy_id):
    p = profile(policy_id)
    matrix = p.risk_matrix
    assert matrix.version
    assert any(b.min_score == 0 for b in matrix.bands)
    for band in matrix.bands:
        assert p.tier(band.tier).opens_case, band.code
    assert len(matrix.questions) >= 8
    for question in matrix.questions:
        assert question.source, question.code


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_the_score_is_the_sum_of_the_chosen_weights_and_picks_the_highest_band_reached(policy_id):
    p = profile(policy_id)
    answers = lowest(p)
    result = score_matrix(profile=p, answers=answers)
    assert result.score == 0
    assert result.band.min_score == 0
    answers["impact"], answers["frequency"] = "severe", "daily"
    weights = {q.code: {o.code: o.weight for o in q.options} for q in p.risk_matrix.questions}
    result = score_matrix(profile=p, answers=answers)
    assert result.score == weights["impact"]["severe"] + weights["frequency"]["daily"]
    reached = [b for b in p.risk_matrix.bands if b.min_score <= result.score]
    assert result.band == max(reached, key=lambda b: b.min_score)
    assert result.proposed_tier == result.band.tier
    assert result.matrix_version == p.risk_matrix.version
    assert result.answers == answers


@pytest.mark.parametrize("policy_id", BUNDLED)
@pytest.mark.parametrize(
    ("question", "option"),
    [("harm", "threatened"), ("harm", "hurt"), ("hate", "yes"), ("vulnerability", "high"), ("mental_health", "severe")],
)
def test_one_answer_of_genuine_harm_puts_the_person_in_the_most_serious_band(policy_id, question, option):
    """emh 4.2: high risk is "a genuine risk of physical or psychological harm: threats of violence,
    actual violence, hate crime, or high levels of vulnerability"; wwh 3.0: violent or aggressive
    behaviour is serious; pnp 5.1 and livv 4: victim centred."""
    p = profile(policy_id)
    answers = {**lowest(p), question: option}
    assert score_matrix(profile=p, answers=answers).band.code == top_band(p)


def test_emh_a_severe_daily_impact_without_harm_is_medium_risk():
    """emh 4.2: medium between the harm of high risk and the nuisance of low."""
    p = profile("emh")
    result = score_matrix(profile=p, answers={**lowest(p), "impact": "severe", "frequency": "daily"})
    assert (result.band.code, result.proposed_tier) == ("medium", "medium")


def test_whg_bands_all_propose_its_one_tier():
    """whg 2.5: one response for every report; the band still guides the approach (whg 2.10)."""
    p = profile("whg")
    assert {b.tier for b in p.risk_matrix.bands} == {"standard"}


def test_band_for_a_score_between_thresholds_is_the_lower_band():
    matrix = profile("emh").risk_matrix
    assert band_for(matrix, 13).code == "medium"
    assert band_for(matrix, 14).code == "high"
    assert band_for(matrix, 5).code == "low"


def test_unknown_questions_and_options_and_missing_answers_are_named():
    p = profile("emh")
    answers: dict[str, Any] = {**lowest(p), "colour": "red", "harm": "slapped"}
    del answers["hate"]
    with pytest.raises(MatrixAnswersError) as caught:
        score_matrix(profile=p, answers=answers)
    found = caught.value.problems
    assert set(found) == {"answers", "answers.harm", "answers.hate"}
    assert "colour" in found["answers"]
    assert "'slapped' is not an answer to harm" in found["answers.harm"]
    assert "no, threatened, hurt" in found["answers.harm"]
    assert "(hate)" in found["answers.hate"]


def test_an_answer_that_is_not_text_is_refused():
    p = profile("emh")
    with pytest.raises(MatrixAnswersError) as caught:
        score_matrix(profile=p, answers={**lowest(p), "children": True})
    assert set(caught.value.problems) == {"answers.children"}


# ---- the schema's cross-checks --------------------------------------------------------------------


def test_a_band_naming_a_tier_the_profile_lacks_is_rejected():
    data = as_dict("emh")
    data["risk_matrix"]["bands"][0]["tier"] = "critical"
    found = [p.message for p in problems(dump(data))]
    assert any("risk_matrix.bands[high] names 'critical'" in m for m in found), found


def test_a_matrix_without_a_band_from_zero_is_rejected():
    data = as_dict("emh")
    data["risk_matrix"]["bands"] = [b for b in data["risk_matrix"]["bands"] if b["min_score"] != 0]
    found = [p.message for p in problems(dump(data))]
    assert any("must include a band with min_score 0" in m for m in found), found


def test_repeated_question_and_option_codes_are_rejected():
    data = as_dict("emh")
    data["risk_matrix"]["questions"][1]["code"] = data["risk_matrix"]["questions"][0]["code"]
    found = [p.message for p in problems(dump(data))]
    assert any("risk_matrix.questions must be unique; repeated: impact" in m for m in found), found
    data = as_dict("emh")
    options = data["risk_matrix"]["questions"][0]["options"]
    options[1]["code"] = options[0]["code"]
    found = [p.message for p in problems(dump(data))]
    assert any("risk_matrix.questions[impact].options must be unique" in m for m in found), found


def test_a_question_with_one_option_is_rejected():
    data = as_dict("emh")
    data["risk_matrix"]["questions"][0]["options"] = data["risk_matrix"]["questions"][0]["options"][:1]
    assert [p for p in problems(dump(data)) if p.place.startswith("risk_matrix.questions[0].options")]


def test_the_matrix_is_required():
    data = as_dict("emh")
    del data["risk_matrix"]
    assert {p.place: p.message for p in problems(dump(data))}["risk_matrix"] == "is required but missing"
