"""Rate limits per client address, counted in the shared cache: the database cache by default and
Redis when the deployment has one. The Redis test runs against the real Redis at
GUWEN_TEST_REDIS_URL (default: database 15 of the local server); it skips when none answers,
unless GUWEN_REQUIRE_REDIS=1 (CI, which starts Redis when the machine has it)."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from guwen.core.ratelimit import retry_after

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("GUWEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def request_from(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


def test_an_address_over_its_limit_waits_and_another_address_does_not(settings):
    settings.GUWEN_RATE_LIMITS = {"intake": "2/9999d"}
    waits = [retry_after(request_from("198.51.100.7"), "intake") for _ in range(4)]
    assert waits[:2] == [None, None]
    assert all(wait is not None and wait > 0 for wait in waits[2:])
    assert retry_after(request_from("198.51.100.8"), "intake") is None


def test_an_empty_or_unknown_rule_limits_nothing(settings):
    settings.GUWEN_RATE_LIMITS = {"intake": ""}
    assert all(retry_after(request_from("198.51.100.9"), rule) is None for rule in ("intake", "nope") * 5)


@pytest.fixture
def redis_cache(settings):
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("GUWEN_REQUIRE_REDIS") == "1":
            pytest.fail(f"GUWEN_REQUIRE_REDIS=1 but no Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    prefix = f"guwen-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    caches["default"].close()


def test_with_redis_the_counts_live_there_and_expire_with_their_window(settings, redis_cache):
    settings.GUWEN_RATE_LIMITS = {"status": "3/1h"}
    waits = [retry_after(request_from("203.0.113.5"), "status") for _ in range(5)]
    assert waits[:3] == [None, None, None] and all(waits[3:])
    keys = list(redis_cache.scan_iter(f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    assert len(keys) == 1
    assert "203.0.113.5" not in keys[0].decode()  # the address is hashed into the key
    assert int(redis_cache.get(keys[0])) == 5
    assert 0 < redis_cache.ttl(keys[0]) <= 3600 + 60
