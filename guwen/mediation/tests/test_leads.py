"""Screening leads and their early warning to the judicial office."""

from __future__ import annotations

from decimal import Decimal

import pytest

from guwen.core.errors import DomainError
from guwen.mediation import services
from guwen.mediation.models import CaseStatus, DisputeLead, LeadStatus
from guwen.mediation.tests.helpers import dispute_type
from guwen.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _lead(world, django_capture_on_commit_callbacks, *, by=None, **extra):
    data = {
        "dispute_type": dispute_type("neighbour"),
        "place": "南龙社区某小区",
        "parties": "3栋住户与物业",
        "summary": "停车位纠纷",
        "people_affected": 2,
        "risk_level": "blue",
    }
    data.update(extra)
    with django_capture_on_commit_callbacks(execute=True):
        return services.dispute_lead_create(
            community=world.community_a, by=by or world.user("advisor_a"), **data
        )


def _warned(world) -> int:
    return Notification.objects.filter(recipient=world.user("office"), event="mediation.lead_warning").count()


def test_ordinary_lead_does_not_alert(world, django_capture_on_commit_callbacks):
    lead = _lead(world, django_capture_on_commit_callbacks)
    assert lead.warned_at is None and _warned(world) == 0


def test_group_dispute_alerts_the_office_at_once(world, django_capture_on_commit_callbacks):
    lead = _lead(world, django_capture_on_commit_callbacks, people_affected=5)
    assert lead.warned_at is not None and _warned(world) == 1


def test_wage_dispute_alerts_from_ten_workers(world, django_capture_on_commit_callbacks):
    _lead(world, django_capture_on_commit_callbacks, dispute_type=dispute_type("wage"), people_affected=9)
    assert _warned(world) == 0
    _lead(world, django_capture_on_commit_callbacks, dispute_type=dispute_type("wage"), people_affected=10)
    assert _warned(world) == 1


def test_thresholds_are_settings(world, settings, django_capture_on_commit_callbacks):
    settings.GUWEN_MEDIATION_GROUP_PEOPLE = 8
    _lead(world, django_capture_on_commit_callbacks, people_affected=6)
    assert _warned(world) == 0


def test_red_lead_alerts_once(world, django_capture_on_commit_callbacks):
    lead = _lead(world, django_capture_on_commit_callbacks, risk_level="red")
    assert _warned(world) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_lead_update(
            lead=lead,
            by=world.user("advisor_a"),
            dispute_type=lead.dispute_type,
            place=lead.place,
            parties=lead.parties,
            summary=lead.summary,
            people_affected=20,
            risk_level="red",
        )
    assert _warned(world) == 1


def test_lead_becoming_red_alerts(world, django_capture_on_commit_callbacks):
    lead = _lead(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.dispute_lead_update(
            lead=lead,
            by=world.user("staff_a"),
            dispute_type=lead.dispute_type,
            place=lead.place,
            parties=lead.parties,
            summary=lead.summary,
            people_affected=2,
            risk_level="red",
        )
    assert _warned(world) == 1


def test_handing_over_names_the_body(world, django_capture_on_commit_callbacks):
    lead = _lead(world, django_capture_on_commit_callbacks)
    fields = {
        "dispute_type": lead.dispute_type,
        "place": lead.place,
        "parties": lead.parties,
        "summary": lead.summary,
        "people_affected": 2,
    }
    with pytest.raises(DomainError) as refused:
        services.dispute_lead_update(lead=lead, by=world.user("advisor_a"), status="handed_over", **fields)
    assert refused.value.field == "handed_to"
    services.dispute_lead_update(
        lead=lead, by=world.user("advisor_a"), status="handed_over", handed_to="南湾派出所", **fields
    )
    assert DisputeLead.objects.get(pk=lead.pk).handed_to == "南湾派出所"


def test_outsider_cannot_screen_in_a_community(world, django_capture_on_commit_callbacks):
    with pytest.raises(DomainError) as refused:
        _lead(world, django_capture_on_commit_callbacks, by=world.user("advisor_b"))
    assert refused.value.code == "forbidden"
    assert DisputeLead.objects.count() == 0


def test_lead_becomes_a_case(world, django_capture_on_commit_callbacks):
    lead = _lead(world, django_capture_on_commit_callbacks, amount=Decimal("12000"))
    case = services.dispute_lead_escalate(lead=lead, by=world.user("advisor_a"), title="停车位纠纷")
    assert case.source == "lead" and case.lead == lead and case.status == CaseStatus.REGISTERED
    assert case.amount == Decimal("12000") and case.grade_suggested == "ordinary"
    lead.refresh_from_db()
    assert lead.status == LeadStatus.MEDIATING
    with pytest.raises(DomainError):
        services.dispute_lead_escalate(lead=lead, by=world.user("advisor_a"), title="再来一次")


def test_bureau_reads_leads_but_does_not_edit_them(world, django_capture_on_commit_callbacks):
    lead = _lead(world, django_capture_on_commit_callbacks)
    with pytest.raises(DomainError) as refused:
        services.dispute_lead_update(
            lead=lead,
            by=world.user("bureau"),
            dispute_type=lead.dispute_type,
            place="改过的地点",
            parties=lead.parties,
            summary=lead.summary,
            people_affected=2,
        )
    assert refused.value.code == "forbidden"
    assert DisputeLead.objects.get(pk=lead.pk).place == lead.place
