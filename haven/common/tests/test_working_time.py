"""Working-time rules (emh 4.2: 24 working hours / 5 working days; whg 2.5: 5 working days).

Pure Python: run with ``pytest -p no:django``. Each test names the rule it proves.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.common import working_time
from haven.common.working_time import LONDON, TimeUnit, WorkingCalendar, bank_holidays_covered_until

CAL = WorkingCalendar()
H, D, C = TimeUnit.WORKING_HOURS, TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS


def lon(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def assert_london(value: datetime, expected: datetime) -> None:
    """Same instant, same wall clock, and the zone is Europe/London."""
    assert value.tzinfo is LONDON
    assert value == expected
    assert value.replace(tzinfo=None) == expected.replace(tzinfo=None)
    assert value.utcoffset() == expected.utcoffset()


# --- worked examples from the spec ---------------------------------------------------------------------


def test_emh_high_24_working_hours_over_christmas_2026() -> None:
    """emh 4.2 high: 24 working hours from Thu 24 Dec 2026 16:00 skip 25 Dec, the weekend and 28 Dec
    (substitute Boxing Day): due Tue 29 Dec 16:00."""
    assert_london(CAL.due_at(lon(2026, 12, 24, 16), 24, H), lon(2026, 12, 29, 16))


def test_emh_medium_5_working_days_over_christmas_2026() -> None:
    """emh 4.2 medium / whg 2.5: 5 working days from Thu 24 Dec 2026 end at close on Tue 5 Jan 2027
    (29, 30, 31 Dec, 4, 5 Jan; 1 Jan is a bank holiday)."""
    assert_london(CAL.due_at(lon(2026, 12, 24, 16), 5, D), lon(2027, 1, 5, 17))


# --- deemed receipt -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrival", "deemed", "rule"),
    [
        (lon(2026, 6, 10, 11, 15), lon(2026, 6, 10, 11, 15), "within office hours: deemed on arrival"),
        (lon(2026, 6, 10, 9), lon(2026, 6, 10, 9), "exactly at open counts as within office hours"),
        (lon(2026, 6, 10, 17), lon(2026, 6, 11, 9), "exactly at close is outside: next opening"),
        (lon(2026, 6, 10, 18, 30), lon(2026, 6, 11, 9), "after close: next working day's opening"),
        (lon(2026, 6, 10, 7, 45), lon(2026, 6, 10, 9), "before open on a working day: that day's opening"),
        (lon(2026, 6, 13, 10), lon(2026, 6, 15, 9), "Saturday: Monday's opening"),
        (lon(2026, 6, 14, 23, 59), lon(2026, 6, 15, 9), "Sunday night: Monday's opening"),
        (lon(2026, 5, 25, 10), lon(2026, 5, 26, 9), "spring bank holiday Monday: Tuesday's opening"),
        (lon(2026, 4, 3, 12), lon(2026, 4, 7, 9), "Good Friday: skips Easter weekend and Easter Monday"),
        (lon(2026, 4, 6, 12), lon(2026, 4, 7, 9), "Easter Monday: Tuesday's opening"),
        (lon(2026, 4, 2, 17, 30), lon(2026, 4, 7, 9), "Thursday before Easter after close: Tuesday"),
    ],
)
def test_deemed_receipt_rule(arrival: datetime, deemed: datetime, rule: str) -> None:
    """A report is deemed received on arrival within office hours on a working day, else at next opening."""
    received = CAL.deemed_receipt(arrival)
    assert received == deemed and received.replace(tzinfo=None) == deemed.replace(tzinfo=None), rule
    assert received.tzinfo is LONDON


def test_closure_day_is_not_a_working_day() -> None:
    """The landlord's closure days are skipped like bank holidays (deemed receipt and working days)."""
    cal = WorkingCalendar(closure_days=frozenset({date(2026, 6, 11)}))
    assert not cal.is_working_day(date(2026, 6, 11))
    assert not cal.is_bank_holiday(date(2026, 6, 11))
    assert_london(cal.deemed_receipt(lon(2026, 6, 10, 17, 5)), lon(2026, 6, 12, 9))
    assert_london(cal.due_at(lon(2026, 6, 10, 10), 1, D), lon(2026, 6, 12, 17))
    assert_london(cal.due_at(lon(2026, 6, 10, 10), 24, H), lon(2026, 6, 12, 10))


