"""Sending deliveries: one claimed attempt at a time, retries with backoff, the sweep's resend."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guwen.core import audit
from guwen.core.crypto import DecryptionError, decrypt_text
from guwen.core.errors import DomainError
from guwen.notifications import selectors, senders
from guwen.notifications.models import Channel, Delivery, DeliveryAttempt, DeliveryStatus
from guwen.notifications.services.outbound import _enqueue

logger = logging.getLogger("guwen.notifications")

# --- sending ------------------------------------------------------------------------------------


def backoff_seconds(attempt: int) -> float:
    """Wait after failed attempt ``attempt`` (1-based): base × 2^(attempt-1), capped."""
    base = float(settings.GUWEN_NOTIFY_BACKOFF_SECONDS)
    return min(base * (2 ** max(0, attempt - 1)), float(settings.GUWEN_NOTIFY_BACKOFF_MAX_SECONDS))


def _lease() -> timedelta:
    # How long a claimed attempt may run before the sweep treats the worker as gone.
    return timedelta(seconds=float(settings.GUWEN_NOTIFY_TIMEOUT_SECONDS) * 2 + 60)


def _send(delivery: Delivery) -> senders.Sent:
    try:
        address = decrypt_text(delivery.address_encrypted)
        secret = decrypt_text(delivery.secret_encrypted) if delivery.secret_encrypted else ""
    except DecryptionError:
        raise senders.SendFailed("无法解密发送地址（数据密钥已更换？）", retryable=False) from None
    if delivery.channel == Channel.EMAIL:
        return senders.send_email(address=address, payload=delivery.payload)
    if delivery.channel == Channel.SMS:
        return senders.send_sms(phone=address, payload=delivery.payload)
    if delivery.channel == Channel.ROBOT:
        return senders.send_robot(
            url=address, payload=delivery.payload, secret=secret, options=delivery.options
        )
    if delivery.channel == Channel.HOOK:
        return senders.send_hook(
            url=address, payload=delivery.payload, secret=secret, delivery_id=delivery.pk
        )
    raise senders.SendFailed(f"未知渠道 {delivery.channel}", retryable=False)


def delivery_attempt(*, delivery_id: int, now: datetime | None = None, due_only: bool = False) -> str:
    """Make the next attempt at one delivery. Returns "sent", "retry", "failed" or "skipped".

    The attempt is claimed with a compare-and-set on (status, attempts): of two workers holding the
    same delivery, one claims attempt n and the other finds nothing to do. A claim left in
    "sending" by a worker that died expires at ``next_attempt_at`` and may then be claimed again.
    ``due_only`` (the sweep) also skips pending deliveries whose next attempt is not yet due.
    """
    now = now or timezone.now()
    row = Delivery.objects.filter(pk=delivery_id).values("status", "attempts", "next_attempt_at").first()
    if row is None or row["status"] not in (DeliveryStatus.PENDING, DeliveryStatus.SENDING):
        return "skipped"
    not_due = row["next_attempt_at"] is not None and row["next_attempt_at"] > now
    if not_due and (due_only or row["status"] == DeliveryStatus.SENDING):
        return "skipped"
    number = row["attempts"] + 1
    claimed = Delivery.objects.filter(pk=delivery_id, status=row["status"], attempts=row["attempts"]).update(
        status=DeliveryStatus.SENDING, attempts=number, next_attempt_at=now + _lease()
    )
    if claimed != 1:
        return "skipped"
    delivery = Delivery.objects.get(pk=delivery_id)
    started = timezone.now()
    clock = time.perf_counter()
    error = None
    try:
        result = _send(delivery)
    except senders.SendFailed as exc:
        error, result = exc, senders.Sent(status_code=exc.status_code)
    duration = int((time.perf_counter() - clock) * 1000)
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery_id=delivery_id,
            number=number,
            started_at=started,
            duration_ms=duration,
            ok=error is None,
            status_code=result.status_code,
            error=error.message if error else "",
        )
        mine = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING, attempts=number)
        if error is None:
            mine.update(
                status=DeliveryStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
            )
            outcome = "sent"
        elif not error.retryable or number >= delivery.max_attempts:
            mine.update(status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=error.message)
            outcome = "failed"
        else:
            retry_at = now + timedelta(seconds=backoff_seconds(number))
            if mine.update(status=DeliveryStatus.PENDING, next_attempt_at=retry_at, last_error=error.message):
                transaction.on_commit(lambda: _enqueue(delivery_id, run_after=retry_at))
            outcome = "retry"
    log = logger.info if error is None else logger.warning
    log(
        "delivery %s (%s, %s) attempt %s: %s%s",
        delivery_id,
        delivery.channel,
        delivery.target,
        number,
        outcome,
        f" ({error.message})" if error else "",
    )
    return outcome


def deliveries_send_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """Resend every delivery whose next attempt is due (the sweep); returns how many were attempted
    by this caller. Safe in several workers at once: each attempt is claimed by compare-and-set."""
    now = now or timezone.now()
    done = 0
    for delivery_id in selectors.deliveries_due(now=now, limit=limit):
        if delivery_attempt(delivery_id=delivery_id, now=now, due_only=True) != "skipped":
            done += 1
    return done


def delivery_retry(*, delivery: Delivery, by) -> Delivery:
    """Give a failed delivery another round of attempts (an administrator fixed the receiving end)."""
    if delivery.status != DeliveryStatus.FAILED:
        raise DomainError(_("只有发送失败的记录可以重新发送"), field="status")
    now = timezone.now()
    with transaction.atomic():
        changed = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING,
            max_attempts=delivery.attempts + max(1, int(settings.GUWEN_NOTIFY_MAX_ATTEMPTS)),
            next_attempt_at=now,
        )
        if changed:
            audit.record(
                actor=by,
                action="delivery.retry",
                obj=delivery,
                old={"status": "failed"},
                new={"status": "pending"},
            )
            transaction.on_commit(lambda: _enqueue(delivery.pk))
    delivery.refresh_from_db()
    return delivery
