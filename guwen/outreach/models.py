"""Community outreach: lectures and publicity with a quarterly coverage rule, and enterprise legal
health checks (法治体检) with a district-edited checklist, findings and a report.

Activity         a lecture, publicity, party-building event or mediator training in a community
ActivityPhoto    a photo of an activity (re-encoded on upload, no metadata kept)
CoverageRule     a district's quarterly target (default: ≥ 1 lecture per community per quarter)
CoverageReminder one row per community, quarter and threshold (30 or 7 days before quarter end):
                 the sweep's compare-and-set, so a reminder goes out once
Enterprise       a firm the advisors visit, with its 统一社会信用代码
HealthCheck      one visit: check → report → fixing → follow-up → closed
ChecklistArea    an area of the checklist (data the district edits)
ChecklistItem    one item to look at within an area
Finding          an issue found, its legal basis, risk level and recommendation
LegalOpinion     a community's request for a written opinion or contract review, and its answer
Pairing          结对共建: a law firm's party branch and a community's party committee, for a period
LegalAidCentre   the legal-aid centre that receives a district's referrals (configured in the admin)
Referral         a referral to legal aid, from a consultation or on its own: sent → accepted/refused → closed
WorkLogEntry     a free entry in the advisor's work log (工作日志) for work no module records
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guwen.core.validators import validate_credit_code
from guwen.regions.models import LawFirm, Lawyer, Level, Region


class ActivityKind(models.TextChoices):
    LECTURE = "lecture", _("法治讲座")
    PUBLICITY = "publicity", _("普法宣传")
    PARTY_BUILDING = "party_building", _("党建共建活动")
    MEDIATOR_TRAINING = "mediator_training", _("人民调解员培训")


class Channel(models.TextChoices):
    BANNER = "banner", _("横幅展板")
    GROUP_PUSH = "group_push", _("微信群推送")
    CHECKPOINT_TALK = "checkpoint_talk", _("卡口宣讲")
    PARTY_PAVILION = "party_pavilion", _("党员谈心亭")
    HALL_LECTURE = "hall_lecture", _("大厅讲座")
    ONLINE = "online", _("线上")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    HELD = "held", _("已开展")
    CONFIRMED = "confirmed", _("社区已确认")
    CANCELLED = "cancelled", _("已取消")


class Pairing(models.Model):
    """结对共建: a law firm's party branch paired with a community's party committee for a period,
    with goals and contacts; joint activities are Activities that name it."""

    firm = models.ForeignKey(
        LawFirm, verbose_name=_("律师事务所"), on_delete=models.PROTECT, related_name="+"
    )
    branch = models.CharField(_("律所党支部"), max_length=100)
    community = models.ForeignKey(
        Region,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Level.COMMUNITY},
    )
    committee = models.CharField(_("社区党委（党支部）"), max_length=100)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    goals = models.TextField(_("共建目标"))
    contacts = models.CharField(_("联络人"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("结对共建")
        verbose_name_plural = _("结对共建")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="outreach_pairing_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.branch} · {self.committee}"


class Activity(models.Model):
    community = models.ForeignKey(
        Region,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Level.COMMUNITY},
    )
    kind = models.CharField(_("活动类型"), max_length=20, choices=ActivityKind.choices)
    channel = models.CharField(_("宣传形式"), max_length=20, choices=Channel.choices, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    date = models.DateField(_("活动日期"))
    topic = models.CharField(_("主题"), max_length=120)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    advisors = models.ManyToManyField(Lawyer, verbose_name=_("顾问律师"), related_name="+")
    audience_count = models.PositiveIntegerField(_("参与人数"), null=True, blank=True)
    summary = models.TextField(_("活动情况"), blank=True)
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("结对共建"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    materials = models.FileField(_("宣传材料"), upload_to="outreach/materials/%Y/%m/", blank=True)
    sign_in_sheet = models.FileField(_("签到表扫描件"), upload_to="outreach/signin/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    held_at = models.DateTimeField(_("登记开展时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("普法活动")
        verbose_name_plural = _("普法活动")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["community", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="publicity") | ~Q(channel=""), name="outreach_publicity_has_channel"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "cancelled"]) | Q(audience_count__isnull=False),
                name="outreach_held_has_audience",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}：{self.topic}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    photo = models.FileField(_("照片"), upload_to="outreach/photos/%Y/%m/")
    photo_type = models.CharField(_("照片类型"), max_length=10)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.activity_id}#{self.pk}"


class CoverageRule(models.Model):
    """A district's coverage target from a date on; a row without a district is the default."""

    district = models.ForeignKey(
        Region,
        verbose_name=_("区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Level.DISTRICT},
        help_text=_("留空表示全局默认值"),
    )
    effective_from = models.DateField(_("生效日期"))
    lectures_per_quarter = models.PositiveSmallIntegerField(_("每社区每季度法治讲座（场）"), default=1)
    first_reminder_days = models.PositiveSmallIntegerField(_("第一次提醒（季度末前天数）"), default=30)
    second_reminder_days = models.PositiveSmallIntegerField(_("第二次提醒（季度末前天数）"), default=7)

    class Meta:
        verbose_name = _("普法覆盖规则")
        verbose_name_plural = _("普法覆盖规则")
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["district", "effective_from"], name="outreach_rule_unique_from"),
            models.CheckConstraint(
                condition=Q(lectures_per_quarter__gte=1), name="outreach_rule_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district or _('默认')} {self.effective_from}"


class CoverageReminder(models.Model):
    community = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(_("季度"), max_length=6)  # "2026Q4"
    days_before = models.PositiveSmallIntegerField(_("季度末前天数"))
    held = models.PositiveSmallIntegerField(_("已开展"))
    required = models.PositiveSmallIntegerField(_("应开展"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("普法覆盖提醒")
        verbose_name_plural = _("普法覆盖提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "quarter", "days_before"], name="outreach_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.quarter} -{self.days_before}"


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=120)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    industry = models.CharField(_("所属行业"), max_length=60, blank=True)
    staff_count = models.PositiveIntegerField(_("员工人数"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    community = models.ForeignKey(
        Region,
        verbose_name=_("所在社区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Level.COMMUNITY},
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CheckStatus(models.TextChoices):
    CHECKING = "checking", _("体检中")
    REPORTED = "reported", _("已出具报告")
    FIXING = "fixing", _("整改中")
    FOLLOW_UP = "follow_up", _("待回访")
    CLOSED = "closed", _("已办结")


class HealthCheck(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="checks"
    )
    community = models.ForeignKey(Region, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("体检日期"))
    advisors = models.ManyToManyField(Lawyer, verbose_name=_("体检律师"), related_name="+")
    scope = models.TextField(_("体检范围"))
    method = models.TextField(_("体检方式"), help_text=_("如：自查问卷、座谈访谈、查阅资料"))
    status = models.CharField(
        _("状态"), max_length=12, choices=CheckStatus.choices, default=CheckStatus.CHECKING
    )
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    follow_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    follow_up_result = models.TextField(_("回访结果"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("企业法治体检")
        verbose_name_plural = _("企业法治体检")
        ordering = ["-date", "-pk"]
        # Dashboards and ledgers read a region's checks over a period.
        indexes = [models.Index(fields=["community", "date"], name="outreach_check_community_date")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.date:%Y-%m-%d}"


class ChecklistArea(models.Model):
    """An area of the checklist; a row without a district is the default set."""

    district = models.ForeignKey(
        Region,
        verbose_name=_("区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Level.DISTRICT},
    )
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("领域"), max_length=40)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("体检领域")
        verbose_name_plural = _("体检领域")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["district", "code"], name="outreach_area_unique_code")]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    area = models.ForeignKey(
        ChecklistArea, verbose_name=_("领域"), on_delete=models.CASCADE, related_name="items"
    )
    text = models.CharField(_("检查事项"), max_length=200)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("体检事项")
        verbose_name_plural = _("体检事项")
        ordering = ["area__order", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高（红）")
    MEDIUM = "medium", _("中（橙）")
    LOW = "low", _("低（黄）")


class Finding(models.Model):
    health_check = models.ForeignKey(
        HealthCheck, verbose_name=_("体检"), on_delete=models.CASCADE, related_name="findings"
    )
    area = models.ForeignKey(
        ChecklistArea, verbose_name=_("领域"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("检查事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issue = models.TextField(_("存在问题"))
    legal_basis = models.CharField(_("法律依据"), max_length=200, blank=True)
    article = models.ForeignKey(
        "knowledge.Article",
        verbose_name=_("法条"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    risk_level = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices)
    recommendation = models.TextField(_("整改建议"))
    owner = models.CharField(_("整改责任人"), max_length=40, blank=True)
    deadline = models.DateField(_("整改期限"), null=True, blank=True)
    is_fixed = models.BooleanField(_("已整改"), default=False)
    fixed_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("体检发现")
        verbose_name_plural = _("体检发现")
        ordering = ["area__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(risk_level__in=["high", "medium", "low"]), name="outreach_finding_risk_level"
            )
        ]

    def __str__(self) -> str:
        return self.issue[:40]


class OpinionKind(models.TextChoices):
    CONTRACT_REVIEW = "contract_review", _("合同审查")
    DECISION = "decision", _("重大决策法律意见")
    PROJECT = "project", _("项目法律意见")
    RULES = "rules", _("居规民约审查")
    OTHER = "other", _("其他法律意见")


class OpinionStatus(models.TextChoices):
    REQUESTED = "requested", _("待出具")
    DELIVERED = "delivered", _("已出具")
    WITHDRAWN = "withdrawn", _("已撤回")


class LegalOpinion(models.Model):
    """Requested by community staff with a due date (default: 5 working days on the work calendar),
    delivered by the advisor; the working days taken are frozen when it is delivered."""

    community = models.ForeignKey(Region, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=OpinionKind.choices)
    title = models.CharField(_("事项"), max_length=120)
    question = models.TextField(_("需求说明"))
    related_to = models.CharField(
        _("服务的决定或合同"), max_length=200, blank=True, help_text=_("如：民生大盘菜项目采购合同")
    )
    attachment = models.FileField(_("相关材料"), upload_to="outreach/opinions/%Y/%m/", blank=True)
    advisor = models.ForeignKey(
        Lawyer, verbose_name=_("顾问律师"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_on = models.DateField(_("提出日期"))
    due_on = models.DateField(_("答复期限"))
    opinion = models.TextField(_("法律意见"), blank=True)
    opinion_file = models.FileField(_("意见书"), upload_to="outreach/opinions/%Y/%m/", blank=True)
    delivered_on = models.DateField(_("出具日期"), null=True, blank=True)
    working_days_taken = models.PositiveSmallIntegerField(_("用时（工作日）"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("法律意见")
        verbose_name_plural = _("法律意见")
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("requested_on")), name="outreach_opinion_due_after"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == OpinionStatus.REQUESTED and self.due_on < timezone.localdate()


class LegalAidCentre(models.Model):
    district = models.OneToOneField(
        Region,
        verbose_name=_("区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Level.DISTRICT},
    )
    name = models.CharField(_("法律援助中心"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("法律援助中心")
        verbose_name_plural = _("法律援助中心")

    def __str__(self) -> str:
        return self.name


class AidCategory(models.TextChoices):
    WAGES = "wages", _("请求支付劳动报酬")
    INJURY = "injury", _("工伤、人身损害赔偿")
    FAMILY = "family", _("婚姻家庭、赡养抚养")
    TRAFFIC = "traffic", _("交通事故")
    MEDICAL = "medical", _("医疗损害")
    SOCIAL = "social", _("社会保险、最低生活保障")
    OTHER = "other", _("其他")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("已转介")
    ACCEPTED = "accepted", _("已受理")
    REFUSED = "refused", _("不予受理")
    CLOSED = "closed", _("已结案")


class Referral(models.Model):
    community = models.ForeignKey(Region, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("来源咨询"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The mediation case it came from: a reference by name, no import (mediation shares outreach's
    # layer); chosen and shown through guwen.core.links, each side through its own scope.
    mediation_case = models.ForeignKey(
        "mediation.MediationCase",
        verbose_name=_("来源调解案件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    centre = models.ForeignKey(LegalAidCentre, verbose_name=_("法律援助中心"), on_delete=models.PROTECT)
    applicant = models.CharField(_("申请人"), max_length=40)
    category = models.CharField(_("援助事项"), max_length=12, choices=AidCategory.choices)
    hardship = models.BooleanField(_("经济困难"), default=False)
    situation = models.TextField(_("申请人情况"))
    attachment = models.FileField(_("材料"), upload_to="outreach/referrals/%Y/%m/", blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_on = models.DateField(_("转介日期"))
    decided_on = models.DateField(_("受理决定日期"), null=True, blank=True)
    note = models.TextField(_("处理情况"), blank=True)
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("法律援助转介")
        verbose_name_plural = _("法律援助转介")
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.get_category_display()}"


class WorkLogEntry(models.Model):
    """Anything the advisor did that no module records; everything else appears in the log by itself."""

    lawyer = models.ForeignKey(Lawyer, verbose_name=_("律师"), on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey(Region, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    person = models.CharField(_("服务对象"), max_length=100)
    content = models.TextField(_("服务内容"))
    result = models.TextField(_("结果"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("工作日志（自由记录）")
        verbose_name_plural = _("工作日志（自由记录）")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.lawyer} {self.at:%Y-%m-%d}"
