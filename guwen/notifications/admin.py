"""Channel configuration and event-webhook subscriptions are data edited here; notices and the
delivery log are read-only (deliveries can be given another round of attempts)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from guwen.core.adminforms import WriteOnlySecrets
from guwen.core.errors import DomainError
from guwen.notifications import services
from guwen.notifications.models import (
    ChannelConfig,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Notification,
    WebhookSubscription,
)


class ChannelConfigForm(WriteOnlySecrets):
    secret_fields = ("robot_secret",)


class WebhookSubscriptionForm(WriteOnlySecrets):
    secret_fields = ("secret",)


@admin.register(ChannelConfig)
class ChannelConfigAdmin(admin.ModelAdmin):
    form = ChannelConfigForm
    list_display = ["region", "email_enabled", "robot_enabled", "sms_enabled", "updated_at"]
    list_filter = ["email_enabled", "robot_enabled", "sms_enabled"]
    search_fields = ["region__name", "region__code"]
    raw_id_fields = ["region"]
    fieldsets = [
        (None, {"fields": ["region", "events"]}),
        (_("邮件"), {"fields": ["email_enabled", "email_users", "email_recipients"]}),
        (_("群机器人"), {"fields": ["robot_enabled", "robot_style", "robot_url", "robot_secret"]}),
        (_("短信"), {"fields": ["sms_enabled"]}),
    ]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ["name", "events", "region", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    raw_id_fields = ["region"]


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "started_at", "duration_ms", "ok", "status_code", "error"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The outbound log. Targets are masked; addresses and secrets are stored encrypted and never shown."""

    list_display = ["created_at", "channel", "event", "target", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "channel"]
    search_fields = ["event"]
    date_hierarchy = "created_at"
    exclude = ["address_encrypted", "secret_encrypted"]
    readonly_fields = [
        "channel",
        "event",
        "target",
        "options",
        "payload",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "subscription",
    ]
    inlines = [DeliveryAttemptInline]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("重新发送所选的失败记录"))
    def retry(self, request, queryset):
        done = 0
        for delivery in queryset.filter(status=DeliveryStatus.FAILED):
            try:
                services.delivery_retry(delivery=delivery, by=request.user)
            except DomainError:
                continue
            done += 1
        self.message_user(request, _("已安排重新发送 %(n)d 条") % {"n": done}, messages.SUCCESS)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "event", "title", "read_at"]
    list_filter = ["event"]
    search_fields = ["title", "recipient__username"]
    date_hierarchy = "created_at"
    raw_id_fields = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
