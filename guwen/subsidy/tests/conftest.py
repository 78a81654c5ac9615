import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Scans and photos uploaded by the tests go to a throw-away directory, never var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
