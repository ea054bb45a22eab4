"""Working-time arithmetic for response deadlines (emh 4.2: 24 working hours / 5 working days; whg 2.5: 5 working days).

The rules, all in the landlord's working time in Europe/London local (wall-clock) time:

* Working days are Monday to Friday, except England and Wales bank holidays (the ``govuk-bank-holidays``
  package's bundled data, read offline) and the landlord's own closure days.
* A report is *deemed received* when it arrives if that is within office hours on a working day
  (``office_open <= local time < office_close``), otherwise at ``office_open`` on the next working day.
* **N working hours** are counted from deemed receipt over working days only, midnight to midnight: whole
  working days count, nights included, and non-working days are skipped entirely. So 24 working hours fall
  at the same local time on the next working day.
* **N working days** end at ``office_close`` on the Nth working day after the day of deemed receipt.
* **N calendar days** end at the same local time N days after arrival (not after deemed receipt).

Pure Python (no Django), so it is fast and reusable. Inputs may be any aware datetime (e.g. UTC from the
database, or a local time inside the clock-change hour); naive datetimes are rejected. Results are aware
datetimes in Europe/London.
"""

from __future__ import annotations

import functools
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from govuk_bank_holidays.bank_holidays import BankHolidays

__all__ = ["LONDON", "TimeUnit", "WorkingCalendar", "bank_holidays_covered_until"]

LONDON = ZoneInfo("Europe/London")
_ONE_DAY = timedelta(days=1)
_MIDNIGHT = time(0, 0)


class TimeUnit(StrEnum):
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


@functools.cache
def _bank_holidays() -> tuple[date, ...]:
    """England and Wales bank holidays, sorted. Loaded once from the bundled file: the default
    constructor would try gov.uk with a 10 s timeout, which a deadline calculation must never do."""
    data = BankHolidays(use_cached_holidays=True)
    return tuple(sorted(h["date"] for h in data.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)))


@functools.cache
def _bank_holiday_set() -> frozenset[date]:
    return frozenset(_bank_holidays())


def bank_holidays_covered_until() -> date:
    """31 December of the last year the bundled bank-holiday data covers; later dates have no bank holidays
    known, so callers computing deadlines beyond it should warn (and upgrade the package)."""
    return date(_bank_holidays()[-1].year, 12, 31)


