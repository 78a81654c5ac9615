"""以案定补 (case-based subsidies): versioned rule sets, monthly settlements derived from verified
work of the other modules, their lines, fraud flags and the batches finance pays by.

Records and constraints only; computation lives in ``services/``, reads in ``selectors``.
A line points at its record by app label, model and primary key (plus a link): the subsidy module
reads the other modules through their selectors and never holds a foreign key into their tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RuleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ADOPTED = "adopted", _("已启用")


class BatchPeriod(models.TextChoices):
    MONTH = "month", _("按月")
    QUARTER = "quarter", _("按季度")


class Item(models.TextChoices):
    """What a rule set pays for: the four case grades and the five kinds of other work."""

    SIMPLE = "simple", _("简易案件")
    ORDINARY = "ordinary", _("普通案件")
    MAJOR = "major", _("重大案件")
    SPECIAL = "special", _("特别重大案件")
    LECTURE = "lecture", _("法治讲座")
    HEALTH_CHECK = "health_check", _("企业法治体检")
    OPINION = "opinion", _("法律意见")
    SHIFT = "shift", _("驻点值班")
    ONLINE_ANSWER = "online_answer", _("线上解答（期限内）")


GRADE_ITEMS = [Item.SIMPLE, Item.ORDINARY, Item.MAJOR, Item.SPECIAL]
ACTIVITY_ITEMS = [Item.LECTURE, Item.HEALTH_CHECK, Item.OPINION, Item.SHIFT, Item.ONLINE_ANSWER]


class RuleSet(models.Model):
    """One version of a district's subsidy rules (district empty: the default everywhere). Frozen
    once a settlement line used it: a change is a new version with a later effective date."""

    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=60)
    effective_from = models.DateField(_("生效日期"))
    status = models.CharField(_("状态"), max_length=10, choices=RuleStatus.choices, default=RuleStatus.DRAFT)
    oral_percent = models.DecimalField(_("口头协议按比例（%）"), max_digits=5, decimal_places=2, default=50)
    terminated_percent = models.DecimalField(
        _("调解不成（有终止告知书）按比例（%）"), max_digits=5, decimal_places=2, default=50
    )
    terminated_min_grade = models.CharField(
        _("调解不成可补贴的最低等级"),
        max_length=10,
        choices=[(i.value, i.label) for i in GRADE_ITEMS],
        default=Item.MAJOR,
    )
    primary_percent = models.DecimalField(
        _("主持调解员分成（%，留空为平均分配）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    cap_advisor_month = models.DecimalField(
        _("每人每月上限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cap_advisor_year = models.DecimalField(
        _("每人每年上限（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cap_community_month = models.DecimalField(
        _("每社区每月预算（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    require_complete_file = models.BooleanField(_("要求卷宗齐全"), default=True)
    require_callback = models.BooleanField(_("要求已回访"), default=True)
    require_performed = models.BooleanField(_("要求协议已履行"), default=False)
    sample_percent = models.DecimalField(_("抽查回访比例（%）"), max_digits=5, decimal_places=2, default=10)
    cases_per_shift = models.PositiveSmallIntegerField(_("每次值班可承办案件数（异常提示）"), default=4)
    batch_period = models.CharField(
        _("批次周期"), max_length=10, choices=BatchPeriod.choices, default=BatchPeriod.MONTH
    )
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    adopted_at = models.DateTimeField(_("启用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("补贴规则")
        verbose_name_plural = _("补贴规则")
        ordering = ["-effective_from", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["district", "version"], name="subsidy_ruleset_version"),
            models.UniqueConstraint(
                fields=["version"], condition=Q(district__isnull=True), name="subsidy_default_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class RuleAmount(models.Model):
    """The amount a rule set pays for one item, and whether it is an assumption still to confirm."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="amounts")
    item = models.CharField(_("项目"), max_length=20, choices=Item.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    is_assumption = models.BooleanField(_("待核实"), default=False)

    class Meta:
        verbose_name = _("补贴标准")
        verbose_name_plural = _("补贴标准")
        constraints = [models.UniqueConstraint(fields=["rule_set", "item"], name="subsidy_amount_item")]

    def __str__(self) -> str:
        return f"{self.get_item_display()} {self.amount}"


class Batch(models.Model):
    """The settlements of one street for one month or quarter, as finance pays them."""

    street = models.ForeignKey(
        "regions.Region", verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("周期"), max_length=10, choices=BatchPeriod.choices)
    starts_on = models.DateField(_("开始"))
    ends_on = models.DateField(_("结束"))

    class Meta:
        verbose_name = _("结算批次")
        verbose_name_plural = _("结算批次")
        ordering = ["-starts_on", "street_id"]
        constraints = [
            models.UniqueConstraint(fields=["street", "starts_on", "period"], name="subsidy_batch_unique")
        ]

    def __str__(self) -> str:
        return f"{self.street_id} {self.starts_on:%Y-%m}"


class SettlementStatus(models.TextChoices):
    DRAFT = "draft", _("待提交")
    SUBMITTED = "submitted", _("待社区确认")
    CONFIRMED = "confirmed", _("待司法所审核")
    REVIEWED = "reviewed", _("待区司法局审批")
    APPROVED = "approved", _("待发放")
    PAID = "paid", _("已发放")
    RETURNED = "returned", _("已退回")


class Settlement(models.Model):
    """An advisor's subsidy for one month in one district: lines derived from verified work, paid
    under the district's rules. A lawyer appointed in two districts has one settlement in each."""

    lawyer = models.ForeignKey(
        "regions.Lawyer", verbose_name=_("顾问律师"), on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField(_("月份"), help_text=_("当月第一天"))
    district = models.ForeignKey(
        "regions.Region", verbose_name=_("区"), on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="settlements"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=SettlementStatus.choices, default=SettlementStatus.DRAFT
    )
    total = models.DecimalField(_("合计（元）"), max_digits=12, decimal_places=2, default=0)
    # Bumped by every change, so two people acting on the same page cannot both succeed.
    revision = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    finance_reference = models.CharField(_("财务凭证号"), max_length=60, blank=True)
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("补贴结算单")
        verbose_name_plural = _("补贴结算单")
        ordering = ["-month", "lawyer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lawyer", "month", "district"], name="subsidy_settlement_month_district"
            )
        ]
        indexes = [models.Index(fields=["district", "month"], name="subsidy_settlement_dm")]

    def __str__(self) -> str:
        return f"{self.lawyer_id} {self.month:%Y-%m}"


