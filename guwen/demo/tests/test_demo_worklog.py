"""On the demo, the advisor's work log shows every kind of record, each once, and the appraisal's
week count reads the same weeks."""

from datetime import date

import pytest

from guwen.accounts.models import User
from guwen.demo.management.commands.load_demo import STEPS
from guwen.demo.nanwan import load as load_people
from guwen.evaluation.worklog import worklog, worklog_weeks

pytestmark = pytest.mark.django_db


@pytest.mark.time_machine("2026-12-03T10:20:00+08:00")
def test_demo_advisor_log_shows_every_kind():
    # The demo up to the modules the log reads (the subsidy and the appraisal only read it).
    load_people()
    for label, step in STEPS:
        if label not in ("以案定补", "评价考核"):
            step()
    advisor = User.objects.get(username="advisor").lawyer
    entries = worklog(lawyer=advisor, date_from=date(2025, 12, 4), date_to=date(2026, 12, 3))
    kinds = {entry.kind for entry in entries}
    assert kinds == {
        "consultation",
        "duty",
        "activity",
        "health_check",
        "opinion",
        "referral",
        "mediation_session",
        "mediation_callback",
        "other",
    }
    assert len({(entry.kind, entry.url) for entry in entries}) == len(entries)  # no entry twice
    # The appraisal's worklog indicator counts the same weeks from bare times.
    for since in (date(2025, 12, 4), date(2026, 6, 1), date(2026, 11, 30)):
        logged = worklog(lawyer=advisor, date_from=since, date_to=date(2026, 12, 3))
        weeks = {entry.at.isocalendar()[:2] for entry in logged}
        assert worklog_weeks(lawyer=advisor, date_from=since, date_to=date(2026, 12, 3)) == weeks
    assert len(weeks) >= 1
