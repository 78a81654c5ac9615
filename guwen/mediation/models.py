"""People's mediation (人民调解): dispute screening (矛盾纠纷排查) and the case from intake to filing.

Records and their constraints only; behaviour lives in ``services/`` and reads in ``selectors``.
Reference data (the dispute taxonomy and its mapping to the Ministry of Justice statistics
categories, the 13 卷宗 items, the grade rules) are rows seeded by a data migration, not enums, so
a district can change them without a release.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONFIRMATION_WINDOW_DAYS = 30  # 人民调解法 Art. 33: apply jointly within 30 days of the agreement


# --- reference data --------------------------------------------------------------------------


class MinistryCategory(models.Model):
    """A category of the Ministry of Justice's mediation statistics report (统计报表)."""

    code = models.CharField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("司法部统计类别")
        verbose_name_plural = _("司法部统计类别")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class DisputeType(models.Model):
    """The local dispute taxonomy (纠纷类型) that leads and cases use."""

    code = models.CharField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    # A wage dispute (拖欠工资) has its own group-dispute threshold for the early warning.
    is_wage = models.BooleanField(_("欠薪类"), default=False)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("纠纷类型")
        verbose_name_plural = _("纠纷类型")
        ordering = ["sort", "code"]

    def __str__(self) -> str:
        return self.name


class TypeMapping(models.Model):
    """Which Ministry statistics category a local dispute type is counted under."""

    dispute_type = models.OneToOneField(
        DisputeType, verbose_name=_("纠纷类型"), on_delete=models.CASCADE, related_name="mapping"
    )
    category = models.ForeignKey(
        MinistryCategory, verbose_name=_("统计类别"), on_delete=models.PROTECT, related_name="mappings"
    )

    class Meta:
        verbose_name = _("类型映射")
        verbose_name_plural = _("类型映射")

    def __str__(self) -> str:
        return f"{self.dispute_type} → {self.category}"


class Grade(models.TextChoices):
    """Shenzhen's four case grades; the subsidy pays by the confirmed one."""

    SIMPLE = "simple", _("简易")
    ORDINARY = "ordinary", _("普通")
    MAJOR = "major", _("重大")
    SPECIAL = "special", _("特别重大")


GRADE_ORDER = [Grade.SIMPLE, Grade.ORDINARY, Grade.MAJOR, Grade.SPECIAL]


class Source(models.TextChoices):
    APPLICATION = "application", _("当事人申请")
    INITIATIVE = "initiative", _("调委会主动调解")
    CONSULTATION = "consultation", _("法律咨询转入")
    LEAD = "lead", _("排查发现")
    POLICE = "police", _("公安移交")
    COURT = "court", _("法院委托/委派")
    GOVERNMENT = "government", _("政府/信访指定")


