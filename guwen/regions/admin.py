from django.contrib import admin

from guwen.regions.models import Assignment, LawFirm, Lawyer, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_village_converted", "is_active"]
    list_filter = ["level", "is_village_converted", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]
    raw_id_fields = ["parent"]


@admin.register(LawFirm)
class LawFirmAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "district", "is_demo"]
    search_fields = ["name", "credit_code"]


@admin.register(Lawyer)
class LawyerAdmin(admin.ModelAdmin):
    list_display = ["name", "licence_number", "firm", "is_active", "is_demo"]
    list_filter = ["firm", "is_active", "is_demo"]
    search_fields = ["name", "licence_number"]
    readonly_fields = ["id_number_masked"]
    exclude = ["id_number_encrypted", "id_number_hash"]
    raw_id_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    """History is kept: assignments are ended through the work pages, never edited or deleted here."""

    list_display = ["community", "lawyer", "role", "firm", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["community__name", "lawyer__name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
