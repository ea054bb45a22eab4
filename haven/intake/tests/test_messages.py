"""What a reporter is told happens next comes from the profile's own targets, in their language."""

from __future__ import annotations

from django.utils import translation

from haven.intake.messages import what_happens_next
from haven.policies.registry import get_profile


def test_emh_names_both_targets_from_its_tiers() -> None:
    """emh 4.2: 24 working hours when someone is at risk, otherwise 5 working days."""
    steps = " ".join(what_happens_next(profile=get_profile("emh"), anonymous=False))
    assert "within 5 working days, or within 24 working hours if someone is at risk of harm" in steps


def test_whg_has_one_target_for_every_report() -> None:
    """whg 2.5: always within five working days."""
    steps = " ".join(what_happens_next(profile=get_profile("whg"), anonymous=False))
    assert "We aim to contact you within 5 working days." in steps


def test_an_anonymous_reporter_is_told_what_anonymity_means() -> None:
    profile = get_profile("emh")
    steps = what_happens_next(profile=profile, anonymous=True)
    assert profile.anonymous_reports.explanation in steps
    assert not any("agree with you how" in step for step in steps)


def test_a_welsh_reporter_reads_the_targets_in_welsh() -> None:
    with translation.override("cy"):
        steps = " ".join(what_happens_next(profile=get_profile("wwh"), anonymous=False))
    assert "5 diwrnod gwaith" in steps and "24 awr waith" in steps
    assert "working" not in steps
