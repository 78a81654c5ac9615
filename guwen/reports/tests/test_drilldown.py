"""Drill-down filters: an appraisal indicator opens exactly the records behind its number (the lists
narrowed by ``lawyer=`` and the period), a street's figure on the bureau's dashboard opens that
street's records only (``region=`` at any level), and a bad or out-of-scope value is refused in
Chinese with nothing shown."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape
from urllib.parse import parse_qs

import pytest

from guwen.accounts.models import Role
from guwen.consultations import services as rating_services
from guwen.consultations.models import Complaint
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty.tests.helpers import make_shift
from guwen.evaluation import rules, selectors, services
from guwen.evaluation.indicators import compute
from guwen.outreach.tests.helpers import lecture
from guwen.regions.models import Assignment
from guwen.reports.tests.conftest import NOW, t
from guwen.testing import make_user, verified_client

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
    "/evaluation/ratings/?",
    "/evaluation/complaints/?status=all",
    "/evaluation/surveys/?",
    "/evaluation/?",
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


# --- the evaluation section (群众评价与考核) -------------------------------------------------------

EVALUATION = [
    "居民评价",
    "差评（2 星及以下）",
    "新收投诉",
    "已处理投诉",
    "逾期未处理投诉",
    "满意度问卷",
    "年度考核已审核",
]


def _rate(world, community, lawyer, score: int, at: datetime):
    from guwen.consultations.models import Rating
    from guwen.consultations.rating_targets import RatingTarget

    target = RatingTarget("booking", 30_000 + Rating.objects.count(), "x", "驻点咨询", community, lawyer)
    rating = rating_services.rating_submit(target=target, score=score, comment="" if score > 2 else "不满意")
    Rating.objects.filter(pk=rating.pk).update(created_at=at)
    if score <= 2:
        Complaint.objects.filter(pk=rating.complaint.pk).update(created_at=at)
    return rating


@pytest.fixture
def evaluation_records(world, time_machine):
    """Ratings in the period in communities A, B (the street), C (the other street) and E (another
    district), one in A just before the period; low ones open complaints: one resolved in the period,
    one from before the period resolved in it, one past its deadline; survey answers of 2026Q1; the
    reviewed appraisals of advisors A (street) and C (other street) and a draft of B."""
    from guwen.evaluation.models import SurveyResponse

    time_machine.move_to(NOW, tick=False)
    services.default_tables_ensure()
    a, b, c, e = world.community_a, world.community_b, world.community_c, world.community_e
    inside = t(2, 10, 9)
    for community, lawyer, scores in [
        (a, world.lawyer_a, [5, 4, 2, 1]),
        (b, world.lawyer_b, [3, 1]),
        (c, world.lawyer_c, [5, 2]),
        (e, world.lawyer_e, [1]),
    ]:
        for score in scores:
            _rate(world, community, lawyer, score, inside)
    early = _rate(world, a, world.lawyer_a, 1, datetime(2025, 12, 31, 23, 30, tzinfo=CHINA_TZ))
    # The first of January at midnight China time is inside the period (not in UTC's reckoning).
    _rate(world, b, world.lawyer_b, 4, datetime(2026, 1, 1, 0, 0, tzinfo=CHINA_TZ))
    office = world.user("office")
    resolved = Complaint.objects.filter(community=a, created_at=inside).first()
    rating_services.complaint_resolve(complaint=resolved, by=office, outcome="已与律师沟通")
    rating_services.complaint_resolve(complaint=early.complaint, by=office, outcome="已回访居民")
    Complaint.objects.filter(community=b).update(due_on=date(2026, 3, 1))  # overdue today
    Complaint.objects.filter(community=c).update(due_on=date(2026, 3, 2))
    Complaint.objects.filter(pk=early.complaint.pk).update(resolved_at=t(1, 5, 10))
    questionnaire = selectors.questionnaire_for(a, 2026)
    answers = [(a, 1, 3), (b, 1, 1), (c, 1, 2), (e, 1, 4), (a, 4, 5)]  # A's last five: 2025Q4
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            questionnaire=questionnaire,
            community=community,
            year=2026 if quarter == 1 else 2025,
            quarter=quarter,
            answers={},
            score=80,
        )
        for community, quarter, n in answers
        for _i in range(n)
    )
    for lawyer in (world.lawyer_a, world.lawyer_c):
        appraisal = services.appraisal_open(lawyer=lawyer, year=2026, by=world.user("sysadmin"))
        services.appraisal_review(appraisal=appraisal, comment="全年工作基本到位", by=world.user("sysadmin"))
    services.appraisal_open(lawyer=world.lawyer_b, year=2026, by=office)


def _evaluation_count(response) -> int:
    assert response.status_code == 200, response.content.decode()[:400]
    context = response.context
    if "responses" in context:
        return context["responses"]
    if "rows" in context and "page" not in context:
        return len(context["rows"])
    return context["page"].paginator.count


def test_each_evaluation_figure_opens_exactly_its_records_at_every_level(
    world, evaluation_records, client_for
):
    period = "date_from=2026-01-01&date_to=2026-03-20"
    expected = {
        # (community A as the office, the street as the bureau, the district as the bureau)
        "居民评价": (4, 7, 9),
        "差评（2 星及以下）": (2, 3, 4),
        "新收投诉": (2, 3, 4),
        "已处理投诉": (2, 2, 2),
        "逾期未处理投诉": (0, 1, 2),
        "满意度问卷": (3, 4, 6),
        "年度考核已审核": (1, 1, 2),
    }
    for level, (reader, region) in enumerate(
        [("office", world.community_a), ("bureau", world.street), ("bureau", world.district)]
    ):
        client = client_for(reader)
        body = client.get(f"/api/v1/reports/summary?region={region.code}&{period}").json()
        for label in EVALUATION:
            figure = _figure(body, "evaluation", label)
            assert figure["value"] == expected[label][level], (region.name, label, figure)
            assert f"region={region.code}" in figure["url"], figure
            listed = _evaluation_count(client.get(figure["url"]))
            assert listed == figure["value"], (region.name, label, figure, listed)


def test_a_bad_period_or_option_on_the_evaluation_lists_is_refused_in_chinese(
    world, evaluation_records, client_for
):
    office = client_for("office")
    for url in ["/evaluation/ratings/?", "/evaluation/complaints/?status=all"]:
        for query, message in [
            ("date_from=2026-02-30", "日期格式应为"),
            ("date_from=2026/03/01", "日期格式应为"),
            ("date_to=20260301", "日期格式应为"),
            ("date_to=２０２６-03-01", "日期格式应为"),
            ("date_from=2026-03-01&date_to=2026-02-01", "截止日期不能早于起始日期"),
        ]:
            page = office.get(f"{url}&{query}")
            body = page.content.decode()
            assert page.status_code == 422 and message in body, (url, query)
            assert "南龙社区" not in body  # no record shown
    for url, message in [
        ("/evaluation/ratings/?stars=high", "星级筛选无效"),
        ("/evaluation/ratings/?stars=1", "星级筛选无效"),
        ("/evaluation/complaints/?status=late", "投诉状态筛选无效"),
        ("/evaluation/complaints/?status=all&date_by=closed", "日期依据无效"),
        ("/evaluation/?status=approved", "考核状态筛选无效"),
        ("/evaluation/surveys/?quarter=2026Q5", "季度格式应为"),
    ]:
        page = office.get(url)
        assert page.status_code == 422 and message in page.content.decode(), url
    # The page offers the list without the bad filter, the others kept.
    page = office.get(f"/evaluation/ratings/?region={world.street.code}&stars=high")
    assert page.context["without"] == f"region={world.street.code}"


def _link(response, text: str) -> dict[str, list[str]]:
    """The query of the page's link named ``text``."""
    body = response.content.decode()
    href = re.search(rf'<a href="[^"?]*\?([^"]*)"[^>]*>{text}</a>', body).group(1)
    return parse_qs(unescape(href))


