from __future__ import annotations

from datetime import datetime
from unittest import mock

import pytest

from guwen.consultations.models import Channel
from guwen.consultations.services import consultation_submit
from guwen.core.workcalendar import CHINA_TZ

# A working Wednesday morning (2025-06-11 10:00 Shanghai): well inside online hours.
MORNING = datetime(2025, 6, 11, 10, 0, tzinfo=CHINA_TZ)
QUESTION = "公司拖欠我两个月工资，老板说下个月再给，我该怎么办？"


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sent():
    """The notification entry points, patched where consultations imports them."""
    with (
        mock.patch("guwen.consultations.notices.notify") as notify,
        mock.patch("guwen.consultations.notices.notify_phone") as notify_phone,
    ):
        yield mock.Mock(notify=notify, notify_phone=notify_phone)


@pytest.fixture
def ask(world):
    """File a question in community A (routed to advisor A) and return the consultation."""

    def make(text: str = QUESTION, *, community=None, phone: str = "13900001111", at=None, **kwargs):
        return consultation_submit(
            community=community or world.community_a,
            channel=kwargs.pop("channel", Channel.WEB),
            text=text,
            phone=phone,
            at=at,
            **kwargs,
        ).consultation

    return make


@pytest.fixture
def taxonomy(db):
    """The category table (a browser test's flush may have emptied the seeded one)."""
    from guwen.consultations.tests.access_rows import _ensure_taxonomy

    _ensure_taxonomy()
