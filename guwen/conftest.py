import pytest

from guwen.core import workcalendar
from guwen.testing import build_world, verified_client


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    # Test transactions roll back without post_delete signals; never trust the process cache.
    workcalendar.clear_cache()
    yield
    workcalendar.clear_cache()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def client_for(world):
    def make(role: str):
        return verified_client(world.user(role))

    return make
