"""Evaluation (评价考核): satisfaction surveys of residents, quarterly evaluations of the advisor by
community staff, and the yearly appraisal of each advisor with the office's review and the
advisor's response. Resident ratings of single items and their complaints live with consultations
(the one rating link), which this module reads through its selectors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VersionedTable(models.Model):
    """A table the district versions per year (or, with no district, the city-wide default). The
    version in force for a year is the latest one of the latest year not after it."""

    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "district"},
        help_text=_("留空表示全市默认"),
    )
    year = models.PositiveSmallIntegerField(_("适用年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        abstract = True


class Questionnaire(VersionedTable):
    """The satisfaction survey: questions each answered on a 1–5 scale. ``questions`` is a list of
    ``{"key": ..., "text": ...}``."""

    title = models.CharField(_("问卷标题"), max_length=100)
    questions = models.JSONField(_("题目"))

    class Meta:
        verbose_name = _("满意度问卷")
        verbose_name_plural = _("满意度问卷")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year", "version"], name="questionnaire_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.year} 第{self.version}版）"


class SurveyResponse(models.Model):
    """One resident's filled questionnaire for a community and quarter. ``score`` is the mean
    answer on a 0–100 scale (1 star = 20)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    answers = models.JSONField(_("答案"))
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("意见建议"), max_length=500, blank=True)
    client_key = models.CharField(_("提交标识"), max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        verbose_name = _("满意度问卷答卷")
        verbose_name_plural = _("满意度问卷答卷")
        indexes = [models.Index(fields=["community", "year", "quarter"], name="survey_period_idx")]

    def __str__(self) -> str:
        return f"{self.community} {self.year}Q{self.quarter} {self.score}"


class EvaluationForm(VersionedTable):
    """The quarterly community evaluation form: weighted items scored 1–5. ``items`` is a list of
    ``{"key", "label", "weight"}`` whose weights add up to 100 (checked when a version is saved)."""

    items = models.JSONField(_("评价项目"))

    class Meta:
        verbose_name = _("社区评价表")
        verbose_name_plural = _("社区评价表")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "version"], name="evalform_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} 第{self.version}版"


class CommunityEvaluation(models.Model):
    """Community staff's evaluation of their advisor for one quarter (社区两委评价)."""

    form = models.ForeignKey(EvaluationForm, on_delete=models.PROTECT, related_name="evaluations")
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    lawyer = models.ForeignKey(
        "regions.Lawyer",
        verbose_name=_("顾问律师"),
        on_delete=models.PROTECT,
        related_name="community_evaluations",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    scores = models.JSONField(_("各项评分"))
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("意见建议"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    class Meta:
        verbose_name = _("社区季度评价")
        verbose_name_plural = _("社区季度评价")
        ordering = ["-year", "-quarter", "community__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "lawyer", "year", "quarter"], name="community_evaluation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.lawyer} {self.year}Q{self.quarter}"


class AppraisalScheme(VersionedTable):
    """The appraisal weights (indicator key → points, adding up to 100) and the grade thresholds
    (the lowest score of 优秀, 合格 and 基本合格)."""

    weights = models.JSONField(_("指标权重"))
    excellent_from = models.DecimalField(_("优秀线"), max_digits=5, decimal_places=2, default=90)
    qualified_from = models.DecimalField(_("合格线"), max_digits=5, decimal_places=2, default=75)
    basic_from = models.DecimalField(_("基本合格线"), max_digits=5, decimal_places=2, default=60)

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "version"], name="scheme_version_unique"),
            models.CheckConstraint(
                condition=Q(excellent_from__gt=models.F("qualified_from"))
                & Q(qualified_from__gt=models.F("basic_from")),
                name="scheme_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 第{self.version}版"


class AppraisalStatus(models.TextChoices):
    DRAFT = "draft", _("待审核")
    REVIEWED = "reviewed", _("已审核")


class Appraisal(models.Model):
    """An advisor's appraisal (考核) for a year. Until the office reviews it the figures are live;
    the review freezes the indicators, score and grade with the comment."""

    lawyer = models.ForeignKey(
        "regions.Lawyer", verbose_name=_("顾问律师"), on_delete=models.PROTECT, related_name="appraisals"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(
        _("状态"), max_length=10, choices=AppraisalStatus.choices, default=AppraisalStatus.DRAFT
    )
    scheme = models.ForeignKey(
        AppraisalScheme, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    indicators = models.JSONField(_("指标明细"), default=list, blank=True)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=10, blank=True)
    office_comment = models.CharField(_("司法所意见"), max_length=2000, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    advisor_response = models.CharField(_("律师反馈"), max_length=2000, blank=True)
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year", "lawyer__name"]
        constraints = [models.UniqueConstraint(fields=["lawyer", "year"], name="appraisal_once_a_year")]

    def __str__(self) -> str:
        return f"{self.lawyer} {self.year}"


class Adjustment(models.Model):
    """A manual deduction or addition by the office, always with a reason."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="adjustments")
    points = models.DecimalField(_("加减分"), max_digits=5, decimal_places=2)
    reason = models.CharField(_("理由"), max_length=300)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考核加减分")
        verbose_name_plural = _("考核加减分")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.points:+} {self.reason}"


class EvaluationReminder(models.Model):
    """A reminder sent to community staff that a quarter's evaluation of their advisor is missing:
    one row per community, advisor, quarter and stage, so a second run or worker sends nothing."""

    community = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    lawyer = models.ForeignKey("regions.Lawyer", on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(_("季度"), max_length=7)
    stage = models.CharField(_("提醒阶段"), max_length=10)
    sent_at = models.DateTimeField(_("提醒时间"), default=timezone.now)

    class Meta:
        verbose_name = _("社区评价提醒")
        verbose_name_plural = _("社区评价提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "lawyer", "quarter", "stage"], name="evaluation_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.lawyer} {self.quarter} {self.stage}"


class ComplaintOverdueNotice(models.Model):
    """The office was told that a complaint passed its deadline unresolved: one row per complaint,
    so a second run of the sweep, or a second worker, tells nobody again."""

    complaint = models.OneToOneField(
        "consultations.Complaint", verbose_name=_("差评投诉"), on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("提醒时间"), default=timezone.now)

    class Meta:
        verbose_name = _("投诉逾期提醒")
        verbose_name_plural = _("投诉逾期提醒")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.sent_at:%Y-%m-%d}"
