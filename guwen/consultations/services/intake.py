"""Taking a question in, from any channel: the public page, the advisor's phone/walk-in log, the
group-chat robot and the JSON API all end in ``consultation_submit``."""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.consultations import conf, notices, rules, tasks, throttle
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
from guwen.core.codes import CODE_ALPHABET, new_code, normalize_code
from guwen.core.errors import Conflict, DomainError, NotFound
from guwen.core.groupcommit import GroupCommit, run_alone
from guwen.core.rows import insert_family, prepare_insert
from guwen.core.signatures import body_signature
from guwen.core.uploads import CheckedUpload, check_upload
from guwen.regions.models import Level as RegionLevel
from guwen.regions.models import Region

RECEIPT_ALPHABET = CODE_ALPHABET
RECEIPT_LENGTH = 8
KEY_MAX = 80


@dataclass(frozen=True)
class IntakeResult:
    consultation: Consultation
    created: bool


_CHANNELS = frozenset(Channel.values)


def new_receipt_code() -> str:
    return new_code(RECEIPT_LENGTH)


def normalize_receipt_code(value: str) -> str:
    return normalize_code(value, length=RECEIPT_LENGTH)


# Communities change rarely and every public intake names one: each process keeps what it looked up
# for a short while (misses too, so a scan of bad codes costs one query per code and minute). A change
# to a region clears this process's copy at once; other processes follow within COMMUNITY_CACHE_SECONDS.
COMMUNITY_CACHE_SECONDS = 60.0
_communities: dict[str, tuple[float, Region | None]] = {}
COMMUNITY_CACHE_MAX = 20_000


@receiver(post_save, sender=Region, dispatch_uid="consult_region_saved")
@receiver(post_delete, sender=Region, dispatch_uid="consult_region_deleted")
def clear_community_cache(**kwargs: object) -> None:
    _communities.clear()


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
    now = time.monotonic()
    hit = _communities.get(code)
    if hit is not None and now - hit[0] < COMMUNITY_CACHE_SECONDS:
        community = hit[1]
    else:
        community = _community_row(code)
        if len(_communities) >= COMMUNITY_CACHE_MAX:
            _communities.clear()
        _communities[code] = (now, community)
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
    if key is None:
        return None
    value = key.strip()
    if not value or len(value) > KEY_MAX or not value.isprintable():
        raise DomainError(_("幂等键应为 1–%(n)d 个可见字符") % {"n": KEY_MAX}, field="idempotency_key")
    return value


