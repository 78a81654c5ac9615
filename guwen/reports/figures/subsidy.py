"""Subsidy (以案定补): what was settled, approved and paid for the months of the period, by month,
and the fraud flags still open; and the pay side of the workload view (subsidy paid and fee income
received per advisor, effective pay per hour on site and per case). Read through the subsidy
selectors: a few queries."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guwen.consultations.overview import Period
from guwen.regions.models import Region
from guwen.reports import links, workload
from guwen.reports.sections import Chart, Figure, SectionData, Table, section
from guwen.subsidy import selectors
from guwen.subsidy.models import SettlementStatus

ZERO = Decimal("0.00")


def _sum(rows, statuses=None) -> tuple[int, Decimal]:
    count, amount = 0, ZERO
    for (_month, status), (n, total) in rows.items():
        if statuses is None or status in statuses:
            count, amount = count + n, amount + total
    return count, amount


def _cell(count: int, url: str):
    """A count linking to its settlements; a zero stays plain (nothing to open)."""
    return (count, url) if count else count


@section("subsidy", gettext_lazy("以案定补"), 50)
def subsidy_section(region: Region, period: Period) -> SectionData:
    rows = selectors.totals_by_month_and_status(region.path, period.start, period.end)
    settled = _sum(rows)
    approved = _sum(rows, (SettlementStatus.APPROVED,))
    paid = _sum(rows, (SettlementStatus.PAID,))
    flags = selectors.open_flags_in(region.path, period.start, period.end)
    figures = [
        Figure(
            _("已结算"),
            settled[1],
            links.settlements(region, period),
            _("元"),
            _("%(n)d 份") % {"n": settled[0]},
        ),
        Figure(
            _("已批准待发放"),
            approved[1],
            links.settlements(region, period, tab=SettlementStatus.APPROVED),
            _("元"),
            _("%(n)d 份") % {"n": approved[0]},
        ),
        Figure(
            _("已发放"),
            paid[1],
            links.settlements(region, period, tab=SettlementStatus.PAID),
            _("元"),
            _("%(n)d 份") % {"n": paid[0]},
        ),
        Figure(_("待处理异常"), flags, links.flags(region, period), _("条")),
    ]
    months = sorted({month for month, _status in rows})
    by_month = {
        month: (
            _sum({k: v for k, v in rows.items() if k[0] == month}),
            _sum({k: v for k, v in rows.items() if k[0] == month}, (SettlementStatus.APPROVED,)),
            _sum({k: v for k, v in rows.items() if k[0] == month}, (SettlementStatus.PAID,)),
        )
        for month in months
    }
    labels = [f"{month:%Y-%m}" for month in months]
    charts = []
    tables = []
    if months:
        charts.append(
            Chart(
                "subsidy_months",
                _("补贴金额（按月，元）"),
                "bar",
                labels,
                [
                    (_("已结算"), [by_month[m][0][1] for m in months]),
                    (_("已批准待发放"), [by_month[m][1][1] for m in months]),
                    (_("已发放"), [by_month[m][2][1] for m in months]),
                ],
                [links.settlements(region, period, month=label) for label in labels],
            )
        )
        tables.append(
            Table(
                [_("月份"), _("已结算（份）"), _("已批准待发放（份）"), _("已发放（份）")],
                [
                    [
                        (label, links.settlements(region, period, month=label)),
                        _cell(by_month[m][0][0], links.settlements(region, period, month=label)),
                        _cell(
                            by_month[m][1][0],
                            links.settlements(region, period, tab=SettlementStatus.APPROVED, month=label),
                        ),
                        _cell(
                            by_month[m][2][0],
                            links.settlements(region, period, tab=SettlementStatus.PAID, month=label),
                        ),
                    ]
                    for m, label in zip(months, labels, strict=True)
                ],
            )
        )
    return SectionData(figures, charts, tables)


def subsidy_pay(loads: list[workload.AdvisorLoad], period: Period, region: Region) -> None:
    """Fill each advisor's subsidy paid for the months of the period, settled in the region."""
    paid = selectors.paid_by_lawyer([load.lawyer.pk for load in loads], region.path, period.start, period.end)
    for load in loads:
        if load.lawyer.pk in paid:
            load.pay = (load.pay or ZERO) + paid[load.lawyer.pk]


def fee_income(loads: list[workload.AdvisorLoad], period: Period, region: Region) -> None:
    """Add each advisor's fee income (顾问费 and other fees) for the days of the period in the region."""
    received = selectors.fees_by_lawyer(
        [load.lawyer.pk for load in loads], region.path, period.start, period.end
    )
    for load in loads:
        if load.lawyer.pk in received:
            load.pay = (load.pay or ZERO) + received[load.lawyer.pk]


workload.PAY_SOURCES.append(subsidy_pay)
workload.PAY_SOURCES.append(fee_income)
