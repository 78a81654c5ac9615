"""The subsidy demo: the twelve months before this one settled through the chain and paid, with the
sampled callbacks decided (one rejected), the current month computed; the
finance sheet of a paid batch adds up; the communities' retainers recorded; and it loads only once."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from guwen.demo import mediation, nanwan, subsidy
from guwen.regions.models import Region
from guwen.subsidy.exports import finance_xlsx
from guwen.subsidy.models import FeeIncome, FlagStatus, LineKind, Settlement, SettlementStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def test_a_year_settled_and_paid_and_this_month_computed():
    nanwan.load()
    mediation.load()
    subsidy.load()
    settlements = Settlement.objects.filter(is_demo=True)
    months = sorted(set(settlements.values_list("month", flat=True)))
    assert len(months) == 13
    assert set(settlements.filter(month__in=months[:12]).values_list("status", flat=True)) == {
        SettlementStatus.PAID
    }
    assert set(settlements.filter(month=months[12]).values_list("status", flat=True)) == {
        SettlementStatus.DRAFT
    }
    paid_cases = settlements.filter(status=SettlementStatus.PAID, lines__kind=LineKind.CASE).distinct()
    assert paid_cases.count() >= 5
    rejected = settlements.filter(flags__status=FlagStatus.REJECTED)
    assert (
        rejected.exists() and rejected.first().lines.filter(kind=LineKind.ADJUSTMENT, amount__lt=0).exists()
    )
    batch = paid_cases.first().batch
    rows = list(load_workbook(io.BytesIO(finance_xlsx(batch, list(batch.settlements.all())))).active.values)
    assert Decimal(str(rows[-1][9])) == sum(s.total for s in batch.settlements.all())
    # Each Nanwan community's retainer for last year and this year, to its advisor's firm.
    retainers = FeeIncome.objects.filter(is_demo=True, kind="retainer")
    assert retainers.count() == 2 * Region.objects.filter(parent__code=subsidy.STREET).count()
    assert {fee.amount for fee in retainers} == {Decimal("20000.00")}
    assert FeeIncome.objects.filter(is_demo=True, kind="service", lawyer__isnull=False).count() == 1
    count, fees = Settlement.objects.count(), FeeIncome.objects.count()
    subsidy.load()
    assert (Settlement.objects.count(), FeeIncome.objects.count()) == (count, fees)
