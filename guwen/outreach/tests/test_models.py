"""The outreach tables: the default checklist is loaded, and the database refuses what no service
should write (publicity without a channel, a held activity without an audience, an unknown risk)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from guwen.outreach.checklist import DEFAULT_CHECKLIST
from guwen.outreach.models import Activity, ChecklistArea, ChecklistItem, Enterprise, Finding, HealthCheck
from guwen.testing import valid_credit_code

pytestmark = pytest.mark.django_db


def test_default_checklist_has_the_twelve_areas_with_items():
    areas = ChecklistArea.objects.filter(district=None)
    assert [a.name for a in areas] == [name for _code, name, _items in DEFAULT_CHECKLIST]
    assert len(DEFAULT_CHECKLIST) == 12
    for area in areas:
        assert ChecklistItem.objects.filter(area=area).count() >= 3


def test_publicity_needs_a_channel(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(
            community=world.community_a, kind="publicity", date=date(2026, 1, 5), topic="t"
        )


def test_held_activity_needs_an_audience(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(
            community=world.community_a, kind="lecture", status="held", date=date(2026, 1, 5), topic="t"
        )


def test_finding_needs_a_known_risk_level(world):
    enterprise = Enterprise.objects.create(
        name="某公司", credit_code=valid_credit_code(), community=world.community_a
    )
    check = HealthCheck.objects.create(
        enterprise=enterprise, community=world.community_a, date=date(2026, 1, 5), scope="s", method="m"
    )
    area = ChecklistArea.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.create(health_check=check, area=area, issue="i", recommendation="r", risk_level="")
