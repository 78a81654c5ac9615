"""Creating notices and deliveries.

Notifications: an in-app inbox always, plus pluggable senders (email, group-robot webhook, SMS)
and outbound event webhooks for integration.

The public entry points other modules call (after commit, via ``transaction.on_commit``):

- ``notify(*, recipients, event, title, body, url="", context=None, region=None)`` — in-app notices
  for users, plus delivery through each sender the region's channel configuration enables, plus
  the event webhooks subscribed to ``event``. With no recipients it only publishes the event.
- ``notify_phone(*, phone, text, event, context=None, region=None)`` — an SMS to a resident.
- ``notify_group(*, webhook_url, title, body, event, secret="", style="text")`` — a group-robot
  message to an explicit robot URL.

Every outbound message is a ``Delivery`` row, sent by a task queued after commit and retried with
exponential backoff; a sweep resends whatever a lost task left behind. ``context`` travels to
event webhooks as ``data``: never put personal data (phones, ID numbers, names) in it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.crypto import encrypt_text
from guwen.core.errors import DomainError
from guwen.core.masking import mask_phone
from guwen.core.validators import clean_mobile, mobile_or_empty
from guwen.envconf import env_str
from guwen.notifications import selectors, senders
from guwen.notifications.models import (
    Channel,
    ChannelConfig,
    Delivery,
    Notification,
    RobotStyle,
    WebhookSubscription,
    event_matches,
    parse_email_list,
    validate_event_code,
    validate_outbound_url,
)
from guwen.regions.models import Region

logger = logging.getLogger("guwen.notifications")

TITLE_MAX = 200
BODY_MAX = 4000
SMS_MAX = 500


# --- checking input ---------------------------------------------------------------------------


def _check_event(event: str) -> str:
    try:
        validate_event_code(event)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="event") from exc
    if len(event) > 60:
        raise DomainError(_("事件代码不能超过60个字符"), field="event")
    return event


def _check_text(value: str, *, field: str, label: str, limit: int, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError(_("请填写%(label)s") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(_("%(label)s不能超过%(n)d个字符") % {"label": label, "n": limit}, field=field)
    return text


def _check_local_url(url: str) -> str:
    """In-app links are paths on this site: never another host (no open redirect from the inbox)."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > 300 or not url.startswith("/") or url.startswith("//") or "\\" in url:
        raise DomainError(_("通知链接必须是本站路径，例如 /consultations/12/"), field="url")
    return url


def _check_url(url: str, *, field: str) -> str:
    try:
        validate_outbound_url(url)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field=field) from exc
    return url.strip()


def _users(recipients: Iterable) -> list:
    """Users from user objects or primary keys, active only, each once, in the order given."""
    if isinstance(recipients, str | bytes) or recipients is None:
        raise DomainError(_("接收人必须是用户列表"), field="recipients")
    User = get_user_model()
    ids: list[int] = []
    given = {}
    for item in recipients:
        pk = getattr(item, "pk", item)
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise DomainError(_("接收人必须是用户或用户编号"), field="recipients")
        if pk not in given:
            ids.append(pk)
            given[pk] = item if isinstance(item, User) else None
    if not ids:
        return []
    missing = [pk for pk in ids if given[pk] is None]
    if missing:
        for user in User.objects.filter(pk__in=missing):
            given[user.pk] = user
    return [given[pk] for pk in ids if given[pk] is not None and given[pk].is_active]


# --- masking targets --------------------------------------------------------------------------


def mask_email(address: str) -> str:
    local, _sep, domain = (address or "").partition("@")
    return (local[:2] + "***@" + domain) if domain else "***"


