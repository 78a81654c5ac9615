"""Reads of notices, channel configuration, subscriptions and due deliveries.

A user sees only their own notices: ``notifications_visible_to`` is the one definition, and every
page and API route fetches through it (anything else is a 404).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from guwen.notifications.models import (
    ChannelConfig,
    Delivery,
    DeliveryStatus,
    Notification,
    WebhookSubscription,
    event_matches,
)
from guwen.regions.models import Region


def notifications_visible_to(user) -> QuerySet[Notification]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notices, unread first, newest first within each group."""
    notes = notifications_visible_to(user)
    if unread_only:
        notes = notes.filter(read_at__isnull=True)
    return notes.annotate(
        unread=ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    ).order_by("-unread", "-created_at", "-id")


def unread_count(user) -> int:
    return notifications_visible_to(user).filter(read_at__isnull=True).count()


def _codes_up(region: Region) -> list[str]:
    """The region's own code and its ancestors', nearest first (from the materialised path)."""
    codes = [code for code in (region.path or "").split("/") if code]
    if region.code not in codes:
        codes.append(region.code)
    return list(reversed(codes))


def channel_config_for(region: Region | None) -> ChannelConfig | None:
    """The configuration of the nearest region up the tree that has one, or None (in-app only)."""
    if region is None:
        return None
    codes = _codes_up(region)
    configs = {
        c.region.code: c
        for c in ChannelConfig.objects.filter(region__code__in=codes).select_related("region")
    }
    for code in codes:
        if code in configs:
            return configs[code]
    return None


def subscriptions_for(*, event: str, region: Region | None) -> list[WebhookSubscription]:
    """Active subscriptions whose event list matches and whose region (if any) contains ``region``."""
    subs = WebhookSubscription.objects.filter(is_active=True).select_related("region")
    if region is None:
        subs = subs.filter(region__isnull=True)
    else:
        subs = subs.filter(Q(region__isnull=True) | Q(region__code__in=_codes_up(region)))
    return [sub for sub in subs if event_matches(sub.event_patterns, event)]


def deliveries_due(*, now: datetime, limit: int) -> list[int]:
    """Deliveries whose next attempt is due, or whose sending claim was abandoned, oldest first."""
    return list(
        Delivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
