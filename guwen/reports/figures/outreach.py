"""Lectures and publicity (普法), their coverage of communities, and enterprise health checks
(法治体检) with the risks found. A handful of aggregate queries."""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guwen.consultations.overview import Period
from guwen.outreach.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Finding,
    HealthCheck,
    LegalOpinion,
    OpinionStatus,
    RiskLevel,
)
from guwen.outreach.selectors import coverage, quarter_of
from guwen.regions.models import Region
from guwen.reports import links
from guwen.reports.scope import communities_of
from guwen.reports.sections import Chart, Figure, SectionData, Table, section

DONE = (ActivityStatus.HELD, ActivityStatus.CONFIRMED)


def activities_in(region: Region, period: Period):
    return Activity.objects.filter(
        community__in=communities_of(region), date__gte=period.start, date__lte=period.end
    )


def checks_in(region: Region, period: Period):
    return HealthCheck.objects.filter(
        community__in=communities_of(region), date__gte=period.start, date__lte=period.end
    )


@section("outreach", gettext_lazy("普法宣传与法治体检"), 30)
def outreach_section(region: Region, period: Period) -> SectionData:
    done = activities_in(region, period).filter(status__in=DONE)
    kinds = {
        line["kind"]: line
        for line in done.values("kind").annotate(n=Count("pk"), audience=Sum("audience_count", default=0))
    }
    checks = checks_in(region, period)
    check_count = checks.count()
    risks = {
        line["risk_level"]: line["n"]
        for line in Finding.objects.filter(health_check__in=checks)
        .values("risk_level")
        .annotate(n=Count("pk"))
        .order_by()
    }
    opinions = LegalOpinion.objects.filter(
        community__in=communities_of(region),
        status=OpinionStatus.DELIVERED,
        delivered_on__gte=period.start,
        delivered_on__lte=period.end,
    ).count()
    quarter = quarter_of(period.end)
    rows = coverage(communities_of(region), quarter)
    covered = sum(1 for row in rows if not row.behind)
    lectures = kinds.get(ActivityKind.LECTURE, {})
    figures = [
        Figure(
            _("法治讲座"),
            lectures.get("n", 0),
            links.activities(region, period, kind="lecture", status="done"),
            _("场"),
        ),
        Figure(
            _("讲座受众"),
            lectures.get("audience", 0),
            links.activities(region, period, kind="lecture", status="done"),
            _("人次"),
        ),
        Figure(
            _("本季度讲座达标社区"),
            covered,
            links.coverage(quarter.key),
            f"/ {len(rows)}",
            note=quarter.label,
        ),
        Figure(_("企业法治体检"), check_count, links.checks(region, period), _("家次")),
        Figure(
            _("高风险问题"), risks.get(RiskLevel.HIGH, 0), links.checks(region, period, risk="high"), _("项")
        ),
        Figure(_("出具法律意见/审查合同"), opinions, "", _("件")),
    ]
    charts = [
        Chart(
            "outreach_kinds",
            _("活动（按类型）"),
            "bar",
            [str(label) for _v, label in ActivityKind.choices],
            [
                (_("场次"), [kinds.get(v, {}).get("n", 0) for v, _label in ActivityKind.choices]),
                (_("受众人次"), [kinds.get(v, {}).get("audience", 0) for v, _label in ActivityKind.choices]),
            ],
            [links.activities(region, period, kind=v, status="done") for v, _label in ActivityKind.choices],
        ),
        Chart(
            "outreach_risks",
            _("体检发现问题（按风险）"),
            "pie",
            [str(label) for _v, label in RiskLevel.choices],
            [(_("问题"), [risks.get(v, 0) for v, _label in RiskLevel.choices])],
            [links.checks(region, period, risk=v) for v, _label in RiskLevel.choices],
        ),
    ]
    behind = [row for row in rows if row.behind]
    tables = []
    if behind:
        tables.append(
            Table(
                [_("讲座未达标社区"), _("已举办"), _("已计划"), _("要求")],
                [
                    [(row.community.name, links.coverage(quarter.key)), row.held, row.planned, row.required]
                    for row in behind
                ],
            )
        )
    return SectionData(figures, charts, tables)
