from __future__ import annotations

import contextlib
import itertools
from datetime import date, time, timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.core.audit import AuditEvent
from guwen.core.errors import Conflict, DomainError
from guwen.core.workcalendar import is_workday
from guwen.duty import holidays, services
from guwen.duty.models import AdjustedWorkdayMode, DutyRule, DutySettings, DutyShift, ShiftStatus
from guwen.duty.selectors import settings_for
from guwen.duty.tests.helpers import make_rule, make_shift

pytestmark = pytest.mark.django_db


# --- rules ---------------------------------------------------------------------------------------


def test_rule_records_the_three_fixed_things_and_an_audit_event(world):
    rule = make_rule(world, weekdays=[3, 1])
    assert (rule.weekdays, rule.weekday_text) == ("13", "周二、周四")
    assert rule.capacity == 6  # the seeded default settings
    assert AuditEvent.objects.filter(action="duty_rule.create", object_id=str(rule.pk)).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"weekdays": []}, "weekdays", "至少选择一个星期"),
        ({"weekdays": "9"}, "weekdays", "周一至周日"),
        ({"weekdays": "x"}, "weekdays", "周一至周日"),
        ({"start_time": time(12), "end_time": time(9)}, "end_time", "结束时间必须晚于开始时间"),
        ({"start_time": time(9), "end_time": time(9)}, "end_time", "结束时间必须晚于开始时间"),
        ({"valid_to": date(2023, 12, 31)}, "valid_to", "截止日期不能早于生效日期"),
        ({"place": "  "}, "place", "驻点地点"),
        ({"service_content": ""}, "service_content", "服务内容"),
        ({"capacity": 0}, "capacity", "预约名额"),
    ],
)
def test_rejects_bad_rule_input_and_saves_nothing(world, change, field, message):
    with pytest.raises(DomainError) as caught:
        make_rule(world, **change)
    assert caught.value.field == field
    assert message in str(caught.value)
    assert not DutyRule.objects.exists()


def test_rejects_rule_for_a_lawyer_not_assigned_to_the_community(world):
    with pytest.raises(DomainError) as caught:
        make_rule(world, lawyer=world.lawyer_b)
    assert caught.value.field == "lawyer"


def test_rejects_overlapping_rules_for_one_advisor(world):
    make_rule(world, weekdays="13", start=time(9), end=time(12))
    with pytest.raises(Conflict) as caught:
        make_rule(world, weekdays="3", start=time(11), end=time(14))
    assert caught.value.field == "start_time"
    assert "周四" in str(caught.value)
    assert DutyRule.objects.count() == 1


def test_back_to_back_and_other_weekday_rules_do_not_overlap(world):
    make_rule(world, weekdays="1", start=time(9), end=time(12))
    make_rule(world, weekdays="1", start=time(12), end=time(14))
    make_rule(world, weekdays="2", start=time(9), end=time(12))
    assert DutyRule.objects.count() == 3


def test_office_outside_the_street_cannot_set_rules(world):
    from guwen.testing import make_user

    other_office = make_user("office2", "office", region=world.street2)
    with pytest.raises(DomainError) as caught:
        make_rule(world, by=other_office)
    assert caught.value.code == "forbidden"


# --- holidays and generation ------------------------------------------------------------------


def test_generation_skips_the_national_day_holidays_of_2026(world):
    rule = make_rule(world, weekdays="01234")  # every weekday
    result = services.duty_shifts_generate(
        community=world.community_a, start=date(2026, 9, 28), end=date(2026, 10, 11), by=None
    )
    days = set(DutyShift.objects.filter(rule=rule).values_list("date", flat=True))
    for holiday in (
        date(2026, 10, 1),
        date(2026, 10, 2),
        date(2026, 10, 5),
        date(2026, 10, 6),
        date(2026, 10, 7),
    ):
        assert holiday not in days
    assert date(2026, 9, 30) in days and date(2026, 10, 9) in days
    assert result.holidays >= 5


def test_adjusted_saturday_carries_the_weekday_it_stands_for_when_the_setting_says_so(world):
    rule = make_rule(world, weekdays="2")  # Wednesdays; 2026-10-07 (Wed) is given off, 10-10 (Sat) is worked
    services.duty_shifts_generate(
        community=world.community_a, start=date(2026, 10, 1), end=date(2026, 10, 11), by=None
    )
    shift = DutyShift.objects.get(rule=rule, date=date(2026, 10, 10))
    assert shift.stands_for == date(2026, 10, 7)


def test_adjusted_saturday_carries_nothing_when_the_district_says_skip(world):
    DutySettings.objects.create(
        district=world.district,
        effective_from=date(2026, 1, 1),
        adjusted_workday_mode=AdjustedWorkdayMode.SKIP,
    )
    rule = make_rule(world, weekdays="2")
    services.duty_shifts_generate(
        community=world.community_a, start=date(2026, 10, 1), end=date(2026, 10, 11), by=None
    )
    assert not DutyShift.objects.filter(rule=rule, date=date(2026, 10, 10)).exists()


def test_stands_for_pairs_worked_weekends_with_days_off_in_order():
    assert holidays.stands_for(date(2026, 2, 14)) == date(2026, 2, 20)
    assert holidays.stands_for(date(2026, 2, 28)) == date(2026, 2, 23)
    assert holidays.stands_for(date(2026, 9, 20)) == date(2026, 10, 6)
    assert holidays.stands_for(date(2026, 3, 3)) is None


def test_generation_is_idempotent(world):
    make_rule(world, weekdays="1")
    first = services.duty_shifts_generate(
        community=world.community_a, start=date(2026, 3, 1), end=date(2026, 3, 31), by=None
    )
    second = services.duty_shifts_generate(
        community=world.community_a, start=date(2026, 3, 1), end=date(2026, 3, 31), by=None
    )
    assert (first.created, second.created, second.existing) == (5, 0, 5)


