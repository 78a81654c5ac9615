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


def test_each_record_is_paid_under_the_version_in_force_when_it_was_completed(world):
    from datetime import timedelta

    from django.utils import timezone

    from guwen.subsidy import services
    from guwen.subsidy.defaults import ensure
    from guwen.subsidy.models import RuleSet

    ensure()
    default = RuleSet.objects.get(district__isnull=True)
    later = services.rule_set_new_version(
        source=default,
        district=world.district,
        by=world.user("bureau"),
        effective_from=timezone.localdate() + timedelta(days=1),
    )
    services.rule_set_update(rule_set=later, by=world.user("bureau"), amounts={"simple": "999"})
    services.rule_set_adopt(rule_set=later, by=world.user("bureau"))
    closed_case(world, grade="simple")
    line = settle(world).lines.get(kind=LineKind.CASE)
    assert (line.rule_set, line.amount) == (default, Decimal("400.00"))  # the new version starts tomorrow
    assert RuleSet.objects.get(pk=default.pk).lines.exists()  # and the default is now frozen


def test_caps_reduce_with_a_visible_line(world):
    from guwen.subsidy.defaults import ensure
    from guwen.subsidy.models import RuleSet

    ensure()
    RuleSet.objects.filter(district__isnull=True).update(cap_advisor_month=Decimal("300"))
    closed_case(world, grade="simple")
    settlement = settle(world)
    cap = settlement.lines.get(kind=LineKind.CAP)
    assert settlement.total == Decimal("300.00") and cap.amount < 0 and "每人每月上限" in cap.note


def test_recomputing_repoints_flags_and_deleting_a_settlement_leaves_no_dangling_flag(world):
    from guwen.subsidy.models import Flag, Settlement

    closed_case(world, grade="simple")
    settlement = settle(world)
    sample = settlement.flags.get(kind=FlagKind.CALLBACK_SAMPLE)
    old_line = sample.line_id
    assert old_line is not None
    settlement = settle(world)  # the lines are written again with new ids
    sample.refresh_from_db()
    assert sample.line_id not in (None, old_line)
    assert not SettlementLine.objects.filter(pk=old_line).exists()
    assert sample.line.record_pk == settlement.lines.get(kind=LineKind.CASE).record_pk
    Settlement.objects.filter(pk=settlement.pk).delete()
    assert not Flag.objects.exists() and not SettlementLine.objects.exists()
