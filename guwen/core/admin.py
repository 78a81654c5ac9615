from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from guwen.core import documents
from guwen.core.adminforms import DocumentTemplateUploadForm
from guwen.core.models import AuditEvent, CalendarOverride, DocumentTemplate


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is append-only, written by services."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "ip")
    list_filter = ("action",)
    search_fields = ("object_id", "actor_label")
    date_hierarchy = "at"
    list_select_related = False
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "name", "note")
    list_filter = ("is_workday",)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    ordering = ("-date",)


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """Replacement Word templates: uploaded through the check, switched on or off through the
    services (each with an audit event); the file and version are never edited in place."""

    list_display = (
        "kind",
        "title",
        "district_code",
        "version",
        "active",
        "original_name",
        "uploaded_by",
        "uploaded_at",
        "note",
    )
    list_filter = ("active", "kind", "district_code")
    search_fields = ("kind", "original_name", "note")
    ordering = ("kind", "-version")

    @admin.display(description=_("文书名称"))
    def title(self, obj: DocumentTemplate) -> str:
        try:
            return str(documents.get_kind(obj.kind).title)
        except documents.DomainError:
            return "—"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        if obj is None:
            kwargs["form"] = DocumentTemplateUploadForm
            kwargs["fields"] = ["kind", "district_code", "upload", "note"]
        else:
            kwargs["fields"] = ["active"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        if obj is None:
            return ()
        return (
            "kind",
            "district_code",
            "version",
            "original_name",
            "sha256",
            "note",
            "uploaded_by",
            "uploaded_at",
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            saved = documents.document_template_set_active(
                template=obj, active=form.cleaned_data["active"], by=request.user, request=request
            )
        else:
            upload = form.cleaned_data["upload"]
            saved = documents.document_template_upload(
                kind=form.cleaned_data["kind"],
                data=form.cleaned_data["data"],
                filename=upload.name,
                note=form.cleaned_data.get("note", ""),
                district_code=form.cleaned_data.get("district_code", ""),
                by=request.user,
                request=request,
            )
        obj.pk = saved.pk
        obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a version once used stays on record; switch it off instead
