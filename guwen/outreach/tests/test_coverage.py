"""Quarterly coverage: lectures held against the district's rule, and the reminders 30 and 7 days
before the quarter ends, sent once per community, quarter and threshold."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from guwen.core.errors import DomainError
from guwen.notifications.models import Notification
from guwen.outreach import services
from guwen.outreach.models import CoverageReminder, CoverageRule
from guwen.outreach.selectors import coverage, parse_quarter, quarter_of
from guwen.outreach.tests.helpers import lecture
from guwen.regions.models import Region

pytestmark = pytest.mark.django_db


def test_parse_quarter():
    assert parse_quarter("2026Q4").first_day == date(2026, 10, 1)
    assert parse_quarter("2026q1").last_day == date(2026, 3, 31)
    assert parse_quarter("2026Q2").last_day == date(2026, 6, 30)
    for bad in ("2026Q5", "26Q1", "2026-Q1", "Q4"):
        with pytest.raises(DomainError) as refused:
            parse_quarter(bad)
        assert "季度格式" in str(refused.value)
    assert quarter_of(date(2026, 12, 4)).key == "2026Q4"


@time_machine.travel("2026-11-20 10:00 +0800", tick=False)
def test_coverage_counts_held_lectures_and_flags_those_behind(world):
    lecture(world, day=date(2026, 10, 15))
    lecture(
        world,
        held=False,
        day=date(2026, 12, 10),
        community=world.community_b,
        lawyer=world.lawyer_b,
        by=world.user("advisor_b"),
    )
    rows = {
        row.community.code: row
        for row in coverage(Region.objects.filter(parent=world.street), parse_quarter("2026Q4"))
    }
    assert rows[world.community_a.code].held == 1 and not rows[world.community_a.code].behind
    assert rows[world.community_b.code].held == 0 and rows[world.community_b.code].planned == 1
    assert rows[world.community_b.code].behind
    CoverageRule.objects.create(
        district=world.district, effective_from=date(2026, 1, 1), lectures_per_quarter=2
    )
    rows = {
        row.community.code: row
        for row in coverage(Region.objects.filter(parent=world.street), parse_quarter("2026Q4"))
    }
    assert rows[world.community_a.code].required == 2 and rows[world.community_a.code].behind


def test_reminders_thirty_and_seven_days_before_quarter_end_once_each(
    world, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):  # 41 days left: nothing yet
        assert services.coverage_remind() == 0
    with time_machine.travel("2026-10-15 10:00 +0800", tick=False):
        lecture(world, day=date(2026, 10, 15))  # community A is on target
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):  # 30 days left
        with django_capture_on_commit_callbacks(execute=True):
            sent = services.coverage_remind()
        again = services.coverage_remind()
    behind = {r.community_id for r in CoverageReminder.objects.filter(days_before=30)}
    assert world.community_b.pk in behind and world.community_a.pk not in behind
    assert sent == len(behind) and again == 0
    note = Notification.objects.get(recipient=world.user("advisor_b"), event="outreach.coverage_behind")
    assert "上李朗社区" in note.title
    assert not Notification.objects.filter(
        recipient=world.user("advisor_a"), event="outreach.coverage_behind"
    ).exists()
    with time_machine.travel("2026-12-24 10:00 +0800", tick=False):  # 7 days left
        services.coverage_remind()
        services.coverage_remind()
    assert CoverageReminder.objects.filter(community=world.community_b, days_before=7).count() == 1


def test_lectures_held_and_required_for_the_appraisal(world):
    from datetime import date

    from guwen.outreach.models import Activity
    from guwen.outreach.selectors import lectures_held_count, lectures_required

    held = Activity.objects.create(
        community=world.community_a,
        kind="lecture",
        date=date(2025, 2, 10),
        topic="讲座",
        status="held",
        audience_count=30,
    )
    held.advisors.set([world.lawyer_a])
    planned = Activity.objects.create(
        community=world.community_a, kind="lecture", date=date(2025, 3, 10), topic="讲座", status="planned"
    )
    planned.advisors.set([world.lawyer_a])
    assert (
        lectures_held_count(lawyer_id=world.lawyer_a.pk, start=date(2025, 1, 1), end=date(2025, 12, 31)) == 1
    )
    assert (
        lectures_held_count(lawyer_id=world.lawyer_b.pk, start=date(2025, 1, 1), end=date(2025, 12, 31)) == 0
    )
    # Only quarters that have ended count: by mid-May, the first quarter's one lecture.
    assert lectures_required(community=world.community_a, start=date(2025, 1, 1), end=date(2025, 5, 15)) == 1
    assert lectures_required(community=world.community_a, start=date(2025, 1, 1), end=date(2025, 12, 31)) == 4
