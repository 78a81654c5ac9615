"""Drill-down filters: an appraisal indicator opens exactly the records behind its number (the lists
narrowed by ``lawyer=`` and the period), a street's figure on the bureau's dashboard opens that
street's records only (``region=`` at any level), and a bad or out-of-scope value is refused in
Chinese with nothing shown."""

from __future__ import annotations

import re
from datetime import date

import pytest

from guwen.duty.tests.helpers import make_shift
from guwen.evaluation import rules
from guwen.evaluation.indicators import compute
from guwen.outreach.tests.helpers import lecture

pytestmark = pytest.mark.django_db


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def _count(response) -> int:
    assert response.status_code == 200, response.content.decode()[:400]
    context = response.context
    return context["checks_total"] if "checks_total" in context else context["page"].paginator.count


def _alert(response) -> str:
    return re.search(r'role="alert">(.*?)</div>', response.content.decode(), re.S).group(1)


def test_each_indicator_link_lists_exactly_the_records_behind_its_value(world, records, client_for):
    # Another advisor's lecture and shift in the same street must not be counted on lawyer A's lists.
    lecture(world, community=world.community_b, lawyer=world.lawyer_b, by=world.user("advisor_b"))
    make_shift(world, community=world.community_b, lawyer=world.lawyer_b, status="confirmed", held_minutes=60)
    office = client_for("office")
    found = {i.key: i for i in compute(world.lawyer_a, 2026, None)}

    held = office.get(found["onsite_hours"].link)
    total = held.context["total"]
    assert total.held_minutes > 0
    assert rules.ratio(total.held_minutes, total.required_minutes) == found["onsite_hours"].value
    assert {row.lawyer for row in held.context["by_advisor"]} == {world.lawyer_a}
    assert "律师：甲律师" in held.content.decode()

    lectures, _required = _numbers(found["lectures"].detail)
    assert lectures == 1 and _count(office.get(found["lectures"].link)) == lectures

    _in_time, answered = _numbers(found["answered_in_time"].detail)
    assert answered == 1 and _count(office.get(found["answered_in_time"].link)) == answered

    _escalated, received = _numbers(found["escalation"].detail)
    assert received == 2 and _count(office.get(found["escalation"].link)) == received

    agreed, decided = _numbers(found["mediation_success"].detail)
    assert decided == 1 and _count(office.get(found["mediation_success"].link)) == decided
    _called, agreed = _numbers(found["callbacks"].detail)
    assert _count(office.get(found["callbacks"].link)) == agreed == 1


def _figure(body: dict, section: str, label: str) -> dict:
    part = next(s for s in body["sections"] if s["name"] == section)
    return next(f for f in part["figures"] if f["label"] == label)


def test_a_street_figure_opens_that_streets_records_for_the_bureau(world, records, client_for):
    bureau = client_for("bureau")
    period = "date_from=2026-01-01&date_to=2026-03-20"
    body = bureau.get(f"/api/v1/reports/summary?region={world.street.code}&{period}").json()
    for section, label in [
        ("consultations", "咨询总数"),
        ("outreach", "法治讲座"),
        ("outreach", "企业法治体检"),
        ("mediation", "受理调解案件"),
    ]:
        figure = _figure(body, section, label)
        assert f"region={world.street.code}" in figure["url"], figure
        assert _count(bureau.get(figure["url"])) == figure["value"], (label, figure)
    # The district's own figure still takes in the other street (community C's question).
    district = bureau.get(f"/api/v1/reports/summary?{period}").json()
    whole = _figure(district, "consultations", "咨询总数")
    assert _count(bureau.get(whole["url"])) == whole["value"] == 3
    attendance = bureau.get(_figure(body, "duty", "应值班次")["url"])
    assert {row.community for row in attendance.context["by_community"]} == {
        world.community_a,
        world.community_b,
    }


LISTS = [
    "/consultations/?tab=all",
    "/outreach/?kind=lecture",
    "/outreach/enterprises/?",
    "/mediation/?tab=all",
    "/duty/attendance/?",
]


