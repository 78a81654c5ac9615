"""Records of the reports app: ledger exports run by the worker, with their progress and file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    EXPIRED = "expired", _("已过期")


class LedgerExport(models.Model):
    """One ledger (台账) asked for by a user: written by the worker, downloadable by that user until
    it expires (a sweep deletes the file)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("范围"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("台账"), max_length=20)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    file_name = models.CharField(_("文件"), max_length=200, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)

    class Meta:
        verbose_name = _("台账导出")
        verbose_name_plural = _("台账导出")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "created_at"], name="reports_export_user_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.region_id} {self.start}–{self.end}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")


class Delivery(models.TextChoices):
    NOTICE = "notice", _("站内通知")
    EMAIL = "email", _("电子邮件")


class ReportSubscription(models.Model):
    """A region's dashboard figures sent to a user after every month or quarter (the office picks
    them); ``last_period`` is the last period sent, so a sweep in several workers sends once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("范围"), on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(_("频率"), max_length=10, choices=Frequency.choices)
    delivery = models.CharField(_("方式"), max_length=10, choices=Delivery.choices, default=Delivery.NOTICE)
    last_period = models.CharField(_("最近发送期间"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("订阅时间"), default=timezone.now)

    class Meta:
        verbose_name = _("定期报表")
        verbose_name_plural = _("定期报表")
        ordering = ["region__code", "frequency"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "frequency"], name="reports_subscription_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.region_id} {self.frequency}"


class ConsultationMonth(models.Model):
    """A community's consultations asked in one calendar month, counted (a rollup refreshed by the
    worker: ``guwen/reports/rollups.py``). The dashboard reads it for the whole past months of a
    period and counts the rest live; ``RolledMonth`` says which months are counted."""

    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    total = models.PositiveIntegerField(_("咨询"), default=0)
    answered = models.PositiveIntegerField(_("已答复"), default=0)
    in_time = models.PositiveIntegerField(_("按时首次答复"), default=0)
    escalated = models.PositiveIntegerField(_("上移办理"), default=0)
    first_minutes = models.PositiveBigIntegerField(_("首次答复用时合计（分钟）"), default=0)
    first_count = models.PositiveIntegerField(_("有首次答复用时的咨询"), default=0)
    close_minutes = models.PositiveBigIntegerField(_("办结用时合计（分钟）"), default=0)
    close_count = models.PositiveIntegerField(_("有办结用时的咨询"), default=0)
    # value → count, for the charts: level, status, channel and category (the triage's suggestion
    # while the category is unconfirmed, as the live count).
    by_level = models.JSONField(_("按层级"), default=dict)
    by_status = models.JSONField(_("按状态"), default=dict)
    by_channel = models.JSONField(_("按渠道"), default=dict)
    by_category = models.JSONField(_("按类别"), default=dict)

    class Meta:
        verbose_name = _("咨询月度汇总")
        verbose_name_plural = _("咨询月度汇总")
        constraints = [
            models.UniqueConstraint(fields=["community", "month"], name="reports_consultation_month_unique")
        ]
        indexes = [models.Index(fields=["month", "community"], name="reports_consult_month_idx")]

    def __str__(self) -> str:
        return f"{self.community_id} {self.month:%Y-%m}"


class RolledMonth(models.Model):
    """A calendar month whose ``ConsultationMonth`` rows are counted (a month without any question
    has no rows, so the rows alone cannot say it)."""

    month = models.DateField(_("月份"), unique=True)
    refreshed_at = models.DateTimeField(_("汇总时间"))

    class Meta:
        verbose_name = _("已汇总月份")
        verbose_name_plural = _("已汇总月份")

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
