"""The workload view's pay side counts fee income (顾问费收入) beside the subsidy paid, for the days
of the period each fee covers; a firm's fee is shared among its lawyers appointed there."""

from datetime import date
from decimal import Decimal

import pytest

from guwen.reports import workload
from guwen.reports.scope import parse_period
from guwen.subsidy import selectors, services

pytestmark = pytest.mark.django_db


def test_workload_counts_fees_for_the_days_of_the_period_beside_the_subsidy(world):
    bureau = world.user("bureau")
    # A year's retainer to firm A for community A (lawyer A is its only lawyer there): 100 a day.
    services.fee_record(
        by=bureau,
        community=world.community_a,
        firm=world.firm_a,
        kind="retainer",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        amount=Decimal("36500"),
    )
    # A fee paid to lawyer B himself, wholly inside January.
    services.fee_record(
        by=bureau,
        community=world.community_b,
        lawyer=world.lawyer_b,
        kind="other",
        period_start=date(2026, 1, 10),
        period_end=date(2026, 1, 20),
        amount=Decimal("123.45"),
    )
    period = parse_period("2026-01-01", "2026-01-31")
    loads = {load.lawyer.name: load for load in workload.workload(world.district, period)}
    assert loads["甲律师"].pay == Decimal("3100.00")
    assert loads["乙律师"].pay == Decimal("123.45")
    assert loads["丙律师"].pay is None  # nothing recorded for lawyer C
    assert selectors.fees_by_lawyer([world.lawyer_a.pk], world.district2.path, period.start, period.end) == {}