def test_generation_freezes_settings_and_confirmation_week(world):
    DutySettings.objects.create(
        district=world.district, effective_from=date(2026, 1, 1), late_threshold_minutes=10
    )
    make_rule(world, weekdays="1")
    services.duty_shifts_generate(
        community=world.community_a, start=date(2026, 3, 3), end=date(2026, 3, 3), by=None
    )
    shift = DutyShift.objects.get()
    assert shift.late_threshold_minutes == 10 and shift.tolerance_minutes == 120
    assert shift.confirm_due == date(2026, 3, 8)  # the Sunday of that week
    assert shift.starts_at.hour == 1  # 09:00 in Shanghai is 01:00 UTC


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2026, 3, 31), date(2026, 3, 1), "end"),
        (date(2026, 1, 1), date(2027, 6, 1), "end"),
        (date(2020, 1, 1), date(2020, 2, 1), "start"),  # before the rule took effect
    ],
)
def test_rejects_bad_generation_ranges(world, start, end, field):
    make_rule(world, weekdays="1")
    with pytest.raises(DomainError) as caught:
        services.duty_shifts_generate(community=world.community_a, start=start, end=end, by=None)
    assert caught.value.field == field
    assert not DutyShift.objects.exists()


def test_single_shift_outside_the_rule_range_is_refused(world):
    rule = make_rule(world, weekdays="1", valid_to=date(2026, 6, 30))
    with pytest.raises(DomainError) as caught:
        services.duty_shift_create(rule=rule, day=date(2026, 7, 7), by=None)
    assert caught.value.field == "date"
    assert not DutyShift.objects.exists()


def test_generation_reports_a_clash_instead_of_double_booking_an_advisor(world):
    make_rule(world, weekdays="1", start=time(9), end=time(12))
    services.duty_shifts_generate(
        community=world.community_a, start=date(2026, 3, 3), end=date(2026, 3, 3), by=None
    )
    # Lawyer A also serves B as backup and gets a rule there at an overlapping time on another weekday
    # range; a hand-made shift then collides.
    from guwen.regions import services as regions

    regions.assignment_create(
        lawyer=world.lawyer_a, community=world.community_b, starts_on=date(2024, 1, 1), role="backup", by=None
    )
    rule_b = make_rule(world, community=world.community_b, weekdays="2", start=time(10), end=time(11))
    DutyRule.objects.filter(pk=rule_b.pk).update(weekdays="1")  # as if entered before the check existed
    result = services.duty_shifts_generate(
        community=world.community_b, start=date(2026, 3, 3), end=date(2026, 3, 3), by=None
    )
    assert result.created == 0 and len(result.clashes) == 1
    assert DutyShift.objects.count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="exclusion constraint exists on PostgreSQL only"
)
def test_postgres_refuses_overlapping_shifts_for_one_advisor(world):
    from django.db import IntegrityError, transaction

    make_shift(world, starts_in=timedelta(days=2))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_shift(world, starts_in=timedelta(days=2, hours=1))


def test_ending_a_rule_cancels_its_later_scheduled_shifts(world):
    rule = make_rule(world, weekdays="1")
    services.duty_shifts_generate(
        community=world.community_a, start=date(2026, 3, 1), end=date(2026, 3, 31), by=None
    )
    services.duty_rule_end(rule=rule, valid_to=date(2026, 3, 15), by=None)
    statuses = dict(DutyShift.objects.values_list("date", "status"))
    assert statuses[date(2026, 3, 10)] == ShiftStatus.SCHEDULED
    assert statuses[date(2026, 3, 17)] == ShiftStatus.CANCELLED


def test_district_settings_override_the_global_default_from_their_date(world):
    DutySettings.objects.create(
        district=world.district, effective_from=date(2026, 4, 1), min_monthly_onsite_hours=8
    )
    assert settings_for(world.community_a, date(2026, 3, 31)).min_monthly_onsite_hours == 16
    assert settings_for(world.community_a, date(2026, 4, 1)).min_monthly_onsite_hours == 8
    assert settings_for(world.community_e, date(2026, 4, 1)).min_monthly_onsite_hours == 16


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    weekdays=st.sets(st.integers(0, 6), min_size=1, max_size=7),
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
    mode=st.sampled_from(AdjustedWorkdayMode.values),
)
def test_duty_never_falls_on_a_statutory_holiday(weekdays, day, mode):
    on, stands = holidays.duty_on(day, weekdays, mode)
    if on:
        from guwen.core.workcalendar import holiday_name

        assert holiday_name(day) is None
        assert is_workday(day) or day.weekday() >= 5
        assert stands is None or (not is_workday(stands) and stands.weekday() in weekdays)
    elif is_workday(day) and day.weekday() < 5:
        assert day.weekday() not in weekdays


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rules=st.lists(
        st.tuples(st.sets(st.integers(0, 6), min_size=1, max_size=3), st.integers(7, 18), st.integers(1, 4)),
        min_size=1,
        max_size=4,
    )
)
def test_accepted_rules_never_yield_overlapping_shifts(world, rules):
    DutyShift.objects.all().delete()
    DutyRule.objects.all().delete()
    for weekdays, hour, length in rules:
        with contextlib.suppress(Conflict):
            make_rule(world, weekdays=weekdays, start=time(hour), end=time(min(hour + length, 23)))
    services.duty_shifts_generate(
        community=world.community_a, start=date(2026, 3, 1), end=date(2026, 3, 14), by=None
    )
    shifts = list(DutyShift.objects.filter(lawyer=world.lawyer_a).order_by("starts_at"))
    for earlier, later in itertools.pairwise(shifts):
        assert earlier.ends_at <= later.starts_at
