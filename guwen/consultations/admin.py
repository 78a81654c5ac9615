"""Admin: the district's configuration tables (deadlines, urgency rules, group robots) are edited
here; consultations themselves are read-only (changes go through the work pages' services)."""

from __future__ import annotations

import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from guwen.consultations.models import (
    AdvisorAway,
    BlockedWord,
    Consultation,
    DeadlinePolicy,
    DeadlineRule,
    GroupChannel,
    UrgencyRule,
)
from guwen.consultations.rules import compile_rule
from guwen.core import formtools
from guwen.core.adminforms import WriteOnlySecrets


class DeadlineRuleInline(admin.TabularInline):
    model = DeadlineRule
    extra = 0


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "district", "effective_from", "note"]
    list_filter = ["district"]
    inlines = [DeadlineRuleInline]


class UrgencyRuleForm(formtools.ModelForm):
    class Meta:
        model = UrgencyRule
        fields = ["district", "label", "risk", "kind", "pattern", "exclude", "effective_from", "effective_to"]

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("pattern"):
            try:
                compile_rule(data["kind"], data["pattern"], data.get("exclude", ""))
            except re.error as exc:
                self.add_error("pattern", _("关键词或正则表达式无效：%(e)s") % {"e": exc})
        return data


@admin.register(UrgencyRule)
class UrgencyRuleAdmin(admin.ModelAdmin):
    form = UrgencyRuleForm
    list_display = ["label", "risk", "district", "kind", "effective_from", "effective_to"]
    list_filter = ["district", "risk", "kind"]


class GroupChannelForm(WriteOnlySecrets):
    secret_fields = ("secret",)


@admin.register(GroupChannel)
class GroupChannelAdmin(admin.ModelAdmin):
    form = GroupChannelForm
    list_display = ["community", "group_name", "is_active", "created_at"]
    list_filter = ["is_active"]
    raw_id_fields = ["community"]


@admin.register(AdvisorAway)
class AdvisorAwayAdmin(admin.ModelAdmin):
    list_display = ["lawyer", "starts_at", "ends_at", "reason"]
    raw_id_fields = ["lawyer", "created_by"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """Read-only: every change is a service with an audit event."""

    list_display = ["receipt_code", "community", "channel", "status", "level", "urgency", "created_at"]
    list_filter = ["status", "level", "urgency", "channel"]
    search_fields = ["receipt_code"]
    exclude = ["phone_encrypted", "phone_hash", "text"]
    readonly_fields = [
        f.name for f in Consultation._meta.fields if f.name not in ("phone_encrypted", "phone_hash", "text")
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BlockedWord)
class BlockedWordAdmin(admin.ModelAdmin):
    """The words that hide a rating's comment from public display (the comment itself is kept)."""

    list_display = ["word", "district"]
    list_filter = ["district"]
    raw_id_fields = ["district"]
