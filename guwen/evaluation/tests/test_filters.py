"""The period and options a dashboard figure's link narrows an evaluation list by: any text that is
not a calendar day written YYYY-MM-DD is refused in Chinese, as is an end before the start; the days
counted from China's midnight (the reports' drill-down test crosses New Year at 00:00)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guwen.core.errors import DomainError
from guwen.evaluation.views.common import choice_of, period_of

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(first=days, last=days)
def test_two_days_are_taken_when_the_end_is_not_before_the_start(first, last):
    params = {"date_from": first.isoformat(), "date_to": last.isoformat()}
    if last < first:
        with pytest.raises(DomainError) as refused:
            period_of(params)
        assert refused.value.message == "截止日期不能早于起始日期" and refused.value.field == "date_to"
    else:
        assert period_of(params) == (first, last)


@given(text=st.text(min_size=1, max_size=12).filter(str.strip))
def test_text_that_is_not_a_day_is_refused_in_chinese(text):
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is not None and day.isoformat() == text.strip():
        assert period_of({"date_from": text}) == (day, None)
        return
    with pytest.raises(DomainError) as refused:
        period_of({"date_from": text})
    assert "日期格式应为" in refused.value.message and refused.value.field == "date_from"


@given(day=days)
def test_other_spellings_of_a_day_are_refused(day):
    for text in (day.strftime("%Y%m%d"), day.strftime("%Y/%m/%d"), f"{day.isoformat()}T00:00"):
        with pytest.raises(DomainError):
            period_of({"date_to": text})


def test_an_empty_period_is_no_period():
    assert period_of({}) == (None, None) and period_of({"date_from": " ", "date_to": ""}) == (None, None)


@given(value=st.text(max_size=8))
def test_an_option_outside_the_list_is_refused(value):
    allowed = {"": "全部", "low": "差评"}
    if value in allowed:
        assert choice_of({"stars": value}, "stars", allowed, "星级筛选无效") == value
    else:
        with pytest.raises(DomainError):
            choice_of({"stars": value}, "stars", allowed, "星级筛选无效")
