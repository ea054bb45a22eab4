"""The twin track (emh 4.10): support for the person causing ASB runs alongside enforcement.

Rules proved here: the case page shows both tracks side by side (support: support interventions,
support needs and referrals about the reported person; enforcement: enforcement interventions,
partner powers and legal actions with their stage) and says neither waits for the other; a support
intervention is recorded while an enforcement one is in place, and the reverse, on every profile
that has both; support needs are special category data, so an adviser sees only their number.
Referral and legal action rows are made directly: their services belong to another part of issue 6.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from haven.cases.services.risk import support_need_record
from haven.cases.tests.any_profile import PROFILES
from haven.cases.tests.factories import signed_in, text
from haven.interventions.models import Consent, InterventionStatus, LegalAction, LegalStage, Referral
from haven.interventions.services.toolkit import intervention_record
from haven.interventions.tests.factories import Setting, setting
from haven.policies.registry import get_profile

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def emh(staff, make_user) -> Setting:  # type: ignore[no-untyped-def]
    return setting("emh", staff, make_user)


def _both_tracks(s: Setting) -> None:
    intervention_record(actor=s.officer, case=s.case, code="support_referral", party=s.reported, started_on=TODAY())
    intervention_record(actor=s.officer, case=s.case, code="warning_letter", party=s.reported, started_on=TODAY())
    intervention_record(actor=s.officer, case=s.case, code="closure_order", started_on=TODAY(), partner="police",
                        support_given="Evidence bundle")  # fmt: skip
    support_need_record(actor=s.officer, case=s.case, party=s.reported, kind="mental_health",
                        description="Anxiety; no current support", referred_to="Community mental health team",
                        referred_on=TODAY())  # fmt: skip
    Referral.objects.create(
        case=s.case, partner="nhs_mental_health", party=s.reported, made_on=TODAY() - timedelta(days=20),
        reason="Support for anxiety", consent=Consent.GIVEN, response_due_on=TODAY() - timedelta(days=1),
        made_by=s.officer,
    )  # fmt: skip
    LegalAction.objects.create(
        case=s.case, code="part1_injunction", label="Part 1 injunction", route="injunction", party=s.reported,
        stage=LegalStage.PROPORTIONALITY, started_on=TODAY(), reason="Continued noise", recorded_by=s.officer,
    )  # fmt: skip


def test_the_case_page_shows_support_and_enforcement_side_by_side(emh) -> None:  # type: ignore[no-untyped-def]
    """emh 4.10: both tracks on the case page, each with what it holds, and neither waits."""
    _both_tracks(emh)
    page = text(signed_in(emh.officer).get(f"/cases/{emh.case.reference}/"))
    assert 'data-testid="twin-track"' in page and "Neither track waits for the other" in page
    support = page.split('data-testid="track-support"')[1].split('data-testid="track-enforcement"')[0]
    enforcement = page.split('data-testid="track-enforcement"')[1].split("</ul>")[0]
    assert "Support for the person causing ASB" in support
    assert "Mental health" in support and "Referred to Community mental health team" in support
    assert "NHS Medical and Mental Health Teams" in support and "Answer overdue" in support
    assert "Warning letter" in enforcement and "Closure order" in enforcement and "With Police Services" in enforcement
    assert "Part 1 injunction" in enforcement and "Proportionality assessed" in enforcement
    assert "Warning letter" not in support and "Mental health" not in enforcement


def test_an_adviser_sees_only_how_many_support_needs_there_are(emh) -> None:  # type: ignore[no-untyped-def]
    """Support needs are special category data (UK GDPR Art 9; accounts.permissions): caseworkers only."""
    _both_tracks(emh)
    page = text(signed_in(emh.adviser).get(f"/cases/{emh.case.reference}/"))
    assert "1 support need recorded: special category information" in page
    assert "Community mental health team" not in page and "Anxiety" not in page


def _tracked(policy_id: str, track: str) -> list[str]:
    return [t.code for t in get_profile(policy_id).interventions.informal if t.track == track and not t.agreement]


BOTH = [p for p in PROFILES if _tracked(p, "support") and _tracked(p, "enforcement")]


@pytest.mark.parametrize("policy_id", BOTH)
def test_neither_track_waits_for_the_other(policy_id, staff, make_user) -> None:  # type: ignore[no-untyped-def]
    """emh 4.10: with enforcement in place (a tool and a legal action) a support intervention is
    recorded, and with support in place another enforcement one is; nothing ends or waits."""
    s = setting(policy_id, staff, make_user)
    legal = get_profile(policy_id).interventions.legal[0]
    enforce, support = _tracked(policy_id, "enforcement")[0], _tracked(policy_id, "support")[0]
    first = intervention_record(actor=s.officer, case=s.case, code=enforce, party=s.reported, started_on=TODAY())
    LegalAction.objects.create(
        case=s.case, code=legal.code, label=legal.label, route=legal.route, party=s.reported, started_on=TODAY(),
        reason="Continued noise", recorded_by=s.officer,
    )  # fmt: skip
    helped = intervention_record(actor=s.officer, case=s.case, code=support, party=s.reported, started_on=TODAY())
    again = intervention_record(actor=s.officer, case=s.case, code=enforce, party=s.reported, started_on=TODAY())
    statuses = set(s.case.interventions.values_list("status", flat=True))
    assert statuses == {InterventionStatus.ACTIVE} and {first.track, helped.track, again.track} == {
        "enforcement",
        "support",
    }