def _to_local(at: datetime) -> datetime:
    """``at`` as a real London wall-clock time. Through UTC, because ``astimezone`` leaves a London
    time as it is, even one inside the spring-forward gap (01:30 on the last Sunday in March, which
    names the instant its ``fold`` picks); the round trip turns it into the time the clocks showed."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"working time needs an aware datetime (with a time zone), got naive {at!r}")
    return at.astimezone(UTC).astimezone(LONDON)


def _localize(wall: datetime) -> datetime:
    """Attach London to a wall-clock time. The UTC round trip moves a non-existent spring-forward time
    (e.g. 01:30 on the last Sunday in March) to a real one; an ambiguous autumn time takes its first (BST) reading."""
    return wall.replace(tzinfo=LONDON).astimezone(UTC).astimezone(LONDON)


def _time_of_day(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


def _weekdays_in(start: date, end: date) -> int:
    """Number of Monday-Friday dates in [start, end)."""
    days = (end - start).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    first = start.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (first + i) % 7 < 5)


def _add_weekdays(day: date, n: int) -> date:
    """The nth Monday-Friday date strictly after ``day`` (``day`` itself when n == 0), in O(1)."""
    if n == 0:
        return day
    if day.weekday() >= 5:  # count from the Friday before a weekend: the next weekday is the same
        day -= timedelta(days=day.weekday() - 4)
    weeks, rest = divmod(n, 5)
    extra = rest + 2 if day.weekday() + rest >= 5 else rest
    return day + timedelta(days=7 * weeks + extra)


def _hours(hours: int | float | Decimal) -> timedelta:
    if isinstance(hours, Decimal):
        if not hours.is_finite() or hours < 0:
            raise ValueError(f"working hours must be a finite number >= 0, got {hours}")
        # Exact to the microsecond, without a lossy float conversion.
        return timedelta(microseconds=int((hours * 3_600_000_000).to_integral_value()))
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"working hours must be a finite number >= 0, got {hours}")
    return timedelta(hours=hours)


def _check_amount(amount: int) -> None:
    if amount < 0:
        raise ValueError(f"a deadline amount must be >= 0, got {amount}")


@dataclass(frozen=True)
class WorkingCalendar:
    """One landlord's working time: office hours from its policy profile and its own closure days."""

    office_open: time = time(9, 0)
    office_close: time = time(17, 0)
    closure_days: frozenset[date] = frozenset()
    # Sorted weekday dates that are not working days: lets day counts bisect instead of looping day by day.
    _excluded: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.office_open.tzinfo is not None or self.office_close.tzinfo is not None:
            raise ValueError("office hours are London wall-clock times; give them without a time zone")
        if not self.office_open < self.office_close:
            raise ValueError(f"office_open ({self.office_open}) must be before office_close ({self.office_close})")
        # Accept any iterable of dates but keep the calendar hashable and immutable.
        object.__setattr__(self, "closure_days", frozenset(self.closure_days))
        excluded = {d for d in _bank_holiday_set() | self.closure_days if d.weekday() < 5}
        object.__setattr__(self, "_excluded", tuple(sorted(excluded)))

    # --- days -------------------------------------------------------------------------------------------

    def is_bank_holiday(self, day: date) -> bool:
        return day in _bank_holiday_set()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.closure_days and day not in _bank_holiday_set()

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self._advance(day, 1)

    def _advance(self, day: date, n: int) -> date:
        """The nth working day strictly after ``day`` (``day`` itself when n == 0). Jump n weekdays, then
        make up for the excluded weekdays jumped over; each excluded date is met at most once, so the loop
        runs at most len(excluded) + 1 times whatever n is."""
        excluded = self._excluded
        while n > 0:
            target = _add_weekdays(day, n)
            n = bisect_right(excluded, target) - bisect_right(excluded, day)
            day = target
        return day

    def _working_days_in(self, start: date, end: date) -> int:
        """Number of working days in [start, end)."""
        if end <= start:
            return 0
        excluded = self._excluded
        return _weekdays_in(start, end) - (bisect_left(excluded, end) - bisect_left(excluded, start))

    # --- instants ---------------------------------------------------------------------------------------

    def deemed_receipt(self, at: datetime) -> datetime:
        """``at`` if within office hours on a working day, else office_open on the next working day."""
        local = _to_local(at)
        day, clock = local.date(), local.time()
        if self.is_working_day(day):
            if self.office_open <= clock < self.office_close:
                return local
            if clock < self.office_open:
                return _localize(datetime.combine(day, self.office_open))
        return _localize(datetime.combine(self.next_working_day(day), self.office_open))

    def add_working_hours(self, start: datetime, hours: int | float | Decimal) -> datetime:
        """Deemed receipt plus ``hours`` of working-day time, midnight to midnight.

        If the count ends exactly at a midnight it ends at the close of the last working day counted (the
        midnight after it, e.g. Saturday 00:00 for a Friday), the earliest instant the time has run out.
        """
        received = self.deemed_receipt(start)
        total = _time_of_day(received.time()) + _hours(hours)
        days, rest = divmod(total, _ONE_DAY)
        if days > 0 and not rest:
            return _localize(datetime.combine(self._advance(received.date(), days - 1) + _ONE_DAY, _MIDNIGHT))
        return _localize(datetime.combine(self._advance(received.date(), days), _MIDNIGHT) + rest)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """office_close on the ``days``-th working day after the day of deemed receipt (that day if 0)."""
        _check_amount(days)
        received = self.deemed_receipt(start)
        return _localize(datetime.combine(self._advance(received.date(), days), self.office_close))

    def add(self, start: datetime, amount: int, unit: TimeUnit) -> datetime:
        _check_amount(amount)
        if unit == TimeUnit.WORKING_HOURS:
            return self.add_working_hours(start, amount)
        if unit == TimeUnit.WORKING_DAYS:
            return self.add_working_days(start, amount)
        if unit == TimeUnit.CALENDAR_DAYS:
            # Same wall-clock time N days later, so a clock change in between does not shift it by an hour.
            return _localize(_to_local(start).replace(tzinfo=None, fold=0) + timedelta(days=amount))
        raise ValueError(f"unknown time unit {unit!r}")

    def due_at(self, received_at: datetime, amount: int, unit: TimeUnit) -> datetime:
        """When a response is due: the name services use (same as ``add``)."""
        return self.add(received_at, amount, unit)

    # --- elapsed ----------------------------------------------------------------------------------------

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working-day time (midnight to midnight) from deemed_receipt(start) to end; zero if end is not later."""
        received, local_end = self.deemed_receipt(start), _to_local(end)
        if local_end <= received:
            return timedelta(0)
        # Position on the working-time line = whole working days before the date + time into it if working.
        end_day = local_end.date()
        into_end = _time_of_day(local_end.time()) if self.is_working_day(end_day) else timedelta(0)
        whole = self._working_days_in(received.date(), end_day)
        return whole * _ONE_DAY + into_end - _time_of_day(received.time())

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Number of working days after the day of deemed receipt whose office_close is at or before end."""
        local_start, local_end = _to_local(start), _to_local(end)
        return self.working_days_between_days(
            local_start.date(), local_start.time() >= self.office_close,
            local_end.date(), local_end.time() >= self.office_close,
        )  # fmt: skip

    def working_days_between_days(self, start_day: date, start_late: bool, end_day: date, end_late: bool) -> int:
        """``working_days_between`` from the local days and whether each moment was at or after office_close
        (all it depends on), so a report can count them once for many records sharing those four."""
        on_time = self.is_working_day(start_day) and not start_late
        received = start_day if on_time else self.next_working_day(start_day)
        first = received + _ONE_DAY
        if end_day < first:
            return 0
        closed = self.is_working_day(end_day) and end_late
        return self._working_days_in(first, end_day) + int(closed)
