"""Properties of the money: shares add up, caps are never exceeded, totals are the sum of the lines,
recomputing changes nothing and no record is paid twice."""

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.subsidy.models import Batch, LineKind, RuleSet, Settlement, SettlementLine
from guwen.subsidy.money import cents, split
from guwen.subsidy.services.settle import apply_caps, refresh_total

AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(
    amount=AMOUNTS,
    people=st.lists(st.integers(min_value=1, max_value=50), min_size=1, max_size=6, unique=True),
    percent=st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
)
def test_shares_add_up_to_the_cent_whatever_the_order(amount, people, percent):
    primary = people[0]
    shares = split(amount, people, primary=primary, primary_percent=percent)
    assert sum(shares.values()) == cents(amount)
    assert shares == split(amount, list(reversed(people)), primary=primary, primary_percent=percent)
    assert all(share >= 0 and share == cents(share) for share in shares.values())


def _settlement(world, month: date) -> Settlement:
    batch, _ = Batch.objects.get_or_create(
        street=world.street, starts_on=month, period="month", defaults={"ends_on": month}
    )
    settlement, _ = Settlement.objects.get_or_create(
        lawyer=world.lawyer_a,
        month=month,
        defaults={"district": world.district, "community": world.community_a, "batch": batch},
    )
    return settlement


@pytest.mark.django_db
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amounts=st.lists(AMOUNTS, min_size=1, max_size=8),
    earlier=st.lists(AMOUNTS, max_size=2),
    month_cap=st.one_of(st.none(), AMOUNTS),
    year_cap=st.one_of(st.none(), st.decimals(min_value=0, max_value=30000, places=2)),
    community_cap=st.one_of(st.none(), AMOUNTS),
)
def test_caps_are_never_exceeded_and_totals_are_the_sum_of_lines(
    world, amounts, earlier, month_cap, year_cap, community_cap
):
    Settlement.objects.filter(lawyer=world.lawyer_a).delete()
    rules, _ = RuleSet.objects.update_or_create(
        district=None,
        version=99,
        defaults={
            "name": "上限",
            "effective_from": date(2020, 1, 1),
            "cap_advisor_month": month_cap,
            "cap_advisor_year": year_cap,
            "cap_community_month": community_cap,
        },
    )
    for n, value in enumerate(earlier, start=1):  # months already settled this year
        other = _settlement(world, date(2030, n, 1))
        SettlementLine.objects.create(
            settlement=other, lawyer=world.lawyer_a, kind="adjustment", amount=value
        )
        refresh_total(other)
    settlement = _settlement(world, date(2030, 6, 1))
    SettlementLine.objects.bulk_create(
        SettlementLine(
            settlement=settlement,
            lawyer=world.lawyer_a,
            position=n,
            kind="adjustment",
            community=world.community_a,
            amount=value,
        )
        for n, value in enumerate(amounts)
    )
    apply_caps(settlement, rules)
    apply_caps(settlement, rules)  # applying the caps again changes nothing
    refresh_total(settlement)
    total = settlement.total
    assert total == sum(line.amount for line in settlement.lines.all())
    assert total >= 0
    if month_cap is not None:
        assert total <= month_cap
    if year_cap is not None:
        assert total + sum(earlier) <= max(year_cap, sum(earlier))
    if community_cap is not None:
        assert total <= community_cap
    assert settlement.lines.filter(kind=LineKind.CAP).count() <= 3


@pytest.mark.django_db
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.sampled_from(["recompute", "adjust", "settle"]), min_size=1, max_size=4))
def test_recomputing_is_idempotent_and_no_record_is_paid_twice(world, steps, settled_case):
    from guwen.subsidy import services
    from guwen.subsidy.tests.helpers import settle

    s = settle(world)
    computed = list(s.lines.exclude(kind=LineKind.ADJUSTMENT).values_list("kind", "record_pk", "amount"))
    for step in steps:
        if step == "recompute":
            services.settlement_recompute(settlement=Settlement.objects.get(pk=s.pk), by=world.user("office"))
        elif step == "adjust":
            services.adjustment_add(
                settlement=Settlement.objects.get(pk=s.pk), by=world.user("office"), amount="1", reason="补"
            )
        else:
            settle(world)
        s.refresh_from_db()
        assert list(
            s.lines.exclude(kind=LineKind.ADJUSTMENT)
            .exclude(kind=LineKind.CAP)
            .values_list("kind", "record_pk", "amount")
        ) == [row for row in computed if row[0] != LineKind.CAP]
        assert s.total == sum(line.amount for line in s.lines.all())
        twice = (
            SettlementLine.objects.exclude(record_pk__isnull=True)
            .exclude(kind__in=["cap", "adjustment"])
            .values("lawyer_id", "record_type", "record_pk")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        assert not twice.exists()
    SettlementLine.objects.filter(settlement=s, kind=LineKind.ADJUSTMENT).delete()


@pytest.fixture
def settled_case(world):
    from guwen.subsidy.tests.helpers import closed_case

    return closed_case(world, grade="ordinary", co_mediator=True)
