import pytest
from django.core.cache import cache

from guwen.testing import build_world, verified_client


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
