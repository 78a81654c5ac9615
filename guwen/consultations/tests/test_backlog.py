"""An honest backlog: the first deadline stays when escalation resets the level's clock, every list
and detail shows how long the resident has waited, and lists filter by "等待超过 N 天"."""

from __future__ import annotations

import importlib
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.consultations import selectors, services
from guwen.consultations.forms import FilterForm
from guwen.consultations.models import Consultation, Level, Status
from guwen.consultations.templatetags.consultations import waited_text
from guwen.core.workcalendar import CHINA_TZ
from guwen.testing import verified_client

# A Monday; the default community and street deadlines are 120 online minutes (08:30–21:00 daily).
ASKED = datetime(2026, 3, 16, 10, 0, tzinfo=CHINA_TZ)


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    return ASKED.replace(hour=hour, minute=minute) + timedelta(days=days)


@pytest.fixture
def escalated(world, ask, time_machine):
    """Asked at 10:00 (due 12:00), escalated to the street at 11:00 (due 13:00), seen at 12:30."""
    time_machine.move_to(ASKED, tick=False)
    c = ask()
    time_machine.move_to(at(11), tick=False)
    services.consultation_escalate(consultation=c, reason="需要街道协调", by=world.user("advisor_a"))
    time_machine.move_to(at(12, 30), tick=False)
    c.refresh_from_db()
    return c


def test_escalation_keeps_the_first_deadline(escalated):
    assert escalated.level == Level.STREET
    assert escalated.first_due_at == at(12)
    assert escalated.due_at == at(13)


def test_past_the_first_deadline_counts_as_overdue_though_the_level_clock_runs(world, escalated):
    office = world.user("office")
    visible = selectors.consultations_visible_to(office)
    assert selectors.inbox_counts(visible, office)["overdue"] == 1
    assert list(selectors.inbox(visible, office, tab="overdue")) == [escalated]
    assert escalated.is_overdue and escalated.is_past_first_deadline


def test_the_street_pool_shows_the_wait_beside_the_level_clock(world, escalated):
    page = verified_client(world.user("office")).get("/consultations/street/?tab=pool").content.decode()
    assert "已等待 2小时30分" in page
    assert "街道级剩余 30 分钟" in page
    assert "已过首次答复期限" in page


def test_the_detail_shows_wait_level_clock_and_first_deadline(world, escalated):
    response = verified_client(world.user("office")).get(f"/consultations/{escalated.pk}/")
    page = response.content.decode()
    assert '<span class="tag waited" id="waited">已等待 2小时30分</span>' in page
    assert "街道级剩余 30 分钟" in page
    assert "首次答复期限 03-16 12:00" in page and "街道级答复期限 03-16 13:00" in page


def test_the_home_panel_shows_the_wait(world, escalated):
    page = verified_client(world.user("office")).get("/").content.decode()
    assert "已等待 2小时30分" in page


def test_an_answered_question_followed_up_is_not_overdue_by_its_first_deadline(world, ask, time_machine):
    time_machine.move_to(ASKED, tick=False)
    c = ask()
    time_machine.move_to(at(12, 30), tick=False)  # answered late
    services.consultation_reply(consultation=c, body="答复：可以申请劳动仲裁。", by=world.user("advisor_a"))
    time_machine.move_to(at(12, 40), tick=False)
    services.consultation_resident_message(consultation=c, text="仲裁需要准备哪些材料？")
    time_machine.move_to(at(13), tick=False)
    c.refresh_from_db()
    assert (c.status, c.due_at, c.first_due_at) == (Status.FOLLOWUP, at(14, 40), at(12))
    advisor = world.user("advisor_a")
    assert selectors.inbox_counts(selectors.consultations_visible_to(advisor), advisor)["overdue"] == 0
    assert not c.is_overdue


def test_time_waiting_on_the_resident_moves_the_first_deadline(world, ask, time_machine):
    time_machine.move_to(ASKED, tick=False)
    c = ask()
    time_machine.move_to(at(11), tick=False)  # 60 minutes left when the clock pauses
    services.consultation_ask_info(consultation=c, body="请提供劳动合同。", by=world.user("advisor_a"))
    time_machine.move_to(at(15), tick=False)
    c.refresh_from_db()
    services.consultation_resident_message(consultation=c, text="合同照片已补充，签了两年。")
    c.refresh_from_db()
    assert (c.due_at, c.first_due_at) == (at(16), at(16))


def test_the_community_figures_count_questions_past_their_first_deadline(world, escalated):
    figures = selectors.community_figures(world.user("staff_a"))
    assert (figures.waiting, figures.overdue) == (1, 1)


# --- the "等待超过 N 天" filter -------------------------------------------------------------------