def test_a_bad_or_out_of_scope_lawyer_or_region_is_refused_in_chinese(world, client_for):
    office = client_for("office")
    for url in LISTS:
        _refused_on(office, world, url)


def _refused_on(office, world, url: str) -> None:
    unknown = office.get(f"{url}&lawyer=987654")
    assert unknown.status_code == 422
    assert "律师筛选无效" in unknown.content.decode()
    # Another district's lawyer reads exactly like one that does not exist: nothing confirmed.
    hidden = office.get(f"{url}&lawyer={world.lawyer_e.pk}")
    assert hidden.status_code == 422
    assert _alert(hidden) == _alert(unknown)
    assert "丁律师" not in hidden.content.decode()
    for bad in ["abc", "-1", "1" * 20, "１２"]:
        assert office.get(f"{url}&lawyer={bad}").status_code == 422, bad
    for bad in ["44030701200", "abc", world.community_e.code, world.district.code]:
        page = office.get(f"{url}&region={bad}")
        assert page.status_code == 422 and "区域筛选无效" in page.content.decode(), bad
    assert office.get(f"{url}&region={world.street.code}&lawyer={world.lawyer_a.pk}").status_code == 200


def test_a_bad_period_on_the_attendance_list_is_refused(world, client_for):
    office = client_for("office")
    for query, message in [
        ("date_from=2026-01-01", "请同时填写起始日期和截止日期"),
        ("date_from=2026-02-30&date_to=2026-03-01", "日期格式应为"),
        ("date_from=2026-03-01&date_to=2026-02-01", "截止日期不能早于起始日期"),
        ("date_from=2024-01-01&date_to=2026-01-01", "日期范围不能超过一年"),
    ]:
        page = office.get(f"/duty/attendance/?{query}")
        assert page.status_code == 422 and message in page.content.decode(), query
    page = office.get(f"/duty/attendance/?date_from={date(2026, 1, 1)}&date_to={date(2026, 12, 31)}")
    assert page.status_code == 200 and "2026年1月1日至2026年12月31日" in page.content.decode()


def test_the_inbox_refuses_an_unknown_date_basis(world, client_for):
    page = client_for("office").get("/consultations/?tab=all&date_by=closed")
    assert page.status_code == 422 and "请选择列表中的选项" in page.content.decode()


def test_an_advisor_filters_their_own_records_and_a_chip_removes_the_filter(world, records, client_for):
    advisor = client_for("advisor_a")
    page = advisor.get(f"/mediation/?tab=all&lawyer={world.lawyer_a.pk}&date_from=2026-01-01")
    assert page.status_code == 200 and page.context["page"].paginator.count == 1
    chip = next(c for c in page.context["chips"] if c["label"].startswith("律师"))
    assert "lawyer" not in chip["query"] and "tab=all" in chip["query"]
    # Another community's advisor is outside an advisor's scope: refused as if unknown.
    assert advisor.get(f"/mediation/?tab=all&lawyer={world.lawyer_b.pk}").status_code == 422


def test_the_filters_add_a_lookup_each_not_a_query_per_row(world, records, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = client_for("office")
    for url in LISTS:
        office.get(url)  # warm the session and the user's memberships
        with CaptureQueriesContext(connection) as plain:
            assert office.get(url).status_code == 200
        with CaptureQueriesContext(connection) as narrowed:
            page = office.get(f"{url}&lawyer={world.lawyer_a.pk}&region={world.street.code}")
            assert page.status_code == 200
        # A look-up for the lawyer and one for the region; the attendance page swaps its table per
        # community for the advisor's total.
        assert len(narrowed) <= len(plain) + 2, (url, len(plain), len(narrowed))


def test_the_inbox_names_the_dates_it_is_narrowed_to(world, client_for):
    page = client_for("office").get("/consultations/?tab=all&date_by=answered&date_from=2026-01-01")
    chip = next(c for c in page.context["chips"] if c["label"].startswith("首次答复日期"))
    assert "date_from" not in chip["query"] and "date_by" not in chip["query"]
