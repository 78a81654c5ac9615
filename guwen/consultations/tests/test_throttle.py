"""Where rate-limit counts live: in Redis when the deployment has one (REDIS_URL), in the database
when it has not or when Redis fails, and there, on PostgreSQL, in an unlogged table. The Redis tests
run against the real Redis at GUWEN_TEST_REDIS_URL (default: database 15 of the local server) and
skip when none answers."""

from __future__ import annotations

import json
import os
import random
import uuid

import pytest
from django.test import Client

from guwen.consultations import throttle
from guwen.consultations.models import Consultation, ThrottleBucket
from guwen.consultations.tests.conftest import QUESTION

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("GUWEN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url(settings):
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {REDIS_URL}: {exc}")
    settings.REDIS_URL = REDIS_URL
    yield client
    for key in client.scan_iter(f"{throttle.KEY_PREFIX}:*"):
        client.delete(key)
    settings.REDIS_URL = ""


def an_address() -> str:
    return f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"


def test_counts_go_to_redis_and_the_window_key_expires(redis_url):
    scope, address = f"test-{uuid.uuid4().hex[:8]}", an_address()
    allowed = [throttle.allow(scope=scope, address=address, limit=3, window_seconds=60) for _ in range(5)]
    assert allowed == [True, True, True, False, False]
    assert throttle.allow(scope=scope, address=an_address(), limit=3, window_seconds=60)
    assert not ThrottleBucket.objects.exists()
    keys = list(redis_url.scan_iter(f"{throttle.KEY_PREFIX}:{scope}:*"))
    assert len(keys) == 2
    assert all(0 < redis_url.ttl(key) <= 120 for key in keys)
    assert address not in str(keys)  # the address only as its keyed hash


def test_when_redis_fails_the_database_counts(settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once
    scope, address = "test-down", an_address()
    allowed = [throttle.allow(scope=scope, address=address, limit=2, window_seconds=60) for _ in range(3)]
    assert allowed == [True, True, False]
    assert ThrottleBucket.objects.get(scope=scope).count == 2
    assert "Redis failed" in caplog.text
    assert not throttle.counts_in_redis()  # not tried again on every request
    settings.REDIS_URL = ""


def test_api_intake_limit_counted_in_redis_saves_nothing_past_it(world, redis_url, settings):
    settings.GUWEN_CONSULT_API_LIMIT = 2
    client = Client(REMOTE_ADDR=an_address())
    body = {
        "community_code": world.community_a.code,
        "phone": "13900001111",
        "text": QUESTION,
        "privacy_consent": True,
    }
    codes = [
        client.post(
            "/api/v1/consultations",
            json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=f"r{i}",
        ).status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]
    assert Consultation.objects.count() == 2
    assert not ThrottleBucket.objects.exists()


def test_on_postgresql_the_counter_table_is_unlogged():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("UNLOGGED tables are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s", [ThrottleBucket._meta.db_table]
        )
        assert cursor.fetchone() == ("u",)


def test_count_many_counts_a_batch_in_arrival_order_one_row_per_address():
    scope = f"test-{uuid.uuid4().hex[:8]}"
    busy, other = an_address(), an_address()
    limits = [throttle.Limit(scope, busy, 3, 60) for _ in range(5)]
    limits.insert(2, throttle.Limit(scope, other, 3, 60))
    assert throttle.count_many(limits) == [True, True, True, True, False, False]
    # Requests over the limit are counted too: the address stays over it until the window ends.
    assert sorted(ThrottleBucket.objects.filter(scope=scope).values_list("count", flat=True)) == [1, 5]
    assert throttle.count_many([throttle.Limit(scope, busy, 3, 60)]) == [False]
    assert throttle.count_many([throttle.Limit(scope, other, 3, 60)] * 2) == [True, True]
    assert throttle.count_many([throttle.Limit(scope, other, 3, 60)]) == [False]
    assert throttle.allow(scope=scope, address=other, limit=3, window_seconds=60) is False


def test_count_many_with_no_limit_lets_everything_through():
    assert throttle.count_many([throttle.Limit("test-off", an_address(), 0, 60)] * 3) == [True] * 3
    assert not ThrottleBucket.objects.filter(scope="test-off").exists()


def test_count_many_in_redis_is_one_count_per_address(redis_url):
    scope, address = f"test-{uuid.uuid4().hex[:8]}", an_address()
    assert throttle.count_many([throttle.Limit(scope, address, 2, 60)] * 3) == [True, True, False]
    assert not ThrottleBucket.objects.exists()
    keys = list(redis_url.scan_iter(f"{throttle.KEY_PREFIX}:{scope}:*"))
    assert len(keys) == 1 and int(redis_url.get(keys[0])) == 3