def test_working_days_are_weekdays_without_bank_holidays() -> None:
    """Working days are Monday-Friday except England and Wales bank holidays."""
    assert CAL.is_bank_holiday(date(2026, 12, 28))  # substitute Boxing Day
    assert not CAL.is_working_day(date(2026, 12, 28))
    assert not CAL.is_working_day(date(2026, 6, 13))  # Saturday
    assert CAL.is_working_day(date(2026, 6, 12))
    assert CAL.next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert CAL.next_working_day(date(2026, 12, 23)) == date(2026, 12, 24)  # strictly after


# --- clock changes --------------------------------------------------------------------------------------


def test_utc_input_in_spring_forward_gap() -> None:
    """Sun 29 Mar 2026 01:30 UTC is 02:30 BST on a Sunday: deemed received Monday 09:00 BST."""
    received = CAL.deemed_receipt(utc(2026, 3, 29, 1, 30))
    assert_london(received, lon(2026, 3, 30, 9))
    assert received.utcoffset() == timedelta(hours=1)


def test_utc_input_in_ambiguous_autumn_hour() -> None:
    """Sun 25 Oct 2026 01:30 UTC is the second 01:30 (GMT): deemed received Monday 09:00 GMT."""
    received = CAL.deemed_receipt(utc(2026, 10, 25, 1, 30))
    assert_london(received, lon(2026, 10, 26, 9))
    assert received.utcoffset() == timedelta(0)
    assert_london(CAL.due_at(utc(2026, 10, 25, 1, 30), 24, H), lon(2026, 10, 27, 9))


def test_24_working_hours_across_spring_forward() -> None:
    """Wall-clock arithmetic: Fri 27 Mar 2026 16:00 GMT + 24 working hours is Mon 30 Mar 16:00 BST."""
    due = CAL.due_at(lon(2026, 3, 27, 16), 24, H)
    assert_london(due, lon(2026, 3, 30, 16))
    assert due.utcoffset() == timedelta(hours=1)


def test_working_days_across_autumn_clock_change() -> None:
    """Working days end at office close in local time, whichever side of the change: Fri -> Mon 17:00 GMT."""
    due = CAL.due_at(utc(2026, 10, 23, 10), 1, D)  # 11:00 BST Friday
    assert_london(due, lon(2026, 10, 26, 17))
    assert due.utcoffset() == timedelta(0)


def test_calendar_days_keep_wall_clock_time_and_count_from_arrival() -> None:
    """Calendar days: same local time N days after arrival (not deemed receipt), across a clock change."""
    assert_london(CAL.due_at(lon(2026, 3, 28, 22), 2, C), lon(2026, 3, 30, 22))
    # 01:30 does not exist on 29 Mar 2026; it becomes the real instant 02:30 BST.
    assert_london(CAL.due_at(lon(2026, 3, 28, 1, 30), 1, C), lon(2026, 3, 29, 2, 30))


# --- variants and edge cases ----------------------------------------------------------------------------


def test_office_hours_variant_0830_1630() -> None:
    """Office hours come from the policy profile: 08:30-16:30 moves deemed receipt and working-day close."""
    cal = WorkingCalendar(office_open=time(8, 30), office_close=time(16, 30))
    assert_london(cal.deemed_receipt(lon(2026, 6, 10, 16, 30)), lon(2026, 6, 11, 8, 30))
    assert_london(cal.deemed_receipt(lon(2026, 6, 10, 8, 30)), lon(2026, 6, 10, 8, 30))
    assert_london(cal.due_at(lon(2026, 6, 12, 17), 24, H), lon(2026, 6, 16, 8, 30))
    assert_london(cal.due_at(lon(2026, 6, 10, 12), 5, D), lon(2026, 6, 17, 16, 30))


def test_hours_ending_at_midnight_end_with_the_last_working_day() -> None:
    """Interpretation: a count ending exactly at midnight ends at the close of that working day (Sat 00:00)."""
    due = CAL.add_working_hours(lon(2026, 6, 12, 16), 8)
    assert_london(due, lon(2026, 6, 13, 0))
    assert CAL.working_time_between(lon(2026, 6, 12, 16), due) == timedelta(hours=8)


