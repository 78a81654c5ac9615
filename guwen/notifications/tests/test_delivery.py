"""Senders and retries against a real HTTP server on 127.0.0.1; the sweep; compare-and-set sending."""

import hashlib
import hmac
import json
import logging
import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from guwen.core.errors import DomainError
from guwen.notifications import senders, services
from guwen.notifications.models import (
    Channel,
    ChannelConfig,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    WebhookSubscription,
)
from guwen.notifications.services import outbound

pytestmark = pytest.mark.django_db


def group(url, capture, **extra):
    with capture(execute=True):
        delivery = services.notify_group(
            webhook_url=url,
            title="咨询升级",
            body="南龙社区一条咨询已升级到街道",
            event="consultation.escalated",
            **extra,
        )
    delivery.refresh_from_db()
    return delivery


def test_robot_retries_after_500_and_records_both_attempts(fake_server, django_capture_on_commit_callbacks):
    fake_server.answer((500, b"oops"), (200, b'{"errcode": 0, "errmsg": "ok"}'))
    delivery = group(fake_server.url + "/robot/send?key=abc", django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert delivery.last_error == "HTTP 500"
    assert delivery.next_attempt_at > timezone.now()

    assert services.deliveries_send_due(now=timezone.now()) == 0  # not due yet
    assert services.deliveries_send_due(now=delivery.next_attempt_at + timedelta(seconds=1)) == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.attempts == 2
    attempts = list(delivery.attempt_log.values_list("number", "ok", "status_code"))
    assert attempts == [(1, False, 500), (2, True, 200)]
    assert len(fake_server.received) == 2
    body = fake_server.received[-1].json()
    assert body == {"msgtype": "text", "text": {"content": "【咨询升级】\n南龙社区一条咨询已升级到街道"}}
    assert delivery.target == "http://127.0.0.1/robot/send?key=***"


def test_robot_answer_with_error_code_is_a_failure(fake_server, django_capture_on_commit_callbacks):
    fake_server.answer((200, b'{"errcode": 310000, "errmsg": "sign not match"}'))
    delivery = group(fake_server.url, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED
    assert "310000" in delivery.last_error


def test_client_error_is_not_retried(fake_server, django_capture_on_commit_callbacks):
    fake_server.answer((404, b"{}"))
    delivery = group(fake_server.url, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 1
    assert delivery.next_attempt_at is None


@override_settings(GUWEN_NOTIFY_TIMEOUT_SECONDS=0.2)
def test_timeout_is_recorded_and_retried(fake_server, django_capture_on_commit_callbacks):
    fake_server.answer((200, b"{}", 1.0))
    delivery = group(fake_server.url, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "连接超时"
    assert delivery.attempt_log.get().duration_ms < 900


def test_connection_refused_is_retried(django_capture_on_commit_callbacks):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    delivery = group(f"http://127.0.0.1:{port}/", django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error.startswith("连接失败")


@override_settings(GUWEN_NOTIFY_MAX_ATTEMPTS=3, GUWEN_NOTIFY_BACKOFF_SECONDS=10)
def test_gives_up_after_the_configured_attempts_with_growing_waits(
    fake_server, django_capture_on_commit_callbacks
):
    fake_server.answer((503, b""))
    delivery = group(fake_server.url, django_capture_on_commit_callbacks)
    waits, at = [], delivery.attempt_log.get().started_at
    while delivery.status == DeliveryStatus.PENDING:
        waits.append(round((delivery.next_attempt_at - at).total_seconds()))
        at = delivery.next_attempt_at
        services.deliveries_send_due(now=at)
        delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 3
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 3
    assert waits[0] in (9, 10) and waits[1] in (19, 20)


def test_backoff_is_exponential_and_capped(settings):
    settings.GUWEN_NOTIFY_BACKOFF_SECONDS = 30
    settings.GUWEN_NOTIFY_BACKOFF_MAX_SECONDS = 200
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 200]


def test_dingtalk_signature_in_query(fake_server, django_capture_on_commit_callbacks):
    group(
        fake_server.url + "/robot/send?access_token=t0k", django_capture_on_commit_callbacks, secret="SECabc"
    )
    query = parse_qs(urlsplit(fake_server.received[0].path).query)
    assert query["access_token"] == ["t0k"]
    assert query["sign"] == [senders.dingtalk_sign("SECabc", int(query["timestamp"][0]))]


def test_feishu_signature_in_body(fake_server, django_capture_on_commit_callbacks):
    fake_server.answer((200, b'{"code": 0}'))
    group(fake_server.url, django_capture_on_commit_callbacks, secret="feishu-secret", style="feishu")
    body = fake_server.received[0].json()
    assert body["msg_type"] == "text"
    assert body["sign"] == senders.feishu_sign("feishu-secret", int(body["timestamp"]))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "请填写推送地址"),
        ("ftp://example.cn/hook", "http:// 或 https://"),
        ("file:///etc/passwd", "http:// 或 https://"),
        ("http://", "缺少主机名"),
        ("http://user:pw@example.cn/", "用户名或密码"),
        ("http://example.cn:99999/", "端口"),
        ("http://exa mple.cn/", "空格"),
        ("javascript:alert(1)", "http:// 或 https://"),
        ("https://example.cn/" + "a" * 500, "500"),
    ],
)
def test_bad_robot_url_is_refused_in_chinese(world, url, message):
    with pytest.raises(DomainError) as info:
        services.notify_group(webhook_url=url, title="t", body="b", event="consultation.escalated")
    assert info.value.field == "webhook_url"
    assert message in str(info.value.message)
    assert not Delivery.objects.exists()


def test_bad_url_in_channel_config_is_refused(world):
    config = ChannelConfig(region=world.street, robot_enabled=True, robot_url="ftp://x")
    with pytest.raises(ValidationError) as info:
        config.full_clean()
    assert "http://" in " ".join(info.value.message_dict["robot_url"])
    config = ChannelConfig(region=world.street, robot_enabled=True, robot_url="")
    with pytest.raises(ValidationError) as info:
        config.full_clean()
    assert "请填写推送地址" in " ".join(info.value.message_dict["robot_url"])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("url", "gopher://x", "http://"),
        ("events", "Consultation Escalated!", "格式不正确"),
        ("events", "", "此字段"),
        ("secret", "short", "16"),
    ],
)
def test_bad_subscription_is_refused(field, value, message, db):
    data = {"name": "对接系统", "url": "https://hooks.example.cn/guwen", "secret": "s" * 32, "events": "*"}
    data[field] = value
    with pytest.raises(ValidationError) as info:
        WebhookSubscription(**data).full_clean()
    assert message in " ".join(info.value.message_dict[field])


