"""Outreach services: the activity and health-check loops, bad input refused with a Chinese
message and nothing saved, compare-and-set, audit events."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guwen.core.errors import DomainError, refusal_status
from guwen.core.models import AuditEvent
from guwen.outreach import services
from guwen.outreach.models import Activity, ActivityStatus, CheckStatus, Enterprise, Finding
from guwen.outreach.selectors import checklist_for
from guwen.outreach.tests.helpers import enterprise, health_check, lecture, past

pytestmark = pytest.mark.django_db


def test_activity_planned_held_confirmed(world):
    activity = lecture(world, held=False, day=timezone.localdate())
    assert activity.status == ActivityStatus.PLANNED
    activity = services.activity_mark_held(activity=activity, audience_count=42, by=world.user("advisor_a"))
    assert activity.status == ActivityStatus.HELD and activity.audience_count == 42
    with pytest.raises(DomainError) as refused:  # the advisor cannot confirm their own lecture
        services.activity_confirm(activity=activity, by=world.user("advisor_a"))
    assert refusal_status(refused.value) == 403
    activity = services.activity_confirm(activity=activity, by=world.user("staff_a"))
    assert activity.status == ActivityStatus.CONFIRMED
    actions = list(AuditEvent.objects.filter(object_id=str(activity.pk)).values_list("action", flat=True))
    assert {"outreach_activity.create", "outreach_activity.hold", "outreach_activity.confirm"} <= set(actions)


def test_future_event_marked_held_is_refused_and_nothing_saved(world):
    with pytest.raises(DomainError) as refused:
        lecture(world, held=True, day=timezone.localdate() + timedelta(days=2))
    assert "今天之后" in str(refused.value) and refusal_status(refused.value) == 422
    assert not Activity.objects.exists()
    planned = lecture(world, held=False, day=timezone.localdate() + timedelta(days=2))
    with pytest.raises(DomainError):
        services.activity_mark_held(activity=planned, audience_count=10, by=world.user("advisor_a"))
    planned.refresh_from_db()
    assert planned.status == ActivityStatus.PLANNED and planned.audience_count is None


def test_negative_audience_is_refused(world):
    with pytest.raises(DomainError) as refused:
        services.activity_create(
            community=world.community_a,
            kind="lecture",
            date=past(),
            topic="讲座",
            advisors=[world.lawyer_a],
            audience_count=-3,
            by=world.user("advisor_a"),
        )
    assert "负数" in str(refused.value) and refused.value.field == "audience_count"
    assert not Activity.objects.exists()


def test_publicity_needs_a_channel_and_advisor_must_serve_the_community(world):
    with pytest.raises(DomainError) as refused:
        services.activity_create(
            community=world.community_a,
            kind="publicity",
            date=past(),
            topic="普法",
            advisors=[world.lawyer_a],
            by=world.user("advisor_a"),
        )
    assert refused.value.field == "channel"
    with pytest.raises(DomainError) as refused:
        services.activity_create(
            community=world.community_a,
            kind="lecture",
            date=past(),
            topic="讲座",
            advisors=[world.lawyer_b],
            by=world.user("staff_a"),
        )
    assert "不是" in str(refused.value)


def test_advisor_of_another_community_may_not_record_here(world):
    with pytest.raises(DomainError) as refused:
        lecture(world, by=world.user("advisor_b"))
    assert refusal_status(refused.value) == 403


def test_compare_and_set_on_hold(world):
    activity = lecture(world, held=False)
    stale = Activity.objects.get(pk=activity.pk)
    services.activity_mark_held(activity=activity, audience_count=5, by=world.user("advisor_a"))
    with pytest.raises(DomainError):
        services.activity_mark_held(activity=stale, audience_count=6, by=world.user("advisor_a"))
    assert Activity.objects.get(pk=activity.pk).audience_count == 5


def test_bad_credit_code_is_refused(world):
    with pytest.raises(DomainError) as refused:
        services.enterprise_create(
            community=world.community_a,
            name="某公司",
            credit_code="91440300MA5XXXXXX1",
            by=world.user("advisor_a"),
        )
    assert "统一社会信用代码" in str(refused.value) and refusal_status(refused.value) == 422
    assert not Enterprise.objects.exists()


def test_duplicate_enterprise_is_a_conflict(world):
    first = enterprise(world)
    with pytest.raises(DomainError) as refused:
        services.enterprise_create(
            community=world.community_a,
            name="另一家",
            credit_code=first.credit_code,
            by=world.user("advisor_a"),
        )
    assert refusal_status(refused.value) == 409


def test_finding_without_risk_level_is_refused(world):
    check = health_check(world, findings=0)
    area = checklist_for(check.community)[0]
    with pytest.raises(DomainError) as refused:
        services.finding_add(
            health_check=check,
            area=area,
            issue="问题",
            risk_level="",
            recommendation="建议",
            by=world.user("advisor_a"),
        )
    assert "风险等级" in str(refused.value) and refusal_status(refused.value) == 422
    assert not Finding.objects.exists()


def test_health_check_loop_to_closed(world):
    check = health_check(world)
    assert check.findings.count() == 2
    advisor = world.user("advisor_a")
    with pytest.raises(DomainError) as refused:  # community staff read, the lawyers act
        services.health_check_report(health_check=check, by=world.user("staff_a"))
    assert refusal_status(refused.value) == 403
    check = services.health_check_report(health_check=check, by=advisor)
    assert check.status == CheckStatus.REPORTED and check.reported_on == timezone.localdate()
    check = services.health_check_start_fixing(health_check=check, by=advisor)
    services.finding_mark_fixed(finding=check.findings.first(), by=advisor)
    with pytest.raises(DomainError):
        services.health_check_schedule_follow_up(health_check=check, follow_up_on=None, by=advisor)
    check = services.health_check_schedule_follow_up(
        health_check=check, follow_up_on=timezone.localdate(), by=advisor
    )
    with pytest.raises(DomainError) as refused:
        services.health_check_close(health_check=check, follow_up_result="", by=advisor)
    assert refused.value.field == "follow_up_result"
    check = services.health_check_close(
        health_check=check, follow_up_result="已补签劳动合同，通道已清理", by=advisor
    )
    assert check.status == CheckStatus.CLOSED and check.closed_at is not None
    with pytest.raises(DomainError) as refused:
        services.health_check_report(health_check=check, by=advisor)
    assert refusal_status(refused.value) == 409


@pytest.mark.django_db
def test_confirmed_work_counts_only_confirmed_lectures_with_their_photo_hashes(world):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from guwen.outreach.selectors import confirmed_work
    from guwen.outreach.tests.helpers import lecture, past

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    confirmed = lecture(world, held=True)
    confirmed.status = "held"
    confirmed.save(update_fields=["status"])
    confirmed.photos.create(photo=SimpleUploadedFile("a.png", buffer.getvalue()), photo_type="png")
    services.activity_confirm(activity=confirmed, by=world.user("staff_a"))
    lecture(world, held=True)  # held, never confirmed by the community: not counted
    rows = confirmed_work(region_path=world.district.path, start=past(10), end=past(0))
    assert [(w.kind, w.pk, w.lawyer_ids) for w in rows] == [("lecture", confirmed.pk, (world.lawyer_a.pk,))]
    assert len(rows[0].photo_hashes) == 1 and len(rows[0].photo_hashes[0]) == 16
    assert (
        confirmed_work(
            region_path=world.district.path, start=past(10), end=past(0), lawyer_ids=[world.lawyer_b.pk]
        )
        == []
    )
