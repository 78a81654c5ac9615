"""Rate limiting of public requests per client address, counted in the database so that every web
process shares one count. The address is kept only as a keyed hash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.utils import timezone

from guwen.consultations.models import ThrottleBucket
from guwen.core.clientip import client_ip
from guwen.core.crypto import keyed_hash
from guwen.core.errors import DomainError

CLIENTS_MAX = 10_000
_clients: dict[tuple[str, str], str] = {}


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
    epoch = int(now.timestamp())
    start = now - timedelta(seconds=epoch % window_seconds, microseconds=now.microsecond)
    client = _client(scope, address)
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


def _count_up(scope: str, client: str, start: datetime, limit: int) -> bool:
    """``UPDATE … SET count = count + 1 WHERE … AND count < limit``, built once: it runs on every
    public request, where the ORM's compiling would cost several times the statement."""
    connection = connections[router.db_for_write(ThrottleBucket)]
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_UP, [scope, client, connection.ops.adapt_datetimefield_value(start), limit])
        return cursor.rowcount == 1


_COUNT_UP = (  # the model's table name only; values are parameters
    f"UPDATE {ThrottleBucket._meta.db_table} SET count = count + 1"  # noqa: S608
    " WHERE scope = %s AND client = %s AND window_start = %s AND count < %s"
)


def purge(*, older_than: timedelta = timedelta(days=1)) -> int:
    return ThrottleBucket.objects.filter(window_start__lt=timezone.now() - older_than).delete()[0]
