"""Records every app shares: the audit trail and the work calendar's overrides."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Refuses bulk changes: the audit trail is append-only."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("AuditEvent is append-only: rows cannot be updated.")

    def delete(self) -> NoReturn:
        raise TypeError("AuditEvent is append-only: rows cannot be deleted.")


class AuditEvent(models.Model):
    """One state change or sensitive read: who did what to which record, old → new.

    Append-only: ``save()`` refuses to update an existing row and ``delete()``
    refuses outright. Write events through ``guwen.core.audit.record``.
    """

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept so the trail still names the actor after the account is deleted.
    actor_label = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    old = models.JSONField(_("变更前"), null=True, blank=True)
    new = models.JSONField(_("变更后"), null=True, blank=True)
    context = models.JSONField(_("上下文"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-at", "-id"]
        # Indexes declared here, not with db_index on the field: PostgreSQL then has no
        # pattern-matching twin of the action index, which no query uses and every event would write.
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="core_audit_object_idx"),
            models.Index(fields=["action"], name="core_audit_action_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("AuditEvent is append-only: an existing row cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("AuditEvent is append-only: rows cannot be deleted.")


class CalendarOverride(models.Model):
    """A day whose status the holiday library gets wrong or does not know yet.

    Administrators enter these as data: a holiday of a year the library does
    not cover, a local holiday, or an extra working day (调休上班).
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否工作日"), default=False, help_text=_("勾选表示当天上班（如调休上班），不勾选表示当天放假。")
    )
    name = models.CharField(_("名称"), max_length=60, help_text=_("例如：国庆节、调休上班、地方节日"))
    note = models.TextField(_("备注"), blank=True)

    class Meta:
        verbose_name = _("日历调整")
        verbose_name_plural = _("日历调整")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.date:%Y-%m-%d} {self.name}（{kind}）"


def _template_upload_to(instance: DocumentTemplate, filename: str) -> str:
    return f"document_templates/{instance.kind}/v{instance.version}.docx"


class DocumentTemplate(models.Model):
    """A replacement Word template for one kind of official document (see ``guwen.core.documents``).

    A replacement is either the default for every district (``district_code`` blank) or one
    district's own (its 12-digit statistical code: core keeps the code, not a link, as it knows no
    regions). At most one is active per kind and district; rendering for a district uses its own
    active one, else the default active one, else the template the app ships. Versions are never
    reused, so a generated document's version hash changes when the template does.
    """

    kind = models.CharField(_("文书种类"), max_length=80)
    district_code = models.CharField(
        _("适用区（统计用区划代码）"),
        max_length=12,
        blank=True,
        default="",
        help_text=_("为空则为各区通用的默认模板"),
    )
    version = models.PositiveIntegerField(_("版本"))
    file = models.FileField(_("模板文件"), upload_to=_template_upload_to, max_length=200)
    original_name = models.CharField(_("上传的文件名"), max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="core_doctemplate_kind_version"),
            models.UniqueConstraint(
                fields=["kind", "district_code"],
                condition=models.Q(active=True),
                name="core_doctemplate_one_active_per_district",
            ),
        ]

    def __str__(self) -> str:
        scope = f" [{self.district_code}]" if self.district_code else ""
        return f"{self.kind}{scope} v{self.version}{'' if self.active else '（停用）'}"
