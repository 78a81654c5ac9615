"""An advisor who serves several communities: the appraisal's escalation figure counts the
consultations of all of them, and its link opens the inbox narrowed by ``served_by`` to exactly
those (not by dates alone, which listed everything the reader may see)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from guwen.evaluation.indicators import compute
from guwen.regions import services as regions
from guwen.testing import make_region

from .conftest import t

pytestmark = pytest.mark.django_db


def test_the_escalation_link_lists_every_community_the_advisor_served(world, records, ask, client_for):
    second = make_region("440307012009", "第二社区", "community", world.street)
    regions.assignment_create(lawyer=world.lawyer_a, community=second, starts_on=date(2024, 1, 1), by=None)
    ask(community=second, at=t(3, 19, 9), text="公司拖欠两个月工资不发，我应该去哪里投诉？")
    ask(community=world.community_b, at=t(3, 19, 10), text="楼上漏水到我家，物业说不归他们管怎么办？")
    found = {i.key: i for i in compute(world.lawyer_a, 2026, None)}
    _escalated, received = (int(n) for n in re.findall(r"\d+", found["escalation"].detail))
    assert received == 3  # two in community A, one in the second community; none of B's

    office = client_for("office")
    link = found["escalation"].link
    assert f"served_by={world.lawyer_a.pk}" in link
    response = office.get(link)
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert len(rows) == response.context["page"].paginator.count == received
    assert {row.community for row in rows} == {world.community_a, second}
    assert "律师所驻社区：甲律师" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "99999", "1" * 12])
def test_a_bad_or_unknown_advisor_is_refused_in_chinese(world, client_for, value):
    response = client_for("office").get(f"/consultations/?tab=all&served_by={value}")
    assert response.status_code == 422
    assert "律师筛选无效" in response.content.decode()


def test_an_advisor_out_of_scope_is_refused_like_an_unknown_one(world, client_for):
    # 丁律师 serves in another district: the street office may not see him, and cannot learn he exists.
    response = client_for("office").get(f"/consultations/?tab=all&served_by={world.lawyer_e.pk}")
    assert response.status_code == 422
    assert "律师筛选无效：未找到该律师，或不在您的查看范围内" in response.content.decode()
