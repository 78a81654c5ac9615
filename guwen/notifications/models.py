"""The in-app inbox, channel configuration per region, event-webhook subscriptions and the outbound
delivery log (every message that leaves the system, with each attempt)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guwen.core.fields import EncryptedTextField

EVENT_CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")


def validate_event_code(value: str) -> None:
    if not EVENT_CODE_RE.fullmatch(value or ""):
        raise ValidationError(
            _("事件代码只能由小写字母、数字、下划线和点组成，例如 consultation.escalated"),
            code="event_code",
        )


def validate_outbound_url(value: str) -> None:
    """A URL the senders may POST to: http(s), a host, no user:password part."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("请填写推送地址"), code="url_missing")
    if len(text) > 500:
        raise ValidationError(_("推送地址不能超过500个字符"), code="url_length")
    if any(ch.isspace() for ch in text):
        raise ValidationError(_("推送地址不能包含空格"), code="url_space")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:  # urlsplit refuses a port that is not a number in 0–65535
        raise ValidationError(_("推送地址格式不正确（请检查端口号）"), code="url_format") from exc
    if parts.scheme not in {"http", "https"}:
        raise ValidationError(_("推送地址必须以 http:// 或 https:// 开头"), code="url_scheme")
    if not parts.hostname:
        raise ValidationError(_("推送地址缺少主机名"), code="url_host")
    if parts.username or parts.password:
        raise ValidationError(_("推送地址不能包含用户名或密码，请使用签名密钥"), code="url_credentials")
    if port == 0:
        raise ValidationError(_("推送地址的端口不正确"), code="url_port")


def parse_event_list(text: str) -> list[str]:
    """Event codes separated by commas, spaces or new lines; ``*`` means every event."""
    return [item for item in re.split(r"[\s,，、]+", text or "") if item]


def validate_event_list(value: str) -> None:
    for code in parse_event_list(value):
        if code == "*" or code.endswith(".*"):
            code = code.removesuffix(".*").removesuffix("*")
            if not code:
                continue
        try:
            validate_event_code(code)
        except ValidationError as exc:
            raise ValidationError(
                _("事件代码“%(code)s”格式不正确：只能由小写字母、数字、下划线和点组成"),
                code="event_list",
                params={"code": code[:40]},
            ) from exc


def parse_email_list(text: str) -> list[str]:
    return [item for item in re.split(r"[\s,，;；]+", text or "") if item]


def validate_email_list(value: str) -> None:
    for address in parse_email_list(value):
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError(
                _("邮箱地址“%(address)s”格式不正确"), code="email_list", params={"address": address[:60]}
            ) from exc


def event_matches(patterns: list[str], event: str) -> bool:
    """``*`` matches everything, ``consultation.*`` a family, anything else exactly."""
    for pattern in patterns:
        if pattern == "*" or pattern == event:
            return True
        if pattern.endswith(".*") and event.startswith(pattern[:-1]):
            return True
    return False


