"""Scheduled reports: the office subscribes to its street monthly or quarterly; the sweep sends
once per period (by notice or email) with the dashboard's figures and link; bad choices refused."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail

from guwen.notifications.models import Notification
from guwen.reports import services
from guwen.reports.models import ReportSubscription

pytestmark = pytest.mark.django_db


def test_last_period_at_any_date():
    assert services.last_period("monthly", date(2026, 1, 1))[0] == "2025-12"
    key, period = services.last_period("quarterly", date(2026, 1, 15))
    assert key == "2025Q4" and (period.start, period.end) == (date(2025, 10, 1), date(2025, 12, 31))
    assert services.last_period("quarterly", date(2026, 5, 31))[0] == "2026Q1"


def test_subscribed_reports_are_sent_once_per_period(world, records, client_for):
    office = client_for("office")
    response = office.post(
        "/reports/subscriptions/", {"region": world.street.code, "frequency": "monthly", "delivery": "notice"}
    )
    assert response.status_code == 302
    subscription = ReportSubscription.objects.get()
    assert subscription.last_period == "2026-02"  # subscribed 2026-03-20: the first report is March's
    assert services.report_subscriptions_send(today=date(2026, 3, 31)) == 0
    assert services.report_subscriptions_send(today=date(2026, 4, 1)) == 1
    assert services.report_subscriptions_send(today=date(2026, 4, 2)) == 0  # sent once
    note = Notification.objects.get(recipient=world.user("office"), event="reports.scheduled")
    assert note.title == "南湾街道 2026-03 统计报表" and "咨询总数 2件" in note.body
    assert "region=" + world.street.code in note.url
    world.user("bureau").email = "bureau@example.cn"
    world.user("bureau").save()
    client_for("bureau").post(
        "/reports/subscriptions/",
        {"region": world.district.code, "frequency": "quarterly", "delivery": "email"},
    )
    assert services.report_subscriptions_send(today=date(2026, 4, 1)) == 1
    assert mail.outbox[-1].subject == "龙岗区 2026Q1 统计报表" and mail.outbox[-1].to == ["bureau@example.cn"]


def test_bad_choices_are_refused(world, records, client_for):
    office = client_for("office")
    outside = office.post(
        "/reports/subscriptions/",
        {"region": world.district2.code, "frequency": "monthly", "delivery": "notice"},
    )
    assert outside.status_code == 422
    weekly = office.post(
        "/reports/subscriptions/", {"region": world.street.code, "frequency": "weekly", "delivery": "notice"}
    )
    assert weekly.status_code == 422
    world.user("office").email = ""
    world.user("office").save()
    email = office.post(
        "/reports/subscriptions/", {"region": world.street.code, "frequency": "monthly", "delivery": "email"}
    )
    assert email.status_code == 422 and "没有电子邮箱" in email.content.decode()
    office.post(
        "/reports/subscriptions/", {"region": world.street.code, "frequency": "monthly", "delivery": "notice"}
    )
    twice = office.post(
        "/reports/subscriptions/", {"region": world.street.code, "frequency": "monthly", "delivery": "notice"}
    )
    assert twice.status_code == 409 or "已订阅" in twice.content.decode()
    assert ReportSubscription.objects.count() == 1
    sub = ReportSubscription.objects.get()
    assert client_for("bureau").post(f"/reports/subscriptions/{sub.pk}/delete/").status_code == 404
    assert office.post(f"/reports/subscriptions/{sub.pk}/delete/").status_code == 302
    assert not ReportSubscription.objects.exists()