def test_fractional_and_decimal_hours() -> None:
    """Working hours may be fractional (int, float or Decimal)."""
    assert_london(CAL.add_working_hours(lon(2026, 6, 10, 10), Decimal("1.5")), lon(2026, 6, 10, 11, 30))
    assert_london(CAL.add_working_hours(lon(2026, 6, 12, 16), 8.25), lon(2026, 6, 15, 0, 15))


def test_zero_amounts() -> None:
    """0 working hours is deemed receipt; 0 working days is close on the day of deemed receipt."""
    assert_london(CAL.due_at(lon(2026, 6, 13, 10), 0, H), lon(2026, 6, 15, 9))
    assert_london(CAL.due_at(lon(2026, 6, 13, 10), 0, D), lon(2026, 6, 15, 17))


def test_elapsed_working_time_and_days() -> None:
    """Elapsed time counts working days midnight to midnight from deemed receipt; zero before it."""
    start = lon(2026, 12, 24, 16)
    assert CAL.working_time_between(start, lon(2026, 12, 29, 10)) == timedelta(hours=18)
    assert CAL.working_time_between(start, lon(2026, 12, 24, 15)) == timedelta(0)
    assert CAL.working_time_between(start, lon(2026, 12, 27, 12)) == timedelta(hours=8)  # weekend: frozen
    assert CAL.working_days_between(start, lon(2027, 1, 5, 16, 59)) == 4
    assert CAL.working_days_between(start, lon(2027, 1, 5, 17)) == 5
    assert CAL.working_days_between(start, lon(2026, 12, 20)) == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda: CAL.deemed_receipt(datetime(2026, 6, 10, 10)),
        lambda: CAL.due_at(datetime(2026, 6, 10, 10), 24, H),
        lambda: CAL.working_time_between(lon(2026, 6, 10, 10), datetime(2026, 6, 11, 10)),
    ],
)
def test_naive_datetime_rejected(call: object) -> None:
    """Naive datetimes are ambiguous about the zone, so they are a ValueError."""
    with pytest.raises(ValueError, match="aware datetime"):
        call()  # type: ignore[operator]


@pytest.mark.parametrize("unit", list(TimeUnit))
def test_negative_amount_rejected(unit: TimeUnit) -> None:
    """Amounts must be >= 0."""
    with pytest.raises(ValueError, match=">= 0"):
        CAL.due_at(lon(2026, 6, 10, 10), -1, unit)


def test_bad_office_hours_and_hours_rejected() -> None:
    """office_open must be before office_close; working hours must be finite."""
    with pytest.raises(ValueError, match="before office_close"):
        WorkingCalendar(office_open=time(17), office_close=time(9))
    with pytest.raises(ValueError, match=">= 0"):
        CAL.add_working_hours(lon(2026, 6, 10, 10), float("nan"))


