"""Consultations in a scope: by level, category, status and channel; first-response and close
times against their deadlines; escalations; month by month. The whole past months of the period
come from the monthly rollup (``guwen/reports/rollups.py``) once the worker has counted them, the
rest from the records: two aggregate queries per live part, one for the rollup, one for what is
overdue now."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guwen.consultations.models import Channel, Consultation, Level, Status
from guwen.consultations.overview import ANSWERED_IN_TIME, Period, _rate
from guwen.consultations.selectors import overdue_condition
from guwen.consultations.workflow import OPEN_STATUSES
from guwen.duty.selectors import month_bounds
from guwen.regions.models import Region
from guwen.reports import links, rollups
from guwen.reports.models import ConsultationMonth
from guwen.reports.scope import communities_of, community_ids, month_spans
from guwen.reports.sections import Chart, Figure, SectionData, section


def asked_in(region: Region, period: Period):
    return Consultation.objects.filter(community_id__in=community_ids(region)).filter(period.q("created_at"))


def _hours(minutes) -> Decimal | None:
    return None if minutes is None else (Decimal(str(minutes)) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _live(region: Region, part: Period, spans: list[tuple[str, Period]]) -> tuple[Counter, Counter]:
    """The part's questions counted from the records: one query grouped by level, status, channel
    and category (a few hundred groups at most), whose sums are the chart counts, added up here."""
    aggregates = rollups.counts()
    for i, (_label, month) in enumerate(spans):
        if month.start <= part.end and month.end >= part.start:
            aggregates[f"month_{i}"] = Count("pk", filter=month.q("created_at"))
            aggregates[f"month_{i}_in_time"] = Count("pk", filter=month.q("created_at") & ANSWERED_IN_TIME)
    groups = (
        asked_in(region, part)
        .annotate(group=rollups.CATEGORY)
        .values(*rollups.DIMENSIONS, "group")
        .annotate(**aggregates)
        .order_by()
    )
    totals: Counter = Counter()
    categories: Counter = Counter()
    for line in groups:
        for dimension in rollups.DIMENSIONS:
            totals[f"{dimension}_{line.pop(dimension)}"] += line["total"]
        categories[line.pop("group") or ""] += line["total"]
        totals.update(line)
    return totals, categories


def _rolled(region: Region, run: list, spans: list[tuple[str, Period]]) -> tuple[dict, Counter]:
    """The rolled-up months' counts of the region's communities: the numbers summed by the
    database month by month, the chart counts (value → count) added up here. Two queries."""
    index = {month.start: i for i, (_label, month) in enumerate(spans)}
    rows = ConsultationMonth.objects.filter(community__in=communities_of(region), month__in=run)
    totals: Counter = Counter()
    for line in rows.values("month").annotate(**{name: Sum(name) for name in ROLLED}).order_by():
        month = line.pop("month")
        totals.update(line)
        totals[f"month_{index[month]}"] += line["total"]
        totals[f"month_{index[month]}_in_time"] += line["in_time"]
    categories: Counter = Counter()
    for *by_dimension, by_category in rows.values_list(
        *(f"by_{dimension}" for dimension in rollups.DIMENSIONS), "by_category"
    ):
        for dimension, counts in zip(rollups.DIMENSIONS, by_dimension, strict=True):
            for value, n in counts.items():
                totals[f"{dimension}_{value}"] += n
        categories.update(by_category)
    return totals, categories


ROLLED = (
    "total",
    "answered",
    "in_time",
    "escalated",
    "first_minutes",
    "first_count",
    "close_minutes",
    "close_count",
)


def _average(minutes: int, count: int) -> Decimal | None:
    return Decimal(minutes) / count if count else None


@section("consultations", gettext_lazy("法律咨询"), 10)
def consultations_section(region: Region, period: Period) -> SectionData:
    spans = month_spans(period)
    # Whole past months from the monthly rollup where the worker has counted them; the rest live.
    run = rollups.rolled_run(period)
    totals: Counter = Counter()
    counted: Counter = Counter()
    parts = [_live(region, part, spans) for part in rollups.live_parts(period, run)]
    if run:
        parts.append(_rolled(region, run, spans))
    for part_totals, part_categories in parts:
        totals.update({k: v for k, v in part_totals.items() if v})
        counted.update(part_categories)
    # The deadlines as the count's filter rather than the rows' condition: the open rows are then
    # found by community, status and date on one index, not by an OR over two.
    totals["overdue"] = (
        asked_in(region, period)
        .filter(status__in=OPEN_STATUSES)
        .aggregate(n=Count("pk", filter=overdue_condition(timezone.now())))["n"]
    )
    totals["first_minutes"] = _average(totals["first_minutes"], totals["first_count"])
    totals["close_minutes"] = _average(totals["close_minutes"], totals["close_count"])
    # Until an advisor confirms the category on closing, the triage's suggestion stands for it.
    categories = [
        {"group": group or None, "n": n}
        for group, n in sorted(counted.items(), key=lambda item: (-item[1], item[0]))
        if n
    ]
    month_labels = [label for label, _month in spans]

    def link(**filters) -> str:
        return links.consultations(region, period, **filters)

    figures = [
        Figure(_("咨询总数"), totals["total"], link(), _("件")),
        Figure(_("已答复"), totals["answered"], link(tab="answered")),
        Figure(_("按时首次答复率"), _rate(totals["in_time"], totals["answered"]), link(), "%"),
        Figure(_("平均首次答复用时"), _hours(totals["first_minutes"]), link(), _("小时")),
        Figure(_("平均办结用时"), _hours(totals["close_minutes"]), link(tab="closed"), _("小时")),
        Figure(_("逾期未答复"), totals["overdue"], links.consultations(region, None, tab="overdue"), _("件")),
        Figure(_("上移办理（街道/区）"), totals["escalated"], link(level="street"), _("件")),
    ]
    charts = [
        Chart(
            "consultations_level",
            _("按层级"),
            "bar",
            [str(label) for _v, label in Level.choices],
            [(_("咨询"), [totals[f"level_{v}"] for v, _label in Level.choices])],
            [link(level=v) for v, _label in Level.choices],
        ),
        Chart(
            "consultations_status",
            _("按状态"),
            "bar",
            [str(label) for _v, label in Status.choices],
            [(_("咨询"), [totals[f"status_{v}"] for v, _label in Status.choices])],
            [link(status=v) for v, _label in Status.choices],
        ),
        Chart(
            "consultations_channel",
            _("按渠道"),
            "pie",
            [str(label) for _v, label in Channel.choices],
            [(_("咨询"), [totals[f"channel_{v}"] for v, _label in Channel.choices])],
            [link(channel=v) for v, _label in Channel.choices],
        ),
        Chart(
            "consultations_category",
            _("按类别"),
            "bar",
            [line["group"] or _("未分类") for line in categories[:12]],
            [(_("咨询"), [line["n"] for line in categories[:12]])],
            [link(category=line["group"] or "") for line in categories[:12]],
        ),
        Chart(
            "consultations_month",
            _("按月趋势"),
            "line",
            month_labels,
            [
                (_("咨询"), [totals[f"month_{i}"] for i in range(len(spans))]),
                (_("按时答复"), [totals[f"month_{i}_in_time"] for i in range(len(spans))]),
            ],
            [_month_link(region, m) for m in month_labels],
        ),
    ]
    return SectionData(figures, charts)


def _month_link(region: Region, month: str) -> str:
    first, last = month_bounds(date.fromisoformat(f"{month}-01"))
    return links.consultations(region, Period(first, last))
