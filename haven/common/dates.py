"""Small date helpers shared by the apps."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def end_of_day(day: date) -> datetime:
    """The last second of a day in UK time (the current time zone): when a thing due "on" that
    day becomes late."""
    return timezone.make_aware(datetime.combine(day, datetime.max.time().replace(microsecond=0)))