def test_the_evaluation_lists_show_their_filters_as_removable_chips(world, evaluation_records, client_for):
    office = client_for("office")
    code = world.community_a.code
    period = "date_from=2026-01-01&date_to=2026-03-20"
    page = office.get(f"/evaluation/ratings/?region={code}&{period}&stars=low")
    chips = {c["label"]: c["query"] for c in page.context["chips"]}
    dates = "评价日期：2026-01-01 至 2026-03-20"
    assert set(chips) == {"区域：南龙社区", dates, "差评（2 星及以下）"}
    assert "region" not in chips["区域：南龙社区"] and "stars=low" in chips["区域：南龙社区"]
    assert "date_from" not in chips[dates] and "date_to" not in chips[dates]
    # Without the dates the list is the year's: the low rating of 31 December 2025 stays out.
    assert _evaluation_count(office.get(f"/evaluation/ratings/?{chips[dates]}")) == 2
    resolved = office.get(f"/evaluation/complaints/?status=all&date_by=resolved&region={code}&{period}")
    chip = next(c for c in resolved.context["chips"] if c["label"].startswith("处理日期"))
    assert "date_by" not in chip["query"] and "date_to" not in chip["query"]
    # The status links keep the region and the dates.
    assert _link(resolved, "逾期未处理") == {
        "region": [code],
        "date_from": ["2026-01-01"],
        "date_to": ["2026-03-20"],
        "date_by": ["resolved"],
        "status": ["overdue"],
    }
    appraisals = office.get(f"/evaluation/?year=2026&status=reviewed&region={world.street.code}")
    assert [c["label"] for c in appraisals.context["chips"]] == ["区域：南湾街道", "已审核"]
    # The street's open complaints: A's unresolved one and B's overdue one, not C's.
    assert appraisals.context["open_complaints"] == 2
    assert _link(appraisals, "2 件差评投诉待处理") == {"region": [world.street.code]}
    assert _link(appraisals, "上一年") == {
        "status": ["reviewed"],
        "region": [world.street.code],
        "year": ["2025"],
    }
    surveys = office.get(f"/evaluation/surveys/?quarter=2026Q1&region={code}")
    assert [r.community for r in surveys.context["rows"]] == [world.community_a]
    assert _link(surveys, "上一季度") == {"region": [code], "quarter": ["2025Q4"]}
    assert _evaluation_count(office.get(f"/evaluation/surveys/?quarter=2025Q4&region={code}")) == 5


