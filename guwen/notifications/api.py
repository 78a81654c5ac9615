"""JSON API routes of notifications (mounted under /api/v1/ by guwen/api.py): the user's own inbox."""

from __future__ import annotations

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from guwen.core.apischema import refusals
from guwen.notifications import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    event: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None
    unread: bool

    @staticmethod
    def resolve_unread(obj) -> bool:
        return obj.read_at is None


class ReadAllOut(Schema):
    updated: int
    unread: int


@router.get("/notifications", response={200: list[NotificationOut], **refusals(401, 422)})
@paginate
def list_notifications(request, unread: bool = False):
    """The caller's notices, unread first, newest first; ``unread=true`` lists unread ones only."""
    return selectors.inbox(request.user, unread_only=unread)


@router.post("/notifications/read-all", response={200: ReadAllOut, **refusals(401, 403)})
def read_all_notifications(request):
    updated = services.notifications_mark_all_read(by=request.user)
    return {"updated": updated, "unread": selectors.unread_count(request.user)}


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **refusals(401, 403, 404, 422)},
)
def read_notification(request, notification_id: int):
    note = get_object_or_404(selectors.notifications_visible_to(request.user), pk=notification_id)
    return services.notification_mark_read(notification=note, by=request.user)
