"""Legal opinions: requested by community staff with a due date of 5 working days on the work
calendar, delivered by the advisor with the working days taken; bad input refused in Chinese."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from guwen.core.errors import DomainError, refusal_status
from guwen.outreach import services
from guwen.outreach.models import LegalOpinion, OpinionStatus
from guwen.outreach.selectors import add_working_days, working_days_between

pytestmark = pytest.mark.django_db


def request(world, **changes):
    values = {
        "community": world.community_a,
        "kind": "contract_review",
        "title": "民生大盘菜项目采购合同审查",
        "question": "请审查采购合同的付款和违约条款",
        "related_to": "民生大盘菜项目采购合同",
        "by": world.user("staff_a"),
    }
    values.update(changes)
    return services.opinion_request(**values)


def test_working_days_skip_the_national_day_holiday():
    # 2026-09-30 (Wed) + 5 working days: 1–7 October are the holiday; 8, 9, 10 (a 调休 Saturday),
    # 12 and 13 October are the five working days.
    due = add_working_days(date(2026, 9, 30), 5)
    assert due == date(2026, 10, 13)
    assert working_days_between(date(2026, 9, 30), due) == 5
    assert working_days_between(date(2026, 11, 2), date(2026, 11, 2)) == 0


@time_machine.travel("2026-11-27 10:00 +0800", tick=False)  # a Friday
def test_requested_delivered_and_turnaround(world):
    opinion = request(world)
    assert opinion.advisor == world.lawyer_a and opinion.due_on == date(2026, 12, 4)
    with time_machine.travel("2026-12-01 15:00 +0800", tick=False):
        with pytest.raises(DomainError) as refused:  # only the advisor it went to delivers
            services.opinion_deliver(opinion=opinion, opinion_text="意见", by=world.user("staff_a"))
        assert refusal_status(refused.value) == 403
        opinion = services.opinion_deliver(
            opinion=opinion, opinion_text="付款条款建议增加验收节点", by=world.user("advisor_a")
        )
    assert opinion.status == OpinionStatus.DELIVERED and opinion.working_days_taken == 2


def test_due_before_requested_is_refused_and_nothing_saved(world):
    with pytest.raises(DomainError) as refused:
        request(world, due_on=timezone.localdate() - timedelta(days=1))
    assert "答复期限不能早于提出日期" in str(refused.value) and refusal_status(refused.value) == 422
    assert not LegalOpinion.objects.exists()


def test_advisor_may_not_request_and_overdue_shows(world, client_for):
    with pytest.raises(DomainError) as refused:
        request(world, by=world.user("advisor_a"))
    assert refusal_status(refused.value) == 403
    opinion = request(world)
    LegalOpinion.objects.filter(pk=opinion.pk).update(requested_on=date(2026, 1, 5), due_on=date(2026, 1, 12))
    page = client_for("office").get("/outreach/opinions/").content.decode()
    assert "已超期" in page and "民生大盘菜项目采购合同审查" in page
    rows = client_for("office").get("/api/v1/outreach/opinions").json()["items"]
    assert rows[0]["overdue"] is True and rows[0]["working_days_taken"] is None


def test_pages_request_and_deliver_with_bad_values_refused(world, client_for):
    staff = client_for("staff_a")
    body = {
        "community": world.community_a.pk,
        "kind": "rules",
        "title": "居规民约修订",
        "question": "请审查草案",
    }
    bad = staff.post("/outreach/opinions/new/", {**body, "due_on": "2020-01-01"})
    assert bad.status_code == 422 and "答复期限不能早于提出日期" in bad.content.decode()
    assert not LegalOpinion.objects.exists()
    assert staff.post("/outreach/opinions/new/", body).status_code == 302
    opinion = LegalOpinion.objects.get()
    advisor = client_for("advisor_a")
    empty = advisor.post(f"/outreach/opinions/{opinion.pk}/deliver/", {"opinion": ""})
    assert empty.status_code == 422
    assert (
        advisor.post(f"/outreach/opinions/{opinion.pk}/deliver/", {"opinion": "建议删除第五条"}).status_code
        == 302
    )
    page = advisor.get(f"/outreach/opinions/{opinion.pk}/").content.decode()
    assert "用时 0 个工作日" in page
