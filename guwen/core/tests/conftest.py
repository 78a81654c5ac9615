import pytest

from guwen.core import workcalendar


@pytest.fixture(autouse=True)
def _fresh_calendar_warnings():
    """Each test sees its own fallback warnings (one per year per process)."""
    workcalendar._warned_years.clear()
    yield
    workcalendar._warned_years.clear()
