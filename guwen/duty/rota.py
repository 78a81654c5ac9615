"""The per-street online rota (evenings, weekends, holidays): who answers now, and where it has gaps.

Outside the district's daytime online hours on workdays, and all day on rest days, someone on the
street's rota must answer. ``coverage_gaps`` lists every period in a window nobody covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from guwen.core.workcalendar import CHINA_TZ, is_workday
from guwen.duty.models import RotaSlot
from guwen.regions.models import Lawyer, Level, Region


def _street_of(region: Region) -> Region | None:
    if region.level == Level.STREET:
        return region
    if region.level == Level.COMMUNITY:
        return region.parent
    return None


def responder_at(*, community: Region, at: datetime) -> Lawyer | None:
    """The lawyer on the community's street rota at ``at`` (the earliest-starting slot if several)."""
    street = _street_of(community)
    if street is None:
        return None
    slot = (
        RotaSlot.objects.filter(street=street, starts_at__lte=at, ends_at__gt=at, lawyer__is_active=True)
        .select_related("lawyer", "lawyer__firm")
        .order_by("starts_at", "id")
        .first()
    )
    return slot.lawyer if slot else None


@dataclass(frozen=True)
class Gap:
    starts_at: datetime
    ends_at: datetime

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


def _local(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=CHINA_TZ)


def needed_periods(*, street: Region, start: date, days: int) -> list[tuple[datetime, datetime]]:
    """The periods the rota must cover from ``start`` for ``days`` days, merged where they touch:
    on a workday before and after the daytime online hours, on a rest day the whole day."""
    from guwen.duty.selectors import settings_for

    periods: list[tuple[datetime, datetime]] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        midnight, next_midnight = _local(day, time(0)), _local(day + timedelta(days=1), time(0))
        if is_workday(day):
            rules = settings_for(street, day)
            parts = [
                (midnight, _local(day, rules.online_day_start)),
                (_local(day, rules.online_day_end), next_midnight),
            ]
        else:
            parts = [(midnight, next_midnight)]
        for lo, hi in parts:
            if hi <= lo:
                continue
            if periods and periods[-1][1] == lo:
                periods[-1] = (periods[-1][0], hi)
            else:
                periods.append((lo, hi))
    return periods


def subtract(periods: list[tuple[datetime, datetime]], covers: list[tuple[datetime, datetime]]) -> list[Gap]:
    """The parts of ``periods`` that no interval of ``covers`` overlaps."""
    covers = sorted(covers)
    gaps: list[Gap] = []
    for lo, hi in periods:
        cursor = lo
        for c_lo, c_hi in covers:
            if c_hi <= cursor or c_lo >= hi:
                continue
            if c_lo > cursor:
                gaps.append(Gap(cursor, c_lo))
            cursor = max(cursor, c_hi)
            if cursor >= hi:
                break
        if cursor < hi:
            gaps.append(Gap(cursor, hi))
    return gaps


def coverage_gaps(*, street: Region, now: datetime | None = None, days: int | None = None) -> list[Gap]:
    """Every uncovered period of the street's online rota from now for ``days`` days (the
    district's coverage setting, 30 by default)."""
    from guwen.duty.selectors import settings_for

    moment = now or timezone.now()
    today = timezone.localtime(moment, CHINA_TZ).date()
    horizon = days if days is not None else settings_for(street, today).coverage_days
    periods = [
        (max(lo, moment), hi)
        for lo, hi in needed_periods(street=street, start=today, days=horizon)
        if hi > moment
    ]
    window_end = periods[-1][1] if periods else moment
    covers = list(
        RotaSlot.objects.filter(
            street=street, lawyer__is_active=True, ends_at__gt=moment, starts_at__lt=window_end
        ).values_list("starts_at", "ends_at")
    )
    return subtract(periods, covers)
