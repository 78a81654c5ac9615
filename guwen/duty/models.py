"""On-site duty under 三固定 (fixed content, person and time) and the 24-hour online rota.

DutySettings   per-district standards, versioned by effective date (DESIGN §5 "configurable")
DutyRule       a community's fixed weekly duty: who, where, which weekdays, from when to when
DutyShift      one dated duty generated from a rule (holiday-aware), with its attendance
DutyCheck      each check-in and check-out as it happened (server time, optional photo)
DutyChangeRequest  substitution by the backup advisor, or a swap, approved by the community
RotaSlot       who answers a street's online questions in evenings, weekends and holidays
CoverageWarning    one row per street and day when the rota has gaps (the sweep's compare-and-set)
Booking        a resident's booking of an on-site consultation in a shift
DutyDispute    the community's objection that a shift on record as held was not (签到在案、实际未到岗)
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guwen.regions.models import Lawyer, Level, Region

WEEKDAY_LABELS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]

DEFAULT_WORK_RULES = (
    "一、每周按公示时间到社区驻点，不迟到、不早退；因故不能到岗须提前申请由备岗顾问替班。\n"
    "二、免费为居民和社区提供法律咨询，不收取任何费用，不借驻点承揽有偿业务。\n"
    "三、对咨询中知悉的个人隐私和商业秘密严格保密。\n"
    "四、每次服务如实登记时间、对象、内容和结果（一次一记、一事一记）。\n"
    "五、遇有群体性、突发性矛盾纠纷及时报告社区和司法所。"
)


class AdjustedWorkdayMode(models.TextChoices):
    SKIP = "skip", _("调休上班日只安排当天星期的驻点")
    CARRY = "carry", _("调休上班日另外承接所补工作日的驻点")


class DutySettings(models.Model):
    """A district's duty standards from a date on. A row with no district is the default for
    districts without their own; rows are added, never edited, so past months keep their rules."""

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
    min_monthly_onsite_hours = models.PositiveSmallIntegerField(
        _("每月最低驻点时长（小时）"), default=16, help_text=_("每个社区每月应有的现场驻点小时数")
    )
    late_threshold_minutes = models.PositiveSmallIntegerField(_("迟到/早退判定（分钟）"), default=15)
    check_tolerance_minutes = models.PositiveSmallIntegerField(
        _("签到签退容许时间（分钟）"),
        default=120,
        help_text=_("开始前后多长时间内可以签到，结束后多长时间内可以签退"),
    )
    check_out_confirm_minutes = models.PositiveSmallIntegerField(
        _("签退确认（分钟）"),
        default=30,
        help_text=_("签到后这么多分钟内签退，须再次确认，以免误点"),
    )
    adjusted_workday_mode = models.CharField(
        _("调休上班日"), max_length=10, choices=AdjustedWorkdayMode.choices, default=AdjustedWorkdayMode.CARRY
    )
    default_capacity = models.PositiveSmallIntegerField(_("每班默认预约名额"), default=6)
    online_day_start = models.TimeField(
        _("日间线上答复开始"), default=time(9, 0), help_text=_("此前及下方结束时间之后由线上值班表覆盖")
    )
    online_day_end = models.TimeField(_("日间线上答复结束"), default=time(18, 0))
    coverage_days = models.PositiveSmallIntegerField(_("值班覆盖检查天数"), default=30)
    work_rules = models.TextField(_("工作规范（公示）"), default=DEFAULT_WORK_RULES)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("驻点值班设置")
        verbose_name_plural = _("驻点值班设置")
        ordering = ["district__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["district", "effective_from"], name="duty_settings_one_per_day"),
            models.CheckConstraint(
                condition=Q(online_day_end__gt=F("online_day_start")), name="duty_settings_day"
            ),
            models.CheckConstraint(condition=Q(coverage_days__gte=1), name="duty_settings_coverage_days"),
        ]

    def __str__(self) -> str:
        where = self.district.name if self.district_id else _("全局默认")
        return f"{where} · {self.effective_from:%Y-%m-%d}"


class DutyRule(models.Model):
    """三固定: the advisor, the place, the weekdays and hours, and the service content."""

    community = models.ForeignKey(
        Region,
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="duty_rules",
        limit_choices_to={"level": Level.COMMUNITY},
    )
    lawyer = models.ForeignKey(
        Lawyer, verbose_name=_("值班律师"), on_delete=models.PROTECT, related_name="duty_rules"
    )
    # Digits 0-6 (Monday = 0), e.g. "13" for Tuesday and Thursday.
    weekdays = models.CharField(_("星期"), max_length=7)
    start_time = models.TimeField(_("开始时间"))
    end_time = models.TimeField(_("结束时间"))
    place = models.CharField(_("驻点地点"), max_length=120)
    service_content = models.TextField(_("服务内容"))
    capacity = models.PositiveSmallIntegerField(_("每班预约名额"), default=6)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("留空表示长期"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("驻点规则")
        verbose_name_plural = _("驻点规则")
        ordering = ["community__code", "weekdays", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="duty_rule_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="duty_rule_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.weekday_text} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    @property
    def weekday_list(self) -> list[int]:
        return [int(d) for d in self.weekdays]

    @property
    def weekday_text(self) -> str:
        return "、".join(str(WEEKDAY_LABELS[d]) for d in self.weekday_list)

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class ShiftStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("待值班")
    CHECKED_IN = "checked_in", _("已签到")
    COMPLETED = "completed", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DISPUTED = "disputed", _("有异议")
    MISSED = "missed", _("缺勤")
    CANCELLED = "cancelled", _("已取消")


class DutyShift(models.Model):
    """One dated on-site duty. Times are frozen when the shift is generated, so a later change of
    rule or settings never rewrites what was due; the flags are stored when they happen."""

    rule = models.ForeignKey(
        DutyRule,
        verbose_name=_("规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shifts",
    )
    community = models.ForeignKey(
        Region, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="duty_shifts"
    )
    lawyer = models.ForeignKey(
        Lawyer, verbose_name=_("值班律师"), on_delete=models.PROTECT, related_name="duty_shifts"
    )
    original_lawyer = models.ForeignKey(
        Lawyer,
        verbose_name=_("原定律师"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("替班或换班前的律师"),
    )
    date = models.DateField(_("日期"), db_index=True)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    stands_for = models.DateField(
        _("补班对应日期"), null=True, blank=True, help_text=_("调休上班日承接的驻点所对应的工作日")
    )
    place = models.CharField(_("地点"), max_length=120)
    capacity = models.PositiveSmallIntegerField(_("预约名额"), default=6)
    status = models.CharField(
        _("状态"), max_length=12, choices=ShiftStatus.choices, default=ShiftStatus.SCHEDULED
    )
    late_threshold_minutes = models.PositiveSmallIntegerField(_("迟到判定（分钟）"), default=15)
    tolerance_minutes = models.PositiveSmallIntegerField(_("签到容许（分钟）"), default=120)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    is_late = models.BooleanField(_("迟到"), default=False)
    is_short = models.BooleanField(_("时长不足"), default=False)
    no_check_out = models.BooleanField(_("未签退"), default=False)
    held_minutes = models.PositiveIntegerField(_("实际驻点（分钟）"), default=0)
    confirm_due = models.DateField(_("确认截止"), help_text=_("社区应在值班当周内确认"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("值班班次")
        verbose_name_plural = _("值班班次")
        ordering = ["starts_at", "community__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="duty_shift_end_after_start"
            ),
            models.UniqueConstraint(fields=["rule", "date"], name="duty_shift_one_per_rule_day"),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="duty_shift_status_start"),
            models.Index(fields=["lawyer", "starts_at"], name="duty_shift_lawyer_start"),
            # Dashboards and ledgers read a region's shifts over a period.
            models.Index(fields=["community", "date"], name="duty_shift_community_date"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.community} {local:%Y-%m-%d %H:%M} {self.lawyer}"

    @property
    def scheduled_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class CheckKind(models.TextChoices):
    IN = "in", _("签到")
    OUT = "out", _("签退")


class DutyCheck(models.Model):
    """A check-in or check-out as recorded by the server, with the optional photo taken on site."""

    shift = models.ForeignKey(
        DutyShift, verbose_name=_("班次"), on_delete=models.CASCADE, related_name="checks"
    )
    kind = models.CharField(_("类型"), max_length=3, choices=CheckKind.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT, related_name="+"
    )
    photo = models.FileField(_("现场照片"), upload_to="duty/checks/%Y/%m/", blank=True)
    photo_type = models.CharField(_("照片类型"), max_length=10, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("签到记录")
        verbose_name_plural = _("签到记录")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["shift", "kind"], name="duty_check_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.shift} {self.get_kind_display()} {timezone.localtime(self.at):%H:%M}"


class ChangeKind(models.TextChoices):
    SUBSTITUTE = "substitute", _("替班")
    SWAP = "swap", _("换班")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已同意")
    REJECTED = "rejected", _("已驳回")
    WITHDRAWN = "withdrawn", _("已撤回")


class DutyChangeRequest(models.Model):
    """A request to hand a shift to the backup advisor (替班) or to swap two shifts (换班)."""

    kind = models.CharField(_("类型"), max_length=12, choices=ChangeKind.choices)
    shift = models.ForeignKey(
        DutyShift, verbose_name=_("班次"), on_delete=models.PROTECT, related_name="change_requests"
    )
    other_shift = models.ForeignKey(
        DutyShift,
        verbose_name=_("对调班次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    substitute = models.ForeignKey(
        Lawyer, verbose_name=_("替班律师"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("替班换班申请")
        verbose_name_plural = _("替班换班申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="substitute", substitute__isnull=False, other_shift__isnull=True))
                | Q(kind="swap", other_shift__isnull=False, substitute__isnull=True),
                name="duty_change_request_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.shift}"


class RotaSlot(models.Model):
    """A lawyer answering a street's online consultations over a period (evenings, weekends,
    holidays), when the community's own advisor is off."""

    street = models.ForeignKey(
        Region,
        verbose_name=_("街道"),
        on_delete=models.PROTECT,
        related_name="rota_slots",
        limit_choices_to={"level": Level.STREET},
    )
    lawyer = models.ForeignKey(
        Lawyer, verbose_name=_("值班律师"), on_delete=models.PROTECT, related_name="rota_slots"
    )
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("线上值班")
        verbose_name_plural = _("线上值班")
        ordering = ["street__code", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="duty_rota_end_after_start"),
        ]
        indexes = [models.Index(fields=["street", "starts_at", "ends_at"], name="duty_rota_street_time")]

    def __str__(self) -> str:
        return f"{self.street} {timezone.localtime(self.starts_at):%m-%d %H:%M} {self.lawyer}"


