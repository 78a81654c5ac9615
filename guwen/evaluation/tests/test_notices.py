"""Who is told what: the office of a complaint past its deadline (once), the advisor of the review,
the firm admin of the lawyer's response; and the live preview kept in the shared cache."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guwen.consultations.models import ComplaintStatus, Rating
from guwen.consultations.rating_targets import RatingTarget
from guwen.consultations.services import complaint_resolve, rating_submit
from guwen.evaluation import services
from guwen.evaluation.models import ComplaintOverdueNotice
from guwen.evaluation.reminders import complaints_overdue_notify
from guwen.notifications.models import Notification

_serial = itertools.count(1)


@pytest.fixture(autouse=True)
def tables(db):
    services.default_tables_ensure()


def low_rating(community, lawyer):
    target = RatingTarget("booking", 90_000 + next(_serial), "x", "驻点咨询", community, lawyer)
    return rating_submit(target=target, score=1, comment="没有回复")


def notes(user, event):
    return list(Notification.objects.filter(recipient=user, event=event))


def test_the_office_is_told_once_when_a_complaint_passes_its_deadline(
    world, django_capture_on_commit_callbacks
):
    mine = low_rating(world.community_a, world.lawyer_a).complaint
    other_street = low_rating(world.community_c, world.lawyer_c).complaint
    resolved = low_rating(world.community_b, world.lawyer_b).complaint
    complaint_resolve(complaint=resolved, by=world.user("office"), outcome="已约谈律师")
    with django_capture_on_commit_callbacks(execute=True):
        assert complaints_overdue_notify(today=mine.due_on) == 0  # due today: not late yet
    late = mine.due_on + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert complaints_overdue_notify(today=late) == 2  # community A's and C's, not the resolved one
    office = world.user("office")
    told = notes(office, "evaluation.complaint_overdue")
    assert len(told) == 1 and told[0].url == f"/evaluation/complaints/{mine.pk}/"
    assert "逾期" in told[0].title and world.community_a.name in told[0].body
    # Community C's street has no office user in the test world: recorded, nobody else told.
    assert ComplaintOverdueNotice.objects.filter(complaint=other_street).exists()
    assert (
        not Notification.objects.filter(event="evaluation.complaint_overdue")
        .exclude(recipient=office)
        .exists()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert complaints_overdue_notify(today=late + timedelta(days=3)) == 0  # once per complaint
    assert len(notes(office, "evaluation.complaint_overdue")) == 1
    mine.refresh_from_db()
    assert mine.status == ComplaintStatus.OPEN  # the notice changes nothing on the complaint


def test_the_advisor_is_told_of_the_review_and_the_firm_admin_of_the_response(
    world, django_capture_on_commit_callbacks
):
    Rating.objects.create(
        kind="booking", target_id=1, community=world.community_a, lawyer=world.lawyer_a, score=4
    )
    appraisal = services.appraisal_open(
        lawyer=world.lawyer_a, year=timezone.localdate().year, by=world.user("office")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.appraisal_review(appraisal=appraisal, comment="工作扎实", by=world.user("office"))
    told = notes(world.user("advisor_a"), "evaluation.appraisal_reviewed")
    assert len(told) == 1 and told[0].url == f"/evaluation/appraisals/{appraisal.pk}/"
    assert not notes(world.user("advisor_b"), "evaluation.appraisal_reviewed")
    assert not notes(world.user("firm_admin"), "evaluation.appraisal_reviewed")
    with django_capture_on_commit_callbacks(execute=True):
        services.appraisal_respond(appraisal=appraisal, text="感谢反馈", by=world.user("advisor_a"))
    told = notes(world.user("firm_admin"), "evaluation.appraisal_responded")
    assert len(told) == 1 and "甲律师" in told[0].title
    assert (
        not Notification.objects.filter(event="evaluation.appraisal_responded")
        .exclude(recipient=world.user("firm_admin"))
        .exists()
    )  # firm B's admin (none here) and the office are not told


def test_the_live_preview_is_served_from_the_cache_until_an_input_changes(world):
    Rating.objects.create(
        kind="booking", target_id=1, community=world.community_a, lawyer=world.lawyer_a, score=4
    )
    appraisal = services.appraisal_open(
        lawyer=world.lawyer_a, year=timezone.localdate().year, by=world.user("office")
    )
    with CaptureQueriesContext(connection) as cold:
        first = services.appraisal_preview(appraisal)
    with CaptureQueriesContext(connection) as warm:
        again = services.appraisal_preview(appraisal)
    assert again.score == first.score and len(warm) < len(cold) // 3
    # A new rating (another module's write) bumps the cached rows: the score moves at once.
    Rating.objects.create(
        kind="booking", target_id=2, community=world.community_a, lawyer=world.lawyer_a, score=1
    )
    rating = next(r for r in services.appraisal_preview(appraisal).indicators if r.key == "resident_rating")
    assert rating.value == Decimal("0.5000")
    # An adjustment is never cached: it shows on the next read.
    services.appraisal_adjust(
        appraisal=appraisal, points=Decimal(-2), reason="公示牌未更新", by=world.user("office")
    )
    assert services.appraisal_preview(appraisal).adjustment == Decimal(-2)
