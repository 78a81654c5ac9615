"""The evaluation section of the dashboard (群众评价与考核): ratings and complaints of the period, the
quarter's survey progress and the year's appraisal grades, for the region's communities only, each
figure opening its evaluation page; the same figures the quarterly summary writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guwen.consultations.models import Rating
from guwen.consultations.overview import Period
from guwen.evaluation import services
from guwen.reports.figures.evaluation import evaluation_section

pytestmark = pytest.mark.django_db


def _rate(world, community, lawyer, score, n) -> None:
    for i in range(n):
        Rating.objects.create(
            kind="booking",
            target_id=40_000 + i + 100 * score,
            community=community,
            lawyer=lawyer,
            score=score,
        )


def test_ratings_complaints_and_grades_of_the_region_with_links(world):
    services.default_tables_ensure()
    _rate(world, world.community_a, world.lawyer_a, 5, 3)
    _rate(world, world.community_a, world.lawyer_a, 1, 1)
    _rate(world, world.community_b, world.lawyer_b, 4, 2)
    _rate(world, world.community_c, world.lawyer_b, 3, 2)  # another street's community: not counted
    office = world.user("office")
    today = timezone.localdate()
    appraisal = services.appraisal_open(lawyer=world.lawyer_a, year=today.year, by=office)
    services.appraisal_review(appraisal=appraisal, comment="全年工作基本到位", by=office)
    period = Period(today - timedelta(days=30), today)

    data = evaluation_section(world.street, period)
    figures = {f.label: f for f in data.figures}
    assert figures["居民评价"].value == 6
    assert figures["平均星级"].value == 4
    assert figures["差评（2 星及以下）"].value == 1
    assert figures["年度考核已审核"].value == 1
    assert figures["居民评价"].url.startswith(f"/evaluation/ratings/?region={world.street.code}&date_from=")
    assert figures["满意度问卷"].url.startswith("/evaluation/surveys/?quarter=")
    assert f"region={world.street.code}" in figures["满意度问卷"].url
    grades = next(c for c in data.charts if c.key == "evaluation_grades")
    assert sum(grades.series[0][1]) == 1
    assert all(url.startswith("/evaluation/?year=") and "status=reviewed" in url for url in grades.urls)

    district = {f.label: f.value for f in evaluation_section(world.district, period).figures}
    assert district["居民评价"] == 8


def test_a_region_without_ratings_shows_zeros_and_no_grade_chart(world):
    today = timezone.localdate()
    data = evaluation_section(world.street, Period(today - timedelta(days=30), today))
    figures = {f.label: f.value for f in data.figures}
    assert figures["居民评价"] == 0 and figures["平均星级"] is None and figures["年度考核已审核"] == 0
    assert [c.key for c in data.charts if c.key == "evaluation_grades"] == []