@pytest.fixture
def ages(world, ask, time_machine):
    """Open questions asked 4 days and 1 day ago, one closed after 5 days, one waiting on the resident
    for 3 days and 1 hour; seen at 12:00 on the 20th."""
    advisor = world.user("advisor_a")
    time_machine.move_to(at(10, days=-4), tick=False)
    old = ask()
    waiting = ask()
    time_machine.move_to(at(9), tick=False)
    closed = ask()
    services.consultation_reply(consultation=closed, body="答复。", by=advisor)
    services.consultation_ask_info(consultation=waiting, body="请补充时间。", by=advisor)
    time_machine.move_to(at(11, days=-1), tick=False)
    recent = ask()
    time_machine.move_to(at(10, days=-5), tick=False)
    ancient_closed = ask()
    services.consultation_reply(consultation=ancient_closed, body="答复。", by=advisor)
    services.consultation_close(consultation=ancient_closed, category="劳动争议", by=advisor)
    time_machine.move_to(at(12), tick=False)
    return {"old": old, "waiting": waiting, "recent": recent, "closed": closed, "ancient": ancient_closed}


@pytest.mark.usefixtures("taxonomy")
def test_filter_waited_more_than_n_days_lists_only_unresolved_older_questions(world, ages):
    client = verified_client(world.user("advisor_a"))
    response = client.get("/consultations/?tab=all&waited_days=3")
    assert response.status_code == 200
    assert {c.pk for c in response.context["page"]} == {ages["old"].pk, ages["waiting"].pk}
    page = response.content.decode()
    assert "已等待 4天2小时" in page  # 10:00 on the 12th (4 days before the 16th) to 12:00 on the 16th
    response = client.get("/consultations/?tab=all&waited_days=1")
    assert {c.pk for c in response.context["page"]} == {ages["old"].pk, ages["waiting"].pk, ages["recent"].pk}


@pytest.mark.parametrize("bad", ["0", "-2", "366", "abc", "2.5", "1e3"])
def test_a_bad_waiting_filter_is_a_422_with_a_chinese_message(world, ages, bad):
    response = verified_client(world.user("office")).get(f"/consultations/?tab=all&waited_days={bad}")
    assert response.status_code == 422
    assert response.context["form"].errors["waited_days"] == ["等待天数请填写 1 到 365 之间的整数"]
    assert "等待天数请填写 1 到 365 之间的整数" in response.content.decode()


@pytest.mark.usefixtures("taxonomy")
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60, deadline=None)
@given(days=st.integers(min_value=-10_000, max_value=10_000))
def test_the_waiting_filter_accepts_exactly_1_to_365_days(db, days):
    form = FilterForm({"waited_days": str(days)})
    assert form.is_valid() == (1 <= days <= 365)
    if form.is_valid():
        assert form.cleaned_data["waited_days"] == days


@given(minutes=st.integers(min_value=0, max_value=400 * 24 * 60))
def test_waited_text_reads_back_to_the_minute_under_a_day_and_the_hour_above(minutes):
    text = waited_text(minutes)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        assert text == (f"{days}天{hours}小时" if hours else f"{days}天")
    elif hours:
        assert text == (f"{hours}小时{mins}分" if mins else f"{hours}小时")
    else:
        assert text == f"{mins}分钟"


def test_waited_text_examples():
    assert waited_text(3 * 1440 + 5 * 60 + 59) == "3天5小时"
    assert waited_text(150) == "2小时30分"
    assert waited_text(7) == "7分钟"


# --- API ----------------------------------------------------------------------------------


def test_api_list_and_detail_carry_the_wait_and_the_first_deadline(world, escalated):
    client = verified_client(world.user("office"))
    item = client.get("/api/v1/consultations").json()["items"][0]
    assert item["waited_minutes"] == 150
    assert datetime.fromisoformat(item["first_due_at"]) == at(12)
    assert datetime.fromisoformat(item["due_at"]) == at(13)
    assert (item["overdue"], item["past_first_deadline"]) == (True, True)
    detail = client.get(f"/api/v1/consultations/{escalated.pk}").json()
    assert (detail["waited_minutes"], detail["past_first_deadline"]) == (150, True)


def test_api_filters_by_days_waited(world, ages):
    client = verified_client(world.user("advisor_a"))
    items = client.get("/api/v1/consultations?waited_days=3").json()["items"]
    assert {i["id"] for i in items} == {ages["old"].pk, ages["waiting"].pk}
    assert all(i["waited_minutes"] >= 3 * 1440 for i in items)


@pytest.mark.parametrize("bad", ["0", "366", "abc"])
def test_api_refuses_a_bad_days_waited_with_422(world, ages, bad):
    response = verified_client(world.user("advisor_a")).get(f"/api/v1/consultations?waited_days={bad}")
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "waited_days"
    assert "整数" in body["detail"]


def test_the_schema_declares_the_new_fields(world):
    from guwen.api import api

    schema = api.get_openapi_schema()["components"]["schemas"]["ConsultationOut"]["properties"]
    assert {"first_due_at", "waited_minutes", "past_first_deadline"} <= set(schema)


# --- the data migration -----------------------------------------------------------------------


def test_the_migration_fills_the_first_deadline_from_the_intake_event(world, escalated, ask):
    fresh = ask()  # routed, its CREATED event holds its deadline
    Consultation.objects.update(first_due_at=None)
    module = importlib.import_module("guwen.consultations.migrations.0010_first_deadline")
    module.fill(apps, None)
    escalated.refresh_from_db()
    fresh.refresh_from_db()
    assert escalated.first_due_at == at(12)  # not the street's 13:00
    assert fresh.first_due_at == fresh.due_at
