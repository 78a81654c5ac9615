"""Taking a question in, from any channel: the public page, the advisor's phone/walk-in log, the
group-chat robot and the JSON API all end in ``consultation_submit``."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations import conf, notices, rules, tasks
from guwen.consultations.models import (
    Attachment,
    Author,
    Channel,
    Consultation,
    EventCode,
    GroupChannel,
    Level,
    Message,
    MessageKind,
    SeenSignature,
    Status,
    Urgency,
)
from guwen.consultations.routing import Route, route
from guwen.consultations.services.common import (
    add_event,
    clean_name,
    clean_phone,
    clean_text,
    phone_fields,
    phone_hash,
)
from guwen.consultations.workflow import OPEN_STATUSES
from guwen.core import audit
from guwen.core.cache import bump, cached
from guwen.core.codes import CODE_ALPHABET, new_code, normalize_code
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.signatures import body_signature
from guwen.core.uploads import CheckedUpload, check_upload
from guwen.core.validators import plain_data
from guwen.regions.models import Level as RegionLevel
from guwen.regions.models import Region

RECEIPT_ALPHABET = CODE_ALPHABET
RECEIPT_LENGTH = 8
KEY_MAX = 64  # the client's part; stored behind its channel, "<channel>:<key>"


@dataclass(frozen=True)
class IntakeResult:
    consultation: Consultation
    created: bool


_CHANNELS = frozenset(Channel.values)


def new_receipt_code() -> str:
    return new_code(RECEIPT_LENGTH)


def normalize_receipt_code(value: str) -> str:
    return normalize_code(value, length=RECEIPT_LENGTH)


# Communities change rarely and every public intake names one: what a code finds is kept in the
# shared cache, misses too (a scan of bad codes costs one query per code, not one per request). A
# change to any region makes every process look again.
COMMUNITIES = "consultations.community"


@receiver(post_save, sender=Region, dispatch_uid="consult_region_saved")
@receiver(post_delete, sender=Region, dispatch_uid="consult_region_deleted")
def _region_changed(**kwargs: object) -> None:
    bump(COMMUNITIES)


def _community_row(code: str) -> Region | None:
    return (
        Region.objects.filter(code=code, level=RegionLevel.COMMUNITY, is_active=True)
        .only("id", "code", "name", "path", "parent_id", "level", "is_active")
        .first()
    )


def community_by_code(code: str) -> Region:
    """An active community by its 12-digit code, or NotFound (same message for any bad code)."""
    code = str(code)
    if not (code.isdigit() and len(code) == 12):
        raise NotFound(_("未找到该社区，请核对二维码或社区代码"), field="community")
    community = cached(COMMUNITIES, code, lambda: _community_row(code))
    if community is None:
        raise NotFound(_("未找到该社区，请核对二维码或社区代码"), field="community")
    return community


def check_files(files: Sequence, *, field: str = "attachments") -> list[tuple[object, CheckedUpload]]:
    limit = conf.max_attachments()
    if len(files) > limit:
        raise DomainError(_("最多上传 %(n)d 个文件") % {"n": limit}, field=field)
    checked = []
    for upload in files:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), field=field) from exc
    return checked


def _clean_key(key: str | None) -> str | None:
    """The client's idempotency key, whole: 1–KEY_MAX visible characters, no spaces."""
    if key is None:
        return None
    if not key or len(key) > KEY_MAX or any(ch.isspace() or not ch.isprintable() for ch in key):
        raise DomainError(
            _("幂等键应为 1–%(n)d 个可见字符，不能含空格或控制字符") % {"n": KEY_MAX},
            field="idempotency_key",
        )
    return key


def _fingerprint(*parts: object) -> str:
    """What a retry must repeat for the key to return the first result: a hash of the request."""
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def _replay(key: str, fingerprint: str) -> Consultation | None:
    """The consultation first filed under ``key``, when this request repeats it; None when no
    consultation has the key."""
    found = Consultation.objects.filter(idempotency_key=key).first()
    if found is not None and found.idempotency_fingerprint != fingerprint:
        raise DomainError(
            _("该幂等键已用于另一个问题：重试时请原样提交，新问题请换一个新的键"), field="idempotency_key"
        )
    return found


