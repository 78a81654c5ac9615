"""The monthly rollup of consultations: the dashboard drawn from it equals the dashboard counted
from the records, for every level and for periods that start and end mid-month; a change to an old
question shows once its month is counted again; the current month is always counted live."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from guwen.consultations.models import Consultation
from guwen.core.workcalendar import CHINA_TZ
from guwen.demo import city
from guwen.regions.models import Level, Region
from guwen.reports import rollups, sections, sweeps
from guwen.reports.models import ConsultationMonth, RolledMonth
from guwen.reports.scope import parse_period

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 7, 10, 9, 0, tzinfo=CHINA_TZ)
PERIODS = [(None, None), ("2026-02-15", "2026-05-20"), ("2026-03-01", "2026-03-31"), ("2026-06-20", None)]


@pytest.fixture
def regions(time_machine):
    time_machine.move_to(NOW, tick=False)
    city.generate(
        city.Options(scale=0.05, years=1, seed=3, communities=8, until=date(2026, 7, 9), divisions=None)
    )
    community = (
        Region.objects.filter(level=Level.COMMUNITY, assignments__isnull=False).order_by("code").first()
    )
    return [community, community.parent.parent, community.parent.parent.parent]


def _dashboards(regions) -> list[dict]:
    out = []
    for region in regions:
        for start, end in PERIODS:
            period = parse_period(start, end)
            out.append(sections.summary_json(region, period, sections.build_all(region, period)))
    return out


def test_rolled_up_figures_equal_live_figures(regions):
    assert not RolledMonth.objects.exists()
    live = _dashboards(regions)
    assert rollups.consultation_months_refresh(months=rollups.all_months()) > 0
    # Every whole month of the three years before July is rolled up; July, the current month, never.
    months = list(RolledMonth.objects.order_by("month").values_list("month", flat=True))
    assert (months[0], months[-1], len(months)) == (date(2023, 8, 1), date(2026, 6, 1), 35)
    assert not ConsultationMonth.objects.filter(month__gte=date(2026, 7, 1)).exists()
    assert _dashboards(regions) == live
    total = next(f for f in live[2 * len(PERIODS)]["sections"][0]["figures"] if f["label"] == "咨询总数")
    assert (
        total["value"]
        == Consultation.objects.filter(created_at__gte=datetime(2025, 8, 1, tzinfo=CHINA_TZ)).count()
    )


def test_an_old_question_changed_counts_once_its_month_is_counted_again(regions):
    rollups.consultation_months_refresh(months=rollups.all_months())
    old = Consultation.objects.filter(created_at__month=3, created_at__year=2026, level="community").first()
    Consultation.objects.filter(pk=old.pk).update(level="district")
    stale = _dashboards(regions)
    RolledMonth.objects.all().delete()
    live_now = _dashboards(regions)
    assert stale != live_now  # the escalation is not in March's rollup until March is counted again
    rollups.consultation_months_refresh(months=rollups.all_months())
    assert _dashboards(regions) == live_now
    # The sweeps count the recent months every quarter hour and all of them daily.
    assert sweeps.rollup_recent() >= 0 and sweeps.rollup_all() >= 0
    assert set(RolledMonth.objects.values_list("month", flat=True)) >= set(rollups.recent_months())


def test_live_parts_leave_the_current_month_and_month_edges_to_the_records(regions):
    rollups.consultation_months_refresh(months=rollups.all_months())
    period = parse_period("2026-02-15", None)  # to today, 10 July
    run = rollups.rolled_run(period)
    assert run[0] == date(2026, 3, 1) and run[-1] == date(2026, 6, 1)
    parts = rollups.live_parts(period, run)
    assert [(p.start, p.end) for p in parts] == [
        (date(2026, 2, 15), date(2026, 2, 28)),
        (date(2026, 7, 1), date(2026, 7, 10)),
    ]
    # A month not yet counted ends the run: what follows is counted live.
    RolledMonth.objects.filter(month=date(2026, 5, 1)).delete()
    assert rollups.rolled_run(period) == [date(2026, 3, 1), date(2026, 4, 1)]