def _existing(key: str, number_hash: str) -> Consultation | None:
    found = Consultation.objects.filter(idempotency_key=key).first()
    if found is not None and found.phone_hash != number_hash:
        # Someone else's key: never hand back another person's receipt.
        raise Conflict(_("该幂等键已被其他提交使用，请换一个"), field="idempotency_key")
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
    phone_required: bool = True,
    is_demo: bool = False,
    rate_limit: throttle.Limit | None = None,
) -> IntakeResult:
    """File a question. A retry with the same idempotency key returns the first consultation.

    ``owner`` is the advisor who took a phone or walk-in question themself. Otherwise the question is
    accepted at once (receipt code, rules-based urgency, stored deadline, the question, the audit
    event, the rate-limit count: one short transaction) and routed within about a second by the
    worker, which polls for unrouted questions (``consultations.dispatch_new`` →
    ``consultation_dispatch``: primary advisor → backup → duty rota → street pool, the owner's or
    pool's notice, the urgent alert, triage). The committed row is itself the queue entry, so an
    acknowledged question is never left unrouted. Without a worker (a task backend that runs tasks
    inline) it is routed here, in the same transaction.
    """
    if channel not in _CHANNELS:
        raise DomainError(_("渠道不正确"), field="channel")
    if not consent:
        raise DomainError(_("请阅读并同意隐私说明后再提交"), field="consent")
    if community.level != RegionLevel.COMMUNITY:
        raise DomainError(_("只能向社区提问"), field="community")
    body = clean_text(text)
    number = clean_phone(phone) if (phone or phone_required) else ""
    name = clean_name(resident_name)
    key = _clean_key(idempotency_key)
    number_hash = phone_hash(number) if number else ""
    # A retry is found by the unique key when its insert fails (below): no look-up on the common path.
    checked = check_files(files)
    now = at or timezone.now()
    day = timezone.localdate(now)
    urgency, reason = rules.urgency_of(text=body, community=community, on=day)
    # Every owner starts at the community level; the deadline is set again if routing lands in the pool.
    spec = rules.deadline_spec(community=community, level=Level.COMMUNITY, urgency=urgency, on=day)
    # Back-filled history (notices suppressed) and questions an advisor took are settled here and now.
    inline = owner is not None or notices.quiet() or tasks.runs_inline()
    values = dict(
        community=community,
        channel=channel,
        resident_name=name,
        text=body,
        urgency=urgency,
        urgency_reason=reason,
        level=Level.COMMUNITY,
        owner=owner,
        status=Status.NEW,
        due_at=rules.due_from(start=now, spec=spec),
        deadline_schedule=spec.schedule,
        idempotency_key=key,
        source=source or {},
        created_at=now,
        is_demo=is_demo,
        **phone_fields(number, number_hash=number_hash),
    )
    # Everything is converted for the database before the transaction opens, so that the
    # transaction (on SQLite: the database's single writer lock) holds only the statements.
    consultation_row = prepare_insert(Consultation(receipt_code=new_receipt_code(), **values))
    consultation = consultation_row.obj
    message_row = prepare_insert(
        Message(
            consultation=consultation,
            author=Author.RESIDENT,
            kind=MessageKind.QUESTION,
            body=body,
            created_at=now,
        )
    )
    audit_row = audit.prepare(
        actor=by,
        action="consultation.create",
        object_type=Consultation._meta.label_lower,
        new={
            "channel": channel,
            "community": community.code,
            "level": Level.COMMUNITY,
            "owner": owner.pk if owner is not None else None,
            "urgency": urgency,
            "due_at": values["due_at"],
            "policy": spec.policy_id,
            "attachments": len(checked),
        },
    )

    def write() -> bool:
        """The transaction: False, with nothing saved, when the address is over its limit."""
        if count_inside and not rate_limit.count():
            return False
        insert_family(consultation_row, [(message_row, "consultation_id"), (audit_row, "object_id")])
        _save_files(consultation, message_row.obj, checked)
        if inline:
            taken = Route(Level.COMMUNITY, owner, "taken") if owner is not None else None
            consultation_dispatch(consultation=consultation, routed=taken, by=by)
        return True

    # The address's request count: in Redis when there is one (a round trip, no transaction).
    # Else inside the transaction where writers take turns anyway (SQLite), where it costs nothing
    # more. Where they write side by side (PostgreSQL) it is counted before the transaction, in a
    # statement of its own, or the counter row of a busy address would stay locked until each
    # batch commits and the batches of the web processes would queue on it.
    count_inside = rate_limit is not None and connection.vendor == "sqlite" and not throttle.counts_in_redis()
    # Plain questions from the public are committed in groups (see guwen.core.groupcommit): on
    # SQLite one writer lock for many, on PostgreSQL one commit for many (measured: fewer commits
    # cost the server less than the BEGIN and COMMIT round trips a lone statement would save).
    # Counted outside the transaction, a group's requests are counted together by its leader: one
    # statement (or Redis round trip) per address and batch. One with files, or routed here and
    # now, gets a transaction of its own and is counted first, on its own.
    grouped = not (checked or inline)
    ticket = rate_limit if (grouped and not count_inside) else None
    if rate_limit is not None and not count_inside and not grouped and not rate_limit.count():
        raise throttle.Throttled(_("提交过于频繁，请稍后再试"))
    for attempt in range(5):
        try:
            written = (
                _intake_writes.run(write, ticket=ticket if attempt == 0 else None)
                if grouped
                else run_alone(write)
            )
            if not written:
                raise throttle.Throttled(_("提交过于频繁，请稍后再试"))
            break
        except IntegrityError:
            for row in (consultation_row, message_row, audit_row):
                row.unsave()
            if key is not None:
                found = _existing(key, number_hash)
                if found is not None:  # the same key won, earlier or in a race with another process
                    # A retry is a request too; counted here where the rollback took its count back.
                    if count_inside and not rate_limit.count():
                        raise throttle.Throttled(_("提交过于频繁，请稍后再试")) from None
                    return IntakeResult(found, False)
            if attempt == 4:  # otherwise a receipt code collided: draw another
                raise
            consultation_row.set(receipt_code=new_receipt_code())
    return IntakeResult(consultation, True)


_intake_writes: GroupCommit[bool] = GroupCommit(admit=throttle.count_many, refused=False)


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
    for upload, info in checked:
        attachment = Attachment(
            consultation=consultation,
            message=message,
            original_name=info.name,
            content_type=info.file_type.content_type,
            size=info.size,
            sha256=info.sha256,
        )
        attachment.file.save(f"upload{info.file_type.extension}", File(upload), save=False)
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
        .filter(community__code=str(community_code)[:12], is_active=True)
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
    if str(payload.get("timestamp", "")) != str(sent_at):
        raise SignatureRefused(_("请求体中的 timestamp 与 X-Guwen-Timestamp 不一致"), field="timestamp")
    text, sender = payload.get("text"), payload.get("sender_name", "")
    if not isinstance(text, str):
        raise DomainError(_("缺少消息内容"), field="text")
    group_name = str(payload.get("group_name") or channel.group_name)[:80]
    message_id = str(payload.get("message_id") or "")[:40]
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
            phone_required=False,
            resident_name=str(sender or "")[:40],
            idempotency_key=f"group:{channel.community.code}:{message_id}" if message_id else None,
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
