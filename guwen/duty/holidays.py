"""Which days carry on-site duty (三固定 shifts skip statutory holidays and honour 调休)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
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


# --- the year's holiday data: packaged, entered, and a second source -----------------------------

WARN_DAYS_BEFORE_YEAR_END = 60
REST, WORK = "rest", "work"


def packaged_years() -> set[int]:
    """Years chinese_calendar carries the State Council's dates for (2004-2026 in the pinned version)."""
    from chinese_calendar.constants import holidays as packaged

    return {day.year for day in packaged}


def entered_overrides(year: int) -> list:
    """The calendar entries (放假 and 调休上班) entered for ``year``, in date order."""
    from guwen.core.models import CalendarOverride

    return list(CalendarOverride.objects.filter(date__year=year).order_by("date"))


def year_has_data(year: int) -> bool:
    """A year is known when the package carries it or somebody entered its holidays."""
    from guwen.core.models import CalendarOverride

    if year in packaged_years():
        return True
    return CalendarOverride.objects.filter(date__year=year, is_workday=False).exists()


def missing_year(today: date) -> int | None:
    """The year whose holiday data is missing and matters now: this year, or the coming one within
    ``WARN_DAYS_BEFORE_YEAR_END`` days of the year's end. None when both are known."""
    if not year_has_data(today.year):
        return today.year
    if (date(today.year, 12, 31) - today).days <= WARN_DAYS_BEFORE_YEAR_END and not year_has_data(
        today.year + 1
    ):
        return today.year + 1
    return None


def second_source(year: int) -> tuple[dict[date, str], set[date], bool]:
    """China's holidays of ``year`` from the ``holidays`` package: (rest days by date with their
    names, 调休 working weekends, whether that package has the State Council's 调休 for the year).
    Without 调休 its dates are computed from the lunar calendar, not the published notice."""
    import holidays as holidays_package

    calendar = holidays_package.China(years=year, language="zh_CN")
    rest = {day: name for day, name in calendar.items() if day.year == year}
    worked = {day for day in getattr(calendar, "weekend_workdays", set()) if day.year == year}
    return rest, worked, bool(worked)


@dataclass
class DayRow:
    day: date
    packaged: str | None  # REST / WORK, None when the package lacks the year
    packaged_name: str
    second: str
    second_name: str
    entered: str | None  # None when nothing is entered for the day
    entered_name: str

    @property
    def disagree(self) -> bool:
        known = {s for s in (self.packaged, self.second, self.entered) if s is not None}
        return len(known) > 1


def _plain(day: date) -> str:
    return REST if day.weekday() >= 5 else WORK


def compare_year(year: int) -> list[DayRow]:
    """Every day of ``year`` that some source treats otherwise than a plain week (a weekday off or a
    weekend worked), with each source's answer, so the office sees where they disagree."""
    from chinese_calendar.constants import holidays as packaged_rest
    from chinese_calendar.constants import workdays as packaged_work

    has_package = year in packaged_years()
    rest2, work2, _has_adjusted = second_source(year)
    entered = {row.date: row for row in entered_overrides(year)}
    days = (
        {d for d in packaged_rest if d.year == year}
        | {d for d in packaged_work if d.year == year}
        | set(rest2)
        | work2
        | set(entered)
    )
    rows = []
    for day in sorted(days):
        if has_package:
            packaged = REST if day in packaged_rest else WORK if day in packaged_work else _plain(day)
            name = packaged_rest.get(day, "")
            with contextlib.suppress(ValueError):
                name = chinese_calendar.Holiday(name).chinese if name else ""
        else:
            packaged, name = None, ""
        second = REST if day in rest2 else WORK if day in work2 else _plain(day)
        row = entered.get(day)
        rows.append(
            DayRow(
                day=day,
                packaged=packaged,
                packaged_name=name if packaged == REST else "",
                second=second,
                second_name=rest2.get(day, ""),
                entered=None if row is None else (WORK if row.is_workday else REST),
                entered_name=row.name if row is not None else "",
            )
        )
    return rows
