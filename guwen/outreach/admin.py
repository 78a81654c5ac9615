"""The district edits its checklist and coverage rule here; activities, enterprises and checks are
written by the services (each change audited), so the admin only shows them."""

from django.contrib import admin

from guwen.outreach.models import (
    Activity,
    ChecklistArea,
    ChecklistItem,
    CoverageReminder,
    CoverageRule,
    Enterprise,
    HealthCheck,
    LegalAidCentre,
    LegalOpinion,
    Pairing,
    Referral,
)


@admin.register(CoverageRule)
class CoverageRuleAdmin(admin.ModelAdmin):
    """Versioned: add a row with a new effective date instead of editing one that already applied."""

    list_display = [
        "district",
        "effective_from",
        "lectures_per_quarter",
        "first_reminder_days",
        "second_reminder_days",
    ]
    list_filter = ["district"]
    raw_id_fields = ["district"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    fields = ["text", "order", "is_active"]


@admin.register(ChecklistArea)
class ChecklistAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "code", "order", "is_active"]
    list_filter = ["district", "is_active"]
    raw_id_fields = ["district"]
    inlines = [ChecklistItemInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["date", "community", "kind", "topic", "status", "audience_count"]
    list_filter = ["kind", "status"]
    search_fields = ["topic", "community__name"]


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ["name", "credit_code", "industry", "community"]
    search_fields = ["name", "credit_code"]


@admin.register(HealthCheck)
class HealthCheckAdmin(ReadOnlyAdmin):
    list_display = ["enterprise", "date", "community", "status", "follow_up_on"]
    list_filter = ["status"]


@admin.register(CoverageReminder)
class CoverageReminderAdmin(ReadOnlyAdmin):
    list_display = ["community", "quarter", "days_before", "held", "required", "sent_at"]


@admin.register(LegalOpinion)
class LegalOpinionAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "kind", "status", "requested_on", "due_on", "working_days_taken"]
    list_filter = ["kind", "status"]


@admin.register(Pairing)
class PairingAdmin(ReadOnlyAdmin):
    list_display = ["branch", "committee", "firm", "community", "starts_on", "ends_on"]


@admin.register(LegalAidCentre)
class LegalAidCentreAdmin(admin.ModelAdmin):
    """Where each district's legal-aid referrals go."""

    list_display = ["district", "name", "phone"]
    raw_id_fields = ["district"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["applicant", "category", "community", "centre", "status", "sent_on"]
    list_filter = ["status", "category"]