def test_bad_email_list_is_refused(world):
    config = ChannelConfig(
        region=world.street, email_enabled=True, email_recipients="office@example.cn, 不是邮箱"
    )
    with pytest.raises(ValidationError) as info:
        config.full_clean()
    assert "不是邮箱" in " ".join(info.value.message_dict["email_recipients"])


def test_event_webhook_is_signed_and_scoped_to_its_region(
    world, fake_server, django_capture_on_commit_callbacks
):
    secret = "integration-secret-0123456789"
    WebhookSubscription.objects.create(
        name="街道平台",
        url=fake_server.url + "/in",
        secret=secret,
        events="consultation.*",
        region=world.street,
    )
    WebhookSubscription.objects.create(
        name="别区平台", url=fake_server.url + "/other", secret=secret, events="*", region=world.district2
    )
    WebhookSubscription.objects.create(
        name="停用", url=fake_server.url + "/off", secret=secret, events="*", is_active=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[],
            event="consultation.escalated",
            title="升级",
            body="已升级到街道",
            url="/consultations/7/",
            region=world.community_a,
            context={"consultation": 7, "level": "street"},
        )
        services.notify(recipients=[], event="duty.missed", title="缺岗", body="", region=world.community_a)
    assert [r.path for r in fake_server.received] == ["/in"]
    received = fake_server.received[0]
    expected = "sha256=" + hmac.new(secret.encode(), received.body, hashlib.sha256).hexdigest()
    assert received.headers["X-Guwen-Signature"] == expected
    assert received.headers["X-Guwen-Event"] == "consultation.escalated"
    body = json.loads(received.body)
    assert body["data"] == {"consultation": 7, "level": "street"}
    assert body["region"] == world.community_a.code
    assert str(body["sent_at"]) == received.headers["X-Guwen-Timestamp"]
    delivery = Delivery.objects.get()
    assert delivery.channel == Channel.HOOK and delivery.status == DeliveryStatus.SENT


def test_robot_from_region_config_only_for_listed_events(
    world, fake_server, django_capture_on_commit_callbacks
):
    ChannelConfig.objects.create(
        region=world.district,
        robot_enabled=True,
        robot_url=fake_server.url,
        events="consultation.urgent",
        sms_enabled=False,
    )
    # The street's own configuration wins over the district's for its communities.
    ChannelConfig.objects.create(region=world.street2, sms_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        for event in ("consultation.urgent", "consultation.assigned"):
            services.notify(
                recipients=[world.user("office")],
                event=event,
                title="紧急",
                body="x",
                region=world.community_a,
            )
        services.notify(
            recipients=[], event="consultation.urgent", title="紧急", body="x", region=world.community_c
        )
    assert len(fake_server.received) == 1
    assert "紧急" in fake_server.received[0].json()["text"]["content"]


def test_sms_to_users_when_configured(world, django_capture_on_commit_callbacks, caplog):
    caplog.set_level(logging.INFO)
    advisor = world.user("advisor_a")
    advisor.phone = "13912345678"
    advisor.save()
    ChannelConfig.objects.create(region=world.street)
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[advisor],
            event="consultation.assigned",
            title="新咨询",
            body="李四来问",
            region=world.community_a,
        )
    delivery = Delivery.objects.get(channel=Channel.SMS)
    assert delivery.target == "139****5678"
    assert delivery.status == DeliveryStatus.SENT
    assert "13912345678" not in caplog.text and "李四" not in caplog.text


