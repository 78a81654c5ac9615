import pytest

from guwen.consultations.tests.conftest import ask, taxonomy  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files written by the tests go to a throw-away directory, never var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
