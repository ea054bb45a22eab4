"""Reads of interventions and agreements."""

from __future__ import annotations

from datetime import datetime

from haven.cases.models import Case
from haven.common.dates import end_of_day
from haven.interventions.models import Intervention, InterventionStatus


def agreement_review_due(case: Case) -> datetime | None:
    """The soonest review of an agreement in place on the case, at the end of its day (UK time):
    part of the case's next due moment (``cases.extensions``)."""
    review_on = (
        Intervention.objects.filter(
            case=case, agreement=True, status=InterventionStatus.ACTIVE, review_on__isnull=False
        )
        .order_by("review_on")
        .values_list("review_on", flat=True)
        .first()
    )
    return end_of_day(review_on) if review_on is not None else None
