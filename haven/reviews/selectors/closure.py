"""Reading closures and complaints for the case page, the managers' list and the API (issue 7)."""

from __future__ import annotations

from django.db.models import QuerySet

from haven.cases.models import Case, Closure, SignOff
from haven.reviews.models import Complaint


def latest_closure(case: Case) -> Closure | None:
    """The case's latest closure (one query)."""
    return Closure.objects.filter(case=case).select_related("by", "signed_off_by").order_by("-closed_at", "-pk").first()


def case_complaints(case: Case) -> list[Complaint]:
    """The case's complaints, newest first, with who complained and who recorded them (one query)."""
    found = Complaint.objects.filter(case=case).select_related("party", "recorded_by")
    return list(found.order_by("-received_on", "-pk"))


def awaiting_signoff(*, landlord_id: int, exclude_by: int | None = None) -> QuerySet[Closure]:
    """The landlord's closures waiting for a manager's sign-off, oldest first (index closure_signoff);
    ``exclude_by``: leave out those the given person closed (they cannot sign their own)."""
    found = Closure.objects.filter(
        signoff=SignOff.AWAITING, reopened_at__isnull=True, case__landlord_id=landlord_id
    ).select_related("case", "by")
    if exclude_by is not None:
        found = found.exclude(by_id=exclude_by)
    return found.order_by("closed_at", "pk")