def mask_url(url: str) -> str:
    """Scheme, host and the shape of the path; tokens in the path and every query value hidden."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    segments = [seg if len(seg) <= 16 else seg[:4] + "***" for seg in parts.path.split("/")]
    query = "&".join(f"{pair.split('=', 1)[0]}=***" for pair in parts.query.split("&") if pair)
    return urlunsplit((parts.scheme, parts.hostname or "", "/".join(segments), query, ""))[:200]


def _link(url: str) -> str:
    """Links that leave the site are absolute when GUWEN_PUBLIC_BASE_URL (https://…) is set."""
    base = getattr(settings, "GUWEN_PUBLIC_BASE_URL", "") or env_str("GUWEN_PUBLIC_BASE_URL", "")
    base = base.rstrip("/")
    return f"{base}{url}" if url and base else url


def _region_from(region, context: dict | None) -> Region | None:
    """The region an event belongs to: ``region=`` when given, else a region code under ``region`` or
    ``community`` in the context (so callers that only pass a context still reach their channels)."""
    if region is not None:
        if not isinstance(region, Region):
            raise DomainError(_("区域不正确"), field="region")
        return region
    for key in ("region", "community"):
        code = (context or {}).get(key)
        if isinstance(code, str) and len(code) == 12 and code.isdigit():
            return Region.objects.filter(code=code).first()
    return None


# --- creating deliveries -------------------------------------------------------------------------


def _delivery(
    *,
    channel: str,
    event: str,
    address: str,
    target: str,
    payload: dict,
    secret: str = "",
    options: dict | None = None,
    subscription: WebhookSubscription | None = None,
    now: datetime,
) -> Delivery:
    return Delivery(
        channel=channel,
        event=event,
        target=target[:200],
        address_encrypted=encrypt_text(address),
        secret_encrypted=encrypt_text(secret) if secret else "",
        options=options or {},
        payload=payload,
        max_attempts=max(1, int(settings.GUWEN_NOTIFY_MAX_ATTEMPTS)),
        # The queued task sends at once; the sweep only steps in if the task is lost.
        next_attempt_at=now + timedelta(seconds=settings.GUWEN_NOTIFY_SWEEP_GRACE_SECONDS),
        subscription=subscription,
        created_at=now,
    )


def _save_and_queue(deliveries: list[Delivery]) -> list[Delivery]:
    if not deliveries:
        return []
    created = Delivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in created]
    transaction.on_commit(lambda: [_enqueue(pk) for pk in ids])
    return created


def _enqueue(delivery_id: int, run_after: datetime | None = None) -> None:
    """Queue the send; a failure to queue loses nothing, because the sweep resends due deliveries."""
    from guwen.notifications.tasks import send_delivery

    try:
        task = send_delivery
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # the sweep picks it up when due
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id)
    except Exception:  # the queue is best effort; the sweep is the guarantee
        logger.warning("delivery %s could not be queued; the sweep will send it", delivery_id, exc_info=True)


def _hook_deliveries(
    *,
    event: str,
    title: str,
    body: str,
    url: str,
    region: Region | None,
    context: dict | None,
    now,
    table: selectors.Routing,
) -> list[Delivery]:
    deliveries = []
    for sub in selectors.subscriptions_for(event=event, region=region, table=table):
        payload = {
            "event": event,
            "occurred_at": now.isoformat(),
            "region": region.code if region is not None else None,
            "title": title,
            "body": body,
            "url": _link(url),
            "data": audit.json_safe(context or {}),
        }
        deliveries.append(
            _delivery(
                channel=Channel.HOOK,
                event=event,
                address=sub.url,
                target=mask_url(sub.url),
                payload=payload,
                secret=sub.secret,
                subscription=sub,
                now=now,
            )
        )
    return deliveries


def _channel_deliveries(
    *, config: ChannelConfig, users: list, event: str, title: str, body: str, url: str, now
) -> list[Delivery]:
    link = _link(url)
    deliveries = []
    if config.email_enabled:
        addresses = [u.email for u in users if u.email] if config.email_users else []
        addresses += parse_email_list(config.email_recipients)
        seen = set()
        for address in addresses:
            key = address.lower()
            try:
                validate_email(address)
            except ValidationError:
                continue  # a bad address on an account must not stop the others
            if key in seen:
                continue
            seen.add(key)
            deliveries.append(
                _delivery(
                    channel=Channel.EMAIL,
                    event=event,
                    address=address,
                    target=mask_email(address),
                    payload={"subject": title, "body": "\n\n".join(p for p in (body, link) if p)},
                    now=now,
                )
            )
    if config.robot_enabled and config.robot_url:
        content = "\n".join(p for p in (f"【{title}】", body, link) if p)
        deliveries.append(
            _delivery(
                channel=Channel.ROBOT,
                event=event,
                address=config.robot_url,
                target=mask_url(config.robot_url),
                payload={"content": content},
                secret=config.robot_secret,
                options={"style": config.robot_style},
                now=now,
            )
        )
    if config.sms_enabled:
        text = f"{title}：{body}" if body else title
        for user in users:
            phone = mobile_or_empty(user.phone)
            if phone:
                deliveries.append(
                    _delivery(
                        channel=Channel.SMS,
                        event=event,
                        address=phone,
                        target=mask_phone(phone),
                        payload={"text": text[:SMS_MAX]},
                        now=now,
                    )
                )
    return deliveries