def consultation_submit(
    *,
    community: Region,
    channel: str,
    text: str,
    phone: str,
    resident_name: str = "",
    files: Sequence = (),
    idempotency_key: str | None = None,
    source: dict | None = None,
    consent: bool = True,
    owner=None,
    by=None,
    at: datetime | None = None,
    is_demo: bool = False,
) -> IntakeResult:
    """File a question. A retry with the same idempotency key and the same request returns the first
    consultation; the same key with another request is refused.

    The key is the client's (stored as ``<channel>:<key>``). A phone number is required except from
    a group chat. ``owner`` is the advisor who took a phone or walk-in question themself. Otherwise
    the worker routes the question within about a second (``consultations.dispatch_new``: primary
    advisor → backup → duty rota → street pool), or this call does, where tasks run inline.
    """
    if channel not in _CHANNELS:
        raise DomainError(_("渠道不正确"), field="channel")
    if not consent:
        raise DomainError(_("请阅读并同意隐私说明后再提交"), field="consent")
    if community.level != RegionLevel.COMMUNITY:
        raise DomainError(_("只能向社区提问"), field="community")
    body, name = clean_text(text), clean_name(resident_name)
    number = clean_phone(phone) if (phone or channel != Channel.GROUP) else ""
    number_hash = phone_hash(number) if number else ""
    client_key = _clean_key(idempotency_key)
    key = f"{channel}:{client_key}" if client_key is not None else None
    checked = check_files(files)
    fingerprint = _fingerprint(community.code, body, number_hash, name, [i.sha256 for _f, i in checked])
    now = at or timezone.now()
    day = timezone.localdate(now)
    urgency, reason, spec = rules.intake_terms(text=body, community=community, level=Level.COMMUNITY, on=day)
    due_at = rules.due_from(start=now, spec=spec)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                consultation = Consultation.objects.create(
                    community=community,
                    channel=channel,
                    resident_name=name,
                    text=body,
                    urgency=urgency,
                    urgency_reason=reason,
                    level=Level.COMMUNITY,
                    owner=owner,
                    status=Status.NEW,
                    due_at=due_at,
                    first_due_at=due_at,
                    deadline_schedule=spec.schedule,
                    receipt_code=new_receipt_code(),
                    idempotency_key=key,
                    idempotency_fingerprint=fingerprint if key else "",
                    source=source or {},
                    created_at=now,
                    is_demo=is_demo,
                    **phone_fields(number, number_hash=number_hash),
                )
                message = Message.objects.create(
                    consultation=consultation,
                    author=Author.RESIDENT,
                    kind=MessageKind.QUESTION,
                    body=body,
                    created_at=now,
                )
                audit.record(
                    actor=by,
                    action="consultation.create",
                    obj=consultation,
                    new={
                        "channel": channel,
                        "community": community.code,
                        "owner": owner.pk if owner is not None else None,
                        "urgency": urgency,
                        "due_at": consultation.due_at,
                        "policy": spec.policy_id,
                        "attachments": len(checked),
                    },
                )
                _save_files(consultation, message, checked)
                # Questions an advisor took, back-filled history and inline tasks are routed now.
                if owner is not None or notices.quiet() or tasks.runs_inline():
                    taken = Route(Level.COMMUNITY, owner, "taken") if owner is not None else None
                    consultation_dispatch(consultation=consultation, routed=taken, by=by)
            return IntakeResult(consultation, True)
        except IntegrityError:
            found = _replay(key, fingerprint) if key is not None else None
            if found is not None:  # the same key won, earlier or in a race with another process
                return IntakeResult(found, False)
            # Otherwise two receipt codes collided (one in 10^11): draw another.
    raise Conflict(_("提交未能保存，请稍后重试"))


def consultation_dispatch(
    *, consultation: Consultation, routed: Route | None = None, by=None, at: datetime | None = None
) -> bool:
    """Route an accepted question and tell who must know; False when someone routed it first.

    Routing is compare-and-set on "still unowned at the community level", so the task and the
    sweep's safety net never route one question twice. The CREATED event records the outcome with
    the deadline then in force; an urgent question alerts the judicial office.
    """
    with transaction.atomic():
        if routed is None:
            routed = route(community=consultation.community, at=at or consultation.created_at)
            changes = {"owner": routed.owner, "level": routed.level}
            if routed.level != Level.COMMUNITY:
                spec = rules.deadline_spec(
                    community=consultation.community,
                    level=routed.level,
                    urgency=consultation.urgency,
                    on=timezone.localdate(consultation.created_at),
                )
                changes["due_at"] = rules.due_from(start=consultation.created_at, spec=spec)
                # Routed straight past the community at intake: that level's deadline is the first.
                changes["first_due_at"] = changes["due_at"]
                changes["deadline_schedule"] = spec.schedule
            claimed = Consultation.objects.filter(
                pk=consultation.pk, level=Level.COMMUNITY, owner__isnull=True, status__in=OPEN_STATUSES
            ).update(**changes)
            if claimed != 1:
                return False
            for field, value in changes.items():
                setattr(consultation, field, value)
            audit.record(
                actor=None,
                action="consultation.route",
                obj=consultation,
                new={
                    "level": consultation.level,
                    "owner": consultation.owner_id,
                    "via": routed.via,
                    "due_at": consultation.due_at,
                },
            )
        filed = consultation.created_at
        add_event(consultation, EventCode.CREATED, actor=by, at=filed, reason=routed.via)
        urgent = consultation.urgency == Urgency.URGENT
        if urgent:
            add_event(
                consultation,
                EventCode.URGENT_ALERT,
                at=filed,
                reason=consultation.urgency_reason,
                automatic=True,
            )
        pk = consultation.pk
        notices.after_commit(notices.send_new, pk)
        # Back-filled history keeps the categories it was filed with: triage only live intake.
        notices.after_commit(tasks.enqueue_triage, pk)
        if urgent:
            notices.after_commit(notices.send_urgent, pk)
    return True


