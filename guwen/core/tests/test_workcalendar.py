import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.core.models import CalendarOverride
from guwen.core.workcalendar import (
    ALWAYS,
    OFFICE_HOURS,
    ONLINE_HOURS,
    WorkSchedule,
    add_working_minutes,
    holiday_name,
    is_adjusted_workday,
    is_holiday,
    is_workday,
    working_minutes_between,
)

pytestmark = pytest.mark.django_db

CN = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=0, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=CN)


# --- days -------------------------------------------------------------------------------------


def test_knows_2026_national_day_and_its_adjusted_saturday():
    assert is_holiday(date(2026, 10, 1))
    assert holiday_name(date(2026, 10, 1)) == "国庆节"
    assert is_workday(date(2026, 10, 8))
    assert is_workday(date(2026, 10, 10))  # Saturday, worked (调休)
    assert is_adjusted_workday(date(2026, 10, 10))
    assert holiday_name(date(2026, 10, 10)) is None
    assert not is_adjusted_workday(date(2026, 10, 9))  # an ordinary Friday
    assert is_holiday(date(2026, 10, 11)) and holiday_name(date(2026, 10, 11)) is None  # plain Sunday


def test_year_without_data_falls_back_to_weekends_with_one_warning(caplog):
    caplog.set_level(logging.WARNING, logger="guwen.calendar")
    assert is_workday(date(2027, 1, 1))  # New Year's Day, unknown to the library: a Friday
    assert is_holiday(date(2027, 1, 2))
    assert holiday_name(date(2027, 1, 2)) is None
    deadline = add_working_minutes(start=at(2027, 3, 5, 16, 30), minutes=120, schedule=OFFICE_HOURS)
    assert deadline == at(2027, 3, 8, 9, 30)
    warnings = [r for r in caplog.records if r.name == "guwen.calendar" and "2027" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING


def test_override_makes_a_day_a_holiday():
    assert is_workday(date(2027, 1, 1))  # loads the (empty) override cache first
    CalendarOverride.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    assert is_holiday(date(2027, 1, 1))
    assert holiday_name(date(2027, 1, 1)) == "元旦"
    deadline = add_working_minutes(start=at(2026, 12, 31, 17, 0), minutes=60, schedule=OFFICE_HOURS)
    assert deadline == at(2027, 1, 4, 9, 0)  # Friday the 1st is off, then the weekend


def test_override_makes_a_holiday_a_workday_and_deleting_it_restores_the_library():
    override = CalendarOverride.objects.create(date=date(2026, 10, 2), is_workday=True, name="值班")
    assert is_workday(date(2026, 10, 2))
    assert holiday_name(date(2026, 10, 2)) is None
    override.delete()
    assert is_holiday(date(2026, 10, 2))


# --- deadlines --------------------------------------------------------------------------------


def test_online_deadline_from_friday_evening_lands_saturday_morning():
    friday = at(2026, 3, 6, 20, 0)
    assert add_working_minutes(start=friday, minutes=120, schedule=ONLINE_HOURS) == at(2026, 3, 7, 9, 30)


def test_office_deadline_skips_the_2026_national_day_holiday():
    deadline = add_working_minutes(start=at(2026, 9, 30, 16, 30), minutes=120, schedule=OFFICE_HOURS)
    assert deadline == at(2026, 10, 8, 9, 30)
    assert working_minutes_between(start=at(2026, 9, 30, 16, 30), end=deadline, schedule=OFFICE_HOURS) == 120


def test_office_hours_count_the_adjusted_working_saturday():
    deadline = add_working_minutes(start=at(2026, 10, 9, 16, 30), minutes=120, schedule=OFFICE_HOURS)
    assert deadline == at(2026, 10, 10, 9, 30)


def test_starting_outside_hours_counts_from_next_opening():
    assert add_working_minutes(start=at(2026, 3, 9, 7, 0), minutes=30, schedule=OFFICE_HOURS) == at(
        2026, 3, 9, 9, 0
    )
    assert add_working_minutes(start=at(2026, 3, 7, 12, 0), minutes=30, schedule=OFFICE_HOURS) == at(
        2026, 3, 9, 9, 0
    )


def test_deadline_that_uses_up_the_day_is_closing_time():
    assert add_working_minutes(start=at(2026, 3, 9, 8, 30), minutes=540, schedule=OFFICE_HOURS) == at(
        2026, 3, 9, 17, 30
    )


def test_always_counts_every_minute():
    start = at(2026, 10, 1, 13, 15)
    assert add_working_minutes(start=start, minutes=24 * 60 * 3, schedule=ALWAYS) == start + timedelta(days=3)
    assert working_minutes_between(start=start, end=start + timedelta(days=3), schedule=ALWAYS) == 4320


def test_accepts_other_time_zones_and_answers_in_china_time():
    start = datetime(2026, 3, 9, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai
    deadline = add_working_minutes(start=start, minutes=60, schedule=OFFICE_HOURS)
    assert deadline == at(2026, 3, 9, 9, 30)
    assert deadline.utcoffset() == timedelta(hours=8)


def test_large_minute_counts_are_fast_and_exact():
    start = at(2025, 1, 2, 10, 0)
    minutes = 200 * 540  # about 200 working days
    deadline = add_working_minutes(start=start, minutes=minutes, schedule=OFFICE_HOURS)
    assert working_minutes_between(start=start, end=deadline, schedule=OFFICE_HOURS) == minutes


def test_zero_minutes_is_the_start():
    start = at(2026, 3, 7, 23, 0)
    assert add_working_minutes(start=start, minutes=0, schedule=OFFICE_HOURS) == start


def test_bad_input_raises_value_error():
    with pytest.raises(ValueError):
        add_working_minutes(start=datetime(2026, 3, 9, 9, 0), minutes=10, schedule=OFFICE_HOURS)
    with pytest.raises(ValueError):
        add_working_minutes(start=at(2026, 3, 9), minutes=-1, schedule=OFFICE_HOURS)
    with pytest.raises(ValueError):
        add_working_minutes(start=at(2026, 3, 9), minutes=10**9, schedule=OFFICE_HOURS)
    with pytest.raises(ValueError):
        WorkSchedule(time(22, 0), time(6, 0), rest_days_count=True)


def test_between_is_zero_when_end_is_not_after_start():
    start = at(2026, 3, 9, 10, 0)
    assert working_minutes_between(start=start, end=start, schedule=OFFICE_HOURS) == 0
    assert working_minutes_between(start=start, end=start - timedelta(hours=1), schedule=OFFICE_HOURS) == 0


def test_between_ignores_rest_days_and_evenings():
    # Friday 17:00 to Monday 09:00: 30 minutes on Friday, 30 on Monday.
    assert (
        working_minutes_between(start=at(2026, 3, 6, 17, 0), end=at(2026, 3, 9, 9, 0), schedule=OFFICE_HOURS)
        == 60
    )


starts = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.sampled_from([CN, UTC])
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=starts,
    minutes=st.one_of(st.integers(0, 600), st.integers(0, 60 * 24 * 120)),
    schedule=st.sampled_from([OFFICE_HOURS, ONLINE_HOURS, ALWAYS]),
)
def test_between_inverts_add(start, minutes, schedule):
    deadline = add_working_minutes(start=start, minutes=minutes, schedule=schedule)
    assert deadline >= start
    assert working_minutes_between(start=start, end=deadline, schedule=schedule) == minutes