def test_an_advisor_who_left_during_the_year_is_in_the_appraisal_list_the_dashboard_opens(
    world, evaluation_records, client_for
):
    """The dashboard counts the appraisals of the advisors who served the region in the year; one
    who has left since stays in the list it opens (and the office keeps the appraisal it wrote),
    while an office the advisor never served does not see it."""
    Assignment.objects.filter(lawyer=world.lawyer_a).update(ends_on=date(2026, 3, 1))
    office = client_for("office")
    period = "date_from=2026-01-01&date_to=2026-03-20"
    body = office.get(f"/api/v1/reports/summary?region={world.community_a.code}&{period}").json()
    figure = _figure(body, "evaluation", "年度考核已审核")
    assert figure["value"] == 1
    listed = office.get(figure["url"])
    assert [a.lawyer for a, _preview in listed.context["rows"]] == [world.lawyer_a]
    appraisal = listed.context["rows"][0][0]
    assert office.get(f"/evaluation/appraisals/{appraisal.pk}/").status_code == 200
    # An office the advisor never served sees neither the appraisal nor a row of it.
    other = verified_client(make_user("office_other", Role.OFFICE, region=world.street2))
    assert other.get(f"/evaluation/appraisals/{appraisal.pk}/").status_code == 404
    assert world.lawyer_a not in [a.lawyer for a, _p in other.get("/evaluation/?year=2026").context["rows"]]
