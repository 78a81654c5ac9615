"""The work calendar: which days are worked, and deadlines in working minutes.

A day's status comes from, in order: a ``CalendarOverride`` row entered by an
administrator; the ``chinese_calendar`` package (statutory holidays and 调休
working weekends, 2004-2026 in the pinned version); plain weekends for a year
the package does not know, with one warning per year per process.
The override table is kept in the shared cache and its version bumped on
every save or delete, so every process sees a new holiday at once.

Times are computed in China's local time (Asia/Shanghai) whatever the
time zone of the datetimes passed in; results are aware datetimes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from guwen.core.cache import bump, cached
from guwen.core.models import CalendarOverride

logger = logging.getLogger("guwen.calendar")

CHINA_TZ = ZoneInfo("Asia/Shanghai")
SEARCH_LIMIT = timedelta(days=3 * 366)  # add_working_minutes gives up beyond this horizon
MINUTE = timedelta(minutes=1)

OVERRIDES = "core.calendar"  # the cache namespace of the override table
_warned_years: set[int] = set()


# --- days -------------------------------------------------------------------------------------


@receiver(post_save, sender=CalendarOverride, dispatch_uid="guwen.core.calendar_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="guwen.core.calendar_override_deleted")
def _override_changed(**kwargs: object) -> None:
    bump(OVERRIDES)


def _load_overrides() -> dict[date, tuple[bool, str]]:
    rows = CalendarOverride.objects.only("date", "is_workday", "name")
    return {row.date: (row.is_workday, row.name) for row in rows}


def _overrides() -> dict[date, tuple[bool, str]]:
    """Every override (a few dozen rows), read once per call that walks many days."""
    return cached(OVERRIDES, "all", _load_overrides)


def _is_workday(day: date, overrides: dict[date, tuple[bool, str]]) -> bool:
    override = overrides.get(day)
    if override is not None:
        return override[0]
    return _library_status(day)[0]


def _library_status(day: date) -> tuple[bool, str | None]:
    """(is_workday, holiday name in Chinese) from chinese_calendar, or from weekends if it lacks the year."""
    try:
        workday = chinese_calendar.is_workday(day)
        english_name = chinese_calendar.get_holiday_detail(day)[1]
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "chinese_calendar has no data for %s; treating Saturdays and Sundays as the only rest "
                "days. Enter that year's holidays as calendar overrides or update the package.",
                day.year,
            )
        return day.weekday() < 5, None
    name = None
    if not workday and english_name:
        try:
            name = chinese_calendar.Holiday(english_name).chinese
        except ValueError:
            name = english_name
    return workday, name


def is_workday(day: date) -> bool:
    """True when people work that day (including a 调休 working weekend)."""
    return _is_workday(day, _overrides())


def is_holiday(day: date) -> bool:
    """True on any rest day: weekends that are not worked and statutory or local holidays."""
    return not is_workday(day)


def holiday_name(day: date) -> str | None:
    """The holiday's name (e.g. "国庆节") on a named rest day; None on workdays and plain weekends."""
    override = _overrides().get(day)
    if override is not None:
        return None if override[0] else (override[1] or None)
    workday, name = _library_status(day)
    return None if workday else name


def is_adjusted_workday(day: date) -> bool:
    """A Saturday or Sunday that is worked to make up for a holiday (调休上班)."""
    return day.weekday() >= 5 and is_workday(day)


# --- working time -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkSchedule:
    """Daily working hours, and whether rest days count.

    ``day_start == day_end`` means the whole day. ``rest_days_count=True``
    counts every calendar day (weekends and holidays too); ``False`` counts
    workdays only.
    """

    day_start: time
    day_end: time
    rest_days_count: bool

    def __post_init__(self) -> None:
        if self.day_start > self.day_end:
            raise ValueError("WorkSchedule does not support hours that span midnight")

    def interval(
        self, day: date, overrides: dict[date, tuple[bool, str]] | None = None
    ) -> tuple[datetime, datetime] | None:
        """The working interval of ``day`` as naive local datetimes, or None if the day is not worked.
        A caller that walks many days passes the overrides it read once."""
        if self.rest_days_count:
            worked = True
        else:
            worked = _is_workday(day, _overrides() if overrides is None else overrides)
        if not worked:
            return None
        if self.day_start == self.day_end:
            midnight = datetime.combine(day, time(0, 0))
            return midnight, midnight + timedelta(days=1)
        return datetime.combine(day, self.day_start), datetime.combine(day, self.day_end)


OFFICE_HOURS = WorkSchedule(time(8, 30), time(17, 30), rest_days_count=False)
ONLINE_HOURS = WorkSchedule(time(8, 30), time(21, 0), rest_days_count=True)
ALWAYS = WorkSchedule(time(0, 0), time(0, 0), rest_days_count=True)


def _local_naive(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime")
    return moment.astimezone(CHINA_TZ).replace(tzinfo=None)


def _aware(local: datetime) -> datetime:
    return local.replace(tzinfo=CHINA_TZ)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def add_working_minutes(*, start: datetime, minutes: int, schedule: WorkSchedule) -> datetime:
    """The moment ``minutes`` working minutes after ``start``.

    Counting begins at ``start`` if it falls in working hours, otherwise at the
    next opening. A deadline that uses up a day's hours exactly is that day's
    closing time. Walks day by day; raises ``ValueError`` for a naive ``start``,
    negative ``minutes``, or a deadline more than three years away.
    """
    cursor = _local_naive(start, "start")
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if minutes == 0:
        return start.astimezone(CHINA_TZ)
    remaining = timedelta(minutes=minutes)
    overrides = None if schedule.rest_days_count else _overrides()
    for day in _days(cursor.date(), (cursor + SEARCH_LIMIT).date()):
        interval = schedule.interval(day, overrides)
        if interval is None:
            continue
        begin = max(interval[0], cursor)
        if begin >= interval[1]:
            continue
        available = interval[1] - begin
        if remaining <= available:
            return _aware(begin + remaining)
        remaining -= available
    raise ValueError(
        f"no deadline within {SEARCH_LIMIT.days} days of {start.isoformat()} for {minutes} minutes"
    )


def working_minutes_between(*, start: datetime, end: datetime, schedule: WorkSchedule) -> int:
    """Whole working minutes from ``start`` to ``end`` (0 if ``end`` is not after ``start``)."""
    begin, finish = _local_naive(start, "start"), _local_naive(end, "end")
    if finish <= begin:
        return 0
    total = timedelta(0)
    overrides = None if schedule.rest_days_count else _overrides()
    for day in _days(begin.date(), finish.date()):
        interval = schedule.interval(day, overrides)
        if interval is None:
            continue
        overlap = min(interval[1], finish) - max(interval[0], begin)
        if overlap > timedelta(0):
            total += overlap
    return total // MINUTE