class Notification(models.Model):
    """One notice in a user's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    event = models.CharField(_("事件"), max_length=60, validators=[validate_event_code])
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class RobotStyle(models.TextChoices):
    TEXT = "text", _("企业微信/钉钉 文本消息（有密钥时按钉钉加签）")
    FEISHU = "feishu", _("飞书 文本消息（有密钥时按飞书签名）")


class ChannelConfig(models.Model):
    """Which outbound senders a region uses. The nearest configured region up the tree applies
    (community, then street, then district, then city); with none, notices stay in-app and SMS goes
    to the configured SMS backend (log-only unless a provider is set)."""

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("区域"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("对该区域及其下级区域生效；下级区域有自己的配置时以下级为准。"),
    )
    events = models.TextField(
        _("外发事件"),
        blank=True,
        validators=[validate_event_list],
        help_text=_("逗号或换行分隔的事件代码，可用 consultation.* 表示一类；留空表示全部事件。"),
    )
    email_enabled = models.BooleanField(_("启用邮件"), default=False)
    email_users = models.BooleanField(
        _("发到接收人账号邮箱"), default=True, help_text=_("接收人的账号填写了邮箱时，也发一封邮件。")
    )
    email_recipients = models.TextField(
        _("抄送邮箱"),
        blank=True,
        validators=[validate_email_list],
        help_text=_("每行一个，例如司法所公共邮箱。"),
    )
    robot_enabled = models.BooleanField(_("启用群机器人"), default=False)
    robot_url = models.CharField(_("群机器人地址"), max_length=500, blank=True)
    # Signing secrets are encrypted at rest (GUWEN_DATA_KEY), like 身份证号.
    robot_secret = EncryptedTextField(
        _("群机器人签名密钥"), blank=True, help_text=_("机器人开启“加签”时填写。")
    )
    robot_style = models.CharField(
        _("群机器人类型"), max_length=10, choices=RobotStyle.choices, default=RobotStyle.TEXT
    )
    sms_enabled = models.BooleanField(
        _("启用短信"), default=True, help_text=_("未配置短信服务商时，短信只记录在发送记录中（号码脱敏）。")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知渠道配置")
        verbose_name_plural = _("通知渠道配置")
        ordering = ["region__code"]

    def __str__(self) -> str:
        return str(self.region)

    def clean(self) -> None:
        errors = {}
        if self.robot_enabled or self.robot_url:
            try:
                validate_outbound_url(self.robot_url)
            except ValidationError as exc:
                errors["robot_url"] = exc
        if self.email_enabled and not self.email_users and not parse_email_list(self.email_recipients):
            errors["email_recipients"] = ValidationError(_("启用邮件但既不发给接收人也没有抄送邮箱"))
        if errors:
            raise ValidationError(errors)

    @property
    def event_patterns(self) -> list[str]:
        return parse_event_list(self.events) or ["*"]


class WebhookSubscription(models.Model):
    """An integration that receives signed JSON for matching events (outbound event webhooks)."""

    name = models.CharField(_("名称"), max_length=80)
    url = models.CharField(_("推送地址"), max_length=500, validators=[validate_outbound_url])
    secret = EncryptedTextField(
        _("签名密钥"),
        help_text=_("接收方用它校验 X-Guwen-Signature: sha256=<请求体的 HMAC-SHA256>。"),
    )
    events = models.TextField(
        _("事件"),
        validators=[validate_event_list],
        help_text=_("逗号或换行分隔的事件代码，可用 consultation.* 表示一类，* 表示全部。"),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("只推送该区域及下级区域的事件；留空表示全部区域。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("事件推送订阅")
        verbose_name_plural = _("事件推送订阅")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not parse_event_list(self.events):
            raise ValidationError({"events": _("请至少填写一个事件代码，或填 * 表示全部")})
        if len(self.secret or "") < 16:
            raise ValidationError({"secret": _("签名密钥至少16个字符")})

    @property
    def event_patterns(self) -> list[str]:
        return parse_event_list(self.events)


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    ROBOT = "robot", _("群机器人")
    SMS = "sms", _("短信")
    HOOK = "hook", _("事件推送")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One outbound message. The real address (phone, e-mail, URL) and any signing secret are kept
    encrypted for the sender; ``target`` is the masked form shown in lists and logs.

    Sending is claimed with a compare-and-set on (status, attempts), so two workers never make the
    same attempt; ``next_attempt_at`` is when the next attempt is due (or, while sending, when a
    claim is considered abandoned), which lets the sweep resend anything a lost task left behind.
    """

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    event = models.CharField(_("事件"), max_length=60)
    target = models.CharField(_("发送对象（脱敏）"), max_length=200)
    address_encrypted = models.TextField(_("发送地址（加密）"), editable=False)
    secret_encrypted = models.TextField(_("签名密钥（加密）"), blank=True, editable=False)
    options = models.JSONField(_("发送选项"), default=dict, blank=True)
    payload = models.JSONField(_("内容"), default=dict)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("已尝试次数"), default=0)
    max_attempts = models.PositiveIntegerField(_("最多尝试次数"))
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("订阅"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )

    class Meta:
        verbose_name = _("外发记录")
        verbose_name_plural = _("外发记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.target} {self.get_status_display()}"


class DeliveryAttempt(models.Model):
    """One try at sending a delivery: when, how long, and what came back."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("外发记录"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField(_("第几次"))
    started_at = models.DateTimeField(_("开始时间"))
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    ok = models.BooleanField(_("成功"), default=False)
    status_code = models.PositiveIntegerField(_("HTTP 状态码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("发送尝试")
        verbose_name_plural = _("发送尝试")
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="delivery_attempt_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.delivery_id}/{self.number} {'ok' if self.ok else self.error}"
