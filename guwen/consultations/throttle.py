"""Rate limiting of public requests per client address, counted in the database so that every web
process shares one count. The address is kept only as a keyed hash."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from guwen.consultations.models import ThrottleBucket
from guwen.core.crypto import keyed_hash


def client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64]


def allow(*, scope: str, address: str, limit: int, window_seconds: int, now: datetime | None = None) -> bool:
    """Count one request; False when the address has used up ``limit`` in the current window.
    A limit of 0 or less turns the check off."""
    if limit <= 0:
        return True
    now = now or timezone.now()
    epoch = int(now.timestamp())
    start = now - timedelta(seconds=epoch % window_seconds, microseconds=now.microsecond)
    client = keyed_hash(f"throttle:{scope}:{address}")
    bucket = ThrottleBucket.objects.filter(scope=scope, client=client, window_start=start)
    # One statement on the common path: count up only while under the limit.
    if bucket.filter(count__lt=limit).update(count=F("count") + 1):
        return True
    try:
        with transaction.atomic():
            ThrottleBucket.objects.create(scope=scope, client=client, window_start=start, count=1)
    except IntegrityError:  # the window exists: it is full, or another process just opened it
        return bool(bucket.filter(count__lt=limit).update(count=F("count") + 1))
    return True


def purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    return ThrottleBucket.objects.filter(window_start__lt=timezone.now() - older_than).delete()[0]
