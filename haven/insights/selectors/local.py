"""Moments as the UK calendar sees them, worked out in the database (issue 9, speed at scale).

The insight pages group hundreds of thousands of records by the UK day they fall on and whether they
fell at or after the office's close (all a working-day count depends on, ``WorkingCalendar``), so the
database returns a few thousand groups instead of every timestamp for Python to parse.
"""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Case, F, Value, When
from django.db.models.functions import ExtractHour, ExtractMinute, ExtractSecond, TruncDate
from django.db.models.lookups import GreaterThanOrEqual

UK = ZoneInfo("Europe/London")


def uk_day(field: str) -> TruncDate:
    """The UK calendar date of the moment in ``field``."""
    return TruncDate(F(field), tzinfo=UK)


def at_or_after(field: str, clock: time) -> Case:
    """Whether the moment in ``field`` is at or after ``clock`` on its UK day (False when it is empty)."""
    seconds = (
        ExtractHour(F(field), tzinfo=UK) * 3600 + ExtractMinute(F(field), tzinfo=UK) * 60
        + ExtractSecond(F(field), tzinfo=UK)
    )  # fmt: skip
    target = Value(clock.hour * 3600 + clock.minute * 60 + clock.second)
    return Case(When(GreaterThanOrEqual(seconds, target), then=Value(True)), default=Value(False),
                output_field=BooleanField())  # fmt: skip
