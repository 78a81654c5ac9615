"""Workload of advisors (生存现状): each advisor's hours, answers, cases by grade, activities and
checks in the region and period; the association sees it without names, or not at all when the
group is too small to hide a person."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guwen.duty.models import DutyShift
from guwen.outreach.models import Activity, HealthCheck
from guwen.reports import workload
from guwen.reports.scope import parse_period

pytestmark = pytest.mark.django_db


def test_each_advisors_work_is_counted_in_a_few_queries(world, records, django_assert_max_num_queries):
    period = parse_period("2026-01-01", "2026-03-20")
    with django_assert_max_num_queries(13):
        loads = {load.lawyer.name: load for load in workload.workload(world.street, period)}
    a = loads["甲律师"]
    # Travel: each (community, day) with a held shift, a held lecture or a health check, once.
    days = {
        *DutyShift.objects.filter(lawyer=world.lawyer_a, status="confirmed").values_list(
            "community_id", "date"
        ),
        *Activity.objects.filter(advisors=world.lawyer_a).values_list("community_id", "date"),
        *HealthCheck.objects.filter(advisors=world.lawyer_a).values_list("community_id", "date"),
    }
    assert a.trips == len(days) >= 2
    assert (a.shifts, a.hours, a.answers, a.activities, a.checks) == (1, Decimal("3.0"), 1, 1, 1)
    assert a.case_count == 1
    assert set(loads) == {"甲律师", "乙律师"}  # lawyer C serves the other street
    spread = workload.distribution(list(loads.values()))
    assert sum(n for _label, n in spread.buckets) == 2
    assert workload.anonymised(list(loads.values())) is None  # two advisors: too few to show


def test_pages_by_role(world, records, client_for):
    page = client_for("office").get("/reports/workload/?date_from=2026-01-01&date_to=2026-03-20")
    html = page.content.decode()
    assert page.status_code == 200 and "甲律师" in html and 'id="chart-workload_hours"' in html
    association = client_for("association").get("/reports/workload/").content.decode()
    assert "甲律师" not in association and "顾问人数少于 5 人" in association
    assert client_for("advisor_a").get("/reports/workload/").status_code == 404
    bad = client_for("office").get("/reports/workload/?date_from=2026-03-01&date_to=2026-01-01")
    assert bad.status_code == 422