def consultations_undispatched(*, before: datetime):
    """Accepted questions not yet routed (the partial index ``consult_unrouted_idx`` keeps the
    worker's poll for them cheap however many questions there are)."""
    return Consultation.objects.filter(
        level=Level.COMMUNITY, owner__isnull=True, status__in=OPEN_STATUSES, created_at__lte=before
    ).exclude(events__code=EventCode.CREATED)


def _save_files(consultation: Consultation, message: Message, checked) -> None:
    for _upload, info in checked:
        attachment = Attachment(
            consultation=consultation,
            message=message,
            original_name=info.name,
            content_type=info.file_type.content_type,
            size=info.size,
            sha256=info.sha256,
        )
        attachment.file.save(f"upload{info.file_type.extension}", ContentFile(info.content), save=False)
        attachment.save()


# --- the group-chat robot ----------------------------------------------------------------------


class SignatureRefused(DomainError):
    """A webhook call whose signature or timestamp is missing, wrong or stale (answered with 401)."""


group_signature = body_signature


def group_message_receive(
    *, community_code: str, body: bytes, signature: str, timestamp: str, now: datetime | None = None
) -> IntakeResult:
    """Turn a signed group-chat message into a consultation.

    The robot signs the raw body: ``X-Guwen-Signature: sha256=<hex HMAC-SHA256(secret, body)>``. The
    body repeats ``X-Guwen-Timestamp`` as ``timestamp`` so that the signature covers the time; calls
    older than five minutes, or with a signature already seen, are refused.
    """
    now = now or timezone.now()
    channel = (
        GroupChannel.objects.select_related("community")
        .filter(community__code=str(community_code), is_active=True)
        .first()
    )
    if channel is None:
        raise NotFound(_("该社区未开通群聊机器人接入"), field="community")
    expected = group_signature(channel.secret, body)
    if not signature or not hmac.compare_digest(expected, signature.strip()):
        raise SignatureRefused(_("签名不正确"), field="X-Guwen-Signature")
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        raise SignatureRefused(_("时间戳应为 Unix 秒数"), field="X-Guwen-Timestamp") from None
    if abs(now.timestamp() - sent_at) > conf.webhook_max_age():
        raise SignatureRefused(_("请求已过期（时间戳超过 5 分钟）"), field="X-Guwen-Timestamp")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DomainError(_("请求体应为 UTF-8 编码的 JSON"), field="body") from None
    if not isinstance(payload, dict):
        raise DomainError(_("请求体应为 JSON 对象"), field="body")
    # The body is read here, not by the API's parser (the signature covers its raw bytes): every
    # string of it is plain text all the same.
    payload = plain_data(payload)
    if str(payload.get("timestamp", "")) != str(sent_at):
        raise SignatureRefused(_("请求体中的 timestamp 与 X-Guwen-Timestamp 不一致"), field="timestamp")
    text, sender = payload.get("text"), payload.get("sender_name", "")
    if not isinstance(text, str):
        raise DomainError(_("缺少消息内容"), field="text")
    group_name = str(payload.get("group_name") or channel.group_name)[:80]
    message_id = str(payload.get("message_id") or "")
    if len(message_id) > 40:  # an identifier is matched whole, never cut to fit
        raise DomainError(_("message_id 最多 40 个字符"), field="message_id")
    with transaction.atomic():
        try:
            with transaction.atomic():
                SeenSignature.objects.create(signature=expected.removeprefix("sha256="), received_at=now)
        except IntegrityError:
            raise Conflict(_("该签名已使用过（重复请求）"), field="X-Guwen-Signature") from None
        return consultation_submit(
            community=channel.community,
            channel=Channel.GROUP,
            text=text,
            phone=str(payload.get("sender_phone") or ""),
            resident_name=str(sender or "")[:40],
            idempotency_key=f"{channel.community.code}:{message_id}" if message_id else None,
            source={
                "group_name": group_name,
                "sender_name": str(sender or "")[:40],
                "message_id": message_id,
            },
            at=now,
        )


def seen_signatures_purge(*, now: datetime | None = None) -> int:
    cutoff = (now or timezone.now()) - timedelta(seconds=conf.webhook_max_age() * 2)
    return SeenSignature.objects.filter(received_at__lt=cutoff).delete()[0]
