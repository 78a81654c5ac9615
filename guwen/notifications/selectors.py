"""Reads of notices, channel configuration, subscriptions and due deliveries.

A user sees only their own notices: ``notifications_visible_to`` is the one definition, and every
page and API route fetches through it (anything else is a 404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from guwen.core.cache import bump, cached
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


def region_codes_up(region: Region) -> list[str]:
    """The region's own code and its ancestors', nearest first (from the materialised path)."""
    codes = [code for code in (region.path or "").split("/") if code]
    if region.code not in codes:
        codes.append(region.code)
    return list(reversed(codes))


@dataclass(frozen=True)
class Routing:
    """Every channel configuration (by region code) and every active subscription, read together."""

    configs: dict[str, ChannelConfig]
    subscriptions: list[WebhookSubscription]

    @property
    def empty(self) -> bool:
        return not self.configs and not self.subscriptions


ROUTING = "notifications.routing"  # the cache namespace of the configuration tables


@receiver(post_save, sender=ChannelConfig, dispatch_uid="notify_channel_config_saved")
@receiver(post_delete, sender=ChannelConfig, dispatch_uid="notify_channel_config_deleted")
@receiver(post_save, sender=WebhookSubscription, dispatch_uid="notify_subscription_saved")
@receiver(post_delete, sender=WebhookSubscription, dispatch_uid="notify_subscription_deleted")
def _routing_changed(**kwargs: object) -> None:
    bump(ROUTING)


def _load_routing() -> Routing:
    # The signing secrets are deferred: the table lives in the shared cache (Redis in production),
    # which must never hold them in clear. A sender that needs one reads it from the database.
    return Routing(
        configs={
            c.region.code: c for c in ChannelConfig.objects.select_related("region").defer("robot_secret")
        },
        subscriptions=list(
            WebhookSubscription.objects.filter(is_active=True).select_related("region").defer("secret")
        ),
    )


def routing() -> Routing:
    """The configuration tables, kept in the shared cache: they change a few times a year and are
    read on every notice. Saving or deleting a row makes every process read them again."""
    return cached(ROUTING, "all", _load_routing)


def channel_config_for(region: Region | None, table: Routing | None = None) -> ChannelConfig | None:
    """The configuration of the nearest region up the tree that has one, or None (in-app only)."""
    table = table or routing()
    if region is None or not table.configs:
        return None
    for code in region_codes_up(region):
        if code in table.configs:
            return table.configs[code]
    return None


def subscriptions_for(
    *, event: str, region: Region | None, table: Routing | None = None
) -> list[WebhookSubscription]:
    """Active subscriptions whose event list matches and whose region (if any) contains ``region``."""
    table = table or routing()
    codes = set(region_codes_up(region)) if region is not None else set()
    return [
        sub
        for sub in table.subscriptions
        if (sub.region is None or sub.region.code in codes) and event_matches(sub.event_patterns, event)
    ]


def deliveries_due(*, now: datetime, limit: int) -> list[int]:
    """Deliveries whose next attempt is due, or whose sending claim was abandoned, oldest first."""
    return list(
        Delivery.objects.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING], next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
