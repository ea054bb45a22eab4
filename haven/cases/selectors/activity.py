"""Active and inactive: derived from a case's recent work, never typed in (WWH 5.0: "if recent
activity or action has occurred they will be considered 'Active', if there is no current activity
in relation to the case, then it may be considered 'Inactive'").

A case is active when it is open (or reopened) and its ``last_activity_at`` (kept by
``cases.services.case_refresh``) falls within the profile's ``casework.inactive_after`` calendar
days of now. A closed case is neither: lists show it as closed and count it as not active. An open
case without a recorded activity time (rows made before issue 5) counts from when it was opened.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q

from haven.cases.models import OPEN_STATUSES, Case
from haven.policies.schema import PolicyProfile


def inactive_before(profile: PolicyProfile, now: datetime) -> datetime:
    """The moment before which no activity makes an open case inactive (calendar days, WWH 5.0)."""
    return now - timedelta(days=profile.casework.inactive_after.amount)


def case_is_active(case: Case, profile: PolicyProfile, now: datetime) -> bool:
    """Open or reopened, with work recorded within ``casework.inactive_after`` (WWH 5.0)."""
    if not case.is_open:
        return False
    last = case.last_activity_at or case.opened_at
    return last >= inactive_before(profile, now)


def active_q(profile: PolicyProfile, now: datetime) -> Q:
    """``case_is_active`` as a filter (index case_activity: landlord, status, last_activity_at)."""
    since = inactive_before(profile, now)
    recent = Q(last_activity_at__gte=since) | Q(last_activity_at__isnull=True, opened_at__gte=since)
    return Q(status__in=OPEN_STATUSES) & recent


def inactive_q(profile: PolicyProfile, now: datetime) -> Q:
    """Open or reopened, and no work recorded within ``casework.inactive_after`` (WWH 5.0)."""
    since = inactive_before(profile, now)
    stale = Q(last_activity_at__lt=since) | Q(last_activity_at__isnull=True, opened_at__lt=since)
    return Q(status__in=OPEN_STATUSES) & stale


def activity_tag(case: Case, profile: PolicyProfile, now: datetime) -> dict[str, str]:
    """Active / Inactive / Closed as a GOV.UK tag, for the case page and the lists."""
    if not case.is_open:
        return {"text": case.get_status_display(), "colour": "grey"}
    if case_is_active(case, profile, now):
        return {"text": "Active", "colour": "green"}
    return {"text": "Inactive", "colour": "orange"}
