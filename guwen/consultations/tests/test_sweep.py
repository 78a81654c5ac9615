"""The worker's sweep: overdue items go community → street → district, once, with notices."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from guwen.consultations import services
from guwen.consultations.models import Channel, Consultation, Event, EventCode, Level, SeenSignature
from guwen.consultations.sweeps import escalate_overdue
from guwen.consultations.tests.conftest import MORNING, QUESTION
from guwen.core import sweeps


def test_the_sweep_is_registered_with_the_worker():
    assert "consultations.escalate_overdue" in {s.name for s in sweeps.registered()}


def test_nothing_moves_before_the_deadline(world, ask):
    c = ask(at=MORNING)
    assert escalate_overdue(now=c.due_at - timedelta(minutes=1)) == 0
    assert Consultation.objects.get(pk=c.pk).level == Level.COMMUNITY


def test_an_overdue_item_escalates_to_the_street_then_the_district_with_notices(
    world, ask, sent, django_capture_on_commit_callbacks
):
    c = ask(at=MORNING)
    later = c.due_at + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue(now=later) == 1
    c.refresh_from_db()
    assert (c.level, c.owner) == (Level.STREET, None)
    assert c.due_at == later + timedelta(hours=2)
    event = c.events.get(code=EventCode.ESCALATED)
    assert event.automatic and event.due_at == c.due_at
    assert sent.notify.call_args.kwargs["event"] == "consultation.escalated"

    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue(now=c.due_at + timedelta(minutes=1)) == 1
    c.refresh_from_db()
    assert c.level == Level.DISTRICT
    assert [u.username for u in sent.notify.call_args.kwargs["recipients"]] == ["bureau"]

    # At the top: no further level, but the bureau is told once that it is overdue.
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue(now=c.due_at + timedelta(minutes=1)) == 0
        assert escalate_overdue(now=c.due_at + timedelta(minutes=2)) == 0
    assert c.events.filter(code=EventCode.OVERDUE).count() == 1
    assert sent.notify.call_args.kwargs["event"] == "consultation.overdue"


def test_answered_and_waiting_items_do_not_escalate(world, ask):
    answered, waiting = ask(at=MORNING), ask(at=MORNING)
    services.consultation_reply(consultation=answered, body="答复内容", by=world.user("advisor_a"))
    services.consultation_ask_info(consultation=waiting, body="请补充材料", by=world.user("advisor_a"))
    assert escalate_overdue(now=MORNING + timedelta(days=3)) == 0


def test_overdue_is_true_from_time_alone_without_any_sweep(world, ask):
    c = ask(at=timezone.now() - timedelta(days=2))
    assert c.is_overdue
    from guwen.consultations.selectors import consultations_visible_to, inbox

    assert (
        inbox(consultations_visible_to(world.user("advisor_a")), world.user("advisor_a"), tab="overdue").get()
        == c
    )


def test_a_stale_copy_never_escalates_twice(world, ask):
    c = ask(at=MORNING)
    stale = Consultation.objects.get(pk=c.pk)
    later = c.due_at + timedelta(minutes=5)
    services.consultation_escalate(
        consultation=c, by=None, reason="超时", automatic=True, now=later, only_if_overdue=True
    )
    from guwen.core.errors import Conflict

    with pytest.raises(Conflict):
        services.consultation_escalate(
            consultation=stale, by=None, reason="超时", automatic=True, now=later, only_if_overdue=True
        )
    assert Event.objects.filter(consultation=c, code=EventCode.ESCALATED).count() == 1


def test_the_sweep_forgets_old_signatures(world):
    SeenSignature.objects.create(signature="a" * 64, received_at=timezone.now() - timedelta(hours=1))
    SeenSignature.objects.create(signature="b" * 64, received_at=timezone.now())
    escalate_overdue()
    assert list(SeenSignature.objects.values_list("signature", flat=True)) == ["b" * 64]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_escalate_each_item_once(concurrent_db):
    from guwen.testing import build_world

    world = build_world()
    items = [
        services.consultation_submit(
            community=world.community_a, channel=Channel.WEB, text=QUESTION, phone="13900001111", at=MORNING
        ).consultation
        for _ in range(8)
    ]
    later = max(c.due_at for c in items) + timedelta(minutes=1)
    counts, barrier = [], threading.Barrier(2)

    def sweep():
        from django.db import connections

        try:
            barrier.wait()
            counts.append(escalate_overdue(now=later))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(counts) == 2  # both sweeps finished: neither was refused a lock
    assert sum(counts) == len(items)
    assert Event.objects.filter(code=EventCode.ESCALATED).count() == len(items)
    assert set(Consultation.objects.values_list("level", flat=True)) == {Level.STREET}


def test_the_worker_poll_routes_each_accepted_question_once(
    world, settings, sent, django_capture_on_commit_callbacks
):
    from guwen.consultations.sweeps import dispatch_new

    assert "consultations.dispatch_new" in {s.name for s in sweeps.registered()}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # a real queue
    c = services.consultation_submit(
        community=world.community_a, channel=Channel.WEB, text=QUESTION, phone="13900001111", at=MORNING
    ).consultation
    assert c.owner is None and not c.events.exists()
    assert dispatch_new(now=MORNING - timedelta(seconds=1)) == 0  # not accepted yet at that moment
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_new(now=MORNING + timedelta(seconds=1)) == 1
    c.refresh_from_db()
    assert c.owner == world.user("advisor_a") and c.events.get(code=EventCode.CREATED).reason == "primary"
    assert [call.kwargs["event"] for call in sent.notify.call_args_list] == ["consultation.assigned"]
    assert dispatch_new(now=MORNING + timedelta(seconds=2)) == 0


def test_a_question_that_fails_to_route_does_not_hold_up_the_others(world, settings, monkeypatch):
    from guwen.consultations import sweeps as consultation_sweeps

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first, second = (
        services.consultation_submit(
            community=world.community_a, channel=Channel.WEB, text=QUESTION, phone=phone, at=MORNING
        ).consultation
        for phone in ("13900001111", "13900002222")
    )
    real = consultation_sweeps.consultation_dispatch

    def dispatch(*, consultation, at):
        if consultation.pk == first.pk:
            raise RuntimeError("broken")
        return real(consultation=consultation, at=at)

    monkeypatch.setattr(consultation_sweeps, "consultation_dispatch", dispatch)
    monkeypatch.setattr(consultation_sweeps, "_failed", {})
    assert consultation_sweeps.dispatch_new(now=MORNING + timedelta(seconds=1)) == 1
    second.refresh_from_db()
    assert second.owner is not None
    # Not tried again every second; after a minute it is, and routes once it can.
    monkeypatch.setattr(consultation_sweeps, "consultation_dispatch", real)
    assert consultation_sweeps.dispatch_new(now=MORNING + timedelta(seconds=2)) == 0
    assert consultation_sweeps.dispatch_new(now=MORNING + timedelta(minutes=2)) == 1


def test_the_routing_poll_reads_only_the_unrouted_through_its_partial_index(world):
    from guwen.consultations.services.intake import consultations_undispatched
    from guwen.core.sweeps import sqlite_statistics

    owner = world.user("advisor_a")
    Consultation.objects.bulk_create(
        Consultation(
            community=world.community_a,
            channel=Channel.WEB,
            text=QUESTION,
            owner=owner if i % 100 else None,
            receipt_code=f"POLL{i:04d}",
            due_at=MORNING,
            created_at=MORNING,
        )
        for i in range(600)
    )
    poll = consultations_undispatched(before=MORNING + timedelta(seconds=1)).order_by("created_at")
    assert poll.count() == 6
    if connection.vendor != "sqlite":
        assert not sqlite_statistics()
        pytest.skip("PostgreSQL keeps its own planner statistics")
    assert sqlite_statistics()
    assert "consult_unrouted_idx" in poll.explain()
