"""Values that every request reads and that change seldom, kept in the shared cache (settings.CACHES).

Each namespace has a version number in the cache, and a value is stored with the version it was
computed under: it is used only while that version is current. A write to what a namespace is
computed from calls ``bump(namespace)`` (from a post_save/post_delete receiver, or from the
service that wrote in bulk), and every process computes afresh on its next read. The timeout
(GUWEN_CACHE_SECONDS unless given) is only a safety net for a write that was not followed by a bump.

One read is one round trip: the version and the value are fetched together. ``None`` is cached
like any other value, so a miss (an unknown code) is not looked up again on every request. Values
are pickled: plain data or model instances, nothing with an open file or connection.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

T = TypeVar("T")


def _version_key(namespace: str) -> str:
    return f"{namespace}.version"


def _fresh_version() -> int:
    # Random rather than 1: a version number that was evicted and made again must not match a
    # value still stored under the old number.
    return secrets.randbits(62)


def cached(namespace: str, key: str, compute: Callable[[], T], *, timeout: float | None = None) -> T:
    """The value of ``key`` in ``namespace``, from the cache or from ``compute()`` (then stored)."""
    version_key, value_key = _version_key(namespace), f"{namespace}:{key}"
    found = cache.get_many([version_key, value_key])
    version = found.get(version_key)
    if version is None:
        cache.add(version_key, _fresh_version(), timeout=None)
        version = cache.get(version_key)
    stored = found.get(value_key)
    if stored is not None and version is not None and stored[0] == version:
        return stored[1]
    value = compute()
    seconds = settings.GUWEN_CACHE_SECONDS if timeout is None else timeout
    cache.set(value_key, (version, value), timeout=seconds)
    return value


def _increment(namespace: str) -> None:
    try:
        cache.incr(_version_key(namespace))
    except ValueError:  # no version yet (or evicted): any fresh number will do
        cache.set(_version_key(namespace), _fresh_version(), timeout=None)


def bump(namespace: str) -> None:
    """Make every process compute the namespace's values afresh.

    At once, so this process reads its own write, and again when the transaction commits: another
    process that read the old rows in between may have stored them under the first new number.
    """
    _increment(namespace)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _increment(namespace))