class GradeRule(models.Model):
    """District data: a case matching every condition set on the rule is suggested at least
    ``grade``; the highest grade of the matching rules wins, 简易 when none matches. A rule without
    a district applies everywhere."""

    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    grade = models.CharField(_("建议等级"), max_length=10, choices=Grade.choices)
    min_amount = models.DecimalField(
        _("涉及金额不低于（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    min_parties = models.PositiveIntegerField(_("当事人数不少于"), null=True, blank=True)
    dispute_type = models.ForeignKey(
        DisputeType,
        verbose_name=_("纠纷类型"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    source = models.CharField(_("案件来源"), max_length=20, choices=Source.choices, blank=True)
    note = models.CharField(_("说明"), max_length=100, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("定级规则")
        verbose_name_plural = _("定级规则")
        ordering = ["district_id", "id"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()}：{self.note}"


class FileItemKind(models.Model):
    """One of the 13 items of the case file (卷宗), with its required (必须) / optional (按需) mark."""

    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    name = models.CharField(_("名称"), max_length=60)
    required = models.BooleanField(_("必须"), default=False)

    class Meta:
        verbose_name = _("卷宗材料")
        verbose_name_plural = _("卷宗材料")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


# --- screening (排查) -------------------------------------------------------------------------


class RiskLevel(models.TextChoices):
    RED = "red", _("红色")
    ORANGE = "orange", _("橙色")
    YELLOW = "yellow", _("黄色")
    BLUE = "blue", _("蓝色")


class LeadStatus(models.TextChoices):
    WATCHING = "watching", _("关注中")
    MEDIATING = "mediating", _("调解中")
    RESOLVED = "resolved", _("已化解")
    HANDED_OVER = "handed_over", _("已移交")


class DisputeLead(models.Model):
    """A dispute found while screening (矛盾纠纷排查), before or instead of a mediation case."""

    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    dispute_type = models.ForeignKey(
        DisputeType, verbose_name=_("纠纷类型"), on_delete=models.PROTECT, related_name="leads"
    )
    found_on = models.DateField(_("发现日期"), default=timezone.localdate)
    place = models.CharField(_("地点"), max_length=100)
    parties = models.TextField(_("当事人情况"), max_length=500)
    summary = models.TextField(_("纠纷简要情况"), max_length=2000)
    people_affected = models.PositiveIntegerField(_("涉及人数"), default=2)
    amount = models.DecimalField(_("涉及金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    risk_level = models.CharField(
        _("风险等级"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.BLUE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.WATCHING
    )
    handed_to = models.CharField(_("移交单位"), max_length=60, blank=True)
    notes = models.TextField(_("备注"), max_length=1000, blank=True)
    # Set once when the judicial office was alerted (group dispute or red risk), so it is alerted once.
    warned_at = models.DateTimeField(_("预警时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("矛盾纠纷线索")
        verbose_name_plural = _("矛盾纠纷线索")
        ordering = ["-found_on", "-id"]
        indexes = [models.Index(fields=["community", "found_on"], name="med_lead_community_idx")]

    def __str__(self) -> str:
        return f"{self.dispute_type}·{self.place}"


# --- the case ---------------------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("已登记")
    REFUSED = "refused", _("不予受理")
    ACCEPTED = "accepted", _("已受理")
    INVESTIGATING = "investigating", _("调查中")
    MEDIATING = "mediating", _("调解中")
    AGREED = "agreed", _("已达成协议")
    PERFORMING = "performing", _("履行中")
    CALLBACK_DONE = "callback_done", _("已回访")
    TERMINATED = "terminated", _("调解终止")
    CLOSED = "closed", _("已结案归档")


class Committee(models.Model):
    """A community's people's mediation committee (人民调解委员会): the address and phone its
    documents print (the notices tell the parties where to reach it). The committee's name is the
    community's; a community without a row prints the name alone."""

    community = models.OneToOneField(
        "regions.Region", verbose_name=_("社区"), on_delete=models.CASCADE, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=120, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人民调解委员会")
        verbose_name_plural = _("人民调解委员会")

    def __str__(self) -> str:
        return f"{self.community}人民调解委员会"


class CaseCounter(models.Model):
    """The last case number given by a committee (the community) in a year. Numbers are taken under
    ``select_for_update`` of this row inside the intake transaction, so they never repeat and a
    number once given is never given again, even when its case is later refused."""

    community = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("案号计数")
        verbose_name_plural = _("案号计数")
        constraints = [models.UniqueConstraint(fields=["community", "year"], name="med_counter_unique")]

    def __str__(self) -> str:
        return f"{self.community_id}/{self.year}: {self.last}"


class MediationCase(models.Model):
    community = models.ForeignKey(
        "regions.Region",
        verbose_name=_("调委会（社区）"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("案号"), max_length=40)
    source = models.CharField(_("案件来源"), max_length=20, choices=Source.choices)
    lead = models.ForeignKey(
        DisputeLead,
        verbose_name=_("排查线索"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("法律咨询"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    dispute_type = models.ForeignKey(
        DisputeType, verbose_name=_("纠纷类型"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("纠纷名称"), max_length=100)
    summary = models.TextField(_("纠纷简要情况"), max_length=4000)
    requests = models.TextField(_("申请事项"), max_length=2000, blank=True)
    amount = models.DecimalField(_("涉及金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    people_affected = models.PositiveIntegerField(_("涉及人数"), default=2)
    status = models.CharField(
        _("状态"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.REGISTERED
    )
    refusal_reason = models.CharField(_("不予受理原因"), max_length=300, blank=True)
    grade_suggested = models.CharField(_("建议等级"), max_length=10, choices=Grade.choices, blank=True)
    grade = models.CharField(_("确认等级"), max_length=10, choices=Grade.choices, blank=True)
    grade_reason = models.CharField(_("定级理由"), max_length=300, blank=True)
    grade_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    grade_confirmed_at = models.DateTimeField(_("定级时间"), null=True, blank=True)
    intake_on = models.DateField(_("受理日期"))
    # 30 days from intake (若干规定 Art. 36), later if an extension was approved; frozen when set.
    due_on = models.DateField(_("办结期限"))
    retention = models.CharField(_("保管期限"), max_length=20, default="长期", blank=True)
    # Set once when the mediators and the office were told the limit had passed (the worker's sweep).
    overdue_notified_at = models.DateTimeField(_("超期提醒时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("调解案件")
        verbose_name_plural = _("调解案件")
        ordering = ["-intake_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "year", "serial"], name="med_case_number_unique")
        ]
        indexes = [
            models.Index(fields=["community", "year"], name="med_case_community_idx"),
            models.Index(fields=["status", "due_on"], name="med_case_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("申请人")
    RESPONDENT = "respondent", _("被申请人")


class PartyKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ORGANISATION = "organisation", _("法人或其他组织")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Party(models.Model):
    """A party to a case. The 身份证号 and phone are personal data: encrypted, a keyed hash to find
    the same person across cases (never the plain text), a masked copy for pages; a full read goes
    through a service that writes an audit event."""

    case = models.ForeignKey(
        MediationCase, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(_("身份"), max_length=12, choices=PartyRole.choices)
    kind = models.CharField(_("类别"), max_length=14, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(_("姓名或名称"), max_length=80)
    sex = models.CharField(_("性别"), max_length=6, choices=Sex.choices, blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    age = models.PositiveSmallIntegerField(_("年龄"), null=True, blank=True)
    occupation = models.CharField(_("职业或职务"), max_length=40, blank=True)
    id_number_encrypted = models.TextField(_("身份证号（加密）"), blank=True, editable=False)
    id_number_hash = models.CharField(
        _("身份证号指纹"), max_length=64, blank=True, db_index=True, editable=False
    )
    id_number_masked = models.CharField(_("身份证号（脱敏）"), max_length=18, blank=True, editable=False)
    phone_encrypted = models.TextField(_("联系电话（加密）"), blank=True, editable=False)
    phone_hash = models.CharField(_("联系电话指纹"), max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("联系电话（脱敏）"), max_length=11, blank=True, editable=False)
    address = models.CharField(_("单位或住址"), max_length=120, blank=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    representative = models.CharField(_("法定代表人"), max_length=40, blank=True)
    agent_name = models.CharField(_("委托代理人"), max_length=40, blank=True)
    agent_authorisation = models.CharField(_("授权情况"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return self.name


class CaseMediator(models.Model):
    """A mediator on the case (人民调解法 Art. 19); exactly one is the primary (主持人)."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="mediators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("调解员"), on_delete=models.PROTECT, related_name="+"
    )
    is_primary = models.BooleanField(_("主持调解员"), default=False)
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调解员指派")
        verbose_name_plural = _("调解员指派")
        ordering = ["-is_primary", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="med_mediator_unique"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(is_primary=True), name="med_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id}"


class Investigation(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="investigations")
    held_on = models.DateField(_("调查日期"))
    place = models.CharField(_("调查地点"), max_length=100)
    subject = models.CharField(_("被调查人"), max_length=80)
    content = models.TextField(_("调查情况"), max_length=4000)
    evidence = models.TextField(_("证据材料"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调查记录")
        verbose_name_plural = _("调查记录")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.subject}"


class Session(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("调解日期"))
    place = models.CharField(_("调解地点"), max_length=100)
    mediators = models.CharField(_("调解员"), max_length=200)
    attendees = models.CharField(_("参加人"), max_length=300)
    record = models.TextField(_("调解记录"), max_length=8000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调解记录")
        verbose_name_plural = _("调解记录")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"


class OutcomeKind(models.TextChoices):
    WRITTEN = "written", _("书面协议")
    ORAL = "oral", _("口头协议")
    TERMINATED = "terminated", _("调解终止")


class Outcome(models.Model):
    """How the mediation ended: a written agreement (人民调解法 Art. 29: terms, manner and deadline
    of performance), an oral agreement (Art. 28, a lighter record), or termination with the reason
    and the routes the parties were told about (Art. 26)."""

    case = models.OneToOneField(MediationCase, on_delete=models.CASCADE, related_name="outcome")
    kind = models.CharField(_("结果"), max_length=12, choices=OutcomeKind.choices)
    decided_on = models.DateField(_("日期"))
    facts = models.TextField(_("主要事实、争议事项及责任"), max_length=4000, blank=True)
    terms = models.TextField(_("协议内容"), max_length=4000, blank=True)
    performance_method = models.CharField(_("履行方式"), max_length=200, blank=True)
    performance_place = models.CharField(_("履行地点"), max_length=100, blank=True)
    performance_deadline = models.DateField(_("履行期限"), null=True, blank=True)
    termination_reason = models.CharField(_("终止原因"), max_length=300, blank=True)
    routes_told = models.CharField(_("告知的其他途径"), max_length=300, blank=True)
    # 司法确认 (Art. 33): tracked while the window is open.
    confirmation_applied_on = models.DateField(_("申请司法确认日期"), null=True, blank=True)
    confirmation_note = models.CharField(_("司法确认情况"), max_length=200, blank=True)
    # Set by the sweep's compare-and-set when it reminds that the window is about to close: once.
    confirmation_reminded_at = models.DateTimeField(_("司法确认提醒时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("调解结果")
        verbose_name_plural = _("调解结果")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def confirmation_deadline(self):
        """The last day to apply to the court for judicial confirmation (written agreements only)."""
        if self.kind != OutcomeKind.WRITTEN:
            return None
        return self.decided_on + timedelta(days=CONFIRMATION_WINDOW_DAYS)


class Performance(models.Model):
    """One check of how an agreement is being performed (人民调解法 Art. 31: the committee supervises)."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="performances")
    checked_on = models.DateField(_("记录日期"))
    item = models.CharField(_("履行事项"), max_length=200)
    due_on = models.DateField(_("履行期限"), null=True, blank=True)
    done = models.BooleanField(_("已履行"), default=False)
    note = models.CharField(_("情况说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("履行情况")
        verbose_name_plural = _("履行情况")
        ordering = ["checked_on", "id"]

    def __str__(self) -> str:
        return self.item


class CallbackMethod(models.TextChoices):
    PHONE = "phone", _("电话")
    VISIT = "visit", _("上门")
    ONLINE = "online", _("线上")


class Performed(models.TextChoices):
    YES = "yes", _("已履行")
    PARTLY = "partly", _("部分履行")
    NO = "no", _("未履行")
    NA = "na", _("无需履行")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class Callback(models.Model):
    """A 回访 (若干规定 Art. 39): who was asked, how, and what they said."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="callbacks")
    called_on = models.DateField(_("回访日期"))
    method = models.CharField(_("回访方式"), max_length=10, choices=CallbackMethod.choices)
    interviewee = models.CharField(_("被回访人"), max_length=80)
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    performed = models.CharField(_("履行情况"), max_length=10, choices=Performed.choices)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices)
    lawsuit = models.BooleanField(_("是否起诉"), default=False)
    lawsuit_note = models.CharField(_("诉讼情况"), max_length=200, blank=True)
    remaining_risk = models.CharField(_("遗留风险"), max_length=300, blank=True)
    measures = models.CharField(_("采取措施"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["called_on", "id"]

    def __str__(self) -> str:
        return f"{self.called_on} {self.interviewee}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("未批准")


class Extension(models.Model):
    """Mediation past 30 days: the parties' consent recorded, the judicial office's approval."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长天数"))
    reason = models.CharField(_("延期理由"), max_length=300)
    consent = models.CharField(_("当事人同意情况"), max_length=300)
    status = models.CharField(max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    previous_due_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status="pending"), name="med_one_pending_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: +{self.days}"


def file_item_path(instance: FileItem, filename: str) -> str:
    # Never the uploader's file name: a random name with the extension of the sniffed type.
    return f"mediation/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}{filename[filename.rfind('.') :]}"


class FileItem(models.Model):
    """A signed scan filed for one of the 13 卷宗 items (signatures, fingerprints and seals are on
    paper). Checked by content through ``guwen.core.uploads``; served only through a scoped view."""

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="file_items")
    kind = models.ForeignKey(FileItemKind, verbose_name=_("材料"), on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("文件"), upload_to=file_item_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("卷宗文件")
        verbose_name_plural = _("卷宗文件")
        ordering = ["kind__number", "id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name
