"""Party-building pairing: an agreement per firm and community and period, a duplicate for an
overlapping period refused in Chinese with nothing saved, joint activities recorded under it."""

from __future__ import annotations

from datetime import date

import pytest

from guwen.core.errors import DomainError, refusal_status
from guwen.outreach import services
from guwen.outreach.models import Pairing
from guwen.outreach.tests.helpers import past

pytestmark = pytest.mark.django_db


def pairing(world, **changes):
    values = {
        "firm": world.firm_a,
        "branch": "甲律师事务所党支部",
        "community": world.community_a,
        "committee": "南龙社区党委",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "goals": "每季度一次共建活动，共同开展法治宣传",
        "contacts": "王书记",
        "by": world.user("office"),
    }
    values.update(changes)
    return services.pairing_create(**values)


def test_duplicate_pairing_for_an_overlapping_period_is_refused(world):
    pairing(world)
    with pytest.raises(DomainError) as refused:
        pairing(world, starts_on=date(2026, 6, 1), ends_on=date(2027, 5, 31))
    assert "在此期间已有结对共建协议" in str(refused.value) and refusal_status(refused.value) == 409
    assert Pairing.objects.count() == 1
    pairing(world, starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31))  # the next period is fine
    with pytest.raises(DomainError) as refused:
        pairing(world, starts_on=date(2028, 1, 1), ends_on=date(2027, 1, 1))
    assert refused.value.field == "ends_on"
    with pytest.raises(DomainError) as refused:
        pairing(world, starts_on=date(2029, 1, 1), ends_on=date(2029, 2, 1), by=world.user("advisor_a"))
    assert refusal_status(refused.value) == 403


def test_joint_activity_is_recorded_under_the_pairing(world, client_for):
    agreement = pairing(world, starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31))
    activity = services.activity_create(
        community=world.community_a,
        kind="party_building",
        date=past(),
        topic="党员律师进社区：法律服务日",
        advisors=[world.lawyer_a],
        audience_count=30,
        pairing=agreement,
        by=world.user("advisor_a"),
    )
    page = client_for("staff_a").get(f"/outreach/pairings/{agreement.pk}/").content.decode()
    assert "党员律师进社区：法律服务日" in page
    with pytest.raises(DomainError) as refused:
        services.activity_create(
            community=world.community_b,
            kind="party_building",
            date=past(),
            topic="共建",
            advisors=[world.lawyer_b],
            pairing=agreement,
            by=world.user("advisor_b"),
        )
    assert refused.value.field == "pairing"
    assert activity.pairing == agreement


def test_pairing_form_refuses_the_duplicate_with_422_or_409(world, client_for):
    pairing(world)
    body = {
        "firm": world.firm_a.pk,
        "branch": "甲律师事务所党支部",
        "community": world.community_a.pk,
        "committee": "南龙社区党委",
        "starts_on": "2026-03-01",
        "ends_on": "2026-09-30",
        "goals": "共建",
    }
    response = client_for("office").post("/outreach/pairings/new/", body)
    assert response.status_code == 409 and "已有结对共建协议" in response.content.decode()
    bad = client_for("office").post(
        "/outreach/pairings/new/", {**body, "starts_on": "2030-01-01", "ends_on": "2029-01-01"}
    )
    assert bad.status_code == 422 and "结束日期不能早于开始日期" in bad.content.decode()
    assert Pairing.objects.count() == 1
