import datetime
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from guwen.core import audit
from guwen.core.models import AuditEvent, CalendarOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user(username="alice", password="x-irrelevant-1")


def test_records_actor_object_and_changes(alice):
    override = CalendarOverride.objects.create(date=datetime.date(2027, 10, 1), name="国庆节")
    event = audit.record(
        actor=alice, action="calendar.create", obj=override, old=None, new={"date": override.date}
    )
    event.refresh_from_db()
    assert event.actor == alice
    assert event.actor_label == "alice"
    assert event.object_type == "core.calendaroverride"
    assert event.object_id == str(override.pk)
    assert event.new == {"date": "2027-10-01"}
    assert event.context == {}
    assert event.ip is None


def test_explicit_object_type_and_id_win(alice):
    event = audit.record(
        actor=alice, action="lawyer.id_number.read", object_type="lawyers.lawyer", object_id="7"
    )
    assert (event.object_type, event.object_id) == ("lawyers.lawyer", "7")


def test_system_and_anonymous_actors():
    system = audit.record(actor=None, action="sweep.escalate")
    anonymous = audit.record(actor=AnonymousUser(), action="intake.submit")
    assert (system.actor, system.actor_label) == (None, "system")
    assert (anonymous.actor, anonymous.actor_label) == (None, "anonymous")


def test_ip_comes_from_request(alice):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    assert audit.record(actor=alice, action="x.read", request=request).ip == "10.1.2.3"
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-ip")
    assert audit.record(actor=alice, action="x.read", request=request).ip is None


def test_values_are_made_json_safe(alice):
    ident = uuid.uuid4()
    event = audit.record(
        actor=alice,
        action="settlement.approve",
        old={"amount": Decimal("100.50"), "at": datetime.datetime(2026, 1, 2, 3, 4, 5)},
        new={"amount": Decimal("120.00"), "ids": (ident,), "tags": {"b", "a"}},
        context={"due": datetime.date(2026, 1, 9), 3: None},
    )
    event.refresh_from_db()
    assert event.old == {"amount": "100.50", "at": "2026-01-02T03:04:05"}
    assert event.new == {"amount": "120.00", "ids": [str(ident)], "tags": ["a", "b"]}
    assert event.context == {"due": "2026-01-09", "3": None}


def test_actor_label_survives_user_deletion(alice):
    event = audit.record(actor=alice, action="x.create")
    alice.delete()
    event.refresh_from_db()
    assert (event.actor, event.actor_label) == (None, "alice")


def test_events_cannot_be_changed_or_deleted(alice):
    event = audit.record(actor=alice, action="x.create")
    event.action = "x.forged"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x.forged")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x.create"


def test_newest_first():
    first = audit.record(actor=None, action="a")
    second = audit.record(actor=None, action="b")
    assert list(AuditEvent.objects.all()[:2]) == [second, first]


def test_changes_returns_only_changed_keys():
    before = {"status": "new", "level": 1, "note": "x", "gone": 5}
    after = {"status": "assigned", "level": 1, "note": "x", "added": None}
    assert audit.changes(before, after) == (
        {"status": "new", "gone": 5, "added": None},
        {"status": "assigned", "gone": None, "added": None},
    )
    assert audit.changes({"a": 1}, {"a": 1}) == ({}, {})


def test_behind_our_proxy_the_event_keeps_the_clients_address(alice, settings):
    settings.GUWEN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    event = audit.record(actor=alice, action="lawyer.id_number.read", object_id="7", request=request)
    assert event.ip == "198.51.100.7"
