"""Which days carry on-site duty (三固定 shifts skip statutory holidays and honour 调休)."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from guwen.core.workcalendar import holiday_name, is_adjusted_workday, is_workday
from guwen.duty.models import AdjustedWorkdayMode

PAIRING_WINDOW = timedelta(days=21)


def _in_lieu(day: date) -> bool:
    try:
        return chinese_calendar.is_in_lieu(day)
    except NotImplementedError:  # a year the package does not know: no 调休 data
        return False


def stands_for(day: date) -> date | None:
    """The weekday off that a 调休 working weekend makes up for, or None.

    The calendar data say which weekends are worked and which weekdays are given off in lieu, not
    which pays for which; around one holiday they come in equal numbers, so the k-th worked weekend
    is paired with the k-th day off in lieu, both in date order (2026: 2月14日 → 2月20日（周五）,
    2月28日 → 2月23日（周一）, 10月10日 → 10月7日（周三））.
    """
    if not is_adjusted_workday(day):
        return None
    days = [day + timedelta(days=n) for n in range(-PAIRING_WINDOW.days, PAIRING_WINDOW.days + 1)]
    lieu = [d for d in days if _in_lieu(d)]
    if not lieu:
        return None
    adjusted = [d for d in days if is_adjusted_workday(d)]
    return lieu[min(adjusted.index(day), len(lieu) - 1)]


def duty_on(day: date, weekdays: set[int] | frozenset[int], mode: str) -> tuple[bool, date | None]:
    """Whether a rule for ``weekdays`` (Monday = 0) has a shift on ``day``, and the weekday date it
    stands for when a 调休 weekend carries a weekday's duty.

    Statutory holidays and the weekdays given off in lieu carry no duty; a plain weekend carries a
    rule set for that weekend day; a 调休 working weekend carries its own weekday's rules and, when the
    district's setting says so, the rules of the weekday it makes up for.
    """
    if not is_workday(day):
        if day.weekday() < 5 or holiday_name(day) is not None:
            return False, None
        return day.weekday() in weekdays, None
    if day.weekday() >= 5:
        if day.weekday() in weekdays:
            return True, None
        if mode == AdjustedWorkdayMode.CARRY:
            original = stands_for(day)
            if original is not None and original.weekday() in weekdays:
                return True, original
        return False, None
    return day.weekday() in weekdays, None