class LineKind(models.TextChoices):
    CASE = "case", _("调解案件")
    LECTURE = "lecture", _("法治讲座")
    HEALTH_CHECK = "health_check", _("企业法治体检")
    OPINION = "opinion", _("法律意见")
    SHIFT = "shift", _("驻点值班")
    ONLINE_ANSWER = "online_answer", _("线上解答")
    CAP = "cap", _("封顶扣减")
    ADJUSTMENT = "adjustment", _("调整")


class SettlementLine(models.Model):
    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="lines")
    lawyer = models.ForeignKey("regions.Lawyer", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("类型"), max_length=16, choices=LineKind.choices)
    record_type = models.CharField(_("记录类型"), max_length=60, blank=True)  # "mediation.mediationcase"
    record_pk = models.PositiveBigIntegerField(_("记录编号"), null=True, blank=True)
    record_label = models.CharField(_("记录"), max_length=120, blank=True)
    record_url = models.CharField(_("记录链接"), max_length=200, blank=True)
    community = models.ForeignKey(
        "regions.Region",
        verbose_name=_("社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    rule_set = models.ForeignKey(
        RuleSet,
        verbose_name=_("规则版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
    )
    grade = models.CharField(_("等级"), max_length=10, blank=True)
    outcome = models.CharField(_("结果"), max_length=12, blank=True)
    base_amount = models.DecimalField(_("标准（元）"), max_digits=12, decimal_places=2, default=0)
    share = models.DecimalField(_("分成"), max_digits=7, decimal_places=4, default=1)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("结算明细")
        verbose_name_plural = _("结算明细")
        ordering = ["settlement_id", "position", "id"]
        constraints = [
            # One subsidy per record and advisor, whatever the period or rule version.
            models.UniqueConstraint(
                fields=["lawyer", "record_type", "record_pk"],
                condition=Q(record_pk__isnull=False) & ~Q(kind__in=["cap", "adjustment"]),
                name="subsidy_record_paid_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def grade_label(self) -> str:
        return str(Item(self.grade).label).removesuffix("案件") if self.grade in GRADE_ITEMS else ""


class FlagKind(models.TextChoices):
    SAME_PERSON = "same_person", _("同一当事人90天内重复案件")
    QUICK_HIGH_GRADE = "quick_high_grade", _("高等级案件一日内结案")
    SAME_PHOTO = "same_photo", _("不同活动照片相同")
    CASES_OVER_SHIFTS = "cases_over_shifts", _("案件数超出值班承载")
    CALLBACK_SAMPLE = "callback_sample", _("抽查回访")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待核查")
    CLEARED = "cleared", _("已核实无误")
    REJECTED = "rejected", _("已核减")


class CallbackResult(models.TextChoices):
    PENDING = "", _("待回访")
    CONFIRMED = "confirmed", _("回访属实")
    FAILED = "failed", _("回访不属实")
    UNREACHABLE = "unreachable", _("无法联系")


class Flag(models.Model):
    """A fraud check's finding on a settlement: never dropped, cleared or rejected with a reason."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="flags")
    # DO_NOTHING: the settlement services null the flags' line before deleting lines (one UPDATE),
    # so recomputing a month deletes its old lines with one DELETE instead of Django loading every
    # line to null the flags one chunk at a time. Deleting a settlement deletes both.
    line = models.ForeignKey(
        SettlementLine, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="flags"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=FlagKind.choices)
    key = models.CharField(max_length=120)  # which record(s) it is about, so recomputing finds it again
    record_label = models.CharField(_("记录"), max_length=120, blank=True)
    record_url = models.CharField(_("记录链接"), max_length=200, blank=True)
    evidence = models.TextField(_("依据"))
    status = models.CharField(_("状态"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    callback_result = models.CharField(
        _("回访结果"), max_length=12, choices=CallbackResult.choices, blank=True, default=""
    )
    reason = models.CharField(_("处理理由"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("异常提示")
        verbose_name_plural = _("异常提示")
        ordering = ["status", "settlement_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "kind", "key"], name="subsidy_flag_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"

    @property
    def holds(self) -> bool:
        """An open flag holds the settlement; a failed or unreachable callback most of all."""
        return self.status == FlagStatus.OPEN


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class SettlementRun(models.Model):
    """A district month computed in the worker; the page shows its progress."""

    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    advisors_total = models.PositiveIntegerField(default=0)
    advisors_done = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("结算计算任务")
        verbose_name_plural = _("结算计算任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.district_id} {self.month:%Y-%m}"


class FeeKind(models.TextChoices):
    RETAINER = "retainer", _("顾问费")
    SERVICE = "service", _("专项服务费")
    OTHER = "other", _("其他费用")


class FeeIncome(models.Model):
    """What an advisor is paid besides the subsidy: the street's or community's retainer (顾问费) paid
    to the firm for a period under the advisor contract, and other fees. Entered by the judicial
    office or the district bureau; the workload view sets it beside the work done."""

    lawyer = models.ForeignKey(
        "regions.Lawyer",
        verbose_name=_("顾问律师"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    firm = models.ForeignKey(
        "regions.LawFirm",
        verbose_name=_("律所"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=FeeKind.choices, default=FeeKind.RETAINER)
    period_start = models.DateField(_("所属期间起"))
    period_end = models.DateField(_("所属期间止"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    reference = models.CharField(_("合同或凭证号"), max_length=60, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("顾问费收入")
        verbose_name_plural = _("顾问费收入")
        ordering = ["-period_start", "community_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lawyer__isnull=False, firm__isnull=True)
                | Q(lawyer__isnull=True, firm__isnull=False),
                name="subsidy_fee_lawyer_or_firm",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="subsidy_fee_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="subsidy_fee_period"
            ),
        ]
        indexes = [models.Index(fields=["community", "period_start"], name="subsidy_fee_community")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


class PhotoPrint(models.Model):
    """The perceptual hash (dHash, 64 bits) of one lecture photo of the outreach module, kept so a
    month's photos are compared with the last twelve months' city-wide through an index instead of
    reading every file again. Two photos within 3 bits agree on at least one of the four 16-bit
    bands, so the indexed bands find every candidate; the distance is then checked exactly.
    ``value`` is empty for a file that could not be read (so it is not read again)."""

    photo_pk = models.PositiveBigIntegerField(unique=True)
    activity_pk = models.PositiveBigIntegerField(db_index=True)
    community = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    taken_on = models.DateField(db_index=True)  # the lecture's date
    value = models.CharField(max_length=16, blank=True)
    band0 = models.CharField(max_length=4, blank=True, db_index=True)
    band1 = models.CharField(max_length=4, blank=True, db_index=True)
    band2 = models.CharField(max_length=4, blank=True, db_index=True)
    band3 = models.CharField(max_length=4, blank=True, db_index=True)

    class Meta:
        verbose_name = _("照片指纹")
        verbose_name_plural = _("照片指纹")

    def __str__(self) -> str:
        return f"{self.photo_pk} {self.value}"
