"""The reference data a district edits: the dispute taxonomy and its mapping to the Ministry's
statistics categories, the 卷宗 items and the grade rules. Cases and leads change through the
services only (each change audited), never here."""

from django.contrib import admin

from guwen.mediation.models import (
    Committee,
    DisputeType,
    FileItemKind,
    GradeRule,
    MinistryCategory,
    TypeMapping,
)


@admin.register(MinistryCategory)
class MinistryCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "sort"]


class MappingInline(admin.TabularInline):
    model = TypeMapping


@admin.register(DisputeType)
class DisputeTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_wage", "is_active", "sort"]
    inlines = [MappingInline]


@admin.register(FileItemKind)
class FileItemKindAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "required"]


@admin.register(GradeRule)
class GradeRuleAdmin(admin.ModelAdmin):
    list_display = [
        "grade",
        "district",
        "min_amount",
        "min_parties",
        "dispute_type",
        "source",
        "note",
        "is_active",
    ]
    list_filter = ["grade", "is_active"]
    raw_id_fields = ["district"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    """Address and phone printed on the committee's documents (also kept on the case page's link
    调委会信息 by community staff and the office, which audits the change)."""

    list_display = ["community", "address", "phone", "updated_at"]
    raw_id_fields = ["community"]
    search_fields = ["community__name", "address"]
