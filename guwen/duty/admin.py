from django.contrib import admin

from guwen.duty.models import (
    Booking,
    CoverageWarning,
    DutyChangeRequest,
    DutyRule,
    DutySettings,
    DutyShift,
    RotaSlot,
)


@admin.register(DutySettings)
class DutySettingsAdmin(admin.ModelAdmin):
    """Versioned: add a row with a new effective date instead of editing one that already applied."""

    list_display = [
        "district",
        "effective_from",
        "min_monthly_onsite_hours",
        "late_threshold_minutes",
        "check_tolerance_minutes",
        "adjusted_workday_mode",
    ]
    list_filter = ["district"]
    raw_id_fields = ["district"]


@admin.register(DutyRule)
class DutyRuleAdmin(admin.ModelAdmin):
    list_display = ["community", "lawyer", "weekdays", "start_time", "end_time", "valid_from", "valid_to"]
    search_fields = ["community__name", "lawyer__name"]
    raw_id_fields = ["community", "lawyer"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by services only (each change is audited); the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DutyShift)
class DutyShiftAdmin(ReadOnlyAdmin):
    list_display = ["date", "community", "lawyer", "status", "is_late", "is_short", "held_minutes"]
    list_filter = ["status", "is_late", "is_short"]
    search_fields = ["community__name", "lawyer__name"]
    date_hierarchy = "date"


@admin.register(DutyChangeRequest)
class DutyChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ["kind", "shift", "status", "requested_at", "decided_at"]
    list_filter = ["kind", "status"]


@admin.register(RotaSlot)
class RotaSlotAdmin(ReadOnlyAdmin):
    list_display = ["street", "lawyer", "starts_at", "ends_at"]


@admin.register(CoverageWarning)
class CoverageWarningAdmin(ReadOnlyAdmin):
    list_display = ["street", "on", "gap_count", "gap_minutes", "first_gap_at"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["receipt_code", "shift", "phone_masked", "status", "created_at"]
    list_filter = ["status"]
    exclude = ["phone_encrypted", "phone_hash"]
