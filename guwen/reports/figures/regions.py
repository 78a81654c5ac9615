"""The scope region by region: a district street by street (the very rows of the bureau's home
page, ``consultations.overview.district_figures``), a street community by community. Each name
opens that region's own dashboard."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from guwen.consultations.overview import Period, _hours, _rate, community_counts, district_figures
from guwen.duty.models import DutyShift
from guwen.duty.selectors import DUE, HELD
from guwen.regions.models import Level, Region
from guwen.reports import links
from guwen.reports.scope import communities_of
from guwen.reports.sections import SectionData, Table, section

HEADERS = [
    gettext_lazy("区域"),
    gettext_lazy("咨询"),
    gettext_lazy("按时答复率"),
    gettext_lazy("逾期未答复"),
    gettext_lazy("应值班次"),
    gettext_lazy("到岗"),
    gettext_lazy("驻点时长（小时）"),
]


@section("regions", gettext_lazy("分区域情况"), 90)
def regions_section(region: Region, period: Period) -> SectionData:
    if region.level == Level.DISTRICT:
        figures = district_figures(region, period=period)
        rows = [
            [
                (row.street.name, links.dashboard(row.street, period)),
                row.asked,
                row.in_time_rate,
                row.overdue,
                row.shifts_due,
                row.shifts_held,
                row.held_hours,
            ]
            for row in figures.rows
        ]
        return SectionData(tables=[Table(HEADERS, rows)])
    if region.level != Level.STREET:
        return SectionData()
    communities = list(communities_of(region).filter(is_active=True).order_by("code"))
    asked = community_counts([c.pk for c in communities], period, timezone.now())
    duty = {
        line["community_id"]: line
        for line in DutyShift.objects.filter(
            community__in=communities, date__gte=period.start, date__lte=period.end
        )
        .values("community_id")
        .annotate(
            due=Count("pk", filter=Q(status__in=DUE)),
            held=Count("pk", filter=Q(status__in=HELD)),
            minutes=Sum("held_minutes", filter=Q(status__in=HELD), default=0),
        )
        .order_by()
    }
    rows = []
    for community in communities:
        a, d = asked.get(community.pk, {}), duty.get(community.pk, {})
        rows.append(
            [
                (community.name, links.dashboard(community, period)),
                a.get("asked", 0),
                _rate(a.get("answered_in_time", 0), a.get("answered", 0)),
                a.get("overdue", 0),
                d.get("due", 0),
                d.get("held", 0),
                _hours(d.get("minutes", 0)),
            ]
        )
    return SectionData(tables=[Table(HEADERS, rows)])
