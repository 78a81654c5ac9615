"""The demo keeps its own rules: every community's rules plan the district's monthly minimum, no
complete month falls below it, no on-site duty is at night, and the attendance figures agree."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from guwen.demo import duty, nanwan
from guwen.duty import selectors
from guwen.duty.models import DutyShift, ShiftStatus
from guwen.regions.models import Region

pytestmark = pytest.mark.django_db


def _load():
    nanwan.load()
    duty.load()
    return list(Region.objects.filter(parent__code=nanwan.STREET).order_by("code"))


def _complete_months(today: date) -> list[date]:
    first = today.replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    return [(last_month - timedelta(days=1)).replace(day=1), last_month]


def _assert_keeps_its_rules(communities):
    today = timezone.localdate()
    for community in communities:
        planned = selectors.planned_hours(community, start=date(2026, 1, 1))
        assert not planned.short, (community.name, planned.monthly_minutes)
        assert planned.lowest_month_minutes >= planned.required_hours * 60, community.name
        for month in _complete_months(today):
            first, last = selectors.month_bounds(month)
            figures = selectors.attendance(start=first, end=last, community=community)
            assert figures.complete
            assert not figures.below_requirement, (community.name, month, figures.held_minutes)
            assert figures.shifts_due == figures.shifts_held + figures.shifts_missed
            assert figures.shifts_short <= figures.shifts_held
            if figures.shifts_held == 0:
                assert figures.held_minutes == 0 and figures.rate in (None, 0)
    for shift in DutyShift.objects.exclude(status=ShiftStatus.CANCELLED):
        start, end = timezone.localtime(shift.starts_at).time(), timezone.localtime(shift.ends_at).time()
        assert time(8) <= start and end <= time(20, 0), shift


@pytest.mark.time_machine("2026-12-03T10:20:00+08:00")
def test_demo_in_the_daytime_keeps_its_own_rules():
    communities = _load()
    _assert_keeps_its_rules(communities)
    # The advisor's extra duty to try checking in starts this hour.
    extra = DutyShift.objects.get(rule__isnull=True)
    assert timezone.localtime(extra.starts_at).time() == time(10)


@pytest.mark.time_machine("2026-12-04T00:20:00+08:00")
def test_demo_loaded_at_midnight_puts_no_duty_at_night():
    communities = _load()
    _assert_keeps_its_rules(communities)
    assert not DutyShift.objects.filter(rule__isnull=True).exists()


@pytest.mark.time_machine("2027-01-12T09:00:00+08:00")
def test_demo_in_a_year_without_packaged_holidays_still_keeps_its_rules():
    _assert_keeps_its_rules(_load())
