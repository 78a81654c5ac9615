"""Fee income (顾问费收入): entered by the office or the bureau, refused in Chinese when wrong, and
counted for the days of the period it covers (the workload view's use: guwen/reports/tests)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.core.models import AuditEvent
from guwen.subsidy import selectors, services
from guwen.subsidy.models import FeeIncome
from guwen.testing import verified_client

pytestmark = pytest.mark.django_db


def _body(world, **extra) -> dict:
    body = {
        "community": world.community_a.pk,
        "firm": world.firm_a.pk,
        "kind": "retainer",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "amount": "36500.00",
        "reference": "南龙社区法律顾问合同 2026-01",
    }
    body.update(extra)
    return body


def test_office_records_a_retainer_and_sees_it_listed(world):
    office = verified_client(world.user("office"))
    page = office.get("/subsidy/fees/").content.decode()
    assert "登记一笔收入" in page and "南龙社区" in page
    response = office.post("/subsidy/fees/", _body(world))
    assert response.status_code == 302
    fee = FeeIncome.objects.get()
    assert (fee.firm, fee.lawyer, fee.amount, fee.created_by) == (
        world.firm_a,
        None,
        Decimal("36500.00"),
        world.user("office"),
    )
    assert AuditEvent.objects.filter(action="subsidy.fee.record", object_id=str(fee.pk)).exists()
    listed = office.get("/subsidy/fees/").content.decode()
    assert "36500.00" in listed and "甲律师事务所" in listed and "顾问费" in listed
    assert "顾问费收入" in office.get("/subsidy/rules/").content.decode()  # linked from the subsidy pages


BAD = [
    ({"amount": "abc"}, "请填写正确的金额"),
    ({"amount": "0"}, "金额须大于零"),
    ({"amount": "-5"}, "金额须大于零"),
    ({"amount": "1.234"}, "金额最多两位小数"),
    ({"amount": "99999999999"}, "金额过大"),
    ({"period_end": "2025-12-31"}, "期间止不能早于期间起"),
    ({"period_start": "2026-02-30"}, "请填写正确的日期"),
    ({"lawyer": "LAWYER"}, "请选择顾问律师或律所中的一项"),
    ({"firm": ""}, "请选择顾问律师或律所中的一项"),
    ({"kind": "bonus"}, "请选择费用类型"),
    ({"community": "COMMUNITY_E"}, "请选择管辖范围内的社区"),
    ({"reference": "号" * 61}, "最多 60 个字"),
    ({"period_end": "2030-12-31"}, "所属期间不能超过三年"),
]


def test_bad_values_are_refused_in_chinese_and_save_nothing(world):
    office = verified_client(world.user("office"))
    for change, message in BAD:
        change = dict(change)
        if change.get("lawyer") == "LAWYER":
            change["lawyer"] = world.lawyer_a.pk
        if change.get("community") == "COMMUNITY_E":
            change["community"] = world.community_e.pk
        response = office.post("/subsidy/fees/", _body(world, **change))
        assert response.status_code == 422, change
        assert message in response.content.decode(), change
    assert not FeeIncome.objects.exists()


def test_a_wrong_entry_is_deleted_with_a_reason(world):
    fee = services.fee_record(
        by=world.user("bureau"),
        community=world.community_a,
        lawyer=world.lawyer_a,
        kind="service",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        amount=Decimal("800"),
    )
    office = verified_client(world.user("office"))
    response = office.post(f"/subsidy/fees/{fee.pk}/delete/", {"reason": ""})
    assert response.status_code == 422 and "请填写此项" in response.content.decode()
    assert FeeIncome.objects.filter(pk=fee.pk).exists()
    assert office.post(f"/subsidy/fees/{fee.pk}/delete/", {"reason": "重复登记"}).status_code == 302
    assert not FeeIncome.objects.exists()
    assert AuditEvent.objects.filter(action="subsidy.fee.delete", object_id=str(fee.pk)).exists()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999"), places=2),
    days=st.integers(min_value=1, max_value=800),
    cut=st.integers(min_value=0, max_value=800),
)
def test_a_fee_split_over_adjacent_periods_never_exceeds_the_fee(world, amount, days, cut):
    """Counted over two adjacent periods that cover the fee's whole period, the parts add up to the
    fee within a cent per period (each part is rounded half-up)."""
    from datetime import timedelta

    FeeIncome.objects.all().delete()
    start = date(2026, 1, 1)
    end = start + timedelta(days=days - 1)
    fee = services.fee_record(
        by=world.user("bureau"),
        community=world.community_a,
        lawyer=world.lawyer_a,
        kind="retainer",
        period_start=start,
        period_end=end,
        amount=amount,
    )
    middle = start + timedelta(days=min(cut, days - 1))
    first = selectors.fees_by_lawyer([world.lawyer_a.pk], world.street.path, date(2025, 1, 1), middle)
    second = selectors.fees_by_lawyer(
        [world.lawyer_a.pk], world.street.path, middle + timedelta(days=1), date(2029, 1, 1)
    )
    total = first.get(world.lawyer_a.pk, Decimal(0)) + second.get(world.lawyer_a.pk, Decimal(0))
    assert abs(total - fee.amount) <= Decimal("0.01")
    assert first[world.lawyer_a.pk] <= fee.amount
