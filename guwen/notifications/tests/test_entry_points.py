"""The entry points other modules call: notify, notify_phone, notify_group."""

import logging

import pytest
from django.core import mail

from guwen.core.errors import DomainError
from guwen.notifications import services
from guwen.notifications.models import ChannelConfig, Delivery, DeliveryStatus, Notification

pytestmark = pytest.mark.django_db


def test_notify_puts_a_notice_in_each_inbox_only(world, django_capture_on_commit_callbacks):
    advisor, office = world.user("advisor_a"), world.user("office")
    with django_capture_on_commit_callbacks(execute=True):
        notes = services.notify(
            recipients=[advisor, office.pk, advisor],
            event="consultation.assigned",
            title="新咨询",
            body="南龙社区有一条新咨询",
            url="/consultations/1/",
            region=world.community_a,
        )
    assert [n.recipient for n in notes] == [advisor, office]
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    assert not Delivery.objects.exists()  # no channel configured: in-app only


def test_notify_sends_email_through_configured_region(world, django_capture_on_commit_callbacks):
    advisor = world.user("advisor_a")
    advisor.email = "advisor@example.cn"
    advisor.save()
    ChannelConfig.objects.create(
        region=world.street, email_enabled=True, email_recipients="office@example.cn", sms_enabled=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[advisor],
            event="consultation.overdue",
            title="咨询超时",
            body="请尽快答复",
            url="/c/1/",
            region=world.community_a,
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["advisor@example.cn", "office@example.cn"]
    assert mail.outbox[0].subject == "咨询超时"
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert set(Delivery.objects.values_list("target", flat=True)) == {"ad***@example.cn", "of***@example.cn"}


def test_notify_phone_log_only_masks_the_phone(world, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.notify_phone(
            phone="13800138000", text="您的咨询已答复，张三", event="consultation.answered"
        )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.target == "138****8000"
    assert "13800138000" not in caplog.text
    assert "138****8000" in caplog.text
    assert "张三" not in caplog.text
    assert "13800138000" not in str(Delivery.objects.values().get())


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"text": ""}, "text"),
        ({"text": "长" * 501}, "text"),
        ({"event": "Bad Event"}, "event"),
    ],
)
def test_notify_phone_rejects_bad_values(world, kwargs, field):
    args = {"phone": "13800138000", "text": "答复已发布", "event": "consultation.answered", **kwargs}
    with pytest.raises(DomainError) as info:
        services.notify_phone(**args)
    assert info.value.field == field
    assert str(info.value.message)
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"event": ""}, "event"),
        ({"event": "咨询.分配"}, "event"),
        ({"event": "a." + "b" * 60}, "event"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "长" * 201}, "title"),
        ({"body": "长" * 4001}, "body"),
        ({"url": "https://evil.example/"}, "url"),
        ({"url": "//evil.example/"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"recipients": "advisor_a"}, "recipients"),
        ({"recipients": ["advisor_a"]}, "recipients"),
        ({"recipients": None}, "recipients"),
        ({"region": "440307012002"}, "region"),
    ],
)
def test_notify_rejects_bad_values(world, kwargs, field):
    args = {
        "recipients": [world.user("advisor_a")],
        "event": "consultation.assigned",
        "title": "新咨询",
        "body": "正文",
        **kwargs,
    }
    with pytest.raises(DomainError) as info:
        services.notify(**args)
    assert info.value.field == field
    assert str(info.value.message)
    assert not Notification.objects.exists()


def test_notify_skips_inactive_and_unknown_users(world):
    outsider = world.user("outsider")
    outsider.is_active = False
    outsider.save()
    notes = services.notify(
        recipients=[outsider, 999999, world.user("office").pk], event="a.b", title="t", body=""
    )
    assert [n.recipient for n in notes] == [world.user("office")]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": ""}, "title"),
        ({"event": "BAD"}, "event"),
        ({"style": "slack"}, "style"),
        ({"secret": "s" * 201}, "secret"),
    ],
)
def test_notify_group_rejects_bad_values(world, kwargs, field):
    args = {
        "webhook_url": "https://robot.example.cn/send",
        "title": "t",
        "body": "b",
        "event": "a.b",
        **kwargs,
    }
    with pytest.raises(DomainError) as info:
        services.notify_group(**args)
    assert info.value.field == field
    assert not Delivery.objects.exists()


