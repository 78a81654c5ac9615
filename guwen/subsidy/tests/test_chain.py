import threading
from decimal import Decimal

import pytest
from django.utils import timezone

from guwen.core.errors import Conflict, DomainError
from guwen.core.models import AuditEvent
from guwen.core.workflow import TransitionNotAllowed
from guwen.subsidy import services
from guwen.subsidy.models import CallbackResult, Flag, FlagStatus, LineKind, Settlement, SettlementStatus
from guwen.subsidy.tests.helpers import closed_case, settle


def _clear_samples(settlement, office):
    for flag in settlement.flags.filter(status=FlagStatus.OPEN):
        services.flag_callback_result(flag=flag, by=office, result=CallbackResult.CONFIRMED)


@pytest.mark.django_db
def test_chain_runs_to_paid_with_an_audit_event_per_step(world):
    closed_case(world, grade="major")
    s = settle(world)
    office, bureau = world.user("office"), world.user("bureau")
    with pytest.raises(TransitionNotAllowed):
        services.settlement_act(settlement=s, action="confirm", by=world.user("staff_a"))
    s = services.settlement_act(settlement=s, action="submit", by=world.user("advisor_a"))
    with pytest.raises(DomainError):  # a return needs its reason
        services.settlement_act(settlement=s, action="return", by=world.user("staff_a"), reason=" ")
    s = services.settlement_act(settlement=s, action="confirm", by=world.user("staff_a"))
    s = services.settlement_act(settlement=s, action="review", by=office)
    with pytest.raises(DomainError, match="待核查"):  # the sampled callback holds it
        services.settlement_act(settlement=s, action="approve", by=bureau)
    _clear_samples(s, office)
    total = s.total
    s = services.settlement_act(settlement=s, action="approve", by=bureau)
    with pytest.raises(TransitionNotAllowed):  # approved amounts never change
        services.adjustment_add(settlement=s, by=office, amount="100", reason="补发")
    with pytest.raises(DomainError) as exc:
        services.settlement_act(
            settlement=s, action="pay", by=bureau, finance_reference="", paid_on=timezone.localdate()
        )
    assert exc.value.field == "finance_reference"
    s = services.settlement_act(
        settlement=s, action="pay", by=bureau, finance_reference="LG-0001", paid_on=timezone.localdate()
    )
    assert (s.status, s.total, s.finance_reference) == (SettlementStatus.PAID, total, "LG-0001")
    steps = AuditEvent.objects.filter(object_id=str(s.pk), action__startswith="subsidy.settlement.")
    assert {
        "subsidy.settlement.submit",
        "subsidy.settlement.confirm",
        "subsidy.settlement.review",
        "subsidy.settlement.approve",
        "subsidy.settlement.pay",
    } <= set(steps.values_list("action", flat=True))


@pytest.mark.django_db
def test_return_allows_recompute_and_a_rejected_flag_cancels_its_line(world):
    closed_case(world, grade="simple")
    s = settle(world)
    office = world.user("office")
    s = services.settlement_act(settlement=s, action="submit", by=world.user("advisor_a"))
    with pytest.raises(TransitionNotAllowed):
        services.settlement_recompute(settlement=s, by=world.user("advisor_a"))
    s = services.settlement_act(settlement=s, action="return", by=world.user("staff_a"), reason="请补充材料")
    assert s.return_reason == "请补充材料"
    services.settlement_recompute(settlement=s, by=world.user("advisor_a"))
    flag = Flag.objects.get(settlement=s, kind="callback_sample")
    services.flag_callback_result(flag=flag, by=office, result=CallbackResult.UNREACHABLE)
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN  # an unreachable party holds the line
    before = Settlement.objects.get(pk=s.pk).total
    services.flag_decide(flag=flag, by=office, decision="reject", reason="无法联系当事人")
    s.refresh_from_db()
    cancel = s.lines.get(kind=LineKind.ADJUSTMENT)
    assert cancel.amount == -flag.line.amount and s.total == before - flag.line.amount
    with pytest.raises(Conflict):
        services.flag_decide(flag=flag, by=office, decision="clear", reason="再次处理")


@pytest.mark.django_db
def test_stale_page_is_told_someone_else_acted(world):
    closed_case(world)
    s = settle(world)
    seen = s.revision
    services.settlement_act(settlement=s, action="submit", by=world.user("advisor_a"), revision=seen)
    stale = Settlement.objects.get(pk=s.pk)
    stale.status = SettlementStatus.DRAFT  # what the second browser still shows
    with pytest.raises(Conflict, match="已被他人处理"):
        services.settlement_act(settlement=stale, action="submit", by=world.user("sysadmin"), revision=seen)


def test_two_approvers_at_once_one_wins(concurrent_db):
    from django.db import connections

    from guwen.mediation import reference
    from guwen.testing import build_world, make_user

    reference.ensure()  # an earlier transactional test's flush emptied the seeded rows
    world = build_world()
    closed_case(world, grade="simple")
    s = settle(world)
    office = world.user("office")
    s = services.settlement_act(settlement=s, action="submit", by=world.user("advisor_a"))
    s = services.settlement_act(settlement=s, action="confirm", by=world.user("staff_a"))
    s = services.settlement_act(settlement=s, action="review", by=office)
    _clear_samples(s, office)
    seen = Settlement.objects.get(pk=s.pk)
    results = []

    def approve(user):
        try:
            services.settlement_act(settlement=seen, action="approve", by=user, revision=seen.revision)
            results.append("ok")
        except Conflict as exc:
            results.append(str(exc))
        finally:
            connections.close_all()

    approvers = [make_user(f"bureau-{n}", "bureau", region=world.district) for n in (1, 2)]
    threads = [threading.Thread(target=approve, args=(u,)) for u in approvers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1
    assert [r for r in results if r != "ok"] == ["该结算单已被他人处理（当前状态：待发放），请刷新后查看"]
    assert AuditEvent.objects.filter(object_id=str(s.pk), action="subsidy.settlement.approve").count() == 1


@pytest.mark.django_db
def test_adjustment_is_its_own_line_and_bad_amounts_are_refused(world):
    closed_case(world)
    s = settle(world)
    office = world.user("office")
    for bad, field in (("abc", "amount"), ("0", "amount"), ("100", "reason")):
        with pytest.raises(DomainError) as exc:
            services.adjustment_add(
                settlement=s, by=office, amount=bad, reason="" if field == "reason" else "补"
            )
        assert exc.value.field == field
    assert not s.lines.filter(kind=LineKind.ADJUSTMENT).exists()
    line = services.adjustment_add(settlement=s, by=office, amount="-50.005", reason="重复登记核减")
    s.refresh_from_db()
    assert line.amount == Decimal("-50.01") and s.total == sum(x.amount for x in s.lines.all())
    services.settlement_recompute(settlement=s, by=office)  # adjustments survive recomputation
    assert s.lines.filter(kind=LineKind.ADJUSTMENT).count() == 1
