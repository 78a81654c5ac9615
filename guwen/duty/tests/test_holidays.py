"""The year's holiday data: the warning on the office's home, the page where the State Council's
dates are entered, and the comparison with the ``holidays`` package."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guwen.core import workcalendar
from guwen.core.errors import DomainError
from guwen.core.models import AuditEvent, CalendarOverride
from guwen.duty import holidays
from guwen.duty.forms import parse_day_lines
from guwen.duty.services.calendar import holiday_year_set

pytestmark = pytest.mark.django_db

REST_2027 = "2027-01-01 元旦\n2027-02-06 至 2027-02-12 春节\n2027-10-01 至 2027-10-07 国庆节"
WORK_2027 = "2027-02-20\n2027-10-09 国庆节调休上班"


@pytest.mark.parametrize(
    ("today", "missing"),
    [
        ("2026-06-01", None),
        ("2026-10-31", None),  # 61 days before the year's end
        ("2026-11-01", 2027),
        ("2026-12-31", 2027),
        ("2027-03-01", 2027),
    ],
)
def test_missing_year_is_this_year_or_the_coming_one_near_year_end(today, missing, time_machine):
    time_machine.move_to(f"{today}T10:00:00+08:00")
    assert holidays.missing_year(date.fromisoformat(today)) == missing


def test_entered_holidays_make_the_year_known_and_shape_the_calendar(world):
    assert holidays.missing_year(date(2026, 12, 3)) == 2027
    holiday_year_set(
        year=2027,
        rest_days=[(date(2027, 10, 1), "国庆节"), (date(2027, 10, 4), "国庆节")],
        workdays=[(date(2027, 10, 9), "调休上班")],
        by=world.user("office"),
    )
    assert holidays.missing_year(date(2027, 3, 1)) is None
    assert not workcalendar.is_workday(date(2027, 10, 4))  # a Monday off
    assert workcalendar.is_workday(date(2027, 10, 9))  # a Saturday worked
    event = AuditEvent.objects.get(action="calendar.year_set")
    assert event.actor == world.user("office") and "2027-10-09 上班 调休上班" in event.new["entries"]


def test_office_home_warns_when_the_coming_year_has_no_holiday_data(world, client_for, time_machine):
    time_machine.move_to("2026-12-03T10:00:00+08:00")
    page = client_for("office").get("/").content.decode()
    assert "2027 年节假日数据缺失" in page and "/duty/holidays/2027/" in page
    assert "节假日数据缺失" not in client_for("advisor_a").get("/").content.decode()
    time_machine.move_to("2026-09-01T10:00:00+08:00")
    assert "节假日数据缺失" not in client_for("office").get("/").content.decode()


def test_office_enters_a_year_on_the_page(world, client_for):
    office = client_for("office")
    page = office.get("/duty/holidays/2027/")
    assert page.status_code == 200 and "未包含本年" in page.content.decode()
    response = office.post("/duty/holidays/2027/", {"rest_days": REST_2027, "workdays": WORK_2027})
    assert response.status_code == 302
    assert CalendarOverride.objects.filter(date__year=2027, is_workday=False).count() == 15
    assert CalendarOverride.objects.get(date=date(2027, 2, 20)).name == "调休上班"
    page = office.get("/duty/holidays/2027/").content.decode()
    assert "2027-02-06 至 2027-02-12 春节" in page  # entered runs shown back as ranges
    assert "不一致" in page  # the holidays package computes 2027 without 调休 and disagrees somewhere


def test_second_source_is_compared_day_by_day(world):
    rows = {row.day: row for row in holidays.compare_year(2026)}
    national_day = rows[date(2026, 10, 1)]
    assert national_day.packaged == holidays.REST and national_day.second == holidays.REST
    assert not national_day.disagree
    holiday_year_set(
        year=2026,
        rest_days=[(date(2026, 10, 1), "国庆节")],
        workdays=[(date(2026, 10, 3), "调休上班")],
        by=world.user("office"),
    )
    assert {row.day: row for row in holidays.compare_year(2026)}[date(2026, 10, 3)].disagree


def test_holidays_package_has_2027_without_adjusted_workdays():
    rest, worked, has_adjusted = holidays.second_source(2027)
    assert date(2027, 1, 1) in rest and not has_adjusted and not worked


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rest_days": "", "workdays": ""}, "请至少填写一天放假日期"),
        ({"rest_days": "元旦 2027-01-01"}, "第 1 行：应以日期开头"),
        ({"rest_days": "2027-02-30 春节"}, "第 1 行：日期不存在"),
        ({"rest_days": "2027-01-01"}, "请在日期后写上节日名称"),
        ({"rest_days": "2027-10-07 至 2027-10-01 国庆节"}, "日期范围不正确"),
        ({"rest_days": "2026-10-01 国庆节"}, "不在 2027 年内"),
        ({"rest_days": "2027-01-01 元旦", "workdays": "2027-01-04"}, "调休上班日应为周六或周日"),
        ({"rest_days": "2027-01-02 元旦", "workdays": "2027-01-02"}, "重复出现"),
        ({"rest_days": "2027-01-01 " + "长" * 61}, "名称不能超过"),
    ],
)
def test_holiday_page_bad_input_is_a_422_and_saves_nothing(world, client_for, data, message):
    response = client_for("office").post("/duty/holidays/2027/", data)
    assert response.status_code == 422 and message in response.content.decode()
    assert not CalendarOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="calendar.year_set").exists()


def test_only_the_office_bureau_and_admin_enter_holidays(world, client_for):
    for role in ("advisor_a", "staff_a", "firm_admin"):
        client = client_for(role)
        assert client.get("/duty/holidays/2027/").status_code == 403
        assert client.post("/duty/holidays/2027/", {"rest_days": "2027-01-01 元旦"}).status_code == 403
    with pytest.raises(DomainError) as refused:
        holiday_year_set(
            year=2027, rest_days=[(date(2027, 1, 1), "元旦")], workdays=[], by=world.user("staff_a")
        )
    assert refused.value.code == "forbidden"
    assert client_for("bureau").get("/duty/holidays/2027/").status_code == 200
    assert client_for("office").get("/duty/holidays/1999/").status_code == 404
    assert not CalendarOverride.objects.exists()


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2100, 12, 20)), st.integers(0, 14))
def test_parse_day_lines_reads_back_any_range(first, length):
    from datetime import timedelta

    last = first + timedelta(days=length)
    days = parse_day_lines(f"{first.isoformat()} 至 {last.isoformat()} 节日")
    assert [d for d, _n in days] == [first + timedelta(days=n) for n in range(length + 1)]
    assert {n for _d, n in days} == {"节日"}


@given(st.text(max_size=40))
def test_parse_day_lines_never_fails_other_than_with_a_message(text):
    try:
        parse_day_lines(text)
    except ValueError as exc:
        assert str(exc).startswith("第 ")
