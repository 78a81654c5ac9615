"""Rate limiting of public requests per client address, counted where every web process shares one
count: in Redis when the deployment has it (``REDIS_URL``), otherwise in the database. The address
is kept only as a keyed hash.

Redis is the cheaper place: one round trip, no transaction. In the database each count is a row
update that must commit, and on PostgreSQL that commit is a transaction of its own beside the
question's. When Redis does not answer, the count falls back to the database, so an outage of the
cache neither lets a flood through nor turns residents away.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.signals import setting_changed
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from guwen.consultations.models import ThrottleBucket
from guwen.core.clientip import client_ip
from guwen.core.crypto import keyed_hash
from guwen.core.errors import DomainError

log = logging.getLogger(__name__)

CLIENTS_MAX = 10_000
_clients: dict[tuple[str, str], str] = {}
REDIS_TIMEOUT_SECONDS = 0.5
# After a failure the database counts alone for this long before Redis is tried again, so that an
# outage costs one time-out per process and minute rather than one per request.
REDIS_RETRY_SECONDS = 60.0
KEY_PREFIX = "guwen:throttle"


class Throttled(DomainError):
    """The address has used up its requests for the window (answered with 429)."""


@dataclass(frozen=True)
class Limit:
    """``limit`` requests per ``window_seconds`` for one client address in one scope."""

    scope: str
    address: str
    limit: int
    window_seconds: int

    def count(self) -> bool:
        """Count one request; False when the address is over the limit."""
        return allow(
            scope=self.scope, address=self.address, limit=self.limit, window_seconds=self.window_seconds
        )


def count_many(limits: Sequence[Limit], *, now: datetime | None = None) -> list[bool]:
    """Count one request for each limit (an address may come several times), in arrival order;
    for each, False when it is over its limit.

    The batched form of ``Limit.count`` for requests that are committed together (the intake's
    group commit): in the database, one upsert per address and window instead of one statement per
    request, outside any transaction so that a busy address's counter row is never held while a
    batch is written. Requests over the limit are counted too (the window's count can pass the
    limit; it only says that the address is over it until the window ends)."""
    now = now or timezone.now()
    verdicts = [True] * len(limits)
    groups: dict[tuple[str, str, datetime, int, int], list[int]] = {}
    for index, limit in enumerate(limits):
        if limit.limit <= 0:
            continue
        start = _window_start(now, limit.window_seconds)
        key = (limit.scope, _client(limit.scope, limit.address), start, limit.limit, limit.window_seconds)
        groups.setdefault(key, []).append(index)
    for (scope, client, start, limit, window_seconds), indexes in groups.items():
        counted = _count_in_redis(scope, client, start, window_seconds, by=len(indexes))
        if counted is None:
            counted = _count_up_by(scope, client, start, len(indexes))
        first = counted - len(indexes) + 1  # the group's first request's place in the window
        for place, index in enumerate(indexes, start=first):
            verdicts[index] = place <= limit
    return verdicts


def _window_start(now: datetime, window_seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return now - timedelta(seconds=epoch % window_seconds, microseconds=now.microsecond)


def _client(scope: str, address: str) -> str:
    """The keyed hash of an address, remembered: one HMAC per address rather than per request."""
    client = _clients.get((scope, address))
    if client is None:
        if len(_clients) >= CLIENTS_MAX:
            _clients.clear()
        client = _clients[(scope, address)] = keyed_hash(f"throttle:{scope}:{address}")
    return client


def client_address(request) -> str:
    return (client_ip(request) or "unknown")[:64]


def allow(*, scope: str, address: str, limit: int, window_seconds: int, now: datetime | None = None) -> bool:
    """Count one request; False when the address has used up ``limit`` in the current window.
    A limit of 0 or less turns the check off."""
    if limit <= 0:
        return True
    now = now or timezone.now()
    start = _window_start(now, window_seconds)
    client = _client(scope, address)
    counted = _count_in_redis(scope, client, start, window_seconds)
    if counted is not None:
        return counted <= limit
    # One statement on the common path: count up only while under the limit.
    if _count_up(scope, client, start, limit):
        return True
    bucket = ThrottleBucket.objects.filter(scope=scope, client=client, window_start=start)
    try:
        with transaction.atomic():
            ThrottleBucket.objects.create(scope=scope, client=client, window_start=start, count=1)
    except IntegrityError:  # the window exists: it is full, or another process just opened it
        return bool(bucket.filter(count__lt=limit).update(count=F("count") + 1))
    return True


class _Redis:
    """The process's Redis client for counting (thread-safe, pooled), or None without REDIS_URL
    or while Redis is failing."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._url: str | None = None
        self._client = None
        self._down_until = 0.0

    def client(self):
        url = getattr(settings, "REDIS_URL", "") or ""
        if not url or time.monotonic() < self._down_until:
            return None
        if self._url != url:
            with self._lock:
                if self._url != url:
                    import redis

                    self._client = redis.Redis.from_url(
                        url,
                        socket_timeout=REDIS_TIMEOUT_SECONDS,
                        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                    )
                    self._url = url
        return self._client

    def failed(self, exc: Exception) -> None:
        log.warning("rate limit counts in the database for %ds: Redis failed: %s", REDIS_RETRY_SECONDS, exc)
        self._down_until = time.monotonic() + REDIS_RETRY_SECONDS

    def forget(self) -> None:
        with self._lock:
            self._url, self._client, self._down_until = None, None, 0.0


