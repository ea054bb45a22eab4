"""The profile sections of issue 7 (reviews, quality review, persistent reports, ASB Case Review,
closure, survey, complaints): what every bundled profile holds, and the edits the schema refuses."""

from __future__ import annotations

import pytest

from haven.policies.reviews_schema import TP12_TEXT
from haven.policies.tests.test_profiles import BUNDLED, as_dict, dump, problems, profile


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_every_profile_asks_tp12_in_the_regulators_words_with_its_own_name(policy_id):
    """whg 3.3: TSMs with the transactional survey; TP12's wording is the regulator's, five points."""
    p = profile(policy_id)
    tp12 = p.survey.measure("tp12")
    assert tp12 is not None and tp12.required
    assert tp12.wording(p.landlord.short_name) == TP12_TEXT.replace("{landlord}", p.landlord.short_name)
    assert [label for _, label in tp12.choices()] == [
        "Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied",
        "Very dissatisfied",
    ]  # fmt: skip
    transactional = {"kept_informed", "treated_fairly", "ease_of_reporting", "outcome"}
    assert {q.measure for q in p.survey.questions} >= transactional


@pytest.mark.parametrize("policy_id", BUNDLED)
def test_every_profile_has_the_wwh_review_checklist_and_a_closure_default_it_lists(policy_id):
    """WWH 5.0's review guidelines, ending with the ASB Case Review threshold question; the API's
    default closure reason (API.md close body has no reason code) is one of the profile's."""
    p = profile(policy_id)
    codes = [c.code for c in p.reviews.checklist]
    assert codes[0] == "duration_pattern" and codes[-1] == "case_review_threshold" and len(codes) == 10
    assert p.closure.default_reason in {r.code for r in p.closure.reasons}
    assert 1 <= p.asb_case_review.tell_reporter_at <= 3


def test_tp12_with_other_words_is_refused():
    data = as_dict("whg")
    data["survey"]["questions"][0]["text"] = "How happy are you with whg?"
    assert any("TP12" in p.message for p in problems(dump(data)))


def test_an_english_profile_without_tp12_is_refused():
    data = as_dict("emh")
    data["survey"]["questions"] = [q for q in data["survey"]["questions"] if q.get("measure") != "tp12"]
    assert any("TP12" in p.message for p in problems(dump(data)))


def test_a_closure_default_reason_not_in_the_list_is_refused():
    data = as_dict("livv")
    data["closure"]["default_reason"] = "gone_fishing"
    assert any("default_reason" in p.message for p in problems(dump(data)))


def test_an_unknown_closure_condition_is_refused_naming_the_known_ones():
    data = as_dict("pnp")
    data["closure"]["conditions"][0] = {"code": "moon_full", "label": "x", "kind": "confirm", "source": "pnp 8.2"}
    message = " ".join(p.message for p in problems(dump(data)))
    assert "moon_full" in message and "reporter_told" in message


def test_a_checked_condition_cannot_be_declared_as_a_confirmation():
    data = as_dict("wwh")
    data["closure"]["conditions"][2]["kind"] = "confirm"  # actions_closed is worked out, not ticked
    assert any("actions_closed" in p.message for p in problems(dump(data)))


def test_a_case_review_prompt_past_the_statutory_threshold_is_refused():
    """2014 Act s104: the threshold may not be more than three complaints, so a prompt at four
    would come after the right has arisen."""
    data = as_dict("emh")
    data["asb_case_review"]["tell_reporter_at"] = 4
    assert any(p.place == "asb_case_review.tell_reporter_at" for p in problems(dump(data)))


def test_a_survey_link_valid_in_working_days_is_refused():
    data = as_dict("whg")
    data["survey"]["link_valid"] = {"amount": 10, "unit": "working_days"}
    assert any("link_valid" in p.message for p in problems(dump(data)))
