from datetime import datetime, timedelta

import pytest

from guwen.consultations import services
from guwen.consultations.models import Channel
from guwen.consultations.tests import conftest as consultation_fixtures
from guwen.core.workcalendar import CHINA_TZ
from guwen.duty.tests.helpers import make_shift
from guwen.mediation.tests.helpers import agreed
from guwen.outreach.tests.helpers import health_check, lecture

# The consultations app's fixtures: filing a question, and the category table.
ask = consultation_fixtures.ask
taxonomy = consultation_fixtures.taxonomy


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Files written by the tests go to a throw-away directory, never var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


NOW = datetime(2026, 3, 20, 12, 0, tzinfo=CHINA_TZ)  # a Friday


def t(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CHINA_TZ)


@pytest.fixture
def records(world, ask, taxonomy, time_machine):
    """Two questions in community A (one answered in time, one by phone left unanswered), one in
    community C (the other street), one in community E (another district); in A a held and a
    missed shift, a lecture, a health check and an agreed mediation case."""
    time_machine.move_to(NOW, tick=False)
    a = world.user("advisor_a")
    c1 = ask(at=t(3, 16, 10))
    services.consultation_reply(consultation=c1, body="答复", by=a, at=t(3, 16, 11))
    c2 = ask(at=t(3, 17, 10), channel=Channel.PHONE, text="邻居装修噪音太大，物业不管，我该怎么办？")
    ask(community=world.community_c, at=t(3, 18, 10), text="租房押金房东不退，应该怎么办？")
    ask(community=world.community_e, at=t(3, 18, 10), text="罗湖区的一个问题，关于工伤认定程序。")
    make_shift(world, starts_in=timedelta(days=-10), status="confirmed", held_minutes=180)
    make_shift(world, starts_in=timedelta(days=-3), status="missed")
    lecture(world)
    health_check(world, findings=2)
    agreed(world)
    return {"c1": c1, "c2": c2}
