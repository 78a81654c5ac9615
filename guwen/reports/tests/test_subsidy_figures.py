"""The subsidy section of the dashboard (settled, approved and paid per period and scope, flags
open, each figure opening the subsidy list filtered the same way) and the pay side of the workload
(subsidy paid per advisor, effective pay per hour on site and per case)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from guwen.core.workcalendar import CHINA_TZ
from guwen.duty.tests.helpers import make_shift
from guwen.reports import workload
from guwen.reports.figures.subsidy import subsidy_section
from guwen.reports.scope import parse_period
from guwen.subsidy.models import Flag, FlagKind, Settlement
from guwen.subsidy.services.settle import batch_for

pytestmark = pytest.mark.django_db

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def _settlement(world, lawyer, community, month, status, total) -> Settlement:
    return Settlement.objects.create(
        lawyer=lawyer,
        month=month,
        district=community.parent.parent,
        community=community,
        batch=batch_for(community.parent, month, "month"),
        status=status,
        total=Decimal(total),
    )


@pytest.fixture
def money(world):
    """A paid and a draft month for lawyer A, an approved month for B (both Nanwan street), and a
    paid month in another district that no Nanwan figure may count."""
    paid = _settlement(world, world.lawyer_a, world.community_a, JAN, "paid", "1200.00")
    draft = _settlement(world, world.lawyer_a, world.community_a, FEB, "draft", "500.50")
    _settlement(world, world.lawyer_b, world.community_b, JAN, "approved", "800.00")
    _settlement(world, world.lawyer_e, world.community_e, JAN, "paid", "999.00")
    Flag.objects.create(settlement=draft, kind=FlagKind.CALLBACK_SAMPLE, key="x", evidence="抽查")
    return {"paid": paid, "draft": draft}


def test_section_sums_by_status_in_scope_and_links_to_the_filtered_list(world, money, client_for):
    period = parse_period("2026-01-01", "2026-02-28")
    data = subsidy_section(world.street, period)
    figures = {f.label: f for f in data.figures}
    assert figures["已结算"].value == Decimal("2500.50") and figures["已结算"].note == "3 份"
    assert figures["已批准待发放"].value == Decimal("800.00")
    assert figures["已发放"].value == Decimal("1200.00")
    assert figures["待处理异常"].value == 1
    assert data.charts[0].labels == ["2026-01", "2026-02"]
    # The figure's link lists exactly the settlements it counts.
    office = client_for("office")
    html = office.get(figures["已发放"].url).content.decode()
    assert "甲律师" in html and "¥1,200.00" in html and "¥500.50" not in html
    assert "乙律师" not in html and "筛选：南湾街道，2026-01 至 2026-02" in html
    everything = office.get(figures["已结算"].url).content.decode()
    assert everything.count('class="sub-item"') == 3
    flags = office.get(figures["待处理异常"].url).content.decode()
    assert "抽查" in flags
    # A narrower period and a community scope.
    january = subsidy_section(world.community_b, parse_period("2026-01-01", "2026-01-31"))
    assert [f.value for f in january.figures] == [Decimal("800.00"), Decimal("800.00"), Decimal("0.00"), 0]
    dashboard = office.get("/reports/?date_from=2026-01-01&date_to=2026-02-28").content.decode()
    assert "以案定补" in dashboard and "已批准待发放" in dashboard


def test_list_filters_ignore_values_that_are_not_theirs(world, money, client_for):
    office = client_for("office")
    unknown = office.get("/subsidy/?tab=all&region=999999999999").content.decode()
    assert 'class="sub-item"' not in unknown
    wrong_month = office.get("/subsidy/?tab=all&month_from=2026-13&month_to=x").content.decode()
    assert wrong_month.count('class="sub-item"') == 3


def test_workload_shows_pay_per_hour_and_per_case(world, money, client_for):
    make_shift(
        world,
        starts_in=datetime(2026, 1, 15, 9, tzinfo=CHINA_TZ) - timezone.now(),
        status="confirmed",
        held_minutes=240,
    )
    period = parse_period("2026-01-01", "2026-01-31")
    loads = {load.lawyer.name: load for load in workload.workload(world.street, period)}
    a, b = loads["甲律师"], loads["乙律师"]
    assert a.pay == Decimal("1200.00") and b.pay is None  # B's month is approved, not yet paid
    assert a.pay_per_hour == Decimal("300.00") and a.pay_per_case is None  # 4 hours, no case
    html = client_for("office").get("/reports/workload/?date_from=2026-01-01&date_to=2026-01-31")
    text = html.content.decode()
    assert "补贴及顾问费收入（元）" in text and "300.00" in text
    outside = {load.lawyer.name: load for load in workload.workload(world.district2, period)}
    assert outside["丁律师"].pay == Decimal("999.00")
