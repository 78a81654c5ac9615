"""Consultations (法律咨询): the question, its thread, files, events and rating, and the tables that
configure deadlines, urgency and group-chat robots per district."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guwen.core.fields import EncryptedTextField
from guwen.knowledge.urgency import UrgencyKind


class Channel(models.TextChoices):
    WEB = "web", _("扫码提问")
    PHONE = "phone", _("电话")
    WALK_IN = "walk_in", _("来访")
    GROUP = "group", _("群聊机器人")
    HOTLINE = "hotline", _("热线转入")
    API = "api", _("接口")


class Level(models.TextChoices):
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")
    DISTRICT = "district", _("区")


NEXT_LEVEL = {Level.COMMUNITY: Level.STREET, Level.STREET: Level.DISTRICT}


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")


class Status(models.TextChoices):
    NEW = "new", _("待答复")
    WAITING_RESIDENT = "waiting_resident", _("待居民补充")
    FOLLOWUP = "followup", _("待再次答复")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class Schedule(models.TextChoices):
    """Which clock a deadline runs on (guwen.core.workcalendar)."""

    ONLINE = "online", _("线上服务时间（每天 08:30–21:00，含节假日）")
    ALWAYS = "always", _("全天候（24 小时）")
    OFFICE = "office", _("办公时间（工作日 08:30–17:30）")


class Consultation(models.Model):
    # The two foreign keys are indexed by the composite indexes below, which start with them.
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    resident_name = models.CharField(_("居民称呼"), max_length=40, blank=True)
    # The phone is personal data: encrypted, a keyed hash to match status look-ups, a masked copy
    # for lists. Reading it in full goes through a service that writes an audit event.
    # Blank only for group-robot messages, whose sender may not have given a number.
    phone_encrypted = models.TextField(_("手机号（加密）"), blank=True, editable=False)
    phone_hash = models.CharField(_("手机号指纹"), max_length=64, blank=True, editable=False)
    phone_masked = models.CharField(_("手机号（脱敏）"), max_length=11, blank=True, editable=False)
    text = models.TextField(_("咨询内容"))
    category = models.CharField(_("类别"), max_length=20, blank=True)
    category_confirmed = models.BooleanField(_("类别已确认"), default=False)
    # What automatic triage (the knowledge module's model) proposed; the advisor confirms or corrects
    # it on closing, and a correction is kept to retrain the model.
    category_suggested = models.CharField(_("分诊建议类别"), max_length=20, blank=True)
    category_top3 = models.JSONField(_("分诊前三类别"), default=list, blank=True)
    category_confidence = models.FloatField(_("分诊置信度"), null=True, blank=True)
    triage_model = models.CharField(_("分诊模型版本"), max_length=60, blank=True)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    urgency_reason = models.CharField(_("紧急原因"), max_length=60, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, default=Level.COMMUNITY)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.NEW)
    # The response deadline, stored when set (intake, escalation, follow-up) and frozen in the
    # event that set it. Overdue means due_at < now while the status is in the "open" category.
    due_at = models.DateTimeField(_("答复期限"), null=True, blank=True, db_index=True)
    # The first deadline the question was ever given (at intake, after routing and triage). Escalation
    # and follow-ups move ``due_at``; this one stays, so a question escalated twice without an answer
    # still counts as overdue. Only time spent waiting on the resident (补充信息) moves it later.
    first_due_at = models.DateTimeField(_("首次答复期限"), null=True, blank=True)
    deadline_schedule = models.CharField(
        _("期限计时方式"), max_length=10, choices=Schedule.choices, default=Schedule.ONLINE
    )
    clock_paused_at = models.DateTimeField(_("计时暂停于"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(_("超时提醒时间"), null=True, blank=True)
    receipt_code = models.CharField(_("回执码"), max_length=8)
    idempotency_key = models.CharField(_("幂等键"), max_length=80, null=True, blank=True)
    # A hash of the request filed under the key: a retry must repeat it to get the first result.
    idempotency_fingerprint = models.CharField(_("请求指纹"), max_length=64, blank=True, editable=False)
    source = models.JSONField(_("来源信息"), default=dict, blank=True)
    reusable = models.BooleanField(_("可用于知识库"), default=False)
    reusable_at = models.DateTimeField(_("标记知识库时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    first_response_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    answered_at = models.DateTimeField(_("最近答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    minutes_to_first_response = models.PositiveIntegerField(_("首次答复用时（分钟）"), null=True, blank=True)
    minutes_to_close = models.PositiveIntegerField(_("办结用时（分钟）"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("法律咨询")
        verbose_name_plural = _("法律咨询")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="consult_status_due_idx"),
            models.Index(fields=["community", "created_at"], name="consult_community_idx"),
            # Answered in a period, and whether in time: the tables of streets and communities
            # count them from this index alone.
            models.Index(
                fields=["community", "first_response_at", "first_due_at"], name="consult_community_answer_idx"
            ),
            # Open now, by community and when asked (those tables again, and the dashboards'
            # overdue figure).
            models.Index(fields=["community", "status", "created_at"], name="consult_community_status_idx"),
            models.Index(fields=["owner", "status"], name="consult_owner_idx"),
            models.Index(fields=["level", "status"], name="consult_level_idx"),
            models.Index(fields=["phone_hash"], name="consult_phone_idx"),
            # The worker polls every second for accepted questions not yet routed: few rows, indexed alone.
            models.Index(
                fields=["created_at"],
                name="consult_unrouted_idx",
                condition=models.Q(owner__isnull=True, level=Level.COMMUNITY),
            ),
        ]
        # Declared here rather than as unique=True on the fields: PostgreSQL then keeps one index
        # per column, without the pattern-matching twin Django adds for a field's own unique flag
        # (receipt codes, keys and phone fingerprints are matched exactly, never with LIKE).
        # Every intake writes each index, so each one left out is work saved on every question.
        constraints = [
            models.UniqueConstraint(fields=["receipt_code"], name="consult_receipt_uniq"),
            models.UniqueConstraint(fields=["idempotency_key"], name="consult_idempotency_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_code} · {self.community_id}"

    @property
    def is_urgent(self) -> bool:
        return self.urgency == Urgency.URGENT

    @property
    def is_overdue(self) -> bool:
        """Past the current level's deadline, or never answered and past the first deadline."""
        from guwen.consultations.workflow import is_open

        now = timezone.now()
        if not is_open(self.status):
            return False
        if self.due_at is not None and self.due_at < now:
            return True
        return self.first_response_at is None and self.first_due_at is not None and self.first_due_at < now

    @property
    def is_past_first_deadline(self) -> bool:
        """Open, never answered, and its first deadline has passed, whatever later levels allow."""
        from guwen.consultations.workflow import is_open

        return (
            is_open(self.status)
            and self.first_response_at is None
            and self.first_due_at is not None
            and self.first_due_at < timezone.now()
        )


