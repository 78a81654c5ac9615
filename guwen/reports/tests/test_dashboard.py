"""The dashboard of a region: each role sees its scope's figures against hand-counted records, a
few aggregate queries per page, every figure linking to its records, bad periods refused in
Chinese, and the home page's street rows and the dashboard's agreeing."""

from __future__ import annotations

import pytest

from guwen.consultations import overview
from guwen.reports import sections
from guwen.reports.scope import parse_period

pytestmark = pytest.mark.django_db

PERIOD = "date_from=2026-01-01&date_to=2026-03-20"


def _figures(body: dict, name: str) -> dict:
    section = next(s for s in body["sections"] if s["name"] == name)
    return {f["label"]: f["value"] for f in section["figures"]}


def _chart(body: dict, key: str) -> dict:
    return next(c for s in body["sections"] for c in s["charts"] if c["key"] == key)


def test_each_level_sees_its_scope(world, records, client_for):
    street = client_for("office").get(f"/api/v1/reports/summary?{PERIOD}").json()
    assert street["region"]["code"] == world.street.code
    consultations = _figures(street, "consultations")
    assert consultations["咨询总数"] == 2 and consultations["已答复"] == 1
    assert consultations["按时首次答复率"] == 100.0
    district = client_for("bureau").get(f"/api/v1/reports/summary?{PERIOD}").json()
    assert _figures(district, "consultations")["咨询总数"] == 3
    staff = client_for("staff_a").get(f"/api/v1/reports/summary?region={world.community_a.code}&{PERIOD}")
    assert _figures(staff.json(), "consultations")["咨询总数"] == 2
    duty = _figures(street, "duty")
    assert (duty["应值班次"], duty["到岗班次"], duty["缺勤班次"], duty["驻点时长"]) == (2, 1, 1, 3.0)
    assert _figures(street, "outreach")["法治讲座"] == 1
    assert _figures(street, "outreach")["高风险问题"] == 1
    mediation = _figures(street, "mediation")
    assert (mediation["受理调解案件"], mediation["调解成功"], mediation["调解成功率"]) == (1, 1, 100.0)
    channel = _chart(street, "consultations_channel")
    assert dict(zip(channel["labels"], channel["series"][0]["data"], strict=True))["电话"] == 1


def test_out_of_scope_is_404_and_bad_periods_are_refused(world, records, client_for):
    assert client_for("staff_a").get(f"/reports/?region={world.street.code}").status_code == 404
    assert (
        client_for("office").get(f"/api/v1/reports/summary?region={world.community_e.code}").status_code
        == 404
    )
    assert client_for("advisor_a").get("/reports/").status_code == 404
    page = client_for("office").get("/reports/?date_from=2026-03-01&date_to=2026-02-01")
    assert page.status_code == 422 and "结束日期不能早于开始日期" in page.content.decode()
    api = client_for("office").get("/api/v1/reports/summary?date_from=2026-03-01&date_to=2026-02-01")
    assert api.status_code == 422 and api.json()["field"] == "date_to"
    assert client_for("office").get("/reports/?date_from=2026-13-01").status_code == 422
    assert client_for("office").get("/reports/?date_from=2020-01-01&date_to=2026-03-01").status_code == 422
    # A year no record can have (a typo, or a fuzzer's 956): refused on the field, never a 500.
    ancient = client_for("office").get("/api/v1/reports/summary?date_from=0956-05-01&date_to=0956-06-01")
    assert ancient.status_code == 422 and ancient.json()["field"] == "date_from"
    assert "2000 年" in client_for("office").get("/reports/?date_to=9999-01-01").content.decode()


def test_figures_drill_down_to_their_records(world, records, client_for):
    office = client_for("office")
    body = office.get(f"/api/v1/reports/summary?{PERIOD}").json()
    phone = _chart(body, "consultations_channel")
    url = phone["urls"][phone["labels"].index("电话")]
    listed = office.get(url).content.decode()
    assert f"/consultations/{records['c2'].pk}/" in listed
    assert f"/consultations/{records['c1'].pk}/" not in listed
    section = next(s for s in body["sections"] if s["name"] == "mediation")
    agreed_url = next(f["url"] for f in section["figures"] if f["label"] == "调解成功")
    assert "调解" in office.get(agreed_url).content.decode()
    for s in body["sections"]:
        for f in s["figures"]:
            if f["url"]:
                assert office.get(f["url"]).status_code == 200, f["url"]


def test_the_page_draws_charts_in_a_handful_of_queries(
    world, records, client_for, django_assert_max_num_queries
):
    bureau = client_for("bureau")
    bureau.get("/")  # the session and memberships cached
    with django_assert_max_num_queries(46):  # seven sections of grouped aggregates
        page = bureau.get(f"/reports/?{PERIOD}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "vendor/echarts/echarts.min.js" in html and 'id="chart-data"' in html
    assert "南湾街道" in html and "坂田街道" in html


def test_street_rows_are_the_bureau_homes(world, records):
    """The district's street table is the bureau home's own selector."""
    period = parse_period("2026-01-01", "2026-03-20")
    home = overview.district_figures(world.district, period=period)
    built = {b.section.name: b.data for b in sections.build_all(world.district, period)}
    table = built["regions"].tables[0]
    assert [row[1] for row in table.rows] == [row.asked for row in home.rows]
