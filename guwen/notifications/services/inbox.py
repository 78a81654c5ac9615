"""Marking the user's own notices read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.errors import DomainError
from guwen.notifications import selectors
from guwen.notifications.models import Notification

# --- the inbox ------------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, by) -> Notification:
    """Mark one of the user's own notices read; marking a read notice again changes nothing."""
    if notification.recipient_id != getattr(by, "pk", None):
        raise DomainError(_("只能处理自己的通知"), field="notification")
    now = timezone.now()
    with transaction.atomic():
        changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        if changed:
            audit.record(actor=by, action="notification.read", obj=notification)
    notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by) -> int:
    """Mark every unread notice of the user read; returns how many changed."""
    with transaction.atomic():
        changed = (
            selectors.notifications_visible_to(by).filter(read_at__isnull=True).update(read_at=timezone.now())
        )
        if changed:
            audit.record(
                actor=by,
                action="notification.read_all",
                object_type="notifications.notification",
                context={"count": changed},
            )
    return changed