def test_sms_off_for_region_sends_nothing(world):
    ChannelConfig.objects.create(region=world.street, sms_enabled=False)
    assert services.notify_phone(phone="13800138000", text="x", event="a.b", region=world.community_a) is None
    assert not Delivery.objects.exists()
    assert services.sms_is_real() is False


class FailingSms(senders.SmsBackend):
    def send(self, *, phone, text):
        raise RuntimeError(f"provider refused {phone}")


@override_settings(GUWEN_SMS_BACKEND="guwen.notifications.tests.test_delivery.FailingSms")
def test_sms_provider_errors_keep_no_personal_data(world, django_capture_on_commit_callbacks, caplog):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.notify_phone(phone="13800138000", text="回执码 123456", event="a.b")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "短信发送失败：RuntimeError"
    assert "13800138000" not in caplog.text


def test_sweep_sends_what_a_lost_task_left_behind(world, fake_server, settings):
    # No on_commit capture: the queued task never ran, as when a worker dies with it.
    delivery = services.notify_group(webhook_url=fake_server.url, title="t", body="b", event="a.b")
    assert services.deliveries_send_due() == 0  # within the grace period the task is trusted
    later = timezone.now() + timedelta(seconds=settings.GUWEN_NOTIFY_SWEEP_GRACE_SECONDS + 1)
    assert services.deliveries_send_due(now=later) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_sweep_reclaims_an_abandoned_send(world, fake_server):
    delivery = services.notify_group(webhook_url=fake_server.url, title="t", body="b", event="a.b")
    # A worker claimed attempt 1 and died before recording it.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=1)
    )
    assert services.delivery_attempt(delivery_id=delivery.pk) == "skipped"  # claim still held
    assert services.deliveries_send_due(now=timezone.now() + timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_sent_delivery_is_never_sent_again(world, fake_server, django_capture_on_commit_callbacks):
    delivery = group(fake_server.url, django_capture_on_commit_callbacks)
    assert services.delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert len(fake_server.received) == 1


def test_failed_delivery_can_be_retried_by_an_admin(world, fake_server, django_capture_on_commit_callbacks):
    fake_server.answer((400, b"{}"), (200, b"{}"))
    delivery = group(fake_server.url, django_capture_on_commit_callbacks)
    assert delivery.status == DeliveryStatus.FAILED
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_retry(delivery=delivery, by=world.user("sysadmin"))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    with pytest.raises(DomainError):
        services.delivery_retry(delivery=delivery, by=world.user("sysadmin"))


@pytest.mark.django_db(transaction=True)
def test_two_workers_never_make_the_same_attempt(concurrent_db, fake_server):
    fake_server.answer((200, b"{}", 0.2))
    ids = []
    for _ in range(5):
        delivery = outbound._delivery(
            channel=Channel.ROBOT,
            event="a.b",
            address=fake_server.url,
            target="t",
            payload={"content": "x"},
            now=timezone.now() - timedelta(hours=1),
        )
        delivery.save()
        ids.append(delivery.pk)
    barrier = threading.Barrier(2)
    outcomes = []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            for delivery_id in ids:
                outcomes.append(services.delivery_attempt(delivery_id=delivery_id, due_only=True))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["sent"] * 5 + ["skipped"] * 5
    assert len(fake_server.received) == 5
    assert DeliveryAttempt.objects.count() == 5


def test_the_cached_routing_table_holds_no_signing_secret(
    world, fake_server, django_capture_on_commit_callbacks
):
    """The routing table lives in the shared cache (Redis in production); secrets stay in the database."""
    import pickle

    from guwen.core.cache import cached
    from guwen.notifications import selectors

    robot = "robot-secret-" + "r" * 20
    hook = "hook-secret-" + "h" * 20
    ChannelConfig.objects.create(
        region=world.district,
        robot_enabled=True,
        robot_url=fake_server.url,
        robot_secret=robot,
        sms_enabled=False,
    )
    WebhookSubscription.objects.create(name="台账", url=fake_server.url, secret=hook, events="consultation.*")
    table = selectors.routing()
    stored = pickle.dumps(cached(selectors.ROUTING, "all", lambda: None))
    assert robot.encode() not in stored and hook.encode() not in stored
    assert robot.encode() not in pickle.dumps(table) and hook.encode() not in pickle.dumps(table)
    # A sender still signs with them: it reads them from the database when it needs them.
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[], event="consultation.urgent", title="紧急", body="x", region=world.community_a
        )
    signed = [r for r in fake_server.received if r.headers.get("X-Guwen-Signature")]
    assert signed, "the webhook call is signed"
    assert len(fake_server.received) == 2
