import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from guwen.core.cache import bump, cached

REPO = Path(__file__).resolve().parents[3]


class Counted:
    """A compute function that counts its calls."""

    def __init__(self, value=None):
        self.value, self.calls = value, 0

    def __call__(self):
        self.calls += 1
        return self.value


@pytest.mark.django_db
def test_a_value_is_computed_once_and_read_from_the_shared_cache(django_assert_num_queries):
    compute = Counted({"a": 1})
    assert cached("test.ns", "k", compute) == {"a": 1}
    with django_assert_num_queries(1):  # the version and the value in one read
        assert cached("test.ns", "k", compute) == {"a": 1}
    assert compute.calls == 1


@pytest.mark.django_db
def test_none_is_cached_like_any_value():
    compute = Counted(None)
    assert cached("test.ns", "missing", compute) is None
    assert cached("test.ns", "missing", compute) is None
    assert compute.calls == 1


@pytest.mark.django_db
def test_bump_makes_every_key_of_its_namespace_compute_again_and_no_other():
    first, second, other = Counted(1), Counted(2), Counted(3)
    for _round in range(2):
        cached("test.ns", "one", first)
        cached("test.ns", "two", second)
        cached("test.other", "one", other)
    bump("test.ns")
    cached("test.ns", "one", first)
    cached("test.ns", "two", second)
    cached("test.other", "one", other)
    assert (first.calls, second.calls, other.calls) == (2, 2, 1)


@pytest.mark.django_db
def test_bump_of_a_namespace_never_read_and_a_lost_version_are_harmless():
    bump("test.fresh")  # no version yet
    compute = Counted("v")
    cached("test.fresh", "k", compute)
    cache.delete("test.fresh.version")  # evicted: a new random version, never the old value's
    cached("test.fresh", "k", compute)
    assert compute.calls == 2


@pytest.mark.django_db
@pytest.mark.skipif(
    "redis" in settings.CACHES["default"]["BACKEND"].lower(), reason="Redis expires keys by its own clock"
)
def test_a_value_expires_after_the_timeout():
    compute = Counted("v")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        cached("test.ns", "default", compute)
        cached("test.ns", "short", compute, timeout=10)
        clock.shift(timedelta(seconds=11))
        cached("test.ns", "short", compute)
        assert compute.calls == 3
        cached("test.ns", "default", compute)
        assert compute.calls == 3
        clock.shift(timedelta(seconds=settings.GUWEN_CACHE_SECONDS))
        cached("test.ns", "default", compute)
        assert compute.calls == 4


@pytest.mark.django_db
def test_bump_in_a_transaction_bumps_again_when_it_commits(django_capture_on_commit_callbacks):
    compute = Counted("v")
    with django_capture_on_commit_callbacks() as callbacks:
        bump("test.ns")
        cached("test.ns", "k", compute)  # computed before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    cached("test.ns", "k", compute)
    assert compute.calls == 2


# --- two processes ------------------------------------------------------------------------------

READER = textwrap.dedent(
    """
    import sys
    from datetime import date

    import django

    django.setup()
    from guwen.core import workcalendar

    day = date(2027, 3, 8)  # a Monday
    print(workcalendar.is_workday(day), workcalendar.holiday_name(day), flush=True)
    sys.stdin.readline()  # the other process saves a holiday meanwhile
    print(workcalendar.is_workday(day), workcalendar.holiday_name(day), flush=True)
    """
)

WRITER = (
    "from datetime import date; from guwen.core.models import CalendarOverride; "
    "CalendarOverride.objects.create(date=date(2027, 3, 8), is_workday=False, name='地方节日')"
)


def test_a_holiday_saved_in_one_process_is_seen_at_once_by_another(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(GUWEN_VAR_DIR=str(tmp_path), GUWEN_PROFILE="test", DJANGO_SETTINGS_MODULE="guwen.settings")
    manage = [sys.executable, str(REPO / "manage.py")]

    def run(*args: str) -> None:
        subprocess.run([*manage, *args], cwd=REPO, env=env, check=True, capture_output=True, timeout=300)

    run("migrate", "core", "--noinput")  # the calendar and the cache table, in one file both share
    reader = subprocess.Popen(
        [sys.executable, "-c", READER],
        cwd=REPO,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = reader.stdout.readline()
        assert first.split() == ["True", "None"], first or reader.stderr.read()
        run("shell", "-c", WRITER)
        out, err = reader.communicate("\n", timeout=120)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0, err
    assert out.split() == ["False", "地方节日"]
