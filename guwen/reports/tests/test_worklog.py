"""The work log: every kind of record of an advisor appears once, by itself, plus free entries;
another reader sees only their own communities' entries; bad input refused in Chinese."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guwen.core.errors import DomainError
from guwen.duty.tests.helpers import make_shift
from guwen.outreach import services
from guwen.outreach.models import LegalAidCentre, WorkLogEntry
from guwen.outreach.tests.helpers import health_check, lecture

pytestmark = pytest.mark.django_db


def _records(world):
    make_shift(world, starts_in=timedelta(days=-2), status="confirmed")
    make_shift(world, starts_in=timedelta(days=-1), status="missed")  # not held: not in the log
    lecture(world)
    health_check(world, findings=1)
    opinion = services.opinion_request(
        community=world.community_a,
        kind="contract_review",
        title="合同审查",
        question="请审查",
        by=world.user("staff_a"),
    )
    services.opinion_deliver(opinion=opinion, opinion_text="意见", by=world.user("advisor_a"))
    LegalAidCentre.objects.create(district=world.district, name="龙岗区法律援助处")
    services.referral_create(
        community=world.community_a,
        applicant="王某",
        category="wages",
        situation="欠薪",
        by=world.user("advisor_a"),
    )
    services.worklog_entry_create(
        community=world.community_a,
        at=timezone.now() - timedelta(hours=2),
        person="社区两委",
        content="列席居民议事会，解答物业费问题",
        by=world.user("advisor_a"),
    )


def test_every_kind_appears_once_without_double_entry(world, client_for):
    _records(world)
    rows = client_for("advisor_a").get("/api/v1/worklog").json()
    kinds = sorted(row["kind"] for row in rows)
    assert kinds == ["activity", "duty", "health_check", "opinion", "other", "referral"]
    assert all(row["url"] or row["kind"] == "other" for row in rows)
    page = client_for("advisor_a").get("/reports/worklog/").content.decode()
    assert "列席居民议事会" in page and "企业法治体检" in page


def test_other_readers_see_their_scope_and_bad_input_is_refused(world, client_for):
    _records(world)
    office = client_for("office").get(f"/api/v1/worklog?lawyer_id={world.lawyer_a.pk}").json()
    assert len(office) == 6
    assert client_for("advisor_b").get(f"/api/v1/worklog?lawyer_id={world.lawyer_a.pk}").status_code == 404
    bad = client_for("office").get("/api/v1/worklog")
    assert bad.status_code == 422 and "请指定律师" in bad.json()["detail"]
    reversed_ = client_for("advisor_a").get("/api/v1/worklog?date_from=2026-12-01&date_to=2026-11-01")
    assert reversed_.status_code == 422
    with pytest.raises(DomainError):
        services.worklog_entry_create(
            community=world.community_a,
            at=timezone.now() + timedelta(days=1),
            person="居民",
            content="咨询",
            by=world.user("advisor_a"),
        )
    with pytest.raises(DomainError):
        services.worklog_entry_create(
            community=world.community_a,
            at=timezone.now(),
            person="居民",
            content="咨询",
            by=world.user("advisor_b"),
        )
    assert WorkLogEntry.objects.count() == 1
