"""Every read of landlords, users and tokens."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from haven.accounts.models import Landlord, User
from haven.policies.registry import get_profile
from haven.policies.schema import PolicyProfile


def landlord_profile(landlord: Landlord) -> PolicyProfile:
    return get_profile(landlord.policy_id)


def landlord_closure_days(landlord: Landlord) -> frozenset[date]:
    """The landlord's own closure days plus any the profile lists (office_hours.closure_days)."""
    profile = landlord_profile(landlord)
    own = landlord.closure_days.values_list("day", flat=True)
    return frozenset(own) | frozenset(profile.office_hours.closure_days)


def staff_for_landlord(*, landlord_id: int) -> QuerySet[User]:
    return User.objects.filter(landlord_id=landlord_id, is_active=True).select_related("team").order_by("username")
