"""generate_city: a small synthetic city, the same records for the same seed, a second run adding
nothing, bad options refused in Chinese, and the dashboard drawn on it for every level."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guwen.consultations.models import Consultation, Rating
from guwen.core.crypto import decrypt_text
from guwen.core.workcalendar import CHINA_TZ
from guwen.demo import city
from guwen.duty.models import DutyShift
from guwen.mediation.models import DisputeType, MediationCase
from guwen.outreach.models import Activity, ChecklistArea
from guwen.regions.models import Assignment, Level, Region
from guwen.reports.scope import default_period
from guwen.testing import make_user, verified_client

pytestmark = pytest.mark.django_db

UNTIL = date(2026, 6, 30)
NOW = datetime(2026, 7, 1, 9, 0, tzinfo=CHINA_TZ)


def _options(seed: int = 7) -> city.Options:
    return city.Options(scale=0.05, years=1, seed=seed, communities=12, until=UNTIL, divisions=None)


def _fingerprint() -> list[tuple]:
    return list(
        Consultation.objects.order_by("receipt_code").values_list(
            "receipt_code", "community__code", "created_at", "category_suggested", "status", "level"
        )
    )


@pytest.fixture
def built(time_machine):
    time_machine.move_to(NOW, tick=False)
    return city.generate(_options())


def test_builds_a_city_with_work_in_every_chosen_community(built):
    assert built.communities == 12 and built.built == 12
    # Every chosen community has its primary advisor, consultations and weekly duty.
    posted = Assignment.objects.filter(role="primary", ends_on__isnull=True)
    assert posted.count() == 12 and built.advisors >= 12
    assert Consultation.objects.values("community").distinct().count() == 12
    assert DutyShift.objects.values("community").distinct().count() == 12
    assert built.counts["duty.DutyShift"] >= 12 * 52
    assert Activity.objects.exists() and MediationCase.objects.exists()
    # Some closed consultations are rated by the resident, after they closed, by the advisor who answered.
    rated = Rating.objects.select_related("consultation")
    assert built.counts["consultations.Rating"] == rated.count() > 0
    assert Rating.objects.count() < Consultation.objects.filter(status="closed").count()
    for rating in rated:
        c = rating.consultation
        assert c.status == "closed" and rating.target_id == c.pk and rating.community_id == c.community_id
        assert c.closed_at <= rating.created_at <= NOW and 1 <= rating.score <= 5
        assert rating.lawyer.user_id == c.owner_id
    # Spread over the city's districts, not the first street's communities.
    districts = {c.parent.parent_id for c in Region.objects.filter(assignments__in=posted)}
    assert len(districts) > 1
    # Nothing after the end date is asked; the clock's future is only scheduled duty.
    assert not Consultation.objects.filter(created_at__date__gt=UNTIL).exists()
    assert not DutyShift.objects.filter(date__gt=UNTIL).exclude(status="scheduled").exists()


class _Drawn(city.Builder):
    """A builder that keeps the records it draws instead of writing them."""

    def save(self, model, rows):
        for k, row in enumerate(rows, 1):
            row.pk = row.pk or k
        self.drawn = [*getattr(self, "drawn", []), *rows]
        return rows


def _draw(community: Region, seed: int) -> list[dict]:
    lawyers = [a.lawyer for a in Assignment.objects.filter(community=community).order_by("role", "id")]
    index = city.city_communities().index(community)
    refs = city.Refs(
        types=list(DisputeType.objects.order_by("code")),
        areas=list(ChecklistArea.objects.filter(district__isnull=True).order_by("order", "pk")),
    )
    builder = _Drawn(index=index, community=community, lawyers=lawyers, options=_options(seed), refs=refs)
    builder.build()
    # A Fernet token differs at every encryption: what is compared is the text it seals.
    return [
        {
            k: decrypt_text(v) if k.endswith("_encrypted") and v else v
            for k, v in vars(row).items()
            if k != "_state"
        }
        for row in builder.drawn
    ]


def test_same_seed_same_records_and_a_second_run_adds_nothing(built):
    first = _fingerprint()
    again = city.generate(_options())
    assert again.built == 0 and again.skipped == 12 and _fingerprint() == first
    community = Region.objects.filter(assignments__isnull=False).order_by("code").first()
    drawn = _draw(community, seed=7)
    assert drawn == _draw(community, seed=7) and drawn != _draw(community, seed=8)
    # What was drawn is what was written.
    written = sorted(
        (c.receipt_code, c.created_at, c.category_suggested)
        for c in Consultation.objects.filter(community=community)
    )
    assert written == sorted(
        (row["receipt_code"], row["created_at"], row["category_suggested"])
        for row in drawn
        if "receipt_code" in row
    )


def test_command_refuses_bad_options_in_chinese():
    for args, message in [
        (["--scale", "0"], "--scale 须在 0 与 10 之间"),
        (["--years", "9"], "--years 须在 1 与 5 之间"),
        (["--communities", "0"], "--communities 至少为 1"),
        (["--until", "2026-13-01"], "日期格式应为"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("generate_city", *args, stdout=StringIO(), stderr=StringIO())
    assert not Region.objects.exists()


def test_dashboard_on_the_city_at_every_level(built):
    admin = make_user("city_admin", "sysadmin")
    client = verified_client(admin)
    community = (
        Region.objects.filter(level=Level.COMMUNITY, assignments__isnull=False).order_by("code").first()
    )
    period = default_period()
    start, end = period.moments()
    for region in (community, community.parent, community.parent.parent, community.parent.parent.parent):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/reports/summary?region={region.code}")
        assert response.status_code == 200
        body = response.json()
        figures = {f["label"]: f["value"] for s in body["sections"] for f in s["figures"]}
        asked = Consultation.objects.filter(
            community__path__startswith=region.path, created_at__gte=start, created_at__lt=end
        ).count()
        assert figures["咨询总数"] == asked > 0
        months = next(c for s in body["sections"] for c in s["charts"] if c["key"] == "consultations_month")
        assert sum(months["series"][0]["data"]) == asked
        assert len(queries) < 40
    page = client.get(f"/reports/?region={community.parent.parent.code}")
    assert page.status_code == 200 and "分区域情况" in page.content.decode()
