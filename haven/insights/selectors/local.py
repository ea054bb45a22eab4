"""Moments as the UK calendar sees them, worked out in the database (issue 9, speed at scale).

The insight pages group hundreds of thousands of records by the UK day they fall on and whether they
fell at or after the office's close (all a working-day count depends on, ``WorkingCalendar``), so the
database returns a few thousand groups instead of every timestamp for Python to parse.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Case, F, IntegerField, Value, When
from django.db.models.functions import (
    ExtractDay,
    ExtractHour,
    ExtractMinute,
    ExtractMonth,
    ExtractSecond,
    ExtractYear,
    TruncDate,
)
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual

UK = ZoneInfo("Europe/London")


def uk_day(field: str) -> TruncDate:
    """The UK calendar date of the moment in ``field``."""
    return TruncDate(F(field), tzinfo=UK)


def at_or_after(field: str, clock: time) -> Case:
    """Whether the moment in ``field`` is at or after ``clock`` on its UK day (False when it is empty)."""
    return _compared(field, clock, GreaterThanOrEqual)


def after(field: str, clock: time) -> Case:
    """Whether the moment in ``field`` is after ``clock`` on its UK day (False when it is empty)."""
    return _compared(field, clock, GreaterThan)


def _seconds(field: str) -> Any:
    """Seconds since the start of the moment's UK day."""
    return (
        ExtractHour(F(field), tzinfo=UK) * 3600 + ExtractMinute(F(field), tzinfo=UK) * 60
        + ExtractSecond(F(field), tzinfo=UK)
    )  # fmt: skip


def _target(clock: time) -> Value:
    return Value(clock.hour * 3600 + clock.minute * 60 + clock.second)


def _compared(field: str, clock: time, lookup: type[GreaterThan] | type[GreaterThanOrEqual]) -> Case:
    return Case(When(lookup(_seconds(field), _target(clock)), then=Value(True)), default=Value(False),
                output_field=BooleanField())  # fmt: skip


def day_and_after(field: str, clock: time) -> Case:
    """The UK day of the moment in ``field`` and whether it was after ``clock``, as one whole number
    (yyyymmdd * 2 + 1 when after), so a value worked out in a subquery is worked out once per row;
    ``day_and_after_read`` turns it back."""
    day = ExtractYear(F(field), tzinfo=UK) * 10000 + ExtractMonth(F(field), tzinfo=UK) * 100 + ExtractDay(
        F(field), tzinfo=UK)  # fmt: skip
    return Case(When(GreaterThan(_seconds(field), _target(clock)), then=day * 2 + 1), default=day * 2,
                output_field=IntegerField())  # fmt: skip


def day_and_after_read(value: int | None) -> tuple[date | None, bool]:
    if value is None:
        return None, False
    day, after_clock = divmod(int(value), 2)
    return date(day // 10000, day // 100 % 100, day % 100), bool(after_clock)
