"""The inbox pages and API: own notices only, unread first, mark one or all read, bad input refused."""

import pytest

from guwen.core.errors import DomainError
from guwen.core.models import AuditEvent
from guwen.notifications import services
from guwen.notifications.models import Notification

pytestmark = pytest.mark.django_db


def notice(user, title="通知", url="", **extra):
    [note] = services.notify(
        recipients=[user], event="consultation.assigned", title=title, body="正文", url=url
    )
    for key, value in extra.items():
        setattr(note, key, value)
    if extra:
        note.save()
    return note


def test_inbox_lists_unread_first_and_only_mine(world, client_for):
    advisor = world.user("advisor_a")
    old_unread = notice(advisor, "旧的未读")
    read = notice(advisor, "已读的")
    services.notification_mark_read(notification=read, by=advisor)
    new_unread = notice(advisor, "新的未读")
    notice(world.user("advisor_b"), "别人的通知")
    response = client_for("advisor_a").get("/notifications/")
    assert response.status_code == 200
    titles = [n.title for n in response.context["page"]]
    assert titles == [new_unread.title, old_unread.title, read.title]
    assert "别人的通知" not in response.content.decode()


def test_badge_shows_unread_count_on_work_pages(world, client_for):
    notice(world.user("office"))
    notice(world.user("office"))
    html = client_for("office").get("/regions/").content.decode()
    assert 'data-unread="2"' in html
    assert "data-unread" not in client_for("bureau").get("/regions/").content.decode()


def test_mark_read_then_open_goes_to_the_link(world, client_for):
    note = notice(world.user("advisor_a"), url="/regions/")
    response = client_for("advisor_a").post(f"/notifications/{note.pk}/read/", {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/regions/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert AuditEvent.objects.filter(action="notification.read", object_id=str(note.pk)).count() == 1
    # Marking again changes nothing and writes no second event.
    client_for("advisor_a").post(f"/notifications/{note.pk}/read/")
    assert AuditEvent.objects.filter(action="notification.read").count() == 1


def test_mark_all_read(world, client_for):
    for _ in range(3):
        notice(world.user("staff_a"))
    other = notice(world.user("office"))
    response = client_for("staff_a").post("/notifications/read-all/", follow=True)
    assert "已将 3 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=world.user("staff_a"), read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("post", "/notifications/abc/read/", 404),
        ("post", "/notifications/999999/read/", 404),
        ("post", "/notifications/-1/read/", 404),
        ("get", "/notifications/{pk}/read/", 405),
        ("get", "/notifications/read-all/", 405),
        ("post", "/notifications/{other}/read/", 404),
    ],
)
def test_pages_refuse_bad_input(world, client_for, method, path, status):
    mine = notice(world.user("advisor_a"))
    other = notice(world.user("advisor_b"))
    response = getattr(client_for("advisor_a"), method)(path.format(pk=mine.pk, other=other.pk))
    assert response.status_code == status
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_inbox_page_param_garbage_is_harmless(world, client_for):
    notice(world.user("advisor_a"))
    for value in ("abc", "-3", "99999", "1.5", "%E2%80%AE2"):
        assert client_for("advisor_a").get(f"/notifications/?page={value}").status_code == 200
    # A control character in any query string is refused before the view: a Chinese 422 page.
    refused = client_for("advisor_a").get("/notifications/?page=%00")
    assert refused.status_code == 422 and "控制字符" in refused.content.decode()


def test_open_ignores_a_missing_link(world, client_for):
    note = notice(world.user("advisor_a"))
    response = client_for("advisor_a").post(f"/notifications/{note.pk}/read/", {"open": "<script>"})
    assert response["Location"] == "/notifications/"


# --- API -------------------------------------------------------------------------------------------


def test_api_lists_own_notices_with_unread_filter(world, client_for):
    advisor = world.user("advisor_a")
    read = notice(advisor, "读过")
    services.notification_mark_read(notification=read, by=advisor)
    notice(advisor, "未读")
    notice(world.user("office"), "别人的")
    body = client_for("advisor_a").get("/api/v1/notifications").json()
    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == ["未读", "读过"]
    assert body["items"][0]["unread"] is True
    body = client_for("advisor_a").get("/api/v1/notifications?unread=true").json()
    assert [item["title"] for item in body["items"]] == ["未读"]


def test_api_marks_read(world, client_for):
    note = notice(world.user("advisor_a"))
    response = client_for("advisor_a").post(f"/api/v1/notifications/{note.pk}/read")
    assert response.status_code == 200
    assert response.json()["unread"] is False
    response = client_for("advisor_a").post("/api/v1/notifications/read-all")
    assert response.json() == {"updated": 0, "unread": 0}


@pytest.mark.parametrize(
    ("method", "path", "status", "field"),
    [
        ("get", "/api/v1/notifications?unread=maybe", 422, "unread"),
        ("get", "/api/v1/notifications?limit=-1", 422, "limit"),
        ("get", "/api/v1/notifications?offset=abc", 422, "offset"),
        ("post", "/api/v1/notifications/abc/read", 422, "notification_id"),
        ("post", "/api/v1/notifications/999999/read", 404, None),
        ("post", "/api/v1/notifications/{other}/read", 404, None),
    ],
)
def test_api_refuses_bad_input(world, client_for, method, path, status, field):
    other = notice(world.user("advisor_b"))
    response = getattr(client_for("advisor_a"), method)(path.format(other=other.pk))
    assert response.status_code == status
    body = response.json()
    assert body["detail"]
    if field:
        assert body["field"] == field
    other.refresh_from_db()
    assert other.read_at is None


def test_api_needs_login(world):
    from django.test import Client

    assert Client().get("/api/v1/notifications").status_code == 401


def test_mark_read_refuses_someone_elses_notice(world):
    note = notice(world.user("advisor_b"))
    with pytest.raises(DomainError):
        services.notification_mark_read(notification=note, by=world.user("advisor_a"))