# --- the public entry points ---------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable,
    event: str,
    title: str,
    body: str,
    url: str = "",
    context: dict | None = None,
    region: Region | None = None,
) -> list[Notification]:
    """Put a notice in each recipient's inbox and send it on the region's configured channels and to
    the event webhooks subscribed to ``event``. Returns the in-app notices."""
    event = _check_event(event)
    title = _check_text(title, field="title", label=_("标题"), limit=TITLE_MAX)
    body = _check_text(body, field="body", label=_("内容"), limit=BODY_MAX, required=False)
    url = _check_local_url(url)
    if region is not None and not isinstance(region, Region):
        raise DomainError(_("区域不正确"), field="region")
    users = _users(recipients)
    now = timezone.now()
    table = selectors.routing()
    # With no channel configured and no subscription, a notice stays in-app: no region to look up.
    region = None if table.empty else _region_from(region, context)
    config = selectors.channel_config_for(region, table)
    with transaction.atomic():
        notes = Notification.objects.bulk_create(
            [
                Notification(recipient=user, event=event, title=title, body=body, url=url, created_at=now)
                for user in users
            ]
        )
        deliveries = _hook_deliveries(
            event=event, title=title, body=body, url=url, region=region, context=context, now=now, table=table
        )
        if config is not None and event_matches(config.event_patterns, event):
            deliveries += _channel_deliveries(
                config=config, users=users, event=event, title=title, body=body, url=url, now=now
            )
        _save_and_queue(deliveries)
    return notes


def notify_phone(
    *, phone: str, text: str, event: str, context: dict | None = None, region: Region | None = None
) -> Delivery | None:
    """An SMS to a resident. Returns the delivery, or None when the region has SMS turned off.
    ``sms_is_real()`` says whether messages actually reach phones (the default backend only logs)."""
    event = _check_event(event)
    number = clean_mobile(phone)
    text = _check_text(text, field="text", label=_("短信内容"), limit=SMS_MAX)
    table = selectors.routing()
    region = _region_from(region, context) if table.configs else None
    config = selectors.channel_config_for(region, table)
    if config is not None and not config.sms_enabled:
        return None
    return _send_one(
        channel=Channel.SMS, event=event, address=number, target=mask_phone(number), payload={"text": text}
    )


def notify_group(
    *, webhook_url: str, title: str, body: str, event: str, secret: str = "", style: str = RobotStyle.TEXT
) -> Delivery:
    """A message to a group robot (企业微信/钉钉/飞书 style JSON POST), signed when ``secret`` is given."""
    event = _check_event(event)
    url = _check_url(webhook_url, field="webhook_url")
    title = _check_text(title, field="title", label=_("标题"), limit=TITLE_MAX)
    body = _check_text(body, field="body", label=_("内容"), limit=BODY_MAX, required=False)
    if style not in RobotStyle.values:
        raise DomainError(_("群机器人类型不正确"), field="style")
    if len(secret or "") > 200:
        raise DomainError(_("签名密钥不能超过200个字符"), field="secret")
    content = "\n".join(p for p in (f"【{title}】", body) if p)
    return _send_one(
        channel=Channel.ROBOT,
        event=event,
        address=url,
        target=mask_url(url),
        payload={"content": content},
        secret=secret or "",
        options={"style": style},
    )


def _send_one(**fields) -> Delivery:
    with transaction.atomic():
        [delivery] = _save_and_queue([_delivery(now=timezone.now(), **fields)])
    return delivery


def sms_is_real() -> bool:
    """Whether an SMS provider is configured (the default backend only writes a masked log line)."""
    return senders.sms_backend().real
