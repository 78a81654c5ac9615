import pytest
from django.core.cache import cache

from guwen.core import workcalendar
from guwen.knowledge import search, selectors
from guwen.testing import build_world, verified_client


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    # Test transactions roll back without post_delete signals, and each test has its own data:
    # never trust a per-process cache across tests.
    workcalendar.clear_cache()
    search.forget_frequencies()
    selectors.forget_aliases()
    yield
    workcalendar.clear_cache()
    search.forget_frequencies()
    selectors.forget_aliases()


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
