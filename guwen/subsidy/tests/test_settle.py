from decimal import Decimal

import pytest

from guwen.subsidy.models import FlagKind, LineKind, SettlementLine
from guwen.subsidy.tests.helpers import closed_case, settle

pytestmark = pytest.mark.django_db


def test_filed_case_is_paid_by_grade_under_default_rules(world):
    case = closed_case(world, grade="ordinary")
    settlement = settle(world)
    lines = list(settlement.lines.filter(kind=LineKind.CASE))
    assert [(line.record_pk, line.amount, line.grade) for line in lines] == [
        (case.pk, Decimal("1000.00"), "ordinary")
    ]
    assert lines[0].rule_set.version == 1
    assert settlement.total == sum(line.amount for line in settlement.lines.all())
    assert settlement.flags.filter(kind=FlagKind.CALLBACK_SAMPLE).count() == 1


def test_oral_agreement_paid_at_reduced_rate(world):
    closed_case(world, grade="simple", kind="oral")
    settlement = settle(world)
    assert settlement.lines.get(kind=LineKind.CASE).amount == Decimal("200.00")


def test_co_mediators_split_one_subsidy_to_the_cent(world):
    case = closed_case(world, grade="simple", co_mediator=True)
    settle(world)
    lines = SettlementLine.objects.filter(record_pk=case.pk, kind=LineKind.CASE)
    assert sorted(line.amount for line in lines) == [Decimal("200.00"), Decimal("200.00")]
