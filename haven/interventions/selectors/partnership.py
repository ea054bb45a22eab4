"""Reads of referrals, partnership meetings and the information sharing log."""

from __future__ import annotations

from datetime import datetime

from haven.cases.models import Case
from haven.common.dates import end_of_day
from haven.interventions.models import Referral


def referral_response_due(case: Case) -> datetime | None:
    """The soonest answer expected to a referral not yet answered (WWH 4.0 "Monitor Referrals"),
    at the end of its day: part of the case's next due moment (``cases.extensions``)."""
    due_on = (
        Referral.objects.filter(case=case, responded_on__isnull=True)
        .order_by("response_due_on")
        .values_list("response_due_on", flat=True)
        .first()
    )
    return end_of_day(due_on) if due_on is not None else None
