import os

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from guwen.testing import TEST_CLOCK_ENV, build_world, database_for_threads, session_clock, verified_client

# Speed is measured in benchmarks, not asserted in tests: no per-example deadline, so a property
# cannot fail because the machine is busy (the default 200 ms did, on a loaded two-core runner).
hypothesis_settings.register_profile("guwen", deadline=None)
hypothesis_settings.load_profile("guwen")


@pytest.fixture(autouse=True)
def _empty_shared_cache(request):
    """The shared cache lives in the test database (or Redis): a test that reaches the database
    starts with it empty, whatever an earlier transactional test left there."""
    if "_django_db_helper" in request.fixturenames:
        request.getfixturevalue("_django_db_helper")
        cache.clear()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(world):
    def make(role: str):
        return verified_client(world.user(role))

    return make


# --- the session clock (GUWEN_TEST_CLOCK) ----------------------------------------------------

_session_clock = pytest.StashKey()


def pytest_configure(config):
    # Started here, before collection, so dates computed while test modules load follow it too.
    clock = session_clock()
    if clock is not None:
        clock.start()
        config.stash[_session_clock] = clock


def pytest_unconfigure(config):
    clock = config.stash.get(_session_clock, None)
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    if _session_clock in config.stash:
        return f"session clock: {TEST_CLOCK_ENV}={os.environ[TEST_CLOCK_ENV]} (ticking)"
    return None


@pytest.fixture
def concurrent_db(transactional_db, tmp_path):
    """A test database that threads, each with its own connection, write to at once: a file with
    WAL and IMMEDIATE transactions on SQLite, the server itself on PostgreSQL. Threads close their
    connections when done (``connections.close_all()``)."""
    with database_for_threads(tmp_path / "concurrent.sqlite3"):
        yield