def test_bank_holidays_bundled_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bank holidays come from the bundled data, never the web; coverage is exposed for warnings."""

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("bank holidays must not be fetched from gov.uk")

    monkeypatch.setattr("requests.get", no_network)
    working_time._bank_holidays.cache_clear()
    working_time._bank_holiday_set.cache_clear()
    assert WorkingCalendar().is_bank_holiday(date(2027, 12, 28))
    assert bank_holidays_covered_until() >= date(2028, 12, 31)


def test_a_year_long_deadline_matches_the_day_by_day_reference() -> None:
    """250 working days (about a year) agrees with counting working days one at a time."""
    due = CAL.due_at(lon(2026, 1, 5, 10), 250, D)
    assert due.date() == _reference_add_days(CAL, date(2026, 1, 5), 250)
    assert CAL.working_days_between(lon(2026, 1, 5, 10), due) == 250


# --- properties -----------------------------------------------------------------------------------------

_CHANGE_SATURDAYS = [date(2025, 3, 29), date(2025, 10, 25), date(2026, 3, 28), date(2026, 10, 24)]
_CHANGE_SATURDAYS += [date(2027, 3, 27), date(2027, 10, 30), date(2028, 3, 25), date(2028, 10, 28)]
_ZONES = st.sampled_from([UTC, LONDON])


def _around(saturday: date) -> st.SearchStrategy[datetime]:
    base = datetime.combine(saturday, time())
    return st.datetimes(base - timedelta(days=1), base + timedelta(days=3), timezones=_ZONES)


instants = st.one_of(
    st.datetimes(datetime(2025, 1, 1), datetime(2028, 6, 30), timezones=_ZONES),
    st.sampled_from(_CHANGE_SATURDAYS).flatmap(_around),
    st.sampled_from([date(2025, 12, 24), date(2026, 12, 24), date(2027, 4, 1)]).flatmap(_around),
)
calendars = st.builds(
    lambda hours, closures: WorkingCalendar(office_open=hours[0], office_close=hours[1], closure_days=closures),
    st.sampled_from([(time(9), time(17)), (time(8, 30), time(16, 30)), (time(0), time(12)), (time(7), time(23, 59))]),
    st.frozensets(st.dates(date(2025, 1, 1), date(2029, 12, 31)), max_size=40),
)
PROPS = settings(max_examples=150, deadline=None)


def _reference_add_days(cal: WorkingCalendar, day: date, n: int) -> date:
    """Obvious day-by-day version of "the nth working day after", to check the bisect arithmetic."""
    while n:
        day += timedelta(days=1)
        n -= cal.is_working_day(day)
    return day


def _in_london(value: datetime) -> None:
    assert value.tzinfo is LONDON and value.utcoffset() is not None


@PROPS
@given(calendars, instants)
def test_property_deemed_receipt(cal: WorkingCalendar, at: datetime) -> None:
    """Deemed receipt is idempotent, not before arrival, and in office hours on a working day."""
    received = cal.deemed_receipt(at)
    _in_london(received)
    assert received >= at
    assert cal.deemed_receipt(received) == received
    assert cal.is_working_day(received.date())
    assert cal.office_open <= received.time() < cal.office_close


def test_a_london_time_inside_the_spring_forward_gap_is_read_as_the_instant_it_names() -> None:
    """01:00 on 30 March 2025 never showed on London clocks; with fold=1 it names 00:00 UTC (the
    clocks' 00:00 GMT). Hypothesis found it moved a deadline an hour later than one for a moment
    after it (``astimezone`` kept the wall time); read through UTC, the order holds."""
    cal = WorkingCalendar()
    gap = datetime(2025, 3, 30, 1, 0, fold=1, tzinfo=LONDON)
    after = datetime(2025, 3, 30, 0, 0, 0, 1, tzinfo=UTC)
    assert gap < after
    assert cal.add(gap, 0, C) == datetime(2025, 3, 30, 0, 0, tzinfo=UTC)
    for unit in (H, D, C):
        assert cal.add(gap, 1, unit) <= cal.add(after, 1, unit)


@PROPS
@given(calendars, instants, instants, st.integers(0, 300), st.integers(0, 300))
def test_property_monotonic(cal: WorkingCalendar, a: datetime, b: datetime, m: int, n: int) -> None:
    """Due dates never move earlier for a later start or a larger amount."""
    (a, b), (m, n) = sorted([a, b]), sorted([m, n])
    for unit in (H, D, C):
        assert cal.add(a, n, unit) <= cal.add(b, n, unit)
        assert cal.add(a, m, unit) <= cal.add(a, n, unit)


@PROPS
@given(calendars, instants, st.integers(0, 600))
def test_property_working_hours_round_trip(cal: WorkingCalendar, start: datetime, n: int) -> None:
    """working_time_between(s, add_working_hours(s, n)) == n hours, and no earlier instant gets there."""
    due = cal.add_working_hours(start, n)
    _in_london(due)
    assert cal.working_time_between(start, due) == timedelta(hours=n)
    if n:
        assert cal.working_time_between(start, due - timedelta(microseconds=1)) < timedelta(hours=n)


@PROPS
@given(calendars, instants, st.integers(0, 300))
def test_property_working_days_round_trip(cal: WorkingCalendar, start: datetime, n: int) -> None:
    """working_days_between(s, add_working_days(s, n)) == n; the due date is a working day at office close."""
    due = cal.add_working_days(start, n)
    _in_london(due)
    assert cal.working_days_between(start, due) == n
    assert due.date() == _reference_add_days(cal, cal.deemed_receipt(start).date(), n)
    assert cal.is_working_day(due.date())
    assert due.time() == cal.office_close
    assert cal.working_days_between(start, due - timedelta(microseconds=1)) == max(n - 1, 0)
