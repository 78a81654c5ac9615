import pytest

from guwen.core import workcalendar


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test sees the overrides in its own database and its own fallback warnings.

    Test transactions roll back without firing post_delete, so the process-wide
    cache is cleared around every test rather than trusted.
    """
    workcalendar.clear_cache()
    workcalendar._warned_years.clear()
    yield
    workcalendar.clear_cache()
    workcalendar._warned_years.clear()
