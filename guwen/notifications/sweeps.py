"""Resend what a lost task left behind: deliveries whose next attempt is due (or whose sending claim
was abandoned). Every worker runs this; each attempt is claimed by compare-and-set."""

from __future__ import annotations

from django.conf import settings

from guwen.core import sweeps
from guwen.notifications import services


@sweeps.register("notifications.resend_due", every_seconds=settings.GUWEN_NOTIFY_SWEEP_SECONDS)
def resend_due() -> int:
    return services.deliveries_send_due(limit=settings.GUWEN_NOTIFY_SWEEP_BATCH)