_redis = _Redis()


@receiver(setting_changed)
def _forget_redis(*, setting: str, **kwargs: object) -> None:
    if setting == "REDIS_URL":
        _redis.forget()


def counts_in_redis() -> bool:
    """Whether counts go to Redis now (not in any database transaction)."""
    return _redis.client() is not None


def _count_in_redis(
    scope: str, client: str, start: datetime, window_seconds: int, *, by: int = 1
) -> int | None:
    """The address's count in this window after counting ``by`` requests, or None when the count
    must go to the database (no Redis configured, or Redis failing)."""
    redis_client = _redis.client()
    if redis_client is None:
        return None
    import redis

    key = f"{KEY_PREFIX}:{scope}:{client}:{int(start.timestamp())}"
    try:
        pipe = redis_client.pipeline(transaction=False)
        pipe.incr(key, by)
        pipe.expire(key, window_seconds + 60)  # the window's key outlives the window, then goes
        count, _expires = pipe.execute()
    except redis.RedisError as exc:
        _redis.failed(exc)
        return None
    return int(count)


def _count_up(scope: str, client: str, start: datetime, limit: int) -> bool:
    """``UPDATE … SET count = count + 1 WHERE … AND count < limit``, built once: it runs on every
    public request, where the ORM's compiling would cost several times the statement."""
    connection = connections[router.db_for_write(ThrottleBucket)]
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_UP, [scope, client, connection.ops.adapt_datetimefield_value(start), limit])
        return cursor.rowcount == 1


def _count_up_by(scope: str, client: str, start: datetime, by: int) -> int:
    """Add ``by`` to the address's count in the window (opening the window when it has none), in
    one autocommitted upsert; the count after it."""
    connection = connections[router.db_for_write(ThrottleBucket)]
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_UP_BY, [scope, client, connection.ops.adapt_datetimefield_value(start), by])
        return int(cursor.fetchone()[0])


_TABLE = ThrottleBucket._meta.db_table
_COUNT_UP_BY = (  # the model's table name only; values are parameters
    f"INSERT INTO {_TABLE} (scope, client, window_start, count) VALUES (%s, %s, %s, %s)"  # noqa: S608
    f" ON CONFLICT (scope, client, window_start) DO UPDATE SET count = {_TABLE}.count + excluded.count"
    " RETURNING count"
)

_COUNT_UP = (  # the model's table name only; values are parameters
    f"UPDATE {ThrottleBucket._meta.db_table} SET count = count + 1"  # noqa: S608
    " WHERE scope = %s AND client = %s AND window_start = %s AND count < %s"
)


def purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    return ThrottleBucket.objects.filter(window_start__lt=timezone.now() - older_than).delete()[0]
