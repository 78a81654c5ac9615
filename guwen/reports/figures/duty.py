"""On-site duty (驻点值班) in a scope: shifts due, held and missed, hours on site, month by month.
One definition of attendance, the duty module's (held over due); one aggregate query."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guwen.consultations.overview import Period, _hours, _rate
from guwen.duty.models import DutyShift, ShiftStatus
from guwen.duty.selectors import DUE, HELD, HELD_ON_SITE
from guwen.regions.models import Region
from guwen.reports import links
from guwen.reports.scope import communities_of, month_days, month_spans
from guwen.reports.sections import Chart, Figure, SectionData, section


def shifts_in(region: Region, period: Period):
    return DutyShift.objects.filter(
        community__in=communities_of(region), date__gte=period.start, date__lte=period.end
    )


@section("duty", gettext_lazy("驻点值班"), 20)
def duty_section(region: Region, period: Period) -> SectionData:
    rows = shifts_in(region, period)
    spans = month_spans(period)
    counts = {
        "due": Count("pk", filter=Q(status__in=DUE)),
        "held": Count("pk", filter=HELD_ON_SITE),
        "missed": Count("pk", filter=Q(status=ShiftStatus.MISSED)),
        "late": Count("pk", filter=HELD_ON_SITE & Q(is_late=True)),
        "minutes": Sum("held_minutes", filter=Q(status__in=HELD), default=0),
    }
    for label, month in spans:
        days = month_days("date", month)
        counts[f"{label}_missed"] = Count("pk", filter=days & Q(status=ShiftStatus.MISSED))
        counts[f"{label}_minutes"] = Sum("held_minutes", filter=days & Q(status__in=HELD), default=0)
    totals = rows.aggregate(**counts)
    monthly = {
        label: {"missed": totals[f"{label}_missed"], "minutes": totals[f"{label}_minutes"]}
        for label, _month in spans
    }
    months = [label for label, _month in spans]
    last = months[-1]
    figures = [
        Figure(_("应值班次"), totals["due"], links.attendance(region, last), _("次")),
        Figure(_("到岗班次"), totals["held"], links.attendance(region, last), _("次")),
        Figure(_("缺勤班次"), totals["missed"], links.attendance(region, last), _("次")),
        Figure(_("出勤率"), _rate(totals["held"], totals["due"]), links.attendance(region, last), "%"),
        Figure(_("驻点时长"), _hours(totals["minutes"]), links.attendance(region, last), _("小时")),
        Figure(_("迟到"), totals["late"], links.attendance(region, last), _("次")),
    ]
    charts = [
        Chart(
            "duty_month",
            _("驻点时长与出勤（按月）"),
            "bar",
            months,
            [
                (_("驻点时长（小时）"), [_hours(monthly.get(m, {}).get("minutes", 0)) for m in months]),
                (_("缺勤班次"), [monthly.get(m, {}).get("missed", 0) for m in months]),
            ],
            [links.attendance(region, m) for m in months],
        )
    ]
    return SectionData(figures, charts)
