"""Every read of landlords, users and tokens."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import QuerySet

from haven.accounts.models import Landlord, User
from haven.common.working_time import WorkingCalendar
from haven.policies.registry import get_profile
from haven.policies.schema import PolicyProfile


def landlord_profile(landlord: Landlord) -> PolicyProfile:
    return get_profile(landlord.policy_id)


def landlord_closure_days(landlord: Landlord) -> frozenset[date]:
    """The landlord's own closure days plus any the profile lists (office_hours.closure_days)."""
    profile = landlord_profile(landlord)
    own = landlord.closure_days.values_list("day", flat=True)
    return frozenset(own) | frozenset(profile.office_hours.closure_days)


def landlord_by_slug(slug: str) -> Landlord | None:
    """The landlord a public page is for (/report/<slug>/); None when there is no such landlord."""
    return Landlord.objects.filter(slug=slug).first()


def staff_for_landlord(*, landlord_id: int) -> QuerySet[User]:
    return User.objects.filter(landlord_id=landlord_id, is_active=True).select_related("team").order_by("username")


def landlord_calendar(landlord: Landlord) -> WorkingCalendar:
    """The landlord's working time: its profile's office hours, bank holidays, closure days."""
    hours = landlord_profile(landlord).office_hours
    return WorkingCalendar(
        office_open=hours.opens, office_close=hours.closes, closure_days=landlord_closure_days(landlord)
    )


def response_due_at(*, landlord: Landlord, tier_id: str, received_at: datetime) -> datetime:
    """When a report of this tier must have its first response, by the landlord's profile
    (e.g. emh 4.2: high within 24 working hours; whg 2.5: every report within 5 working days)."""
    target = landlord_profile(landlord).tier(tier_id).response_target
    return landlord_calendar(landlord).due_at(received_at, target.amount, target.unit)
