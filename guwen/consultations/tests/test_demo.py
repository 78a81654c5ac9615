"""The Nanwan demo's year of consultations loads, is re-runnable and tells nobody about the past."""

from __future__ import annotations

from guwen.consultations.models import Consultation, Event, EventCode, Rating, Status
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
    assert not sent.notify.called and not sent.notify_phone.called
    demo.load()
    assert Consultation.objects.count() == count