def test_robot_secret_and_address_are_stored_encrypted(world):
    delivery = services.notify_group(
        webhook_url="https://robot.example.cn/send?access_token=tok123",
        title="t",
        body="b",
        event="a.b",
        secret="SECsecret",
    )
    row = str(Delivery.objects.values().get(pk=delivery.pk))
    assert "tok123" not in row and "SECsecret" not in row


def test_region_comes_from_context_when_not_given(world, django_capture_on_commit_callbacks):
    ChannelConfig.objects.create(
        region=world.street,
        email_enabled=True,
        email_users=False,
        email_recipients="office@example.cn",
        sms_enabled=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[],
            event="consultation.urgent",
            title="紧急",
            body="",
            context={"consultation": 3, "community": world.community_a.code},
        )
        services.notify(
            recipients=[],
            event="consultation.urgent",
            title="紧急",
            body="",
            context={"community": world.community_e.code},
        )
    assert [m.to for m in mail.outbox] == [["office@example.cn"]]


def test_links_are_absolute_when_a_public_base_is_set(world, settings, django_capture_on_commit_callbacks):
    settings.GUWEN_PUBLIC_BASE_URL = "https://guwen.example.cn/"
    ChannelConfig.objects.create(
        region=world.street, email_enabled=True, email_users=False, email_recipients="office@example.cn"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[], event="a.b", title="t", body="b", url="/c/1/", region=world.community_a
        )
    assert mail.outbox[0].body.endswith("https://guwen.example.cn/c/1/")


def test_configuration_is_cached_and_every_edit_is_seen_at_once(world, client_for, django_assert_num_queries):
    from guwen.notifications import selectors

    assert selectors.routing().empty
    with django_assert_num_queries(1):  # one read of the shared cache, not the tables
        assert selectors.routing().empty
    ChannelConfig.objects.create(region=world.street)
    assert set(selectors.routing().configs) == {world.street.code}
    response = client_for("sysadmin").post(
        "/admin/notifications/channelconfig/add/",
        {
            "region": world.district.pk,
            "events": "",
            "email_users": "on",
            "robot_style": "text",
            "sms_enabled": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(selectors.routing().configs) == {world.street.code, world.district.code}
    ChannelConfig.objects.filter(region=world.street).delete()
    assert set(selectors.routing().configs) == {world.district.code}


def test_admin_refuses_a_bad_robot_url(world, client_for):
    response = client_for("sysadmin").post(
        "/admin/notifications/channelconfig/add/",
        {
            "region": world.district.pk,
            "robot_enabled": "on",
            "robot_url": "ftp://robot",
            "robot_style": "text",
        },
    )
    assert response.status_code == 200
    assert "http:// 或 https://" in response.content.decode()
    assert not ChannelConfig.objects.exists()


def test_admin_never_shows_a_signing_secret_and_an_empty_box_keeps_it(world, client_for):
    from guwen.notifications.models import WebhookSubscription

    admin_client = client_for("sysadmin")
    secret = "s3cret-webhook-signing-key"
    hook = WebhookSubscription.objects.create(
        name="区平台", url="https://hooks.example.cn/guwen", secret=secret, events="consultation.*"
    )
    config = ChannelConfig.objects.create(
        region=world.street, robot_url="https://robot.example.cn/send", robot_secret="robot-secret-value"
    )
    hook_page = admin_client.get(
        f"/admin/notifications/webhooksubscription/{hook.pk}/change/"
    ).content.decode()
    config_page = admin_client.get(f"/admin/notifications/channelconfig/{config.pk}/change/").content.decode()
    assert secret not in hook_page and "已设置（不显示）" in hook_page
    assert "robot-secret-value" not in config_page
    form = {
        "name": "区平台",
        "url": "https://hooks.example.cn/guwen",
        "events": "consultation.*",
        "is_active": "on",
        "created_at_0": "2026-11-28",
        "created_at_1": "10:00:00",
        "secret": "",
    }
    response = admin_client.post(f"/admin/notifications/webhooksubscription/{hook.pk}/change/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    hook.refresh_from_db()
    assert hook.secret == secret
    form["secret"] = "a-new-secret-of-enough-length"
    admin_client.post(f"/admin/notifications/webhooksubscription/{hook.pk}/change/", form)
    hook.refresh_from_db()
    assert hook.secret == "a-new-secret-of-enough-length"
    form["secret"] = "short"
    response = admin_client.post(f"/admin/notifications/webhooksubscription/{hook.pk}/change/", form)
    assert response.status_code == 200 and "至少16个字符" in response.content.decode()
    hook.refresh_from_db()
    assert hook.secret == "a-new-secret-of-enough-length"
