"""Each bundled profile's response targets, applied in the landlord's working time (issue 2, item 4)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from haven.accounts.models import ClosureDay
from haven.accounts.selectors import landlord_calendar, response_due_at
from haven.common.working_time import LONDON

pytestmark = pytest.mark.django_db

CHRISTMAS_EVE_4PM = datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)


def test_emh_4_2_high_risk_is_due_within_24_working_hours(make_landlord) -> None:
    emh = make_landlord("emh")
    due = response_due_at(landlord=emh, tier_id="high", received_at=CHRISTMAS_EVE_4PM)
    assert due == datetime(2026, 12, 29, 16, 0, tzinfo=LONDON)


@pytest.mark.parametrize("tier", ["medium", "low"])
def test_emh_4_2_medium_and_low_are_due_within_5_working_days(make_landlord, tier: str) -> None:
    emh = make_landlord("emh")
    due = response_due_at(landlord=emh, tier_id=tier, received_at=CHRISTMAS_EVE_4PM)
    assert due == datetime(2027, 1, 5, 17, 0, tzinfo=LONDON)


def test_whg_2_5_every_report_is_investigated_within_5_working_days(make_landlord) -> None:
    whg = make_landlord("whg")
    due = response_due_at(landlord=whg, tier_id="standard", received_at=CHRISTMAS_EVE_4PM)
    assert due == datetime(2027, 1, 5, 17, 0, tzinfo=LONDON)


def test_a_landlords_closure_day_moves_the_due_date(make_landlord) -> None:
    emh = make_landlord("emh")
    ClosureDay.objects.create(landlord=emh, day=date(2026, 12, 29), reason="Christmas closure")
    assert not landlord_calendar(emh).is_working_day(date(2026, 12, 29))
    due = response_due_at(landlord=emh, tier_id="high", received_at=CHRISTMAS_EVE_4PM)
    assert due == datetime(2026, 12, 30, 16, 0, tzinfo=LONDON)


@pytest.mark.parametrize("policy_id", ["whg", "wwh", "emh", "livv", "pnp"])
def test_every_tier_of_every_profile_has_a_due_date_after_receipt(make_landlord, policy_id: str) -> None:
    landlord = make_landlord(policy_id)
    from haven.accounts.selectors import landlord_profile

    for tier in landlord_profile(landlord).triage.tiers:
        due = response_due_at(landlord=landlord, tier_id=tier.id, received_at=CHRISTMAS_EVE_4PM)
        assert due > CHRISTMAS_EVE_4PM
        assert due.tzinfo is not None
