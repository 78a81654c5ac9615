"""The Nanwan demo's year of consultations loads, is re-runnable and tells nobody about the past."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from guwen.consultations.models import Channel, Consultation, Event, EventCode, GroupChannel, Rating, Status
from guwen.demo import consultations as demo
from guwen.demo import nanwan


def test_demo_year_of_consultations_loads_once_and_notifies_nobody(
    db, sent, taxonomy, django_capture_on_commit_callbacks
):
    nanwan.load()
    with django_capture_on_commit_callbacks(execute=True):
        demo.load()
    count = Consultation.objects.count()
    assert count > 14 * 8
    assert Consultation.objects.values("community").distinct().count() == 14
    assert Event.objects.filter(code=EventCode.ESCALATED).exists()
    assert Rating.objects.count() > count // 5
    statuses = set(Consultation.objects.values_list("status", flat=True))
    assert {Status.ANSWERED, Status.CLOSED} <= statuses
    # The advisors' inboxes hold the last hour's questions, in time; the year behind is dealt with
    # but for the few left over recently, which the worker then escalates.
    waiting = Consultation.objects.filter(status=Status.NEW)
    now = timezone.now()
    assert waiting.filter(due_at__gt=now).count() >= 3
    assert waiting.filter(due_at__lte=now).count() <= 6
    assert not waiting.filter(created_at__lt=now - timedelta(days=60)).exists()
    assert not sent.notify.called and not sent.notify_phone.called
    # Group questions come only from communities whose group robot is connected; two have none.
    robots = set(GroupChannel.objects.values_list("community_id", flat=True))
    assert len(robots) == 12
    grouped = set(Consultation.objects.filter(channel=Channel.GROUP).values_list("community_id", flat=True))
    assert grouped and grouped <= robots
    demo.load()
    assert GroupChannel.objects.count() == 12
    assert Consultation.objects.count() == count