class CoverageWarning(models.Model):
    """The day's warning to a street's judicial office that the online rota has gaps; unique per
    street and day, so however many workers run the sweep, the office is told once."""

    street = models.ForeignKey(Region, verbose_name=_("街道"), on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("日期"))
    gap_count = models.PositiveIntegerField(_("空档数"))
    gap_minutes = models.PositiveIntegerField(_("空档总时长（分钟）"))
    first_gap_at = models.DateTimeField(_("最早空档"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("值班空档提醒")
        verbose_name_plural = _("值班空档提醒")
        ordering = ["-on", "street__code"]
        constraints = [models.UniqueConstraint(fields=["street", "on"], name="duty_coverage_warning_daily")]

    def __str__(self) -> str:
        return f"{self.street} {self.on} · {self.gap_count}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已到场")


class Booking(models.Model):
    """A resident's booking of an on-site consultation. The phone is personal data: encrypted,
    with a keyed hash for matching and a masked copy for lists (DESIGN §5)."""

    shift = models.ForeignKey(
        DutyShift, verbose_name=_("班次"), on_delete=models.PROTECT, related_name="bookings"
    )
    name = models.CharField(_("称呼"), max_length=20)
    phone_encrypted = models.TextField(_("手机号（加密）"), editable=False)
    phone_hash = models.CharField(_("手机号指纹"), max_length=64, db_index=True, editable=False)
    phone_masked = models.CharField(_("手机号（脱敏）"), max_length=11, editable=False)
    topic = models.CharField(_("咨询事项"), max_length=200, blank=True)
    receipt_code = models.CharField(_("预约码"), max_length=12, unique=True)
    client_key = models.CharField(_("提交标识"), max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    created_at = models.DateTimeField(_("预约时间"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    attended_at = models.DateTimeField(_("到场时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("驻点预约")
        verbose_name_plural = _("驻点预约")
        ordering = ["shift__starts_at", "created_at"]

    def __str__(self) -> str:
        return f"{self.receipt_code} {self.phone_masked}"


class DisputeStatus(models.TextChoices):
    PENDING = "pending", _("待司法所决定")
    ACCEPTED = "accepted", _("异议成立（按缺勤计）")
    REJECTED = "rejected", _("异议不成立（维持到岗）")


class DutyDispute(models.Model):
    """Community staff say the advisor was not there although the record says so (e.g. checked in
    and left). The judicial office decides: accepted, the shift counts as missed; rejected, it stays
    confirmed. One dispute per shift: the office's decision is final."""

    shift = models.OneToOneField(
        DutyShift, verbose_name=_("班次"), on_delete=models.PROTECT, related_name="dispute"
    )
    previous_status = models.CharField(_("异议前状态"), max_length=12, choices=ShiftStatus.choices)
    reason = models.CharField(_("异议理由"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.PENDING
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.CharField(_("决定说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("考勤异议")
        verbose_name_plural = _("考勤异议")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["status", "raised_at"], name="duty_dispute_status")]

    def __str__(self) -> str:
        return f"{self.shift} · {self.get_status_display()}"