class Author(models.TextChoices):
    RESIDENT = "resident", _("居民")
    ADVISOR = "advisor", _("律师/工作人员")
    SYSTEM = "system", _("系统")


class MessageKind(models.TextChoices):
    QUESTION = "question", _("提问")
    ANSWER = "answer", _("答复")
    INFO_REQUEST = "info_request", _("请居民补充")
    RESIDENT_INFO = "resident_info", _("居民补充")
    FOLLOWUP = "followup", _("追问")
    NOTE = "note", _("系统消息")


class Message(models.Model):
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("咨询"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.CharField(_("发言方"), max_length=10, choices=Author.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发言人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=MessageKind.choices)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("咨询消息")
        verbose_name_plural = _("咨询消息")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_author_display()} {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never the resident's file name: a random name with the extension of the sniffed type.
    return (
        f"consultations/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}{filename[filename.rfind('.') :]}"
    )


class Attachment(models.Model):
    """A resident's photo or PDF, stored under MEDIA_ROOT (outside the web root) and served only
    through a scoped view, as a download."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("咨询"), on_delete=models.CASCADE, related_name="attachments"
    )
    message = models.ForeignKey(
        Message,
        verbose_name=_("消息"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=40)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("咨询附件")
        verbose_name_plural = _("咨询附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name or self.file.name


class EventCode(models.TextChoices):
    CREATED = "created", _("受理")
    ASSIGNED = "assigned", _("分派")
    CLAIMED = "claimed", _("认领")
    REASSIGNED = "reassigned", _("改派")
    ESCALATED = "escalated", _("升级")
    ANSWERED = "answered", _("答复")
    INFO_REQUESTED = "info_requested", _("请居民补充")
    RESIDENT_REPLIED = "resident_replied", _("居民补充")
    FOLLOWUP = "followup", _("居民追问")
    CLOSED = "closed", _("办结")
    URGENT_ALERT = "urgent_alert", _("紧急提醒")
    OVERDUE = "overdue", _("超时")
    RATED = "rated", _("评价")
    CONVERTED = "converted", _("转办")
    REUSABLE = "reusable", _("标记入知识库")


class Event(models.Model):
    """What happened to a consultation, with the deadline in force frozen into the event (the UK Civil
    Legal Advice backend's habit): reports read the deadline that applied then."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("咨询"), on_delete=models.CASCADE, related_name="events"
    )
    code = models.CharField(_("事件"), max_length=20, choices=EventCode.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_level = models.CharField(_("原层级"), max_length=10, choices=Level.choices, blank=True)
    to_level = models.CharField(_("新层级"), max_length=10, choices=Level.choices, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_at = models.DateTimeField(_("当时的期限"), null=True, blank=True)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    automatic = models.BooleanField(_("系统自动"), default=False)

    class Meta:
        verbose_name = _("咨询事件")
        verbose_name_plural = _("咨询事件")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.at:%Y-%m-%d %H:%M}"


class RatingKind(models.TextChoices):
    """What a resident may rate. One rating mechanism for all three: the signed one-time link
    (services/ratings.py); a module above registers how to find its records (rating_targets.py)."""

    CONSULTATION = "consultation", _("法律咨询")
    BOOKING = "booking", _("驻点预约")
    MEDIATION = "mediation", _("人民调解")


class Rating(models.Model):
    """A resident's 1–5 rating of one item, once. ``kind`` + ``target_id`` name the item; a
    consultation's rating also keeps its foreign key, which the overview joins on. Abusive text is
    kept as written but hidden from public display (``comment_hidden``)."""

    kind = models.CharField(
        _("评价对象"), max_length=20, choices=RatingKind.choices, default=RatingKind.CONSULTATION
    )
    target_id = models.PositiveBigIntegerField(_("对象编号"))
    label = models.CharField(_("评价事项"), max_length=100, blank=True)
    consultation = models.OneToOneField(
        Consultation,
        verbose_name=_("咨询"),
        on_delete=models.CASCADE,
        related_name="rating",
        null=True,
        blank=True,
    )
    community = models.ForeignKey(
        "regions.Region",
        verbose_name=_("社区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # rating_community_idx starts with it
    )
    lawyer = models.ForeignKey(
        "regions.Lawyer",
        verbose_name=_("顾问律师"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    score = models.PositiveSmallIntegerField(_("评分"))
    comment = models.CharField(_("评价内容"), max_length=500, blank=True)
    comment_hidden = models.BooleanField(_("内容不公开"), default=False)
    reply = models.CharField(_("律师回复"), max_length=500, blank=True)
    replied_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    class Meta:
        verbose_name = _("居民评价")
        verbose_name_plural = _("居民评价")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
            models.UniqueConstraint(fields=["kind", "target_id"], name="rating_one_per_item"),
        ]
        indexes = [
            models.Index(fields=["lawyer", "created_at"], name="rating_lawyer_idx"),
            # Ratings by community, kind and period (dashboards, the bureau's table of streets).
            models.Index(fields=["community", "kind", "created_at"], name="rating_community_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.score}★"

    @property
    def public_comment(self) -> str:
        return "" if self.comment_hidden else self.comment


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    RESOLVED = "resolved", _("已处理")


class Complaint(models.Model):
    """A low rating (≤ 2 stars) opens one for the judicial office, with a deadline in working days
    frozen when it opens, and the office's outcome."""

    rating = models.OneToOneField(
        Rating, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="complaint"
    )
    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    lawyer = models.ForeignKey(
        "regions.Lawyer",
        verbose_name=_("顾问律师"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    due_on = models.DateField(_("处理期限"))
    outcome = models.CharField(_("处理结果"), max_length=1000, blank=True)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("差评投诉")
        verbose_name_plural = _("差评投诉")
        ordering = ["status", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="complaint_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.rating} {self.get_status_display()}"

    def is_overdue(self, today) -> bool:
        return self.status == ComplaintStatus.OPEN and self.due_on < today


class BlockedWord(models.Model):
    """Words that hide a rating comment from public display (the text is kept). Rows without a
    district apply everywhere; a district adds its own in the admin."""

    word = models.CharField(_("词语"), max_length=20)
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"level": "district"},
        help_text=_("留空表示全市通用"),
    )

    class Meta:
        verbose_name = _("评价屏蔽词")
        verbose_name_plural = _("评价屏蔽词")
        constraints = [models.UniqueConstraint(fields=["word", "district"], name="blocked_word_unique")]

    def __str__(self) -> str:
        return self.word


# --- configuration: versioned per district, edited in the admin ---------------------------------


class DeadlinePolicy(models.Model):
    """A version of the response deadlines for one district (or, with no district, the default for
    every district without its own). The version in force on a day is the latest effective one."""

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
    effective_from = models.DateField(_("生效日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("答复期限规则")
        verbose_name_plural = _("答复期限规则")
        ordering = ["district_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["district", "effective_from"], name="deadline_policy_version"),
        ]

    def __str__(self) -> str:
        where = self.district.name if self.district_id else _("默认")
        return f"{where} · {self.effective_from} 起"


class DeadlineRule(models.Model):
    policy = models.ForeignKey(
        DeadlinePolicy, verbose_name=_("规则版本"), on_delete=models.CASCADE, related_name="rules"
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    urgency = models.CharField(_("紧急程度"), max_length=10, choices=Urgency.choices)
    minutes = models.PositiveIntegerField(_("期限（分钟）"))
    schedule = models.CharField(_("计时方式"), max_length=10, choices=Schedule.choices)

    class Meta:
        verbose_name = _("答复期限")
        verbose_name_plural = _("答复期限")
        ordering = ["policy", "level", "urgency"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "level", "urgency"], name="deadline_rule_unique"),
            models.CheckConstraint(condition=Q(minutes__gte=1), name="deadline_rule_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.get_urgency_display()}：{self.minutes} 分钟"


class MatchKind(models.TextChoices):
    KEYWORDS = "keywords", _("关键词（以顿号、逗号或竖线分隔，任一出现即命中）")
    REGEX = "regex", _("正则表达式")


class UrgencyRule(models.Model):
    """A rule that marks a question urgent (violence, self-harm, crowd action, wage arrears for many
    workers, …; ``risk`` says which). Rules with no district apply everywhere; a district adds its
    own. Keyword rules are matched over the segmented text (guwen.knowledge.urgency)."""

    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "district"},
        help_text=_("留空表示全市通用"),
    )
    label = models.CharField(_("名称"), max_length=40)
    # What kind of danger the rule finds: the advisor reads "紧急：<kind>" (其他 shows the label).
    risk = models.CharField(
        _("紧急类型"), max_length=20, choices=UrgencyKind.choices, default=UrgencyKind.OTHER
    )
    kind = models.CharField(_("匹配方式"), max_length=10, choices=MatchKind.choices)
    pattern = models.TextField(_("关键词或正则"))
    exclude = models.TextField(
        _("不算的说法"),
        blank=True,
        default="",
        help_text=_("先从问题中去掉这些说法再匹配，如“打我电话”“打折”"),
    )
    effective_from = models.DateField(_("生效日期"), default=timezone.localdate)
    effective_to = models.DateField(_("停用日期"), null=True, blank=True, help_text=_("留空表示一直有效"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("紧急识别规则")
        verbose_name_plural = _("紧急识别规则")
        ordering = ["district_id", "id"]

    def __str__(self) -> str:
        return self.label


def new_group_secret() -> str:
    return secrets.token_urlsafe(32)


class GroupChannel(models.Model):
    """A community's group-chat robot: the shared secret it signs webhook calls with."""

    community = models.OneToOneField(
        "regions.Region",
        verbose_name=_("社区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "community"},
    )
    group_name = models.CharField(_("群名称"), max_length=80, blank=True)
    # Encrypted at rest like a 身份证号: whoever reads the database cannot sign as the robot.
    secret = EncryptedTextField(
        _("签名密钥"),
        default=new_group_secret,
        help_text=_("机器人用它对请求签名；泄露后请更换"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("群聊机器人接入")
        verbose_name_plural = _("群聊机器人接入")

    def __str__(self) -> str:
        return self.group_name or str(self.community_id)


class SeenSignature(models.Model):
    """Signatures already accepted: a replayed webhook call is refused. Rows older than the
    timestamp window are purged, since such calls are refused as stale anyway."""

    signature = models.CharField(_("签名"), max_length=64, unique=True)
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("已用签名")
        verbose_name_plural = _("已用签名")

    def __str__(self) -> str:
        return self.signature[:12]


class AdvisorAway(models.Model):
    """A period when an advisor is away (leave, court, training): new questions go to the backup."""

    lawyer = models.ForeignKey(
        "regions.Lawyer", verbose_name=_("律师"), on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    reason = models.CharField(_("事由"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("顾问外出")
        verbose_name_plural = _("顾问外出")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="away_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lawyer_id} {self.starts_at:%m-%d %H:%M}–{self.ends_at:%m-%d %H:%M}"


class EmergencyNumbers(models.Model):
    """The emergency numbers a district shows first on an urgent question's receipt (报警, 急救,
    妇女维权 …). A district without its own row shows the national defaults
    (guwen.consultations.emergency.DEFAULT_LINES)."""

    district = models.OneToOneField(
        "regions.Region",
        verbose_name=_("区"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "district"},
    )
    # [{"number": "110", "label": "报警"}, ...] in the order shown.
    lines = models.JSONField(_("紧急求助电话"), default=list)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("紧急求助电话")
        verbose_name_plural = _("紧急求助电话")

    def __str__(self) -> str:
        return "、".join(line["number"] for line in self.lines)
