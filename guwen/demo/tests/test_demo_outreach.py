"""The outreach demo: a year of activities in Nanwan, the current quarter with exactly one community
behind on lectures, health checks in every state with findings, and a second run adds nothing."""

import pytest

from guwen.demo import nanwan, outreach
from guwen.outreach.models import Activity, CheckStatus, HealthCheck, LegalOpinion, Referral
from guwen.outreach.selectors import coverage, parse_quarter, quarter_of
from guwen.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.mark.time_machine("2026-12-03T10:20:00+08:00")
def test_demo_has_a_year_of_activities_and_one_community_behind():
    nanwan.load()
    outreach.load()
    counts = (Activity.objects.count(), HealthCheck.objects.count(), LegalOpinion.objects.count())
    outreach.load()
    assert (Activity.objects.count(), HealthCheck.objects.count(), LegalOpinion.objects.count()) == counts
    communities = Region.objects.filter(parent__code=nanwan.STREET)
    rows = coverage(communities, quarter_of(parse_quarter(None).first_day))
    behind = [row.community.name for row in rows if row.behind]
    assert behind == ["南新社区"]
    for back in ("2025Q4", "2026Q1", "2026Q2", "2026Q3"):
        assert not any(row.behind for row in coverage(communities, parse_quarter(back))), back
    states = set(HealthCheck.objects.values_list("status", flat=True))
    assert states == set(CheckStatus.values)
    assert all(check.findings.exists() for check in HealthCheck.objects.all())
    opinions = LegalOpinion.objects.all()
    assert opinions.filter(status="delivered", working_days_taken__isnull=False).exists()
    assert any(opinion.is_overdue for opinion in opinions)
    assert Activity.objects.filter(pairing__isnull=False).count() == 2
    assert set(Referral.objects.values_list("status", flat=True)) == {"sent", "accepted", "closed"}
