"""Access-matrix rows for the inbox: every user reaches their own notices, nobody another's."""

from __future__ import annotations

from guwen.notifications.models import Notification
from guwen.testing import ROLES, World
from guwen.tests.matrix import Row, api_route, fixed, page


def _notices(w: World) -> None:
    """One notice per logged-in user, and one belonging to nobody in the matrix (out of scope)."""
    from guwen.testing import make_user

    notes = {}
    for role in ROLES:
        user = w.user(role)
        if user is not None:
            notes[role] = Notification.objects.create(recipient=user, event="test.row", title="通知")
    stranger = make_user(f"stranger{Notification.objects.count()}")
    notes["stranger"] = Notification.objects.create(recipient=stranger, event="test.row", title="别人的通知")
    w.extras["notices"] = notes


def _notice_path(suffix: str, api: bool):
    def path(w: World, role: str, inside: bool) -> str:
        notes = w.extras["notices"]
        note = notes.get(role, notes["stranger"]) if inside else notes["stranger"]
        return f"/api/v1/notifications/{note.pk}{suffix}" if api else f"/notifications/{note.pk}{suffix}"

    return path


ROWS: list[Row] = [
    Row("notifications:inbox", "GET", fixed("/notifications/"), page(200)),
    Row("notifications:mark_all_read", "POST", fixed("/notifications/read-all/"), page(302)),
    Row(
        "notifications:mark_read",
        "POST",
        _notice_path("/read/", api=False),
        page(302),
        page(404),
        setup=_notices,
    ),
    Row("api:list_notifications", "GET", fixed("/api/v1/notifications"), api_route(200), json=True),
    Row(
        "api:read_all_notifications",
        "POST",
        fixed("/api/v1/notifications/read-all"),
        api_route(200),
        json=True,
    ),
    Row(
        "api:read_notification",
        "POST",
        _notice_path("/read", api=True),
        api_route(200),
        api_route(404),
        setup=_notices,
        json=True,
    ),
]
