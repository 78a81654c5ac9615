"""The home page (工作台) tells each role what waits for it: the consultations panel (counts that
open the inbox tabs, the questions to answer first) and the advisor's coming duty shifts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guwen.consultations import services
from guwen.consultations.models import Consultation, Level, Urgency
from guwen.consultations.tests.conftest import QUESTION
from guwen.duty.models import ShiftStatus
from guwen.duty.tests.helpers import make_shift
from guwen.testing import verified_client

pytestmark = pytest.mark.django_db


def home(user) -> str:
    response = verified_client(user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_advisor_sees_counts_that_open_the_inbox_and_the_urgent_question_first(world, ask):
    ask()
    urgent = ask("工地上五十多个工人被拖欠工资，大家准备明天去堵路讨薪，请问怎么办？", phone="13900002222")
    assert urgent.urgency == Urgency.URGENT
    overdue = ask("房东不退押金怎么办，合同里写了押金条款？", phone="13900003333")
    Consultation.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    page = home(world.user("advisor_a"))
    assert "法律咨询" in page and "先处理这些" in page
    assert '/consultations/?tab=new"' in page and '/consultations/?tab=overdue"' in page
    assert 'class="card stat-link alert"' in page  # one overdue: the figure is marked
    listed = [page.index(f"/consultations/{c.pk}/") for c in (urgent, overdue)]
    assert listed == sorted(listed)  # urgent before the overdue normal one
    assert "已超时" in page and "consultations/consultations.css" in page


def test_the_advisor_sees_only_their_own_questions_in_the_list(world, ask):
    theirs = ask(community=world.community_b)  # advisor_b's community
    page = home(world.user("advisor_a"))
    assert f"/consultations/{theirs.pk}/" not in page
    assert "没有待处理的咨询" in page
    assert f"/consultations/{theirs.pk}/" in home(world.user("advisor_b"))


def test_the_office_sees_its_street_pool_waiting_to_be_claimed(world, ask):
    item = ask()
    services.consultation_escalate(
        consultation=item, by=world.user("advisor_a"), reason="涉及专业问题，超出社区顾问能力"
    )
    item.refresh_from_db()
    assert item.level == Level.STREET and item.owner_id is None
    page = home(world.user("office"))
    assert "街道咨询池待认领" in page and "/consultations/street/?tab=pool" in page
    assert f"/consultations/{item.pk}/" in page
    assert "区级咨询池待认领" not in page  # the bureau's queue is not the office's
    assert "区级咨询池待认领" in home(world.user("bureau"))


@pytest.mark.parametrize("role", ["staff_a", "firm_admin", "association"])
def test_roles_without_consultations_see_no_questions(world, ask, role):
    item = ask(QUESTION)
    page = home(world.user(role))
    assert "先处理这些" not in page
    assert item.text not in page and item.receipt_code not in page


def test_the_advisor_sees_the_coming_shifts_and_not_the_cancelled_or_past_ones(world):
    coming = make_shift(world, starts_in=timedelta(hours=2))
    cancelled = make_shift(world, starts_in=timedelta(days=1), status=ShiftStatus.CANCELLED)
    past = make_shift(world, starts_in=timedelta(hours=-6))
    far = make_shift(world, starts_in=timedelta(days=10))
    page = home(world.user("advisor_a"))
    assert "驻点值班" in page and f"/duty/shifts/{coming.pk}/" in page
    for shift in (cancelled, past, far):
        assert f"/duty/shifts/{shift.pk}/" not in page
    assert f"/duty/shifts/{coming.pk}/" not in home(world.user("advisor_b"))


def test_the_home_page_stays_lean_on_queries(world, ask, django_assert_max_num_queries):
    for n in range(8):
        ask(phone=f"1390000{n:04d}")
    make_shift(world, starts_in=timedelta(hours=2))
    client = verified_client(world.user("advisor_a"))
    client.get("/")
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_community_staff_see_their_communitys_figures_and_no_question(world, ask):
    advisor = world.user("advisor_a")
    first = ask()
    ask("房东不退押金，合同里写了押金条款，我该怎么办？", phone="13900002222")
    ask(community=world.community_b, phone="13900003333")  # another community: not counted
    services.consultation_reply(consultation=first, body="可以申请劳动仲裁。", by=advisor)
    services.consultation_rate(consultation=first, score=4, comment="很及时")
    page = home(world.user("staff_a"))
    assert "本社区法律咨询（本月）" in page and "南龙社区" in page
    figures = page[page.index("本社区法律咨询") :]
    assert '<div class="muted">本月咨询</div><div class="stat">2</div>' in figures
    assert '<div class="muted">待答复</div><div class="stat">1</div>' in figures
    assert '<div class="muted">本月已答复</div><div class="stat">1</div>' in figures
    assert "4.0★" in figures and "1 条评价" in figures
    assert first.text not in page and first.receipt_code not in page and "很及时" not in page
    for role in ("firm_admin", "association"):
        assert "本社区法律咨询" not in home(world.user(role))
